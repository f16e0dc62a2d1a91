/**
 * The conformance fixture in a real Stripe test-mode account: for each check a test clock
 * with three customers (a subscribed one with a module and two months of paid renewals, another
 * subscribed one, one without a subscription), each with the test card `pm_card_visa` as
 * default; the engine's clock is the test clock's time. Deleting the test clock deletes its
 * customers and their subscriptions: that is the clean-up. Needs the network: run by
 * `npm run test:stripe-live` only.
 */
import Stripe from 'stripe';
import type { ConformanceFixture } from '../../src/server/testing/index.js';
import { createStripeEngine, type StripeCatalog } from '../../src/stripe/index.js';

/** The name of every test clock these tests make, followed by the run's id. */
export const CLOCK_PREFIX = 'billing-elements conformance';
/** A test clock of an earlier run older than this is swept. */
const STALE_MS = 2 * 3_600_000;
const DAY = 86_400;

export function liveClient(key: string): Stripe {
  return new Stripe(key, { maxNetworkRetries: 3, appInfo: { name: 'billing-elements conformance' } });
}

function addMonths(seconds: number, months: number): number {
  const date = new Date(seconds * 1000);
  date.setUTCMonth(date.getUTCMonth() + months);
  return Math.floor(date.getTime() / 1000);
}

/** Moves the clock and waits until Stripe has run everything due (renewals, payments). */
async function advance(stripe: Stripe, clockId: string, to: number): Promise<Stripe.TestHelpers.TestClock> {
  await stripe.testHelpers.testClocks.advance(clockId, { frozen_time: to });
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    const clock = await stripe.testHelpers.testClocks.retrieve(clockId);
    if (clock.status === 'ready') return clock;
    if (clock.status === 'internal_failure') throw new Error(`test clock ${clockId} failed to advance`);
    if (Date.now() > deadline) throw new Error(`test clock ${clockId} still ${clock.status} after 5 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

/** The plan to subscribe to (one with a plan above it, to upgrade to) and a module to add, from any catalog. */
function choose(catalog: StripeCatalog): { plan: string; module: string | undefined; otherPlan: string } {
  const monthly = [...catalog.plans].filter((plan) => plan.prices.month !== undefined).sort((a, b) => a.rank - b.rank);
  if (monthly.length < 2) throw new Error('the live conformance run needs two plans or more sold monthly');
  const plan = monthly[monthly.length - 2]!;
  const candidates = catalog.modules.filter(
    (module) =>
      module.prices.month !== undefined &&
      module.forSale !== false &&
      !module.requires?.anyOfPlans?.length &&
      !module.requires?.allOfModules?.length &&
      !(plan.includedModuleIds ?? []).includes(module.id),
  );
  // Add one only when another stays to be activated by the checks.
  return { plan: plan.prices.month!, module: candidates.length >= 2 ? candidates[0]!.prices.month : undefined, otherPlan: monthly[0]!.prices.month! };
}

export async function liveFixture(stripe: Stripe, catalog: StripeCatalog, runId: string): Promise<ConformanceFixture> {
  const chosen = choose(catalog);
  const start = Math.floor(Date.now() / 1000 / 60) * 60;
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: start, name: `${CLOCK_PREFIX} ${runId}` });
  try {
    const customer = async (name: string) => {
      const created = await stripe.customers.create({ name, test_clock: clock.id, metadata: { billing_elements_conformance: runId } });
      const method = await stripe.paymentMethods.attach('pm_card_visa', { customer: created.id });
      await stripe.customers.update(created.id, { invoice_settings: { default_payment_method: method.id } });
      return created.id;
    };
    const subscribed = await customer('Conformance: subscribed');
    const other = await customer('Conformance: other');
    const withoutSubscription = await customer('Conformance: no subscription');
    await stripe.subscriptions.create({
      customer: subscribed,
      items: [{ price: chosen.plan }, ...(chosen.module ? [{ price: chosen.module }] : [])],
    });
    await stripe.subscriptions.create({ customer: other, items: [{ price: chosen.otherPlan }] });
    // Two renewals, each a month apart and paid (Stripe finalizes an invoice an hour after it is made).
    await advance(stripe, clock.id, addMonths(start, 1) + 2 * DAY);
    const ready = await advance(stripe, clock.id, addMonths(start, 2) + 2 * DAY);
    const now = new Date(ready.frozen_time * 1000);
    return {
      engine: createStripeEngine({ stripe, catalog, now: () => now }),
      customers: { subscribed, other, withoutSubscription },
      now,
      teardown: async () => {
        await stripe.testHelpers.testClocks.del(clock.id);
      },
    };
  } catch (error) {
    await stripe.testHelpers.testClocks.del(clock.id).catch(() => {});
    throw error;
  }
}

/** Deletes this run's test clocks, and those of earlier runs older than two hours. */
export async function sweepTestClocks(key: string, runId?: string): Promise<number> {
  const stripe = liveClient(key);
  let deleted = 0;
  for await (const clock of stripe.testHelpers.testClocks.list({ limit: 100 })) {
    if (!clock.name?.startsWith(CLOCK_PREFIX)) continue;
    const mine = runId !== undefined && clock.name === `${CLOCK_PREFIX} ${runId}`;
    if (!mine && Date.now() - clock.created * 1000 < STALE_MS) continue;
    await stripe.testHelpers.testClocks.del(clock.id);
    deleted += 1;
  }
  return deleted;
}
