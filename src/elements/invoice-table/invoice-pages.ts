import { BillingError, type BillingClient } from '../../client/index.js';
import type { Invoice, InvoiceListQuery, InvoiceStatus } from '../../contract/index.js';

export interface InvoiceFilters {
  status?: InvoiceStatus | undefined;
  /** Calendar days, `YYYY-MM-DD`, both included. */
  from?: string | undefined;
  to?: string | undefined;
}

const DAY_MS = 86_400_000;

/** Filters as the endpoint takes them: instants, with the end day included (`to` is exclusive). */
export function toQuery(filters: InvoiceFilters, limit: number): InvoiceListQuery {
  const day = (value: string, plusDays = 0) => new Date(Date.parse(`${value}T00:00:00Z`) + plusDays * DAY_MS).toISOString();
  return {
    limit,
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.from ? { from: day(filters.from) } : {}),
    ...(filters.to ? { to: day(filters.to, 1) } : {}),
  };
}

/**
 * The largest page the endpoint serves (`INVOICE_PAGE_MAX` in the contract's requests
 * module, which stays out of browser bundles): the fewest requests for an export.
 */
const EXPORT_PAGE_SIZE = 100;

/**
 * Every invoice that matches `filters`, newest first: follows `nextCursor` until the last
 * page, `EXPORT_PAGE_SIZE` at a time. Rejects with a `BillingError` when a page fails, or
 * when the endpoint hands back a cursor it already gave (it would never end).
 */
export async function listAllInvoices(client: BillingClient, filters: InvoiceFilters, { signal }: { signal?: AbortSignal } = {}): Promise<Invoice[]> {
  const invoices: Invoice[] = [];
  const seen = new Set<string>();
  let cursor: string | null = null;
  do {
    const query: InvoiceListQuery = { ...toQuery(filters, EXPORT_PAGE_SIZE), ...(cursor ? { cursor } : {}) };
    const page = await client.listInvoices(query, { signal });
    invoices.push(...page.data);
    cursor = page.nextCursor;
    if (cursor !== null) {
      if (seen.has(cursor)) {
        throw new BillingError({ code: 'invalid_response', status: 200, operation: 'listInvoices', message: 'the same cursor came back twice' });
      }
      seen.add(cursor);
    }
  } while (cursor !== null);
  return invoices;
}
