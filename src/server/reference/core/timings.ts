/**
 * When a change may take effect: the direction and timings of a plan change, and the timings
 * of a module's activation and deactivation. The same rules describe the catalog (`Plan.change`,
 * `Module.allowedTimings`) and check a requested change (change-rules.ts).
 */
import type { Module, Plan, Timing } from '../../../contract/index.js';
import type { Holding, PendingChange } from './holding.js';
import type { Offer } from './offer.js';

const BOTH_TIMINGS: Timing[] = ['now', 'period_end'];

interface Ranked {
  id: string;
  rank: number;
}

/**
 * Upgrades take effect now by default (the customer wants the bigger plan), downgrades at
 * the end of the paid period (they keep what they paid for); both timings are offered.
 * Without a subscription every plan is a start, and a start happens now.
 */
export function planChange(target: Ranked, current: Ranked | null): Plan['change'] {
  if (current === null) return { direction: 'upgrade', allowedTimings: ['now'], defaultTiming: 'now' };
  if (target.id === current.id) return { direction: 'current', allowedTimings: [], defaultTiming: null };
  if (target.rank > current.rank) return { direction: 'upgrade', allowedTimings: BOTH_TIMINGS, defaultTiming: 'now' };
  if (target.rank < current.rank) {
    return { direction: 'downgrade', allowedTimings: BOTH_TIMINGS, defaultTiming: 'period_end' };
  }
  return { direction: 'lateral', allowedTimings: BOTH_TIMINGS, defaultTiming: 'now' };
}

/** `change` once its period-end timing is taken (by a change already scheduled). */
function withoutPeriodEnd(change: Plan['change']): Plan['change'] {
  const allowedTimings = change.allowedTimings.filter((timing) => timing !== 'period_end');
  return { ...change, allowedTimings, defaultTiming: allowedTimings[0] ?? null };
}

/**
 * `Plan.change` of the plan `planId` for a subscription that holds `holding` (`null`: none)
 * with `pending` changes. Choosing again, for the period end, the plan change already
 * scheduled is no change: that timing is not offered (change-rules.ts refuses it too).
 */
export function offeredPlanChange(
  offer: Offer,
  holding: Holding | null,
  pending: readonly PendingChange[],
  planId: string,
): Plan['change'] {
  const target = offer.plans.get(planId);
  if (!target) throw new RangeError(`Unknown plan "${planId}".`);
  const current = holding && (offer.plans.get(holding.planId) ?? { id: holding.planId, rank: 0 });
  const change = planChange(target, current);
  const scheduled = pending.find((p) => p.change.type === 'plan' && p.change.interval === holding?.interval)?.change;
  return scheduled?.type === 'plan' && scheduled.planId === planId ? withoutPeriodEnd(change) : change;
}

/**
 * Timings of a plan change, the switch between monthly and yearly on the same plan included
 * (its `Plan.change` says `current`, with no timing, as it describes the plan, not the interval).
 */
export function planChangeTimings(target: Ranked, current: Ranked): Timing[] {
  return target.id === current.id ? BOTH_TIMINGS : planChange(target, current).allowedTimings;
}

/**
 * A paid module starts now (there is nothing to wait for) and may stop now or at the end of
 * the paid period; a module the plan includes comes and goes with the plan.
 */
export function moduleTimings(included: boolean, deactivationScheduled: boolean): Module['allowedTimings'] {
  if (included) return { activate: [], deactivate: [] };
  return { activate: ['now'], deactivate: deactivationScheduled ? ['now'] : BOTH_TIMINGS };
}
