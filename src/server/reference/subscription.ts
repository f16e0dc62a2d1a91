/**
 * The subscription as the contract shows it (core/subscription-view.ts), read once per
 * account and language.
 */
import type { EngineSubscription } from '../billing-engine.js';
import type { Account } from './account.js';
import { subscriptionOf } from './core/subscription-view.js';
import { wordingFor, type ServerLanguage } from './core/texts.js';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

const subscriptions = new WeakMap<Account, Map<ServerLanguage, EngineSubscription | null>>();

/**
 * The subscription of `account` in `language`, computed once per account and language
 * (accounts are kept until the database changes) and deeply frozen: callers share it, and
 * the handler keeps its checked JSON while it lives.
 */
export function readSubscription(account: Account, language: ServerLanguage): EngineSubscription | null {
  let byLanguage = subscriptions.get(account);
  if (!byLanguage) subscriptions.set(account, (byLanguage = new Map()));
  let subscription = byLanguage.get(language);
  if (subscription === undefined) {
    subscription = deepFreeze(computeSubscription(account, language));
    byLanguage.set(language, subscription);
  }
  return subscription;
}

function computeSubscription(account: Account, language: ServerLanguage): EngineSubscription | null {
  const { customer, subscription: sub, holding, offer } = account;
  if (sub === null || holding === null) return null;
  return subscriptionOf(
    {
      offer,
      status: sub.status,
      holding,
      pending: account.scheduled,
      period: { start: sub.current_period_start, end: sub.current_period_end },
      anchor: sub.billing_anchor,
      creditBalance: customer.credit_balance_minor,
      id: sub.id,
      trialEnd: sub.trial_end,
      version: String(sub.version),
    },
    wordingFor(offer, language),
  );
}
