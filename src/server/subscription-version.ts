/**
 * The version of a subscription, for engines that keep none (Stripe has no version number on
 * a subscription): a digest of the facts a change is decided on — status, plan and interval,
 * period, trial end, the modules in effect, the scheduled changes, the next invoice's date and
 * total, the credit balance. Never of texts, so it is the same in every language.
 *
 * What it guarantees: a change made through this handler (or anything else that moves those
 * facts) between a customer's read and their commit moves the version, and the commit is
 * answered 412. What it cannot: the handler compares it before calling the engine, not inside
 * the engine's write, so a change made directly in the engine (its dashboard, another system)
 * between that check and the write goes unseen. Engines with a version of their own return it
 * and compare it atomically with the change (the reference engine does).
 */
import type { EngineSubscription } from './billing-engine.js';
import { canonicalJson } from './canonical-json.js';
import { digest } from './representation.js';

const derived = new WeakMap<object, string>();

export function versionOf(subscription: EngineSubscription): string {
  if (subscription.version !== undefined) return subscription.version;
  const kept = derived.get(subscription);
  if (kept !== undefined) return kept;
  const facts = {
    status: subscription.status,
    plan: subscription.plan.id,
    interval: subscription.interval,
    period: subscription.currentPeriod,
    trialEnd: subscription.trialEnd,
    modules: subscription.activeModuleIds,
    scheduled: subscription.scheduledChanges,
    next: subscription.nextInvoice && { date: subscription.nextInvoice.date, total: subscription.nextInvoice.total },
    credit: subscription.creditBalance,
  };
  const version = `d${digest(canonicalJson(facts))}`;
  if (Object.isFrozen(subscription)) derived.set(subscription, version);
  return version;
}
