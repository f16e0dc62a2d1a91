/**
 * How a plan relates to the subscription's, and when moving to it may take effect:
 * `Plan.change` (direction, allowed timings, default timing), and the timings a requested plan
 * change may have.
 */
import type { Plan, Timing } from '../../contract/index.js';
import { indexOf, planOf, type EngineTimings, type PolicyCatalog, type PolicySubscription } from './catalog.js';

export type PlanDirection = Plan['change']['direction'];

/** What a plan's direction is decided on. */
export interface Ranked {
  id: string;
  rank: number;
}

/** `current` for the subscription's own plan, else by rank; every plan is an upgrade without a subscription. */
export function planDirection(target: Ranked, current: Ranked | null): PlanDirection {
  if (current === null) return 'upgrade';
  if (target.id === current.id) return 'current';
  if (target.rank > current.rank) return 'upgrade';
  return target.rank < current.rank ? 'downgrade' : 'lateral';
}

/**
 * The timing a change of `direction` defaults to among `allowed`: a downgrade waits for the
 * end of the paid period (the customer keeps what they paid for), anything else happens now;
 * when that one is not allowed, the first allowed; `null` when none is.
 */
export function defaultTiming(direction: PlanDirection, allowed: readonly Timing[]): Timing | null {
  const preferred: Timing = direction === 'downgrade' ? 'period_end' : 'now';
  return allowed.includes(preferred) ? preferred : (allowed[0] ?? null);
}

/**
 * `Plan.change` of `target` against the subscription's plan `current` (`null`: no
 * subscription), without the scheduled changes (see `offeredPlanChange`). The current plan
 * offers no timing; without a subscription every plan is a start, and a start happens now.
 */
export function planChange(target: Ranked, current: Ranked | null, timings: EngineTimings): Plan['change'] {
  const direction = planDirection(target, current);
  const allowedTimings =
    current === null ? timings.plan.filter((timing) => timing === 'now') : direction === 'current' ? [] : [...timings.plan];
  return { direction, allowedTimings, defaultTiming: defaultTiming(direction, allowedTimings) };
}

/**
 * `Plan.change` of the plan `planId` for `subscription` (`null`: none). Choosing again, for
 * the period end, the plan change already scheduled (at the subscription's interval) is no
 * change: that timing is not offered. A subscription's plan missing from the catalog ranks 0.
 * Throws a `RangeError` for a plan the catalog does not have.
 */
export function offeredPlanChange(
  catalog: PolicyCatalog,
  subscription: PolicySubscription | null,
  planId: string,
  timings: EngineTimings,
): Plan['change'] {
  const target = planOf(catalog, planId);
  if (subscription === null) return planChange(target, null, timings);
  const current = indexOf(catalog).plans.get(subscription.planId) ?? { id: subscription.planId, rank: 0 };
  const change = planChange(target, current, timings);
  const scheduled = subscription.scheduledChanges?.find(
    (entry) => entry.kind === 'plan_change' && entry.toInterval === subscription.interval,
  );
  if (scheduled?.toPlanId !== planId) return change;
  const allowedTimings = change.allowedTimings.filter((timing) => timing !== 'period_end');
  return { ...change, allowedTimings, defaultTiming: defaultTiming(change.direction, allowedTimings) };
}

/**
 * The timings a requested plan change from `current` to `target` may have, the switch between
 * monthly and yearly on the same plan included (its `Plan.change` says `current`, with no
 * timing, as it describes the plan, not the interval).
 */
export function planChangeTimings(target: Ranked, current: Ranked, timings: EngineTimings): Timing[] {
  return target.id === current.id ? [...timings.plan] : planChange(target, current, timings).allowedTimings;
}
