/**
 * The behavioural checks of the conformance suite, one plain async function per behaviour of
 * the contract. Each takes a fixture (a fresh engine in a known state) and throws an
 * `AssertionError` when the engine, served by the real handler, breaks the contract.
 *
 * Every figure is compared with what the engine itself reports — a preview's lines with its
 * own `dueNow`, a commit with the preview before it, a filtered page with the full list —
 * never with a catalog or a price list, so any engine's catalog can pass.
 */
import assert from 'node:assert/strict';
import {
  ChangePreview,
  ChangeResult,
  Invoice,
  InvoicePage,
  InvoicePdfLink,
  ModuleList,
  PaymentMethodList,
  PlanList,
  Subscription,
  UsageList,
  type ChangeRequest,
  type InvoiceLine,
  type Module,
  type Money,
  type Plan,
  type Timing,
} from '../../contract/index.js';
import type { CustomerId } from '../billing-engine.js';
import { createDriver, expectProblem, ok, parseWith, type ConformanceFixture, type Driver } from './driver.js';

/** Where engines legitimately differ. */
export interface ConformanceCapabilities {
  /** The timings the engine offers for changes. Default: both, `now` and `period_end`. */
  timings?: readonly Timing[];
  /**
   * Whether the signed PDF link of an invoice with `hasPdf` is followed: it must answer a
   * PDF document (bytes from `renderInvoicePdf`) or redirect to one (`{ url }`). Default: `true`.
   */
  invoicePdfBytes?: boolean;
}

/** One behaviour: rejects with an `AssertionError` when the engine breaks it. */
export type ConformanceCheck = (fixture: ConformanceFixture, capabilities?: ConformanceCapabilities) => Promise<void>;

const ALL_TIMINGS: readonly Timing[] = ['now', 'period_end'];
const PREVIEW = '/v1/subscription/changes/preview';
const CHANGES = '/v1/subscription/changes';

interface Context {
  driver: Driver;
  timings: readonly Timing[];
  invoicePdfBytes: boolean;
  /** A new `Idempotency-Key` each call. */
  key(): string;
}

/** Runs `body` with a driver over the fixture, then checks that the handler logged nothing unexpected. */
function check(body: (context: Context) => Promise<void>): ConformanceCheck {
  return async (fixture, capabilities = {}) => {
    const driver = createDriver(fixture);
    let keys = 0;
    // Unique across runs too: an engine over a provider may pass the key on to it.
    const prefix = `conformance-${globalThis.crypto.randomUUID()}`;
    await body({
      driver,
      timings: capabilities.timings ?? ALL_TIMINGS,
      invoicePdfBytes: capabilities.invoicePdfBytes ?? true,
      key: () => `${prefix}-${++keys}`,
    });
    assert.deepEqual(
      driver.logged.map((entry) => entry.message),
      [],
      'the handler logged unexpected errors (an engine answer that breaks the contract is logged and answered 500)',
    );
  };
}

const sum = (lines: readonly InvoiceLine[]) => lines.reduce((total, line) => total + line.amount.amountMinor, 0);
const quoted = (version: string) => `"${version}"`;

function assertSameCurrency(moneys: Money[], what: string) {
  const currencies = new Set(moneys.map((money) => money.currency));
  assert.ok(currencies.size <= 1, `${what}: every amount in one currency, got ${[...currencies].join(', ')}`);
}

/** Lines add up to the total; `amountDue` between zero and the total, zero once paid. */
function assertInvoiceFigures(invoice: Invoice, what: string) {
  assert.ok(invoice.lines, `${what}: GET /v1/invoices/{id} answers the invoice with its lines`);
  assert.equal(sum(invoice.lines), invoice.total.amountMinor, `${what}: the lines add up to the total`);
  assertSameCurrency([invoice.total, invoice.amountDue, ...invoice.lines.map((line) => line.amount)], what);
  assert.ok(invoice.amountDue.amountMinor >= 0, `${what}: amountDue is not negative`);
  assert.ok(
    invoice.amountDue.amountMinor <= Math.max(invoice.total.amountMinor, 0),
    `${what}: amountDue (${invoice.amountDue.amountMinor}) is at most the total (${invoice.total.amountMinor})`,
  );
  if (invoice.status === 'paid') assert.equal(invoice.amountDue.amountMinor, 0, `${what}: nothing is due on a paid invoice`);
  assert.ok(Date.parse(invoice.periodStart) <= Date.parse(invoice.periodEnd), `${what}: the period starts before it ends`);
}

/** What a customer sees that a refused request must leave alone. */
async function snapshot(driver: Driver, as?: CustomerId) {
  return {
    subscription: await driver.subscription(as),
    invoices: await driver.allInvoices(as),
    paymentMethods: (await driver.read('/v1/payment-methods', PaymentMethodList, as)).data,
  };
}

async function assertUnchanged(driver: Driver, before: Awaited<ReturnType<typeof snapshot>>, what: string, as?: CustomerId) {
  const after = await snapshot(driver, as);
  assert.deepEqual(after.subscription, before.subscription, `${what}: the subscription is unchanged`);
  assert.deepEqual(after.invoices, before.invoices, `${what}: the invoices are unchanged`);
  assert.deepEqual(after.paymentMethods, before.paymentMethods, `${what}: the payment methods are unchanged`);
}

/** The first timing of `offered` the engine supports, in the order of `preferred`. */
function pickTiming(offered: readonly Timing[], supported: readonly Timing[], preferred: readonly Timing[] = ALL_TIMINGS): Timing | undefined {
  return preferred.find((timing) => offered.includes(timing) && supported.includes(timing));
}

async function catalog(driver: Driver, as?: CustomerId) {
  return {
    plans: (await driver.read('/v1/plans', PlanList, as)).data,
    modules: (await driver.read('/v1/modules', ModuleList, as)).data,
  };
}

function upgradeOf(plans: Plan[], timings: readonly Timing[], preferred?: readonly Timing[]): { plan: Plan; timing: Timing } {
  for (const plan of plans) {
    if (plan.change.direction !== 'upgrade') continue;
    const timing = pickTiming(plan.change.allowedTimings, timings, preferred);
    if (timing) return { plan, timing };
  }
  throw new assert.AssertionError({
    message: `fixture: the subscribed customer needs a plan that is an upgrade, with a timing among ${timings.join(', ')}`,
  });
}

function activatableModule(modules: Module[], timings: readonly Timing[], preferred?: readonly Timing[]): { module: Module; timing: Timing } {
  for (const module of modules) {
    if (module.state !== 'inactive' || !module.available) continue;
    const timing = pickTiming(module.allowedTimings.activate, timings, preferred);
    if (timing) return { module, timing };
  }
  throw new assert.AssertionError({
    message: `fixture: the subscribed customer needs an inactive, available module to activate, with a timing among ${timings.join(', ')}`,
  });
}

/** A change of `as`'s subscription that takes effect at the end of the period: a plan (a downgrade first), else a module. */
async function periodEndChange(driver: Driver, as: CustomerId): Promise<ChangeRequest | null> {
  const { plans, modules } = await catalog(driver, as);
  const byDirection = ['downgrade', 'lateral', 'upgrade'].flatMap((direction) => plans.filter((p) => p.change.direction === direction));
  const plan = byDirection.find((p) => p.change.allowedTimings.includes('period_end'));
  if (plan) return { timing: 'period_end', change: { type: 'plan', planId: plan.id } };
  const module = modules.find((m) => m.state === 'inactive' && m.available && m.allowedTimings.activate.includes('period_end'));
  return module ? { timing: 'period_end', change: { type: 'module', moduleId: module.id, action: 'activate' } } : null;
}

const planChange = (plan: Plan, timing: Timing): ChangeRequest => ({ timing, change: { type: 'plan', planId: plan.id } });
const moduleActivation = (module: Module, timing: Timing): ChangeRequest => ({
  timing,
  change: { type: 'module', moduleId: module.id, action: 'activate' },
});

function describeChange(request: ChangeRequest): string {
  const { change, timing } = request;
  return change.type === 'plan' ? `plan ${change.planId} (${timing})` : `module ${change.moduleId} ${change.action} (${timing})`;
}

async function preview(driver: Driver, request: ChangeRequest, as?: CustomerId): Promise<ChangePreview> {
  return ok(await driver.send('POST', PREVIEW, { as, body: request }), ChangePreview, `preview of ${describeChange(request)}`);
}

function commit(context: Context, body: unknown, ifMatch: string | null, options: { as?: CustomerId; key?: string } = {}) {
  return context.driver.send('POST', CHANGES, {
    as: options.as,
    body,
    headers: { 'Idempotency-Key': options.key ?? context.key(), ...(ifMatch === null ? {} : { 'If-Match': ifMatch }) },
  });
}

function cancel(context: Context, id: string, ifMatch: string, as?: CustomerId) {
  return context.driver.send('DELETE', `/v1/subscription/scheduled-changes/${encodeURIComponent(id)}`, {
    as,
    headers: { 'Idempotency-Key': context.key(), 'If-Match': ifMatch },
  });
}

/** Walks `/v1/invoices?query` page by page; checks each page against the limit and for repeats. */
async function walkInvoices(driver: Driver, query: string, limit: number, as?: CustomerId): Promise<Invoice[]> {
  const seen: Invoice[] = [];
  const ids = new Set<string>();
  let cursor: string | null = null;
  for (let page = 1; ; page++) {
    const path: string = `/v1/invoices?${query}${query ? '&' : ''}limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const result = await driver.read(path, InvoicePage, as);
    assert.ok(result.data.length <= limit, `GET ${path}: at most ${limit} invoices, got ${result.data.length}`);
    for (const invoice of result.data) {
      assert.ok(!ids.has(invoice.id), `GET ${path}: invoice ${invoice.id} was already on an earlier page`);
      ids.add(invoice.id);
      seen.push(invoice);
    }
    cursor = result.nextCursor;
    if (cursor === null) return seen;
    assert.ok(result.data.length > 0, `GET ${path}: an empty page that says there is a next one`);
    assert.ok(page < 10_000, `GET /v1/invoices?${query}: still a next page after 10,000 pages`);
  }
}

const ids = (invoices: readonly Invoice[]) => invoices.map((invoice) => invoice.id);

export const conformanceChecks = {
  /** The read side: every GET answers the contract's schema, for the right customer. */
  readSide: check(async ({ driver, invoicePdfBytes }) => {
    const { customers } = driver.fixture;
    const subscription = await driver.subscription();
    const { plans, modules } = await catalog(driver);
    const current = plans.filter((plan) => plan.change.direction === 'current');
    assert.equal(current.length, 1, 'GET /v1/plans: exactly one plan is the current one');
    assert.equal(current[0]?.id, subscription.plan.id, 'GET /v1/plans: the current plan is the subscription’s');
    for (const module of modules) {
      if (module.state === 'active' || module.state === 'included') {
        assert.ok(subscription.activeModuleIds.includes(module.id), `GET /v1/modules: ${module.id} is ${module.state} but not in activeModuleIds`);
      }
    }
    await driver.read('/v1/usage', UsageList);
    const methods = (await driver.read('/v1/payment-methods', PaymentMethodList)).data;
    assert.ok(methods.filter((method) => method.isDefault).length <= 1, 'GET /v1/payment-methods: at most one default method');

    const invoices = await driver.allInvoices();
    assert.ok(invoices.length >= 3, `fixture: the subscribed customer needs at least 3 invoices, has ${invoices.length}`);
    assert.ok(
      invoices.some((invoice) => invoice.status === 'paid'),
      'fixture: the subscribed customer needs a paid invoice',
    );
    for (const summary of invoices) {
      const invoice = await driver.read(`/v1/invoices/${encodeURIComponent(summary.id)}`, Invoice);
      const { lines: _lines, ...listed } = invoice;
      const { lines: _summaryLines, ...summaryWithoutLines } = summary;
      assert.deepEqual(listed, summaryWithoutLines, `GET /v1/invoices/${summary.id}: the same invoice as in the list`);
      assertInvoiceFigures(invoice, `invoice ${invoice.number}`);
    }

    const withPdf = invoices.find((invoice) => invoice.hasPdf);
    if (withPdf) {
      const link = await driver.read(`/v1/invoices/${encodeURIComponent(withPdf.id)}/pdf`, InvoicePdfLink);
      if (invoicePdfBytes) {
        const file = await driver.follow(link.url);
        if (file.status === 302) {
          // An engine that keeps its PDFs elsewhere (`{ url }`): the link redirects there.
          const location = file.headers.get('Location') ?? '';
          assert.ok(/^https?:\/\//.test(location), `the PDF link of ${withPdf.number} redirects to an absolute URL`);
        } else {
          assert.equal(file.status, 200, `the PDF link of ${withPdf.number} answers 200`);
          assert.equal(file.headers.get('Content-Type'), 'application/pdf', `the PDF link of ${withPdf.number}: Content-Type`);
          const head = new TextDecoder().decode((await file.arrayBuffer()).slice(0, 5));
          assert.equal(head, '%PDF-', `the PDF link of ${withPdf.number} answers a PDF document`);
        }
      }
    }

    await expectProblem(await driver.send('GET', '/v1/subscription', { as: null }), 401, 'GET /v1/subscription without credentials', 'unauthenticated');
    if (customers.withoutSubscription !== undefined) {
      await expectProblem(
        await driver.send('GET', '/v1/subscription', { as: customers.withoutSubscription }),
        404,
        'GET /v1/subscription of a customer without one',
        'no_subscription',
      );
      const change = { timing: 'now', change: { type: 'plan', planId: subscription.plan.id } };
      await expectProblem(
        await driver.send('POST', PREVIEW, { as: customers.withoutSubscription, body: change }),
        404,
        'a change previewed by a customer without a subscription',
        'no_subscription',
      );
    }
  }),

  /** Strong entity tags, the subscription's starting with its version; `If-None-Match` → 304. */
  conditionalGet: check(async ({ driver }) => {
    for (const path of ['/v1/subscription', '/v1/plans', '/v1/modules', '/v1/invoices', '/v1/payment-methods']) {
      const first = await driver.send('GET', path);
      const body = await first.text();
      assert.equal(first.status, 200, `GET ${path}: ${body}`);
      const tag = first.headers.get('ETag');
      assert.ok(tag && /^"[^"]+"$/.test(tag), `GET ${path}: a strong ETag, got ${tag}`);
      if (path === '/v1/subscription') {
        const { version } = parseWith(Subscription, JSON.parse(body), `GET ${path}`);
        assert.ok(tag.startsWith(`"${version}`), `GET ${path}: the ETag ${tag} starts with the version ${version}`);
      }
      const again = await driver.send('GET', path, { headers: { 'If-None-Match': tag } });
      assert.equal(again.status, 304, `GET ${path} with If-None-Match: its own tag`);
      assert.equal(await again.text(), '', `GET ${path}: a 304 has no body`);
      const stale = await driver.send('GET', path, { headers: { 'If-None-Match': '"conformance-stale"' } });
      assert.equal(stale.status, 200, `GET ${path} with If-None-Match: another tag`);
      await stale.body?.cancel();
    }
  }),

  /** Every preview's lines add up to what is due now, in one currency, based on the version read; no side effect. */
  previewsSumUp: check(async ({ driver, timings }) => {
    const before = await snapshot(driver);
    const { plans, modules } = await catalog(driver);
    const requests: ChangeRequest[] = [];
    for (const plan of plans) {
      if (plan.change.direction === 'current') continue;
      for (const timing of plan.change.allowedTimings) if (timings.includes(timing)) requests.push(planChange(plan, timing));
    }
    for (const module of modules) {
      const action = module.state === 'inactive' && module.available ? 'activate' : module.state === 'active' ? 'deactivate' : null;
      if (!action) continue;
      for (const timing of module.allowedTimings[action]) {
        if (timings.includes(timing)) requests.push({ timing, change: { type: 'module', moduleId: module.id, action } });
      }
    }
    upgradeOf(plans, timings);
    activatableModule(modules, timings);

    for (const request of requests) {
      const what = `preview of ${describeChange(request)}`;
      const shown = await preview(driver, request);
      assert.equal(sum(shown.lines), shown.dueNow.amountMinor, `${what}: the lines add up to dueNow`);
      assertSameCurrency(
        [shown.dueNow, shown.recurring.total, ...shown.lines.map((line) => line.amount), ...(shown.nextInvoice ? [shown.nextInvoice.total] : [])],
        what,
      );
      assert.equal(shown.basedOnVersion, before.subscription.version, `${what}: based on the version read`);
      assert.equal(shown.timing, request.timing, `${what}: the timing asked for`);
      if (request.timing === 'period_end') {
        assert.equal(
          Date.parse(shown.effectiveAt),
          Date.parse(before.subscription.currentPeriod.end),
          `${what}: takes effect at the end of the current period`,
        );
        assert.equal(shown.dueNow.amountMinor, 0, `${what}: nothing is due now for a change at the period end`);
      }
      const interval = request.change.type === 'plan' ? (request.change.interval ?? before.subscription.interval) : before.subscription.interval;
      assert.equal(shown.recurring.interval, interval, `${what}: the recurring total is per the billing interval after the change`);
      assert.ok(shown.previewToken.length > 0, `${what}: a preview token`);
    }
    await assertUnchanged(driver, before, 'after previews');
  }),

  /** A commit with a preview's token does what the preview said, moves the version, and bills what was due now. */
  commitFollowsPreview: check(async (context) => {
    const { driver, timings } = context;
    const before = await snapshot(driver);
    const { plan, timing } = upgradeOf((await catalog(driver)).plans, timings);
    const request = planChange(plan, timing);
    const shown = await preview(driver, request);
    const result = await ok(
      await commit(context, { ...request, previewToken: shown.previewToken }, quoted(before.subscription.version)),
      ChangeResult,
      `commit of ${describeChange(request)}`,
    );
    const { subscription, invoice } = result;
    assert.notEqual(subscription.version, before.subscription.version, 'the version moves with a change');
    const now = await driver.subscription();
    assert.deepEqual(now, subscription, 'GET /v1/subscription answers the subscription the commit answered');

    if (timing === 'now') {
      assert.equal(subscription.plan.id, plan.id, 'a change made now: the subscription is on the new plan');
      if (shown.nextInvoice) {
        assert.ok(subscription.nextInvoice, 'the preview showed a next invoice: the subscription has one');
        assert.deepEqual(subscription.nextInvoice.total, shown.nextInvoice.total, 'the next invoice is the one the preview showed');
        assert.equal(Date.parse(subscription.nextInvoice.date), Date.parse(shown.nextInvoice.date), 'the next invoice’s date, as previewed');
      }
    } else {
      assert.equal(subscription.plan.id, before.subscription.plan.id, 'a change at the period end leaves the plan until then');
      assert.ok(
        subscription.scheduledChanges.some((change) => change.kind === 'plan_change' && change.toPlanId === plan.id),
        'a change at the period end is in scheduledChanges',
      );
    }

    const invoices = await driver.allInvoices();
    if (shown.dueNow.amountMinor > 0) {
      assert.ok(invoice, `the preview said ${shown.dueNow.amountMinor} is due now: the commit answers an invoice`);
      assert.deepEqual(invoice.total, shown.dueNow, 'the invoice’s total is what the preview said was due now');
    }
    if (invoice) {
      assert.ok(ids(invoices).includes(invoice.id), 'the invoice of the change is in the list');
      assertInvoiceFigures(await driver.read(`/v1/invoices/${encodeURIComponent(invoice.id)}`, Invoice), 'the invoice of the change');
      assert.equal(invoices.length, before.invoices.length + 1, 'one invoice more');
    } else {
      assert.deepEqual(ids(invoices), ids(before.invoices), 'no invoice: the list is as it was');
    }
  }),

  /** The same key and body twice: the same answer, replayed, one change. The same key with another body: 422. */
  idempotentCommits: check(async (context) => {
    const { driver, timings } = context;
    const before = await snapshot(driver);
    const { plans, modules } = await catalog(driver);
    const { module, timing } = activatableModule(modules, timings);
    const request = moduleActivation(module, timing);
    const key = context.key();
    const ifMatch = quoted(before.subscription.version);

    const first = await commit(context, request, ifMatch, { key });
    const firstBody = await ok(first, ChangeResult, `commit of ${describeChange(request)}`);
    assert.equal(first.headers.get('Idempotent-Replayed'), null, 'the first answer is not a replay');
    const afterFirst = await snapshot(driver);
    assert.notEqual(afterFirst.subscription.version, before.subscription.version, 'the version moves with a change');

    // The stored answer is replayed whatever If-Match now says (the contract's order).
    const second = await commit(context, request, ifMatch, { key });
    const secondBody = await ok(second, ChangeResult, 'the same commit, same key');
    assert.equal(second.headers.get('Idempotent-Replayed'), 'true', 'the second answer is marked Idempotent-Replayed');
    assert.deepEqual(secondBody, firstBody, 'the same key and body: the same answer');
    await assertUnchanged(driver, afterFirst, 'after the replay (one change, not two)');

    const { plan, timing: planTiming } = upgradeOf(plans, timings);
    const other = await commit(context, planChange(plan, planTiming), quoted(afterFirst.subscription.version), { key });
    const refused = await expectProblem(other, 422, 'the same key with another body', 'idempotency_key_reused');
    assert.equal(refused.retryable, false, 'idempotency_key_reused is not retryable');
    await assertUnchanged(driver, afterFirst, 'after the refused reuse of a key');
  }),

  /** A stale `If-Match` → 412 with the current subscription; none → 428; nothing changes. */
  versionPreconditions: check(async (context) => {
    const { driver, timings } = context;
    const initial = await driver.subscription();
    const { plans, modules } = await catalog(driver);
    const { module, timing } = activatableModule(modules, timings);
    await ok(await commit(context, moduleActivation(module, timing), quoted(initial.version)), ChangeResult, 'a first change');
    const before = await snapshot(driver);
    assert.notEqual(before.subscription.version, initial.version, 'the version moves with a change');

    const { plan, timing: planTiming } = upgradeOf(plans, timings);
    const request = planChange(plan, planTiming);
    for (const stale of [quoted(initial.version), initial.version]) {
      const conflict = await expectProblem(await commit(context, request, stale), 412, `commit with If-Match: ${stale} (stale)`, 'version_conflict');
      assert.ok(conflict.current, 'a 412 carries the current subscription');
      assert.deepEqual(conflict.current, before.subscription, 'a 412 carries the subscription as it is now');
    }
    await expectProblem(await commit(context, request, null), 428, 'commit without If-Match', 'precondition_required');
    await assertUnchanged(driver, before, 'after the refused commits');

    // The version the 412 named is accepted.
    await ok(await commit(context, request, quoted(before.subscription.version)), ChangeResult, 'commit with the current version');
  }),

  /** A change at the period end is listed in `scheduledChanges`; cancelling it takes it out; the plan stays. */
  scheduledChangeAndCancel: check(async (context) => {
    const { driver } = context;
    const before = await driver.subscription();
    const request = await periodEndChange(driver, driver.fixture.customers.subscribed);
    assert.ok(request, 'fixture: the subscribed customer needs a plan or a module that may change at the period end');
    const shown = await preview(driver, request);
    const { subscription, invoice } = await ok(
      await commit(context, { ...request, previewToken: shown.previewToken }, quoted(before.version)),
      ChangeResult,
      `commit of ${describeChange(request)}`,
    );
    if (invoice) assert.equal(invoice.total.amountMinor, 0, 'a change at the period end bills nothing now');
    const known = new Set(before.scheduledChanges.map((change) => change.id));
    const added = subscription.scheduledChanges.filter((change) => !known.has(change.id));
    assert.equal(added.length, 1, 'the change is one new entry of scheduledChanges');
    const scheduled = added[0]!;
    if (request.change.type === 'plan') {
      assert.equal(scheduled.kind, 'plan_change', 'a plan change');
      assert.equal(scheduled.toPlanId, request.change.planId, 'to the plan asked for');
      assert.equal(subscription.plan.id, before.plan.id, 'the plan stays until the period ends');
    } else {
      assert.equal(scheduled.kind, 'module_activation', 'a module activation');
      assert.equal(scheduled.moduleId, request.change.moduleId, 'of the module asked for');
      assert.ok(!subscription.activeModuleIds.includes(request.change.moduleId), 'the module is not active before the period ends');
    }
    assert.equal(Date.parse(scheduled.effectiveAt), Date.parse(shown.effectiveAt), 'effective when the preview said');
    assert.equal(scheduled.cancellable, true, 'a change the customer scheduled can be taken back');
    assert.notEqual(subscription.version, before.version, 'the version moves with a scheduled change');
    assert.deepEqual(await driver.subscription(), subscription, 'GET /v1/subscription lists the scheduled change');

    await expectProblem(await cancel(context, scheduled.id, quoted(before.version)), 412, 'cancel with a stale If-Match', 'version_conflict');
    const cancelled = await ok(await cancel(context, scheduled.id, quoted(subscription.version)), Subscription, 'cancel of the scheduled change');
    assert.ok(!cancelled.scheduledChanges.some((change) => change.id === scheduled.id), 'the cancelled change is gone');
    assert.deepEqual(
      cancelled.scheduledChanges.map((change) => change.id),
      before.scheduledChanges.map((change) => change.id),
      'the scheduled changes are as before',
    );
    assert.equal(cancelled.plan.id, before.plan.id, 'the plan is as before');
    assert.deepEqual(cancelled.activeModuleIds, before.activeModuleIds, 'the modules are as before');
    assert.notEqual(cancelled.version, subscription.version, 'the version moves with a cancel');
    assert.deepEqual(await driver.subscription(), cancelled, 'GET /v1/subscription no longer lists it');
    await expectProblem(await cancel(context, scheduled.id, quoted(cancelled.version)), 404, 'cancel of a change already cancelled', 'not_found');
  }),

  /** Pages of `limit`, newest first, each invoice once; the cursor leads to the next page and ends with `null`. */
  invoicePaging: check(async ({ driver }) => {
    const all = await driver.allInvoices();
    assert.ok(all.length >= 3, `fixture: the subscribed customer needs at least 3 invoices, has ${all.length}`);
    assert.equal(new Set(ids(all)).size, all.length, 'each invoice once in the list');
    for (let i = 1; i < all.length; i++) {
      assert.ok(Date.parse(all[i - 1]!.issuedAt) >= Date.parse(all[i]!.issuedAt), 'newest first');
    }
    const first = await driver.read('/v1/invoices?limit=1', InvoicePage);
    assert.equal(first.data.length, 1, 'limit=1: one invoice');
    assert.equal(first.data[0]?.id, all[0]?.id, 'limit=1: the newest');
    assert.ok(first.nextCursor, 'limit=1 with more invoices: a next cursor');
    const second = await driver.read(`/v1/invoices?limit=1&cursor=${encodeURIComponent(first.nextCursor)}`, InvoicePage);
    assert.deepEqual(ids(second.data), ids(all.slice(1, 2)), 'the cursor leads to the next invoice');
    for (const limit of new Set([1, 2, all.length - 1, all.length].map((n) => Math.min(n, 100)))) {
      assert.deepEqual(ids(await walkInvoices(driver, '', limit)), ids(all), `pages of ${limit}: every invoice once, in order`);
    }
    const whole = await driver.read(`/v1/invoices?limit=${Math.min(all.length, 100)}`, InvoicePage);
    if (all.length <= 100) assert.equal(whole.nextCursor, null, 'a page holding every invoice has no next cursor');
  }),

  /** `status`, `from` and `to` (alone, together, and while paging) select exactly what the full list says. */
  invoiceFilters: check(async ({ driver }) => {
    const all = await driver.allInvoices();
    const statuses = ['draft', 'open', 'paid', 'void', 'uncollectible'] as const;
    for (const status of statuses) {
      const expected = all.filter((invoice) => invoice.status === status);
      assert.deepEqual(ids(await walkInvoices(driver, `status=${status}`, 2)), ids(expected), `status=${status}`);
    }
    // Bounds between two issue instants, so that the test holds whether a bound is inclusive or not.
    const instants = [...new Set(all.map((invoice) => Date.parse(invoice.issuedAt)))].sort((a, b) => a - b);
    assert.ok(instants.length >= 3, 'fixture: the subscribed customer needs invoices issued at three instants or more');
    const between = (i: number) => new Date(Math.floor((instants[i]! + instants[i + 1]!) / 2));
    const from = between(0);
    const to = between(instants.length - 2);
    const inRange = (invoice: Invoice, low?: Date, high?: Date) =>
      (!low || Date.parse(invoice.issuedAt) > low.getTime()) && (!high || Date.parse(invoice.issuedAt) < high.getTime());
    const cases: [string, Invoice[]][] = [
      [`from=${from.toISOString()}`, all.filter((invoice) => inRange(invoice, from))],
      [`to=${to.toISOString()}`, all.filter((invoice) => inRange(invoice, undefined, to))],
      [`from=${from.toISOString()}&to=${to.toISOString()}`, all.filter((invoice) => inRange(invoice, from, to))],
      [
        `status=paid&from=${from.toISOString()}&to=${to.toISOString()}`,
        all.filter((invoice) => invoice.status === 'paid' && inRange(invoice, from, to)),
      ],
    ];
    for (const [query, expected] of cases) {
      assert.ok(expected.length < all.length, `${query} leaves some invoices out`);
      assert.deepEqual(ids(await walkInvoices(driver, query, 1)), ids(expected), `${query}, pages of 1`);
      assert.deepEqual(ids(await walkInvoices(driver, query, 100)), ids(expected), `${query}, one page`);
    }
  }),

  /** One customer can neither read nor change another's invoice, payment method or scheduled change: 404, nothing changes. */
  isolation: check(async (context) => {
    const { driver, timings } = context;
    const { subscribed, other } = driver.fixture.customers;
    assert.notEqual(subscribed, other, 'fixture: two different customers');

    // The other customer schedules a change of their own, when the engine has changes at the period end.
    let theirScheduled: string | null = null;
    if (timings.includes('period_end')) {
      const theirs = await driver.subscription(other);
      const request = await periodEndChange(driver, other);
      assert.ok(request, 'fixture: the other customer needs a plan or a module that may change at the period end');
      const { subscription } = await ok(
        await commit(context, request, quoted(theirs.version), { as: other }),
        ChangeResult,
        `the other customer's commit of ${describeChange(request)}`,
      );
      theirScheduled = subscription.scheduledChanges.find((change) => !theirs.scheduledChanges.some((c) => c.id === change.id))?.id ?? null;
      assert.ok(theirScheduled, 'the other customer’s change at the period end is scheduled');
    }

    const theirsBefore = await snapshot(driver, other);
    const mineBefore = await snapshot(driver, subscribed);
    const invoice = theirsBefore.invoices[0];
    const method = theirsBefore.paymentMethods[0];
    assert.ok(invoice, 'fixture: the other customer needs an invoice');
    assert.ok(method, 'fixture: the other customer needs a payment method');
    assert.ok(!ids(mineBefore.invoices).includes(invoice.id), 'one customer’s invoices are not in another’s list');
    assert.ok(!mineBefore.paymentMethods.some((m) => m.id === method.id), 'one customer’s payment methods are not in another’s list');

    const invoicePath = `/v1/invoices/${encodeURIComponent(invoice.id)}`;
    const methodPath = `/v1/payment-methods/${encodeURIComponent(method.id)}`;
    await expectProblem(await driver.send('GET', invoicePath), 404, `GET another customer's invoice`, 'not_found');
    await expectProblem(await driver.send('GET', `${invoicePath}/pdf`), 404, `GET another customer's invoice PDF`, 'not_found');
    await expectProblem(
      await driver.send('POST', `${methodPath}/default`, { headers: { 'Idempotency-Key': context.key() } }),
      404,
      `make another customer's payment method the default`,
      'not_found',
    );
    await expectProblem(
      await driver.send('DELETE', methodPath, { headers: { 'Idempotency-Key': context.key() } }),
      404,
      `remove another customer's payment method`,
      'not_found',
    );
    if (theirScheduled !== null) {
      await expectProblem(
        await cancel(context, theirScheduled, quoted(mineBefore.subscription.version)),
        404,
        `cancel another customer's scheduled change`,
        'not_found',
      );
    }
    await assertUnchanged(driver, theirsBefore, 'the other customer', other);
    await assertUnchanged(driver, mineBefore, 'the customer who asked', subscribed);
  }),

  /** Bad queries, bodies and headers → 4xx problem documents (400 with field errors where the input is malformed); nothing changes. */
  badInputChangesNothing: check(async (context) => {
    const { driver } = context;
    const before = await snapshot(driver);
    const ifMatch = quoted(before.subscription.version);
    const fieldsOf = async (response: Response, what: string) => {
      const body = await expectProblem(response, 400, what, 'validation_failed');
      assert.ok(body.fieldErrors && body.fieldErrors.length > 0, `${what}: fieldErrors say what is wrong`);
      return body.fieldErrors.map((error) => error.field);
    };
    const malformed = { timing: 'tomorrow', change: { type: 'plan' } };
    for (const [path, headers] of [
      [PREVIEW, {}],
      [CHANGES, { 'Idempotency-Key': context.key(), 'If-Match': ifMatch }],
    ] as const) {
      const fields = await fieldsOf(await driver.send('POST', path, { body: malformed, headers }), `POST ${path} with a malformed change`);
      assert.ok(fields.includes('body.timing'), `POST ${path}: a field error on body.timing, got ${fields.join(', ')}`);
      await fieldsOf(await driver.send('POST', path, { body: '{"timing": ', headers }), `POST ${path} with a body that is not JSON`);
    }
    const { plans, modules } = await catalog(driver);
    const request = upgradeOf(plans, context.timings);
    const fields = await fieldsOf(
      await driver.send('POST', CHANGES, { body: planChange(request.plan, request.timing), headers: { 'If-Match': ifMatch } }),
      'commit without Idempotency-Key',
    );
    assert.ok(fields.includes('header.Idempotency-Key'), `commit without Idempotency-Key: the field is named, got ${fields.join(', ')}`);

    for (const [query, field] of [
      ['limit=0', 'query.limit'],
      ['limit=100000', 'query.limit'],
      ['limit=two', 'query.limit'],
      ['status=settled', 'query.status'],
      ['from=yesterday', 'query.from'],
      ['to=2026-13-45', 'query.to'],
    ] as const) {
      const named = await fieldsOf(await driver.send('GET', `/v1/invoices?${query}`), `GET /v1/invoices?${query}`);
      assert.ok(named.includes(field), `GET /v1/invoices?${query}: a field error on ${field}, got ${named.join(', ')}`);
    }

    // Well formed, but naming what does not exist: refused by the engine, 4xx.
    const unknownPlan = { timing: request.timing, change: { type: 'plan', planId: 'conformance-no-such-plan' } };
    const unknownModule = { timing: request.timing, change: { type: 'module', moduleId: 'conformance-no-such-module', action: 'activate' } };
    for (const body of [unknownPlan, unknownModule]) {
      await expectProblem(await driver.send('POST', PREVIEW, { body }), [400, 404, 422], `preview of ${JSON.stringify(body.change)}`);
      await expectProblem(await commit(context, body, ifMatch), [400, 404, 422], `commit of ${JSON.stringify(body.change)}`);
    }
    const included = modules.find((module) => module.state === 'included');
    if (included) {
      const body = { timing: request.timing, change: { type: 'module', moduleId: included.id, action: 'deactivate' } };
      await expectProblem(await commit(context, body, ifMatch), [400, 422], `commit removing ${included.id}, included in the plan`);
    }
    await expectProblem(await cancel(context, 'conformance-no-such-change', ifMatch), 404, 'cancel of an unknown scheduled change', 'not_found');
    await expectProblem(await driver.send('GET', '/v1/invoices/conformance-no-such-invoice'), 404, 'an unknown invoice', 'not_found');
    await expectProblem(
      await driver.send('POST', '/v1/payment-methods/conformance-no-such-method/default', { headers: { 'Idempotency-Key': context.key() } }),
      404,
      'an unknown payment method',
      'not_found',
    );
    await assertUnchanged(driver, before, 'after the refused requests');
  }),
} satisfies Record<string, ConformanceCheck>;

export type ConformanceCheckName = keyof typeof conformanceChecks;

/** What each check is called in the test report. */
export const conformanceCheckTitles: Record<ConformanceCheckName, string> = {
  readSide: 'the read side: subscription, plans, modules, usage, payment methods, invoices with lines, PDF link; 401; 404 without a subscription',
  conditionalGet: 'strong ETags on every GET, the subscription’s starting with its version; If-None-Match → 304',
  previewsSumUp: 'previews add up: lines → dueNow, one currency, based on the version read, no side effect',
  commitFollowsPreview: 'a commit does what its preview said: new plan, next invoice, what was due now billed, version moved',
  idempotentCommits: 'idempotent commits: same key and body → the same answer replayed, one change; another body → 422',
  versionPreconditions: 'a stale If-Match → 412 with the current subscription; none → 428; nothing changes',
  scheduledChangeAndCancel: 'a change at the period end is scheduled, and cancelling it takes it out',
  invoicePaging: 'invoice pages: limit, cursor to the next page, newest first, every invoice once',
  invoiceFilters: 'invoice filters: status, from, to, alone and together, while paging',
  isolation: 'one customer cannot read or change another’s invoice, payment method or scheduled change (404)',
  badInputChangesNothing: 'bad input → 4xx problem+json with field errors, and nothing changes',
};
