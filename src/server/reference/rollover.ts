/**
 * Period rollover: when a period ends, its scheduled changes apply, the next period's invoice
 * is issued (the very lines `nextInvoice` announced) and the period moves forward — once per
 * ended period, so a database left alone for months catches up in order.
 */
import type { Database } from 'better-sqlite3';
import { projectedHolding, type Accounts } from './account.js';
import type { Clock } from './clock.js';
import type { Collection } from './collection.js';
import { RENEWING } from './core/change-rules.js';
import { upcomingInvoice } from './core/invoicing.js';
import type { InvoiceIssuer } from './invoice-issuer.js';
import type { Schedule } from './schedule.js';
import type { SubscriptionWrites } from './subscription-writes.js';
import type { Transactions } from './transactions.js';
import { serverLanguage, wordingFor } from './core/texts.js';

export interface RolloverDeps {
  db: Database;
  transactions: Transactions;
  clock: Clock;
  accounts: Accounts;
  schedule: Schedule;
  writes: SubscriptionWrites;
  issueInvoice: InvoiceIssuer;
  collection: Collection;
}

/** Closes the ended periods of one customer, or of everyone; returns how many periods it closed. */
export type Rollover = (customerId?: string) => number;

export function createRollover({ db, transactions, clock, accounts, schedule, writes, issueInvoice, collection }: RolloverDeps): Rollover {
  const renewing = [...RENEWING].map((status) => `'${status}'`).join(', ');
  const ended = `current_period_end <= ? AND status IN (${renewing})`;
  const everyoneDue = db.prepare<[number], string>(`SELECT customer_id FROM subscriptions WHERE ${ended}`).pluck();
  const customerDue = db
    .prepare<[string, number], number>(`SELECT 1 FROM subscriptions WHERE customer_id = ? AND ${ended}`)
    .pluck();

  function closeEndedPeriods(customerId: string, now: number): number {
    for (let closed = 0; ; closed++) {
      const account = accounts.load(customerId);
      const { customer, subscription: sub, offer } = account;
      const holding = projectedHolding(account);
      if (!sub || !holding || !RENEWING.has(sub.status) || sub.current_period_end > now) return closed;
      const { period, settled } = upcomingInvoice(
        offer,
        holding,
        sub.billing_anchor,
        sub.current_period_end,
        customer.credit_balance_minor,
        // Stored in the customer's language; read in the reader's (core/invoicing.ts, describedLine).
        wordingFor(offer, serverLanguage(customer.locale)),
      );
      writes.hold(sub.id, holding, period.start);
      schedule.clear(sub.id);
      writes.setPeriod(sub.id, period, sub.billing_anchor);
      writes.bumpVersion(sub.id);
      writes.setCreditBalance(customer.id, settled.balanceAfter);
      collection.renewed(customer.id, issueInvoice(customer, settled, period, period.start));
    }
  }

  return (customerId) => {
    const now = clock.now().getTime();
    // A cheap indexed look first: nearly every call finds nothing to do.
    const due = customerId === undefined ? everyoneDue.all(now) : customerDue.get(customerId, now) ? [customerId] : [];
    if (due.length === 0) return 0;
    // Under the write lock from the start: a read racing us in another process closes the
    // period first or finds it closed (closeEndedPeriods looks again), never both.
    return transactions.write(() => due.reduce((sum, id) => sum + closeEndedPeriods(id, now), 0));
  };
}
