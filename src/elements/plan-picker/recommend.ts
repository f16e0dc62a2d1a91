import type { Plan, UsageMetric } from '../../contract/index.js';

export type Recommendation = { direction: 'up' | 'down'; plan: Plan } | { direction: 'fits'; plan: null };

/** The plan's limit for a metric; a plan that sets none is unlimited for it. */
export const limitFor = (plan: Plan, metricKey: string): number | null =>
  plan.limits.find((limit) => limit.metricKey === metricKey)?.limit ?? null;

/** The metrics whose usage is above `plan`'s limit (not at it: reaching a limit is allowed). */
export const overLimits = (plan: Plan, usage: readonly UsageMetric[]): UsageMetric[] =>
  usage.filter((metric) => {
    const limit = limitFor(plan, metric.metricKey);
    return limit !== null && metric.used > limit;
  });

/**
 * The next step, one plan at a time as the help article advises: one plan up when a metric
 * is at or past its warning threshold on the current plan; one plan down when every metric
 * would stay below the warning threshold of the smaller plan; otherwise the plan fits.
 */
export function recommendPlan(plans: readonly Plan[], currentPlanId: string, usage: readonly UsageMetric[]): Recommendation {
  const byRank = [...plans].sort((a, b) => a.rank - b.rank);
  const index = byRank.findIndex((plan) => plan.id === currentPlanId);
  const current = byRank[index];
  if (!current) return { direction: 'fits', plan: null };
  const above = byRank[index + 1];
  const below = byRank[index - 1];
  const near = (plan: Plan, metric: UsageMetric) => {
    const limit = limitFor(plan, metric.metricKey);
    return limit !== null && metric.used >= limit * metric.warnAt;
  };
  if (above && usage.some((metric) => near(current, metric))) return { direction: 'up', plan: above };
  if (below && usage.every((metric) => !near(below, metric))) return { direction: 'down', plan: below };
  return { direction: 'fits', plan: null };
}
