/**
 * When a change may take effect: the direction and timings of a plan change, and the timings
 * of a module's activation and deactivation. The same rules describe the catalog (`Plan.change`,
 * `Module.allowedTimings`) and check a requested change (change-rules.ts). The rules are the
 * shared policy helpers' (src/server/policy/), at the reference engine's timings.
 */
import type { Module, Plan, Timing } from '../../../contract/index.js';
import * as policy from '../../policy/plans.js';
import { moduleTimings as sharedModuleTimings } from '../../policy/modules.js';
import { modulesInEffect, type Holding, type PendingChange } from './holding.js';
import type { Offer } from './offer.js';
import { policyCatalogOf, policySubscriptionOf, REFERENCE_TIMINGS } from './policy-catalog.js';

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
  return policy.planChange(target, current, REFERENCE_TIMINGS);
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
  const subscription = holding && policySubscriptionOf(holding, modulesInEffect(offer, holding), pending);
  return policy.offeredPlanChange(policyCatalogOf(offer), subscription, planId, REFERENCE_TIMINGS);
}

/**
 * Timings of a plan change, the switch between monthly and yearly on the same plan included
 * (its `Plan.change` says `current`, with no timing, as it describes the plan, not the interval).
 */
export function planChangeTimings(target: Ranked, current: Ranked): Timing[] {
  return policy.planChangeTimings(target, current, REFERENCE_TIMINGS);
}

/**
 * A paid module starts now (there is nothing to wait for) and may stop now or at the end of
 * the paid period; a module the plan includes comes and goes with the plan.
 */
export function moduleTimings(included: boolean, deactivationScheduled: boolean): Module['allowedTimings'] {
  return sharedModuleTimings(included, deactivationScheduled, REFERENCE_TIMINGS);
}
