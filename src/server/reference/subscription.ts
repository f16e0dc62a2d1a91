/**
 * The subscription as the contract shows it, with its scheduled changes and the invoice its
 * next renewal would issue once they apply.
 */
import type { Permissions, Subscription } from '../../contract/index.js';
import { projectedHolding, type Account } from './account.js';
import { RENEWING } from './core/change-rules.js';
import { toInstant } from './core/dates.js';
import { scheduledChangeOf } from './core/holding.js';
import { nextInvoiceOf, upcomingInvoice } from './core/invoicing.js';
import { wordingFor, type ServerLanguage } from './core/texts.js';

const OWNER: Permissions = { changePlan: true, manageModules: true, managePaymentMethods: true, viewInvoices: true };
const READ_ONLY: Permissions = { changePlan: false, manageModules: false, managePaymentMethods: false, viewInvoices: true };

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

const subscriptions = new WeakMap<Account, Map<ServerLanguage, Subscription | null>>();

/**
 * The subscription of `account` in `language`, computed once per account and language
 * (accounts are kept until the database changes) and deeply frozen: callers share it, and
 * the handler keeps its checked JSON while it lives.
 */
export function readSubscription(account: Account, language: ServerLanguage): Subscription | null {
  let byLanguage = subscriptions.get(account);
  if (!byLanguage) subscriptions.set(account, (byLanguage = new Map()));
  let subscription = byLanguage.get(language);
  if (subscription === undefined) {
    subscription = deepFreeze(computeSubscription(account, language));
    byLanguage.set(language, subscription);
  }
  return subscription;
}

function computeSubscription(account: Account, language: ServerLanguage): Subscription | null {
  const { customer, subscription: sub, moduleIdsInEffect, offer } = account;
  const projected = projectedHolding(account);
  if (sub === null || projected === null) return null;
  const wording = wordingFor(offer, language);
  return {
    id: sub.id,
    status: sub.status,
    plan: { id: sub.plan_id, name: wording.name('plan', sub.plan_id, sub.plan_name) },
    interval: sub.interval,
    currentPeriod: { start: toInstant(sub.current_period_start), end: toInstant(sub.current_period_end) },
    trialEnd: sub.trial_end === null ? null : toInstant(sub.trial_end),
    // Every module in effect, paid or included; Module.state tells which.
    activeModuleIds: [...moduleIdsInEffect],
    scheduledChanges: account.scheduled.map((pending) => scheduledChangeOf(pending, sub.current_period_end)),
    nextInvoice: RENEWING.has(sub.status)
      ? nextInvoiceOf(
          upcomingInvoice(
            offer,
            projected,
            sub.billing_anchor,
            sub.current_period_end,
            customer.credit_balance_minor,
            wording,
          ),
          customer.currency,
          wording,
        )
      : null,
    creditBalance: { amountMinor: customer.credit_balance_minor, currency: customer.currency },
    permissions: customer.role === 'read_only' ? { ...READ_ONLY } : { ...OWNER },
    version: String(sub.version),
  };
}
