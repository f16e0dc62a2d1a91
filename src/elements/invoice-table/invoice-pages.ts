import type { ReactiveController } from 'lit';
import { BillingError, type BillingClient } from '../../client/index.js';
import type { Invoice, InvoiceListQuery, InvoicePage, InvoiceStatus } from '../../contract/index.js';

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

/**
 * The pages of invoices loaded so far for the current filters: a new filter starts again
 * from the first page, "load more" follows the cursor, and a newer request aborts the
 * one in flight so an old answer never lands on new filters.
 */
export class InvoicePages implements ReactiveController {
  invoices: Invoice[] = [];
  nextCursor: string | null = null;
  loading = false;
  error: BillingError | null = null;
  /** Whether the first page has arrived for the current filters. */
  loaded = false;
  filters: InvoiceFilters = {};

  #host: { requestUpdate(): void; addController(controller: ReactiveController): void };
  #abort: AbortController | null = null;
  /** How many invoices the first page had, and the cursor it ended with. */
  #first: { length: number; nextCursor: string | null } | null = null;

  constructor(host: { requestUpdate(): void; addController(controller: ReactiveController): void }) {
    this.#host = host;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.#abort?.abort();
    this.loading = false;
  }

  /** Loads the first page (again), e.g. after a filter change or a new invoice. */
  reload(client: BillingClient, limit: number): Promise<void> {
    this.loaded = false;
    return this.#load(client, limit, null);
  }

  /**
   * Shows a first page loaded elsewhere (the store's latest invoices, shared with other
   * elements). A newer copy of the same first page keeps the pages loaded after it when it
   * ends at the same cursor: they still follow on from it, and "load more" goes on from
   * where it was. A first page that ends elsewhere (an invoice was issued) starts again.
   */
  showFirstPage(page: InvoicePage): void {
    const first = this.#first;
    const more = this.loaded && first !== null && first.nextCursor !== null && first.nextCursor === page.nextCursor;
    if (!more) {
      // Whatever was loading (a filtered page, the next page) belongs to another list.
      this.#abort?.abort();
      this.#abort = null;
      this.loading = false;
      this.nextCursor = page.nextCursor;
    }
    this.invoices = more && first ? [...page.data, ...this.invoices.slice(first.length)] : page.data;
    this.#first = { length: page.data.length, nextCursor: page.nextCursor };
    this.error = null;
    this.loaded = true;
    this.#host.requestUpdate();
  }

  /** Shows nothing until a first page loaded elsewhere arrives (the loading state). */
  awaitFirstPage(): void {
    this.#abort?.abort();
    this.#abort = null;
    this.loading = false;
    this.loaded = false;
    this.error = null;
    this.#first = null;
    this.#host.requestUpdate();
  }

  loadMore(client: BillingClient, limit: number): Promise<void> {
    return this.nextCursor ? this.#load(client, limit, this.nextCursor) : Promise.resolve();
  }

  async #load(client: BillingClient, limit: number, cursor: string | null): Promise<void> {
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.loading = true;
    this.error = null;
    this.#host.requestUpdate();
    try {
      const page = await client.listInvoices({ ...toQuery(this.filters, limit), ...(cursor ? { cursor } : {}) }, { signal: abort.signal });
      this.invoices = cursor ? [...this.invoices, ...page.data] : page.data;
      this.nextCursor = page.nextCursor;
      if (!cursor) this.#first = { length: page.data.length, nextCursor: page.nextCursor };
      this.loaded = true;
    } catch (error) {
      if (abort.signal.aborted) return;
      this.error = BillingError.from(error, 'listInvoices');
    }
    this.loading = false;
    this.#host.requestUpdate();
  }
}
