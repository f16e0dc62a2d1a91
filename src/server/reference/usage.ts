/**
 * Metered usage: the host reports it (`recordUsage`), the customer reads it against the
 * limits of their plan.
 *
 * Limits are monthly quotas whatever the billing interval: a `period` metric counts per month
 * from the day the subscription started (`started_at`, which no change moves), so switching
 * to yearly billing, or to another plan, keeps the month's count against the new limits.
 * `stock` metrics (clients kept) never reset.
 */
import type { Database } from 'better-sqlite3';
import type { UsageMetric } from '../../contract/index.js';
import type { Account } from './account.js';
import type { ChangeStamp } from './change-stamp.js';
import type { Clock } from './clock.js';
import { monthContaining, toInstant } from './core/dates.js';
import type { Wording } from './core/texts.js';

interface MetricRow {
  key: string;
  name: string;
  unit: string;
  kind: 'period' | 'stock';
  warn_at: number;
  limit_value: number | null;
}

/** The `usage.period_start` of stock metrics, which never reset. */
export const STOCK_PERIOD = 0;

export interface Usage {
  /** Metric names in `wording`'s language. */
  list(account: Account, wording: Wording): UsageMetric[];
  /** What each metric counts now, for the change rules' limit warnings: `list` without its copies. */
  counts(account: Account, wording: Wording): readonly Pick<UsageMetric, 'metricKey' | 'used'>[];
  record(customerId: string, metricKey: string, quantity: number): void;
}

export function createUsage(db: Database, clock: Clock, stamp: ChangeStamp): Usage {
  // The metrics as last read per customer, until the database changes or the month turns:
  // a plan change preview reads them for its warnings, and the usage meter polls them.
  const recent = new Map<string, { key: string; wording: Wording; metrics: Omit<UsageMetric, 'asOf'>[] }>();
  const limitedMetrics = db.prepare<[string], MetricRow>(`
    SELECT m.key, m.name, m.unit, m.kind, m.warn_at, l.limit_value
    FROM plan_limits l JOIN metrics m ON m.key = l.metric_key
    WHERE l.plan_id = ? ORDER BY m.position, m.key`);
  const used = db
    .prepare<[string, string, number], number>(
      'SELECT quantity FROM usage WHERE customer_id = ? AND metric_key = ? AND period_start = ?',
    )
    .pluck();
  const metricKind = db.prepare<[string], MetricRow['kind']>('SELECT kind FROM metrics WHERE key = ?').pluck();
  const subscriptionStart = db.prepare<[string], { start: number | null }>(`
    SELECT s.started_at AS start
    FROM customers c LEFT JOIN subscriptions s ON s.customer_id = c.id WHERE c.id = ?`);
  const add = db.prepare<[string, string, number, number, number]>(`
    INSERT INTO usage (customer_id, metric_key, period_start, quantity, updated_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (customer_id, metric_key, period_start)
    DO UPDATE SET quantity = quantity + excluded.quantity, updated_at = excluded.updated_at`);

  /** The metrics of `account`'s plan as they are now, read again only when the key changes. */
  function current({ customer, subscription }: Account, wording: Wording, now: number): readonly Omit<UsageMetric, 'asOf'>[] {
    if (subscription === null) return [];
    const month = monthContaining(subscription.started_at, now);
    const key = `${subscription.plan_id}|${subscription.started_at}|${month.start}|${stamp()}`;
    let kept = recent.get(customer.id);
    if (kept?.key !== key || kept.wording !== wording) {
      const metrics = limitedMetrics.all(subscription.plan_id).map((m) => {
        const stock = m.kind === 'stock';
        const periodStart = stock ? STOCK_PERIOD : month.start;
        return {
          metricKey: m.key,
          name: wording.name('metric', m.key, m.name),
          unit: m.unit,
          // A stock can be reported down past zero by a confused host; never show that.
          used: Math.max(0, used.get(customer.id, m.key, periodStart) ?? 0),
          limit: m.limit_value,
          warnAt: m.warn_at,
          periodStart: toInstant(stock ? subscription.started_at : month.start),
          resetsAt: stock ? null : toInstant(month.end),
        };
      });
      if (recent.size >= 1024) recent.clear();
      kept = { key, wording, metrics };
      recent.set(customer.id, kept);
    }
    return kept.metrics;
  }

  return {
    list(account, wording) {
      const now = clock.now().getTime();
      const asOf = toInstant(now);
      return current(account, wording, now).map((metric) => ({ ...metric, asOf }));
    },

    counts: (account, wording) => current(account, wording, clock.now().getTime()),

    record(customerId, metricKey, quantity) {
      const kind = metricKind.get(metricKey);
      if (kind === undefined) throw new RangeError(`Unknown metric "${metricKey}".`);
      if (!Number.isSafeInteger(quantity)) throw new RangeError(`Usage must be a whole number, got ${quantity}.`);
      const subscription = subscriptionStart.get(customerId);
      if (subscription === undefined) throw new RangeError(`Unknown customer "${customerId}".`);
      const now = clock.now().getTime();
      let periodStart = STOCK_PERIOD;
      if (kind === 'period') {
        if (quantity < 0) throw new RangeError(`"${metricKey}" counts what happens in a period: it only goes up.`);
        if (subscription.start === null) {
          throw new RangeError(`Customer "${customerId}" has no subscription period to count "${metricKey}" in.`);
        }
        periodStart = monthContaining(subscription.start, now).start;
      }
      add.run(customerId, metricKey, periodStart, quantity, now);
    },
  };
}
