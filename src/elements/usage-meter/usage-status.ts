import type { UsageMetric } from '../../contract/index.js';

export type UsageStatus = 'ok' | 'warning' | 'reached' | 'over' | 'unlimited';

/** Where a metric stands against its limit; the warning starts at `warnAt` (default 80 %). */
export function usageStatus({ used, limit, warnAt }: Pick<UsageMetric, 'used' | 'limit' | 'warnAt'>): UsageStatus {
  if (limit === null) return 'unlimited';
  if (used > limit) return 'over';
  if (used === limit) return 'reached';
  return used >= limit * warnAt ? 'warning' : 'ok';
}

/** Share of the limit used (0 for unlimited; 1 for a zero limit already hit). */
export function usageRatio({ used, limit }: Pick<UsageMetric, 'used' | 'limit'>): number {
  if (limit === null) return 0;
  if (limit === 0) return used > 0 ? Infinity : 1;
  return used / limit;
}

/** Past this horizon a forecast of a stock metric says nothing useful. */
const FORECAST_HORIZON_MS = 365 * 24 * 3600 * 1000;

/**
 * When the limit will be reached if usage keeps the pace it had since `periodStart`:
 * a date, `'within-limit'` when the reset comes first, or `null` when there is nothing
 * useful to say (unlimited, already reached, no pace yet, or a stock metric that would
 * take more than a year to fill).
 */
export function forecastLimit(metric: UsageMetric): Date | 'within-limit' | null {
  const { used, limit } = metric;
  if (limit === null || used >= limit || used <= 0) return null;
  const asOf = Date.parse(metric.asOf);
  const elapsed = asOf - Date.parse(metric.periodStart);
  if (!(elapsed > 0)) return null;
  const reachedAt = asOf + ((limit - used) * elapsed) / used;
  if (metric.resetsAt === null) return reachedAt < asOf + FORECAST_HORIZON_MS ? new Date(reachedAt) : null;
  return reachedAt >= Date.parse(metric.resetsAt) ? 'within-limit' : new Date(reachedAt);
}
