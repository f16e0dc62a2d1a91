/**
 * The writes that change a subscription. Callers run them inside one transaction with the
 * rest of the change (see changes.ts and rollover.ts).
 */
import type { Database } from 'better-sqlite3';
import type { Holding } from './core/holding.js';
import type { Span } from './core/proration.js';

export interface SubscriptionWrites {
  /** Stores what `holding` holds: plan, interval and paid modules (new ones activated at `at`). */
  hold(subscriptionId: string, holding: Holding, at: number): void;
  setPeriod(subscriptionId: string, period: Span, anchor: number): void;
  /** Every change bumps the version the ETag and If-Match carry. */
  bumpVersion(subscriptionId: string): void;
  setCreditBalance(customerId: string, balanceMinor: number): void;
  setStatus(subscriptionId: string, status: 'active' | 'past_due'): void;
}

export function createSubscriptionWrites(db: Database): SubscriptionWrites {
  const setPlan = db.prepare<[string, string, string]>('UPDATE subscriptions SET plan_id = ?, interval = ? WHERE id = ?');
  const modules = db.prepare<[string], string>('SELECT module_id FROM subscription_modules WHERE subscription_id = ?').pluck();
  const addModule = db.prepare<[string, string, number]>(
    'INSERT INTO subscription_modules (subscription_id, module_id, activated_at) VALUES (?, ?, ?)',
  );
  const removeModule = db.prepare<[string, string]>(
    'DELETE FROM subscription_modules WHERE subscription_id = ? AND module_id = ?',
  );
  const setPeriod = db.prepare<[number, number, number, string]>(
    'UPDATE subscriptions SET current_period_start = ?, current_period_end = ?, billing_anchor = ? WHERE id = ?',
  );
  const bumpVersion = db.prepare<[string]>('UPDATE subscriptions SET version = version + 1 WHERE id = ?');
  const setCreditBalance = db.prepare<[number, string]>('UPDATE customers SET credit_balance_minor = ? WHERE id = ?');
  const setStatus = db.prepare<[string, string]>('UPDATE subscriptions SET status = ? WHERE id = ?');

  return {
    hold(subscriptionId, holding, at) {
      setPlan.run(holding.planId, holding.interval, subscriptionId);
      const stored = modules.all(subscriptionId);
      for (const id of stored) if (!holding.paidModuleIds.includes(id)) removeModule.run(subscriptionId, id);
      for (const id of holding.paidModuleIds) if (!stored.includes(id)) addModule.run(subscriptionId, id, at);
    },
    setPeriod: (subscriptionId, period, anchor) => void setPeriod.run(period.start, period.end, anchor, subscriptionId),
    bumpVersion: (subscriptionId) => void bumpVersion.run(subscriptionId),
    setCreditBalance: (customerId, balanceMinor) => void setCreditBalance.run(balanceMinor, customerId),
    setStatus: (subscriptionId, status) => void setStatus.run(status, subscriptionId),
  };
}
