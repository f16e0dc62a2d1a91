/**
 * The Storybook endpoint (stories/support/fake-endpoint.ts) and the reference engine run the
 * same billing core: given the same seed — the engine's demo catalog, subscription, usage,
 * payment methods and clock — they answer the same figures, to the minor unit, before and
 * after the same changes.
 */
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { before, describe, it } from 'node:test';
import type { ChangeRequest, Module, Plan, Subscription } from '../../src/contract/index.js';
import type { EngineSubscription } from '../../src/server/billing-engine.js';
import { BillingEngineError } from '../../src/server/errors.js';
import type { ReferenceEngine } from '../../src/server/reference/reference-engine.js';
import type { CatalogModule, CatalogPlan } from '../../stories/support/fixtures.js';
import { demoEngine } from './helpers.js';

// The endpoint imports its specimen PDF the way Vite does (`?url`); outside Vite, any URL will do.
register(
  'data:text/javascript,' +
    encodeURIComponent(`export async function resolve(specifier, context, next) {
      if (/\\.pdf\\?url/.test(specifier)) return { url: 'data:text/javascript,export default "/specimen.pdf"', shortCircuit: true };
      return next(specifier, context);
    }`),
);
const { FakeEndpoint } = await import('../../stories/support/fake-endpoint.js');
const { AS_OF } = await import('../../stories/support/fixtures.js');

type Fake = InstanceType<typeof FakeEndpoint>;
const CUSTOMER = 'cus_demo';
const EN = ['en'];

/** Every change a customer can ask for in the demo catalog, at both timings. */
function everyRequest(plans: Plan[], modules: Module[]): ChangeRequest[] {
  const requests: ChangeRequest[] = [];
  for (const timing of ['now', 'period_end'] as const) {
    for (const plan of plans) {
      for (const interval of [undefined, 'month', 'year'] as const) {
        requests.push({ timing, change: { type: 'plan', planId: plan.id, ...(interval ? { interval } : {}) } });
      }
    }
    for (const module of modules) {
      for (const action of ['activate', 'deactivate'] as const) {
        requests.push({ timing, change: { type: 'module', moduleId: module.id, action } });
      }
    }
  }
  return requests;
}

/** The engine's answer, or the code it refused with. */
async function engineAnswer<T>(run: () => Promise<T>): Promise<T | { refused: string }> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof BillingEngineError) return { refused: error.code };
    throw error;
  }
}

/** The fake endpoint's answer through its request handler, or the code it refused with. */
async function fakeAnswer(fake: Fake, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = fake.handle(method, path, new Headers(headers), body);
  const json = (await response.json()) as { code?: string };
  return response.ok ? json : { refused: json.code };
}

/** A preview without what is the endpoint's own (token, expiry, version). */
function figures(preview: unknown) {
  if (preview === null || typeof preview !== 'object' || 'refused' in preview) return preview;
  const { previewToken: _token, expiresAt: _expiry, basedOnVersion: _version, ...rest } = preview as Record<string, unknown>;
  return rest;
}

/** A subscription without its version (each side counts its own). */
/** What both sides compute: the permissions are the host's, not the engine's, and left out. */
function standing(subscription: EngineSubscription | null) {
  assert.ok(subscription);
  const { version: _version, scheduledChanges, ...rest } = subscription;
  delete (rest as Partial<Subscription>).permissions;
  return { ...rest, scheduledChanges: scheduledChanges.map(({ id: _id, ...change }) => change) };
}

/** A fake endpoint seeded with what the engine holds for the demo customer now. */
async function fakeLike(engine: ReferenceEngine): Promise<Fake> {
  const [plansEn, plansFr, modulesEn, modulesFr, subscription, usage, paymentMethods] = await Promise.all([
    engine.listPlans(CUSTOMER, EN),
    engine.listPlans(CUSTOMER, ['fr']),
    engine.listModules(CUSTOMER, EN),
    engine.listModules(CUSTOMER, ['fr']),
    engine.getSubscription(CUSTOMER, EN),
    engine.listUsage(CUSTOMER, EN),
    engine.listPaymentMethods(CUSTOMER),
  ]);
  assert.ok(subscription);
  const price = (prices: Plan['prices'], interval: 'month' | 'year') => prices.find((p) => p.interval === interval)!.price.amountMinor;
  const plans = plansEn.map((plan, i): CatalogPlan => ({
    id: plan.id,
    name: plan.name,
    description: { en: plan.description ?? '', fr: plansFr[i]!.description ?? '' },
    rank: plan.rank,
    prices: { month: price(plan.prices, 'month'), year: price(plan.prices, 'year') },
    limits: Object.fromEntries(plan.limits.map((limit) => [limit.metricKey, limit.limit])),
    includedModuleIds: plan.includedModuleIds,
  }));
  const modules = modulesEn.map((module, i): CatalogModule => ({
    id: module.id,
    name: { en: module.name, fr: modulesFr[i]!.name },
    description: { en: module.description ?? '', fr: modulesFr[i]!.description ?? '' },
    monthly: module.price?.amountMinor ?? null,
    ...(module.requires.anyOfPlans ? { anyOfPlans: module.requires.anyOfPlans } : {}),
    ...(module.requires.allOfModules ? { allOfModules: module.requires.allOfModules } : {}),
  }));
  const included = plansEn.find((plan) => plan.id === subscription.plan.id)!.includedModuleIds;
  return new FakeEndpoint({
    plans,
    modules,
    planId: subscription.plan.id,
    interval: subscription.interval,
    moduleIds: subscription.activeModuleIds.filter((id) => !included.includes(id)),
    usage,
    paymentMethods,
    creditBalance: subscription.creditBalance.amountMinor,
    language: 'en',
  });
}

/** Both sides agree on the subscription, the plans' and modules' standing, and every preview. */
async function assertSame(engine: ReferenceEngine, fake: Fake, requests: ChangeRequest[], when: string) {
  assert.deepEqual(
    standing((await fakeAnswer(fake, 'GET', '/v1/subscription')) as Subscription),
    standing(await engine.getSubscription(CUSTOMER, EN)),
    `${when}: subscription`,
  );
  const plans = (await fakeAnswer(fake, 'GET', '/v1/plans')) as { data: Plan[] };
  assert.deepEqual(
    plans.data.map((plan) => [plan.id, plan.change]),
    (await engine.listPlans(CUSTOMER, EN)).map((plan) => [plan.id, plan.change]),
    `${when}: plan changes`,
  );
  const modules = (await fakeAnswer(fake, 'GET', '/v1/modules')) as { data: Module[] };
  const moduleStanding = ({ lastUsedAt: _lastUsed, usageCount30d: _count, description: _description, ...module }: Module) => module;
  assert.deepEqual(
    modules.data.map(moduleStanding),
    (await engine.listModules(CUSTOMER, EN)).map(moduleStanding),
    `${when}: modules`,
  );
  for (const request of requests) {
    assert.deepEqual(
      figures(await fakeAnswer(fake, 'POST', '/v1/subscription/changes/preview', request)),
      figures(await engineAnswer(() => engine.previewChange(CUSTOMER, request, EN))),
      `${when}: preview of ${JSON.stringify(request)}`,
    );
  }
}

/** Commits `request` on both sides; returns both invoices, which must be the same but for their number. */
async function commitBoth(engine: ReferenceEngine, fake: Fake, request: ChangeRequest) {
  const version = (await engine.getSubscription(CUSTOMER, EN))!.version!;
  const fakeVersion = ((await fakeAnswer(fake, 'GET', '/v1/subscription')) as Subscription).version;
  const ours = await engine.commitChange(CUSTOMER, request, version, EN);
  const theirs = (await fakeAnswer(fake, 'POST', '/v1/subscription/changes', request, { 'If-Match': `"${fakeVersion}"` })) as typeof ours;
  const invoice = (result: typeof ours) =>
    result.invoice && {
      ...result.invoice,
      id: undefined,
      number: undefined,
      hostedUrl: undefined,
      lines: result.invoice.lines,
    };
  assert.deepEqual(invoice(theirs), invoice(ours), `invoice of ${JSON.stringify(request)}`);
}

describe('Storybook endpoint and reference engine: one billing core', () => {
  let engine: ReferenceEngine;
  let requests: ChangeRequest[];

  before(async () => {
    engine = demoEngine({ now: () => new Date(AS_OF) });
    requests = everyRequest(await engine.listPlans(CUSTOMER, EN), await engine.listModules(CUSTOMER, EN));
  });

  it('seeded alike, they answer the same subscription, plans, modules and previews (every change, both timings)', async () => {
    await assertSame(engine, await fakeLike(engine), requests, 'seeded');
  });

  it('stay alike through the same commits: a downgrade now (credit), a module, an interval switch, a scheduled downgrade', async () => {
    const fake = await fakeLike(engine);
    const steps: ChangeRequest[] = [
      { timing: 'now', change: { type: 'plan', planId: 'essentiel' } },
      { timing: 'now', change: { type: 'module', moduleId: 'signature-workflows', action: 'activate' } },
      { timing: 'now', change: { type: 'plan', planId: 'entreprise' } },
      { timing: 'period_end', change: { type: 'module', moduleId: 'e-signature', action: 'deactivate' } },
      { timing: 'now', change: { type: 'plan', planId: 'entreprise', interval: 'year' } },
      { timing: 'period_end', change: { type: 'plan', planId: 'pro' } },
    ];
    for (const [i, step] of steps.entries()) {
      await commitBoth(engine, fake, step);
      await assertSame(engine, fake, requests, `after step ${i + 1} (${JSON.stringify(step)})`);
    }
  });

  it('the seed is one a story can express: every plan sold monthly and yearly, a module’s year ten of its months', async () => {
    const monthly = demoEngine({ now: () => new Date(AS_OF) });
    const yearly = demoEngine({ now: () => new Date(AS_OF) });
    await yearly.commitChange(CUSTOMER, { timing: 'now', change: { type: 'plan', planId: 'pro', interval: 'year' } }, '3', EN);
    for (const plan of await monthly.listPlans(CUSTOMER, EN)) {
      assert.deepEqual(plan.prices.map((p) => p.interval), ['month', 'year'], plan.id);
    }
    const months = new Map((await monthly.listModules(CUSTOMER, EN)).map((module) => [module.id, module.price?.amountMinor]));
    for (const module of await yearly.listModules(CUSTOMER, EN)) {
      const month = months.get(module.id);
      assert.equal(module.price?.amountMinor, month === undefined ? undefined : month * 10, module.id);
    }
  });
});
