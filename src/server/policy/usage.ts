/**
 * Usage weighed against a plan's limits: what a plan change's `usage_exceeds_new_limit`
 * warnings say, and what a plan recommendation reads (which plans the usage fits, which it
 * comes near). The usage is the engine's or the host's (`UsageMetric`s, from wherever they are
 * metered); the limits are the catalog's.
 */
import type { ChangeWarning, UsageMetric } from '../../contract/index.js';
import { planOf, type PolicyCatalog, type PolicyPlan } from './catalog.js';

/** A metric's use, as far as the limits look at it. */
export type MetricUse = Pick<UsageMetric, 'metricKey' | 'used'>;

/** A metric used beyond a plan's limit. */
export interface LimitExcess {
  metricKey: string;
  used: number;
  limit: number;
}

/** The plan's limit of `metricKey`; `null` when it has none (unlimited). */
export function limitOf(plan: PolicyPlan, metricKey: string): number | null {
  return plan.limits?.find((entry) => entry.metricKey === metricKey)?.limit ?? null;
}

/** The metrics used beyond `plan`'s limits (not at them: reaching a limit is allowed), in `usage`'s order. */
export function usageBeyondLimits(plan: PolicyPlan, usage: readonly MetricUse[]): LimitExcess[] {
  const excesses: LimitExcess[] = [];
  for (const { metricKey, used } of usage) {
    const limit = limitOf(plan, metricKey);
    if (limit !== null && used > limit) excesses.push({ metricKey, used, limit });
  }
  return excesses;
}

/**
 * The metrics at or past their warning threshold (`warnAt`, a share of the limit) on `plan`:
 * what moves a recommendation one plan up, or keeps it from going one plan down.
 */
export function usageNearLimits(plan: PolicyPlan, usage: readonly Pick<UsageMetric, 'metricKey' | 'used' | 'warnAt'>[]): string[] {
  return usage
    .filter(({ metricKey, used, warnAt }) => {
      const limit = limitOf(plan, metricKey);
      return limit !== null && used >= limit * warnAt;
    })
    .map(({ metricKey }) => metricKey);
}

/** The `usage_exceeds_new_limit` warnings of a change to the plan `planId` (throws a `RangeError` for an unknown plan). */
export function limitWarnings(catalog: PolicyCatalog, planId: string, usage: readonly MetricUse[]): ChangeWarning[] {
  return usageBeyondLimits(planOf(catalog, planId), usage).map(({ metricKey, used, limit }) => ({
    code: 'usage_exceeds_new_limit',
    metricKey,
    used,
    limit,
  }));
}
