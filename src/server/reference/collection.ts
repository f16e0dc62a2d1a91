/**
 * Collecting what is owed. The reference engine charges the default payment method the moment
 * an invoice is issued (invoice-issuer.ts). When a renewal cannot be charged — no usable method, an
 * expired card, or a test card that declines — its invoice stays `open` with its amount due and
 * the subscription becomes `past_due` (CONTRACT.md, "Unpaid renewals"). It is settled by paying
 * that invoice (the hosted test pay page) or by a working default method, which is charged for
 * every open invoice at once; with nothing left open the subscription is `active` again. Every
 * status change bumps the subscription version, so every element on the page refreshes.
 */
import type { Invoice } from '../../contract/index.js';
import type { TestCard } from '../billing-engine.js';
import type { Accounts } from './account.js';
import type { Invoices } from './invoices.js';
import type { PaymentMethodCheck } from './payment-methods.js';
import type { SubscriptionWrites } from './subscription-writes.js';

export interface Collection {
  /** After a renewal's invoice was issued: `past_due` when it was left open. */
  renewed(customerId: string, invoice: Invoice): void;
  /** Charges the open invoices to the default method if it can be charged now; how many it settled. */
  retry(customerId: string, at: number): number;
  /** Pays one open invoice with a test card: `paid`, `declined`, or `null` when it is not open or not theirs. */
  payWithTestCard(customerId: string, invoiceId: string, card: TestCard): 'paid' | 'declined' | null;
}

export function createCollection(
  accounts: Accounts,
  invoices: Invoices,
  writes: SubscriptionWrites,
  canCharge: PaymentMethodCheck,
): Collection {
  /** Back to `active` once nothing is left open. */
  const settled = (customerId: string) => {
    const sub = accounts.load(customerId).subscription;
    if (sub?.status === 'past_due' && !invoices.hasOpen(customerId)) {
      writes.setStatus(sub.id, 'active');
      writes.bumpVersion(sub.id);
    }
  };

  return {
    renewed(customerId, invoice) {
      const sub = accounts.load(customerId).subscription;
      if (!sub || invoice.status !== 'open' || invoice.amountDue.amountMinor <= 0) return;
      if (sub.status !== 'past_due') writes.setStatus(sub.id, 'past_due');
    },

    retry(customerId, at) {
      if (canCharge(customerId, at) !== 'ok') return 0;
      const paid = invoices.markPaid(customerId);
      settled(customerId);
      return paid;
    },

    payWithTestCard(customerId, invoiceId, card) {
      if (card.declinesCharges) return 'declined';
      if (invoices.markPaid(customerId, invoiceId) === 0) return null;
      settled(customerId);
      return 'paid';
    },
  };
}
