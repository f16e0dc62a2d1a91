import { Task, TaskStatus } from '@lit/task';
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { BillingError } from '../../client/index.js';
import type { Invoice, InvoicePage, InvoiceStatus } from '../../contract/index.js';
import type { Strings } from '../../i18n/index.js';
import { RECENT_INVOICES, invoiceKey, invoicePageKey, type ResourceState, type StoreKey } from '../../store/index.js';
import { baseStyles } from '../shared/base.styles.js';
import { Announcer } from '../shared/announcer.js';
import { renderLineRow } from '../shared/invoice-lines.js';
import { BillingController } from '../shared/element-controller.js';
import { hostProperties, type BillingHostProperties } from '../shared/host.js';
import { formatDate, formatDateRange, formatMoney } from '../shared/format.js';
import { renderError, renderLoading } from '../shared/states.js';
import { csvFormat, invoicesCsv } from './csv.js';
import { listAllInvoices, toQuery, type InvoiceFilters } from './invoice-pages.js';
import { invoiceTableStyles } from './invoice-table.styles.js';
import { safeHttpUrl } from '../shared/links.js';

const STATUSES: InvoiceStatus[] = ['paid', 'open', 'void', 'uncollectible', 'draft'];

export { safeHttpUrl };

/** Starts a download of `href` as `filename` (a same-origin URL or a blob: URL). */
function download(href: string, filename: string): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = filename;
  link.click();
}

/** One page of the list: its key in the store, the cursor it starts at, and its state there. */
interface Page {
  key: StoreKey;
  cursor: string | null;
  state: ResourceState<InvoicePage>;
}

/** Rows put in the table in the update that brings them: more than a screenful, fewer than a frame can take. */
const ROWS_AT_ONCE = 100;

// Declared once for every element (shared/host.ts): the class gets them by declaration merging.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface BillingInvoiceTable extends BillingHostProperties {}

/**
 * Past invoices in a real table: number, date, period, amount and status; filters by status
 * and dates; cursor pagination with "load more"; each row expands to its lines (plan,
 * modules, prorations with their periods) so a customer can compare an amount with the
 * modules active in that period; PDF download; CSV export of every invoice that matches the
 * filters, loaded or not; a link to pay an open invoice, whose row stands out with what is
 * due. On a narrow container each invoice becomes a card.
 *
 * Its pages and the invoices it opens are the store's, by query and cursor: the first page at
 * the default size (12), unfiltered, is the latest invoices the other elements of the page
 * show too (one request for all), and the store loads the pages shown again whenever the
 * subscription's version changes (a change may have issued an invoice, a payment settled one).
 *
 * @summary Invoice history with lines, filters, PDF and CSV.
 *
 * @csspart filters - The filter bar.
 * @csspart table - The table of invoices.
 * @csspart row - One invoice row (carries `data-status`; an unpaid one stands out).
 * @csspart badge - A status badge.
 * @csspart lines - The expanded lines of an invoice.
 * @csspart pay-link - The link to pay an open invoice on the endpoint's hosted page.
 * @csspart load-more - The "load more" button.
 * @csspart announcement - Messages about downloads.
 * @csspart empty - The empty-state message.
 * @csspart error - The error state.
 * @csspart retry-button - The error state's retry button.
 * @csspart support-link - The error state's support link.
 *
 * @cssprop --billing-invoice-table-row-border - Line between rows.
 * @cssprop --billing-invoice-table-header-color - Column headers.
 * @cssprop --billing-invoice-table-lines-background - Background of the expanded lines.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class BillingInvoiceTable extends LitElement {
  static override styles = [baseStyles, invoiceTableStyles];

  static override properties = {
    ...hostProperties,
    pageSize: { type: Number, attribute: 'page-size' },
    filters: { state: true },
    more: { state: true },
    expanded: { state: true },
    rowsShown: { state: true },
  };

  /** Invoices per page (1–100). The default, 12, shares its first page with the other elements. */
  declare pageSize: number;

  private filters: InvoiceFilters = {};
  /** The cursors of the pages "load more" added after the first. */
  private more: string[] = [];
  /** The invoices whose lines are shown. */
  private expanded = new Set<string>();
  /**
   * How many rows are in the table. A long list (many pages loaded) shows its first rows in
   * the update that brings it and the rest after that frame is painted: 1,000 rows at once
   * would keep the first screen blank for most of a second, and a table cannot skip laying
   * out rows nobody sees (`content-visibility` does not apply to table rows). The rest come
   * in one update, not in chunks: every chunk would lay the whole table out again.
   */
  private rowsShown = ROWS_AT_ONCE;

  // The subscription: permissions. The pages shown and the invoices opened follow the
  // element's state: the store loads them, shares them, keeps them current and aborts what
  // the element no longer shows.
  #billing: BillingController = new BillingController(this, ['subscription'], {
    subscriptionOptional: true,
    follow: () =>
      this.#billing.permissions?.viewInvoices ? [...this.#pages().map((page) => page.key), ...[...this.expanded].map(invoiceKey)] : [],
  });
  #announcer = new Announcer(this);
  /** Every invoice that matches the filters, for a CSV export; aborted if the element leaves the page. */
  #export = new Task(this, {
    autoRun: false,
    task: ([filters]: [InvoiceFilters], { signal }) => listAllInvoices(this.#billing.store!.client, filters, { signal }),
    onComplete: (invoices) => this.#saveCsv(invoices),
    onError: (error) => {
      const { code } = BillingError.from(error, 'listInvoices');
      if (code !== 'aborted') this.#announcer.announce((messages) => messages.errorMessage(code), { tone: 'error' });
    },
  });

  constructor() {
    super();
    this.pageSize = RECENT_INVOICES;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#export.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('pageSize')) this.more = [];
  }

  get #limit(): number {
    return Math.min(100, Math.max(1, Math.round(this.pageSize) || RECENT_INVOICES));
  }

  /**
   * The pages shown: the first, then each one "load more" added, as long as it still follows on
   * from the page before it (a first page that now ends elsewhere, after an invoice was issued,
   * starts the list again).
   */
  #pages(): Page[] {
    const query = toQuery(this.filters, this.#limit);
    const page = (cursor: string | null): Page => {
      const key = invoicePageKey(query, cursor);
      return { key, cursor, state: this.#billing.state(key) };
    };
    const pages = [page(null)];
    for (const cursor of this.more) {
      if (pages.at(-1)!.state.data?.nextCursor !== cursor) break;
      pages.push(page(cursor));
    }
    return pages;
  }

  /** The next page after the last one shown, or the last one again when it failed. */
  #loadMore(pages: Page[]): void {
    const last = pages.at(-1)!;
    if (last.state.data?.nextCursor) this.more = [...pages.slice(1).map((page) => page.cursor!), last.state.data.nextCursor];
    else void this.#billing.store?.load(last.key);
  }

  protected override render(): TemplateResult {
    const billing = this.#billing;
    const strings = billing.strings;
    const skeleton = () => renderLoading(strings, html`${[1, 2, 3, 4].map(() => html`<span class="skeleton row"></span>`)}`);
    if (!strings) return skeleton();
    const store = billing.store;
    if (!store) return renderError({ error: null, strings });
    if (billing.permissions?.viewInvoices === false) {
      return html`<p class="empty" part="empty">${strings.errorMessage('forbidden')}</p>`;
    }
    const pages = this.#pages();
    const first = pages[0]!.state;
    const last = pages.at(-1)!;
    const error = billing.status.error ?? (first.data ? null : (first.error ?? null));
    const retry = () => {
      billing.retry();
      if (first.error) void store.load(pages[0]!.key);
    };
    if (error) return renderError({ error, strings, onRetry: retry, supportUrl: billing.supportUrl, pinnedNow: billing.pinnedNow });
    const locale = billing.locale;
    const invoices = pages.flatMap((page) => page.state.data?.data ?? []);
    const shown = invoices.length > this.rowsShown ? invoices.slice(0, this.rowsShown) : invoices;
    // After the frame that shows the first rows, the others (see `rowsShown`).
    if (shown !== invoices) requestAnimationFrame(() => (this.rowsShown = Infinity));
    // The cursor "load more" goes on from: the last page's next, or its own while it comes or after it failed.
    const next = last.state.data ? last.state.data.nextCursor : last.cursor;
    const { status, from, to } = this.filters;
    return html`
      ${this.#announcer.render(strings, locale)}
      ${this.#renderFilters(strings, invoices.length === 0)}
      ${!first.data
        ? skeleton()
        : invoices.length === 0
          ? html`<p class="empty" part="empty">${status || from || to ? strings.invoicesEmptyFiltered : strings.invoicesEmpty}</p>`
          : html`<table part="table">
              <caption class="visually-hidden">${strings.invoicesTitle}</caption>
              <thead>
                <tr>
                  <th scope="col">${strings.invoiceNumber}</th>
                  <th scope="col">${strings.invoiceDate}</th>
                  <th scope="col">${strings.invoicePeriod}</th>
                  <th scope="col" class="amount">${strings.invoiceAmount}</th>
                  <th scope="col">${strings.invoiceStatus}</th>
                  <th scope="col" class="row-actions"><span class="visually-hidden">${strings.invoiceActions}</span></th>
                </tr>
              </thead>
              <tbody>
                ${shown.map((invoice) => this.#renderInvoice(invoice, strings, locale))}
              </tbody>
            </table>`}
      ${first.data && invoices.length
        ? html`<div class="footer">
            <span>${strings.invoicesShown(invoices.length)}</span>
            ${last.state.error && !last.state.data ? html`<span role="alert">${strings.errorMessage(last.state.error.code)}</span>` : nothing}
            ${next
              ? // aria-disabled while the page comes, not disabled: a disabled button drops the keyboard focus.
                html`<button
                  type="button"
                  class="secondary"
                  part="load-more"
                  aria-disabled=${last.state.loading ? 'true' : nothing}
                  @click=${() => (last.state.loading ? undefined : this.#loadMore(pages))}
                >
                  ${last.state.loading ? strings.loading : strings.invoicesLoadMore}
                </button>`
              : nothing}
          </div>`
        : nothing}
    `;
  }

  #renderFilters(strings: Strings, empty: boolean): TemplateResult {
    const { filters } = this;
    const exporting = this.#export.status === TaskStatus.PENDING;
    const change = (patch: InvoiceFilters) => {
      // The filters as they are now, not as rendered: two quick changes must both count.
      this.filters = { ...this.filters, ...patch };
      this.more = [];
      this.rowsShown = ROWS_AT_ONCE;
    };
    const value = (event: Event) => (event.target as HTMLInputElement | HTMLSelectElement).value || undefined;
    return html`<div class="filters" part="filters">
      <label>
        ${strings.invoicesFilterStatus}
        <select @change=${(event: Event) => change({ status: value(event) as InvoiceStatus | undefined })}>
          <option value="" ?selected=${!filters.status}>${strings.invoicesFilterAll}</option>
          ${STATUSES.map(
            (status) => html`<option value=${status} ?selected=${filters.status === status}>${strings.invoiceStatusLabel(status)}</option>`,
          )}
        </select>
      </label>
      <label>
        ${strings.invoicesFilterFrom}
        <input type="date" .value=${filters.from ?? ''} @change=${(event: Event) => change({ from: value(event) })} />
      </label>
      <label>
        ${strings.invoicesFilterTo}
        <input type="date" .value=${filters.to ?? ''} @change=${(event: Event) => change({ to: value(event) })} />
      </label>
      <button
        type="button"
        class="secondary export"
        ?disabled=${empty}
        aria-disabled=${exporting ? 'true' : nothing}
        aria-busy=${exporting ? 'true' : nothing}
        @click=${() => {
          if (exporting) return;
          this.#announcer.clear();
          void this.#export.run([this.filters]);
        }}
      >
        ${exporting ? strings.loading : strings.invoicesExportCsv}
      </button>
    </div>`;
  }

  #renderInvoice(invoice: Invoice, strings: Strings, locale: string): TemplateResult {
    const open = this.expanded.has(invoice.id);
    const linesId = `lines-${invoice.id}`;
    const payUrl = invoice.status === 'open' ? safeHttpUrl(invoice.hostedUrl, this.baseURI) : null;
    const hidden = html`<span class="visually-hidden"> ${invoice.number}</span>`;
    return html`<tr part="row" data-status=${invoice.status}>
        <th scope="row" class="number">${invoice.number}</th>
        <td class="date">${formatDate(locale, invoice.issuedAt)}</td>
        <td class="period">${formatDateRange(locale, invoice.periodStart, invoice.periodEnd)}</td>
        <td class="amount">
          ${formatMoney(locale, invoice.total)}
          ${invoice.status === 'open' && invoice.amountDue.amountMinor > 0
            ? html`<span class="due">
                ${strings.invoiceAmountDue(formatMoney(locale, invoice.amountDue), invoice.dueAt ? formatDate(locale, invoice.dueAt) : null)}
              </span>`
            : nothing}
        </td>
        <td class="status"><span class="badge" part="badge" data-status=${invoice.status}>${strings.invoiceStatusLabel(invoice.status)}</span></td>
        <td class="row-actions">
          <button type="button" class="secondary" aria-expanded=${String(open)} aria-controls=${linesId} @click=${() => this.#toggle(invoice)}>
            ${open ? strings.invoiceHideLines : strings.invoiceShowLines}${hidden}
          </button>
          ${invoice.hasPdf
            ? html`<button type="button" class="secondary" @click=${() => this.#downloadPdf(invoice)}>
                ${strings.invoiceDownloadPdf}${hidden}
              </button>`
            : nothing}
          ${payUrl ? html`<a href=${payUrl} class="pay" part="pay-link" rel="noopener">${strings.invoicePay}${hidden}</a>` : nothing}
        </td>
      </tr>
      ${open
        ? html`<tr class="lines-row" id=${linesId}>
            <td colspan="6">${this.#renderLines(invoice, strings, locale)}</td>
          </tr>`
        : nothing}`;
  }

  #renderLines(invoice: Invoice, strings: Strings, locale: string): TemplateResult {
    const detail = this.#billing.state(invoiceKey(invoice.id));
    const lines = detail.data?.lines;
    if (!lines) return detail.error ? html`<p role="alert">${strings.errorMessage(detail.error.code)}</p>` : html`<p role="status">${strings.loading}</p>`;
    return html`<table class="lines" part="lines">
      <caption class="visually-hidden">${invoice.number}</caption>
      <tbody>
        ${lines.map((line) => renderLineRow(line, locale))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">${strings.invoiceLinesTotal}</th>
          <td class="amount">${formatMoney(locale, invoice.total)}</td>
        </tr>
      </tfoot>
    </table>`;
  }

  #toggle(invoice: Invoice): void {
    const expanded = new Set(this.expanded);
    if (!expanded.delete(invoice.id)) expanded.add(invoice.id);
    this.expanded = expanded;
  }

  async #downloadPdf(invoice: Invoice): Promise<void> {
    const client = this.#billing.store?.client;
    if (!client) return;
    this.#announcer.clear();
    try {
      const { url } = await client.getInvoicePdf(invoice.id);
      const href = safeHttpUrl(url, this.baseURI);
      if (!href) throw new BillingError({ code: 'invalid_response', status: 200, operation: 'getInvoicePdf', message: 'not an http(s) URL' });
      download(href, `${invoice.number}.pdf`);
    } catch (error) {
      const code = BillingError.from(error, 'getInvoicePdf').code;
      this.#announcer.announce((messages) => messages.errorMessage(code), { tone: 'error' });
    }
  }

  /**
   * Saves the invoices of an export (every one that matches the filters, not only the pages
   * shown) as CSV, in the element's locale as it is now: it may have changed while the pages
   * were coming.
   */
  #saveCsv(invoices: Invoice[]): void {
    const { locale, strings } = this.#billing;
    if (!strings) return;
    // A byte-order mark, so spreadsheet programs read the accents as UTF-8.
    const csv = `\uFEFF${invoicesCsv(invoices, strings.invoicesCsvColumns, strings.invoiceStatusLabel, csvFormat(locale))}`;
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
    download(url, `invoices-${new Date(this.#billing.now()).toISOString().slice(0, 10)}.csv`);
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
