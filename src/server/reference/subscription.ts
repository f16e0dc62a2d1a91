/**
 * The subscription as the contract shows it, with the invoice its next renewal would issue.
 */
import type { Database } from 'better-sqlite3';
import type { InvoiceLine, Permissions, Subscription } from '../../contract/index.js';
import type { Account, SubscriptionRow } from './account.js';
import { nextPeriodEnd, toInstant } from './dates.js';

const OWNER: Permissions = { changePlan: true, manageModules: true, managePaymentMethods: true, viewInvoices: true };
const READ_ONLY: Permissions = { changePlan: false, manageModules: false, managePaymentMethods: false, viewInvoices: true };

/** Statuses that renew; a paused or canceled subscription has no next invoice. */
const RENEWING = new Set<Subscription['status']>(['trialing', 'active', 'past_due']);

interface PricedRow {
  id: string;
  name: string;
  amount_minor: number | null;
}

export type SubscriptionReader = (account: Account) => Subscription | null;

export function createSubscriptionReader(db: Database): SubscriptionReader {
  const planPrice = db.prepare<[string, string, string], PricedRow>(`
    SELECT p.id, p.name, pp.amount_minor FROM plans p
    LEFT JOIN plan_prices pp ON pp.plan_id = p.id AND pp.interval = ? AND pp.currency = ?
    WHERE p.id = ?`);
  // Modules the plan includes cost nothing and get no line.
  const paidModules = db.prepare<[string, string, string, string], PricedRow>(`
    SELECT m.id, m.name, mp.amount_minor FROM subscription_modules sm
    JOIN modules m ON m.id = sm.module_id
    LEFT JOIN module_prices mp ON mp.module_id = m.id AND mp.interval = ? AND mp.currency = ?
    WHERE sm.subscription_id = ?
      AND m.id NOT IN (SELECT module_id FROM plan_included_modules WHERE plan_id = ?)
    ORDER BY m.position, m.id`);

  function nextInvoice(sub: SubscriptionRow, currency: string): Subscription['nextInvoice'] {
    if (!RENEWING.has(sub.status)) return null;
    const periodStart = toInstant(sub.current_period_end);
    const periodEnd = toInstant(nextPeriodEnd(sub.billing_anchor, sub.current_period_end, sub.interval));
    const plan = planPrice.get(sub.interval, currency, sub.plan_id);
    if (plan?.amount_minor == null) {
      throw new Error(`Plan ${sub.plan_id} has no ${sub.interval}ly price in ${currency}.`);
    }
    const lines: InvoiceLine[] = [
      {
        description: plan.name,
        amount: { amountMinor: plan.amount_minor, currency },
        kind: 'plan',
        planId: plan.id,
        periodStart,
        periodEnd,
      },
    ];
    for (const module of paidModules.all(sub.interval, currency, sub.id, sub.plan_id)) {
      if (module.amount_minor === null) {
        throw new Error(`Module ${module.id} has no ${sub.interval}ly price in ${currency}.`);
      }
      lines.push({
        description: module.name,
        amount: { amountMinor: module.amount_minor, currency },
        kind: 'module',
        moduleId: module.id,
        periodStart,
        periodEnd,
      });
    }
    const total = lines.reduce((sum, line) => sum + line.amount.amountMinor, 0);
    return { date: periodStart, total: { amountMinor: total, currency }, lines };
  }

  return ({ customer, subscription: sub, moduleIdsInEffect }) => {
    if (sub === null) return null;
    return {
      id: sub.id,
      status: sub.status,
      plan: { id: sub.plan_id, name: sub.plan_name },
      interval: sub.interval,
      currentPeriod: { start: toInstant(sub.current_period_start), end: toInstant(sub.current_period_end) },
      trialEnd: sub.trial_end === null ? null : toInstant(sub.trial_end),
      // Every module in effect, paid or included; Module.state tells which.
      activeModuleIds: moduleIdsInEffect,
      // Only changes made through the API are ever scheduled; they arrive with mutations.
      scheduledChanges: [],
      nextInvoice: nextInvoice(sub, customer.currency),
      permissions: customer.role === 'read_only' ? { ...READ_ONLY } : { ...OWNER },
      version: String(sub.version),
    };
  };
}
