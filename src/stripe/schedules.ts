/**
 * Changes at the end of the period: a Subscription Schedule made from the subscription
 * (`subscriptionSchedules.create({ from_subscription })`) whose second phase, from the period
 * end, holds the new items; taking the change back releases the schedule
 * (`subscriptionSchedules.release`), leaving the subscription as it is. One change at a time:
 * a second one waits until the first is taken back or has happened.
 */
import type Stripe from 'stripe';
import type { Interval, ScheduledChange } from '../contract/index.js';
import { priceAt, type LoadedCatalog, type StripeCatalog } from './catalog.js';
import type { CurrentSubscription } from './changes.js';
import { instant } from './invoices.js';
import { validateChange, type ChangeDecision } from './policy.js';

/** What the schedule's phase from the period end makes of the subscription. */
export interface NextPhase {
  schedule: Stripe.SubscriptionSchedule;
  planId: string;
  interval: Interval;
  moduleIds: string[];
}

/** The phase of `schedule` that starts at the period end, read as plan and modules; `null` if none. */
export function nextPhaseOf(schedule: Stripe.SubscriptionSchedule | null, periodEnd: number, catalog: LoadedCatalog): NextPhase | null {
  if (!schedule || (schedule.status !== 'active' && schedule.status !== 'not_started')) return null;
  const phase = schedule.phases.find((entry) => entry.start_date === periodEnd);
  if (!phase) return null;
  let plan: { id: string; interval: Interval } | null = null;
  const moduleIds: string[] = [];
  for (const item of phase.items) {
    const priceId = typeof item.price === 'string' ? item.price : item.price.id;
    const known = catalog.byPrice.get(priceId);
    if (known?.kind === 'plan') plan = { id: known.id, interval: known.price.interval };
    else if (known?.kind === 'module') moduleIds.push(known.id);
  }
  if (!plan) throw new Error(`Stripe subscription schedule ${schedule.id}: its next phase has no plan's Price of the catalog`);
  return { schedule, planId: plan.id, interval: plan.interval, moduleIds };
}

/**
 * The scheduled changes the next phase amounts to: a plan change (with the module changes it
 * brings by itself), module activations and deactivations. Only a schedule holding one change
 * can be taken back here: releasing it takes back everything in it.
 */
export function scheduledChangesOf(config: StripeCatalog, current: CurrentSubscription, next: NextPhase | null): ScheduledChange[] {
  if (!next) return [];
  const effectiveAt = instant(current.periodEnd);
  const id = next.schedule.id;
  const changes: ScheduledChange[] = [];
  let expectedModules = current.moduleIds;
  if (next.planId !== current.planId || next.interval !== current.interval) {
    changes.push({ id: `${id}.plan`, kind: 'plan_change', effectiveAt, toPlanId: next.planId, toInterval: next.interval, cancellable: true });
    try {
      const decision = validateChange(config, current, { timing: 'period_end', change: { type: 'plan', planId: next.planId, interval: next.interval } });
      expectedModules = decision.moduleIds;
    } catch {
      // A phase the rules would not have made (the Dashboard): every module difference is listed.
    }
  }
  for (const moduleId of next.moduleIds) {
    if (!expectedModules.includes(moduleId)) changes.push({ id: `${id}.activate.${moduleId}`, kind: 'module_activation', effectiveAt, moduleId, cancellable: true });
  }
  for (const moduleId of expectedModules) {
    if (!next.moduleIds.includes(moduleId)) changes.push({ id: `${id}.deactivate.${moduleId}`, kind: 'module_deactivation', effectiveAt, moduleId, cancellable: true });
  }
  const cancellable = changes.length === 1;
  return changes.map((change) => ({ ...change, cancellable }));
}

/** The end of a period of `interval` from `start` (Unix seconds, UTC calendar). */
export function addInterval(start: number, interval: Interval): number {
  const date = new Date(start * 1000);
  if (interval === 'month') date.setUTCMonth(date.getUTCMonth() + 1);
  else date.setUTCFullYear(date.getUTCFullYear() + 1);
  return Math.floor(date.getTime() / 1000);
}

/** The Prices of the configuration a decision leads to. */
export function priceIdsOf(catalog: LoadedCatalog, decision: Pick<ChangeDecision, 'planId' | 'interval' | 'moduleIds'>): string[] {
  const entries = [catalog.plans.get(decision.planId), ...decision.moduleIds.map((id) => catalog.modules.get(id))];
  return entries.map((entry) => {
    const price = entry ? priceAt(entry, decision.interval) : undefined;
    if (!price) throw new Error(`Stripe catalog: ${entry?.id ?? '?'} has no Price per ${decision.interval}`);
    return price.priceId;
  });
}

/** Schedules `decision` from the period end: the schedule is made from the subscription if it has none. */
export async function scheduleAtPeriodEnd(
  stripe: Stripe,
  catalog: LoadedCatalog,
  current: CurrentSubscription & { schedule: Stripe.SubscriptionSchedule | null },
  decision: ChangeDecision,
  idempotencyKey: string,
): Promise<void> {
  const schedule =
    current.schedule ?? (await stripe.subscriptionSchedules.create({ from_subscription: current.stripe.id }, { idempotencyKey: `${idempotencyKey}-schedule` }));
  const currentPrices = current.stripe.items.data.map((item) => ({ price: item.price.id, quantity: item.quantity ?? 1 }));
  const startOfCurrent = schedule.phases[0]?.start_date ?? current.periodStart;
  await stripe.subscriptionSchedules.update(
    schedule.id,
    {
      end_behavior: 'release',
      proration_behavior: 'none',
      phases: [
        { items: currentPrices, start_date: startOfCurrent, end_date: current.periodEnd },
        {
          items: priceIdsOf(catalog, decision).map((price) => ({ price, quantity: 1 })),
          start_date: current.periodEnd,
          end_date: addInterval(current.periodEnd, decision.interval),
        },
      ],
    },
    { idempotencyKey },
  );
}
