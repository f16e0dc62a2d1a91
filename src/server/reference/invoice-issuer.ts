/**
 * Issuing an invoice: the core decides its terms (core/invoicing.ts), the invoice register
 * stores it.
 */
import type { Invoice } from '../../contract/index.js';
import type { CustomerRow } from './account.js';
import { invoiceTerms, type Settlement } from './core/invoicing.js';
import type { Span } from './core/proration.js';
import type { Invoices } from './invoices.js';
import type { PaymentMethodCheck } from './payment-methods.js';

/** Issues an invoice for `settlement`, charged at once to the default method when it can be. */
export type InvoiceIssuer = (customer: CustomerRow, settlement: Settlement, period: Span, at: number) => Invoice;

export function createInvoiceIssuer(invoices: Invoices, canCharge: PaymentMethodCheck): InvoiceIssuer {
  return (customer, settlement, period, at) => {
    const { status, dueAt, amountDueMinor } = invoiceTerms(settlement, () => canCharge(customer.id, at), at);
    return invoices.issue({
      customerId: customer.id,
      currency: customer.currency,
      status,
      issuedAt: at,
      dueAt,
      periodStart: period.start,
      periodEnd: period.end,
      amountDueMinor,
      lines: settlement.lines,
    });
  };
}
