/**
 * Stripe Invoices as the contract's invoices: `invoices.list` with the customer, status and
 * `created` filters, `starting_after` as the cursor; `invoices.retrieve` and
 * `invoices.listLineItems` for one invoice with every line.
 */
import type Stripe from 'stripe';
import type { Invoice, InvoiceLine, InvoicePage } from '../contract/index.js';
import type { CustomerId, InvoiceQuery } from '../server/billing-engine.js';
import type { LoadedCatalog } from './catalog.js';
import { BillingEngineError } from '../server/errors.js';
import { orNull, stripeCall, stripeParam, translateStripeError } from './errors.js';
import { moneyFromStripe } from './money.js';

export const instant = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

const STATUSES = new Set<string>(['draft', 'open', 'paid', 'void', 'uncollectible']);

const customerOf = (invoice: Stripe.Invoice) =>
  typeof invoice.customer === 'string' ? invoice.customer : (invoice.customer?.id ?? null);

/** The invoice without its lines. `issuedAt` is Stripe's `created`, the field the date filters apply to. */
export function invoiceSummary(invoice: Stripe.Invoice): Invoice {
  const money = (amount: number) => moneyFromStripe(amount, invoice.currency);
  const status = invoice.status !== null && STATUSES.has(invoice.status) ? (invoice.status as Invoice['status']) : 'draft';
  return {
    id: invoice.id,
    // Drafts have no number until Stripe finalizes them.
    number: invoice.number ?? invoice.id,
    status,
    issuedAt: instant(invoice.created),
    dueAt: invoice.due_date === null ? null : instant(invoice.due_date),
    periodStart: instant(invoice.period_start),
    periodEnd: instant(Math.max(invoice.period_start, invoice.period_end)),
    total: money(invoice.total),
    // What is left to pay: Stripe's `amount_due` stays the total once paid.
    amountDue: money(Math.max(0, invoice.amount_remaining)),
    hostedUrl: status === 'open' ? (invoice.hosted_invoice_url ?? null) : null,
    hasPdf: typeof invoice.invoice_pdf === 'string' && invoice.invoice_pdf.length > 0,
  };
}

/** One Stripe line as a contract line: plan or module by its Price, proration by its sign. */
export function invoiceLine(line: Stripe.InvoiceLineItem, catalog: LoadedCatalog): InvoiceLine {
  const details = line.parent?.subscription_item_details ?? line.parent?.invoice_item_details ?? null;
  const price = line.pricing?.price_details?.price;
  const priceId = typeof price === 'string' ? price : price?.id;
  const product = line.pricing?.price_details?.product;
  const known = (priceId !== undefined ? catalog.byPrice.get(priceId) : undefined) ?? (product !== undefined ? catalog.byProduct.get(product) : undefined);
  const kind: InvoiceLine['kind'] = details?.proration
    ? line.amount < 0
      ? 'proration_credit'
      : 'proration_charge'
    : (known?.kind ?? 'other');
  const result: InvoiceLine = {
    description: line.description ?? '',
    amount: moneyFromStripe(line.amount, line.currency),
    kind,
    periodStart: instant(line.period.start),
    periodEnd: instant(Math.max(line.period.start, line.period.end)),
  };
  if (known?.kind === 'plan') result.planId = known.id;
  if (known?.kind === 'module') result.moduleId = known.id;
  return result;
}

/**
 * The lines that make the invoice's total: Stripe's line items are before discounts and
 * taxes, so those come as lines of their own (`other`, negative; `tax`).
 */
export function invoiceLines(invoice: Stripe.Invoice, lines: readonly Stripe.InvoiceLineItem[], catalog: LoadedCatalog): InvoiceLine[] {
  const result = lines.map((line) => invoiceLine(line, catalog));
  const money = (amount: number) => moneyFromStripe(amount, invoice.currency);
  const discount = (invoice.total_discount_amounts ?? []).reduce((sum, entry) => sum + entry.amount, 0);
  if (discount !== 0) result.push({ description: 'Discount', amount: money(-discount), kind: 'other' });
  const tax = (invoice.total_taxes ?? []).reduce((sum, entry) => sum + (entry.tax_behavior === 'inclusive' ? 0 : entry.amount), 0);
  if (tax !== 0) result.push({ description: 'Tax', amount: money(tax), kind: 'tax' });
  return result;
}

/** A page of the customer's invoices, newest first (Stripe's order). */
export async function listInvoices(stripe: Stripe, customer: CustomerId, query: InvoiceQuery): Promise<InvoicePage> {
  const created: Stripe.RangeQueryParam = {};
  // The contract's bounds are instants; Stripe's are whole seconds, both inclusive.
  if (query.from !== undefined) created.gte = Math.ceil(Date.parse(query.from) / 1000);
  if (query.to !== undefined) created.lte = Math.floor(Date.parse(query.to) / 1000);
  const params: Stripe.InvoiceListParams = { customer, limit: query.limit };
  if (query.status !== undefined) params.status = query.status;
  if (created.gte !== undefined || created.lte !== undefined) params.created = created;
  if (query.cursor !== undefined) params.starting_after = query.cursor;
  let page: Stripe.ApiList<Stripe.Invoice>;
  try {
    page = await stripe.invoices.list(params);
  } catch (error) {
    // A cursor that names no invoice: the client's mistake, not Stripe's.
    if (query.cursor !== undefined && stripeParam(error) === 'starting_after') {
      throw new BillingEngineError('validation_failed', {
        detail: 'The cursor does not name an invoice.',
        extras: { fieldErrors: [{ field: 'query.cursor', message: 'unknown cursor' }] },
      });
    }
    throw translateStripeError(error);
  }
  // Previews and deleted drafts have no status; every listed invoice is the customer's.
  const data = page.data.filter((invoice) => invoice.status !== null && customerOf(invoice) === customer).map(invoiceSummary);
  const last = page.data.at(-1);
  return { data, nextCursor: page.has_more && last ? last.id : null };
}

/** The customer's invoice with every line, or `null` when Stripe has none by that id for them. */
export async function getInvoice(stripe: Stripe, catalog: LoadedCatalog, customer: CustomerId, invoiceId: string): Promise<Invoice | null> {
  const invoice = await retrieveOwnInvoice(stripe, customer, invoiceId);
  if (!invoice) return null;
  const lines: Stripe.InvoiceLineItem[] = [];
  await stripeCall(async () => {
    for await (const line of stripe.invoices.listLineItems(invoice.id, { limit: 100 })) lines.push(line);
  });
  return { ...invoiceSummary(invoice), lines: invoiceLines(invoice, lines, catalog) };
}

/** The invoice if it is the customer's (a Stripe id is not a secret: ownership is checked here). */
export async function retrieveOwnInvoice(stripe: Stripe, customer: CustomerId, invoiceId: string): Promise<Stripe.Invoice | null> {
  // Stripe ids never contain a slash; anything else would reach another endpoint.
  if (!/^[A-Za-z0-9_]+$/.test(invoiceId)) return null;
  const invoice = await orNull(() => stripe.invoices.retrieve(invoiceId));
  return invoice && invoice.status !== null && customerOf(invoice) === customer ? invoice : null;
}
