/**
 * The subscription as the contract shows it: what it holds, its scheduled changes, and the
 * invoice its next renewal would issue once they apply (with the credit balance taken off).
 */
import type { Subscription } from '../../../contract/index.js';
import { RENEWING, type SubscriptionStanding } from './change-rules.js';
import { toInstant } from './dates.js';
import { modulesInEffect, projectedHolding, scheduledChangeOf } from './holding.js';
import { nextInvoiceOf, upcomingInvoice } from './invoicing.js';
import type { Wording } from './texts.js';

/** What the view needs beyond the rules' standing: the subscription's own facts. */
export interface SubscriptionFacts
  extends Pick<SubscriptionStanding, 'offer' | 'status' | 'holding' | 'pending' | 'period' | 'anchor' | 'creditBalance'> {
  id: string;
  trialEnd: number | null;
  version: string;
}

/**
 * The subscription in `wording`'s language; a paused or canceled one has no next invoice.
 * Without `permissions`: they are the host's, put on by the handler (identity.ts).
 */
export function subscriptionOf(facts: SubscriptionFacts, wording: Wording): Omit<Subscription, 'permissions'> {
  const { offer, holding, period } = facts;
  const { currency } = offer;
  const upcoming = () =>
    upcomingInvoice(offer, projectedHolding(offer, holding, facts.pending), facts.anchor, period.end, facts.creditBalance, wording);
  return {
    id: facts.id,
    status: facts.status,
    plan: { id: holding.planId, name: wording.name('plan', holding.planId, holding.planId) },
    interval: holding.interval,
    currentPeriod: { start: toInstant(period.start), end: toInstant(period.end) },
    trialEnd: facts.trialEnd === null ? null : toInstant(facts.trialEnd),
    // Every module in effect, paid or included; Module.state tells which.
    activeModuleIds: modulesInEffect(offer, holding),
    scheduledChanges: facts.pending.map((pending) => scheduledChangeOf(pending, period.end)),
    nextInvoice: RENEWING.has(facts.status) ? nextInvoiceOf(upcoming(), currency, wording) : null,
    creditBalance: { amountMinor: facts.creditBalance, currency },
    version: facts.version,
  };
}
