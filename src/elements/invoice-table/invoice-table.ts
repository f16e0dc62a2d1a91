import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { BillingError, type BillingClient } from '../../client/index.js';
import type { Invoice, InvoiceStatus } from '../../contract/index.js';
import type { Strings } from '../../i18n/index.js';
import { RECENT_INVOICES, type Resources } from '../../store/index.js';
import { baseStyles } from '../shared/base.styles.js';
import { Announcer } from '../shared/announcer.js';
import { BillingController } from '../shared/element-controller.js';
import { hostProperties, type BillingHostProperties } from '../shared/host.js';
import { formatDate, formatDateRange, formatMoney } from '../shared/format.js';
import { renderError, renderLoading } from '../shared/states.js';
import { csvFormat, invoicesCsv } from './csv.js';
import { InvoicePages, listAllInvoices } from './invoice-pages.js';
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

interface Detail {
  invoice?: Invoice;
  error?: BillingError;
}

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
 * The first page at the default size (12), unfiltered, is the store's latest invoices, which
 * the other elements of the page share (one request for all); another page size, a filter
 * and "load more" ask the endpoint themselves. The first page is loaded again whenever the
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
    expanded: { state: true },
    exporting: { state: true },
  };

  /** Invoices per page (1–100). The default, 12, shares its first page with the other elements. */
  declare pageSize: number;






  private expanded = new Set<string>();
  /** Whether a CSV export is fetching its pages. */
  private exporting = false;

  // The subscription: permissions, and its version, which changes when an invoice may have
  // been issued or paid. The latest invoices: the first page, when it is the shared one.
  #billing = new BillingController(this, ['subscription'], { subscriptionOptional: true, optional: ['invoices'] });
  #pages = new InvoicePages(this);
  #announcer = new Announcer(this);
  #details = new Map<string, Detail>();
  #loadedFor: { client: BillingClient; version: string } | null = null;
  /** The store's first page shown last, while the table shows the shared one. */
  #shownRecent: Resources['invoices'] | null = null;
  #exportAbort: AbortController | null = null;

  constructor() {
    super();
    this.pageSize = RECENT_INVOICES;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // The page in flight was aborted: load again when the element is back.
    this.#loadedFor = null;
    // An export nobody will see: stop fetching its pages.
    this.#exportAbort?.abort();
  }

  /** Loads the first page once the subscription is known, and again whenever it changes. */
  protected override willUpdate(changed: PropertyValues<this>): void {
    const store = this.#billing.store;
    const { ready } = this.#billing.status;
    if (!store || !ready || !this.#billing.permissions?.viewInvoices) return;
    const { client } = store;
    const subscription = this.#billing.state('subscription');
    const version = subscription.data?.version ?? 'none';
    const again = this.#loadedFor?.client !== client || changed.has('pageSize');
    const versionChanged = !again && this.#loadedFor?.version !== version;
    if (again || versionChanged) this.#loadedFor = { client, version };
    if (!this.#sharesFirstPage) {
      if (again || versionChanged) void this.#pages.reload(client, this.#limit);
      return;
    }
    const recent = store.get('invoices');
    // The store reloads the latest invoices itself after a change it applies and when the
    // page regains focus; a version that came otherwise (another element's reload) may find
    // them older than itself.
    if (versionChanged && !recent.loading && (recent.updatedAt ?? 0) < (subscription.updatedAt ?? 0)) {
      void store.load('invoices', { force: true });
    }
    if (again) {
      this.#shownRecent = null;
      this.#pages.awaitFirstPage();
    }
    if (recent.data && recent.data !== this.#shownRecent) {
      this.#shownRecent = recent.data;
      this.#pages.showFirstPage(recent.data);
    }
  }

  get #limit(): number {
    return Math.min(100, Math.max(1, Math.round(this.pageSize) || RECENT_INVOICES));
  }

  /** Whether the first page is the store's latest invoices: unfiltered, at their size. */
  get #sharesFirstPage(): boolean {
    const { status, from, to } = this.#pages.filters;
    return this.#limit === RECENT_INVOICES && !status && !from && !to;
  }

  /** The first page for the current filters: the shared one, or from the endpoint. */
  #firstPage(): void {
    const store = this.#billing.store;
    if (!store) return;
    if (this.#sharesFirstPage) {
      this.#shownRecent = null;
      this.#pages.awaitFirstPage();
      if (!store.get('invoices').data) void store.load('invoices');
    } else {
      void this.#pages.reload(store.client, this.#limit);
    }
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
    const pages = this.#pages;
    const recent = store.get('invoices');
    const firstPageError = this.#sharesFirstPage ? (recent.data ? null : (recent.error ?? null)) : pages.error;
    const error = billing.status.error ?? (pages.loaded ? null : firstPageError);
    const retry = () => {
      billing.retry();
      if (this.#sharesFirstPage) void store.load('invoices', { force: true });
      else void pages.reload(store.client, this.#limit);
    };
    if (error) return renderError({ error, strings, onRetry: retry, supportUrl: billing.supportUrl, pinnedNow: billing.pinnedNow });
    const locale = billing.locale;
    const { invoices } = pages;
    const filtered = Boolean(pages.filters.status || pages.filters.from || pages.filters.to);
    return html`
      ${this.#announcer.render(strings, locale)}
      ${this.#renderFilters(strings)}
      ${!pages.loaded
        ? skeleton()
        : invoices.length === 0
          ? html`<p class="empty" part="empty">${filtered ? strings.invoicesEmptyFiltered : strings.invoicesEmpty}</p>`
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
                ${invoices.map((invoice) => this.#renderInvoice(invoice, strings, locale))}
              </tbody>
            </table>`}
      ${pages.loaded && invoices.length
        ? html`<div class="footer">
            <span>${strings.invoicesShown(invoices.length)}</span>
            ${pages.error ? html`<span role="alert">${strings.errorMessage(pages.error.code)}</span>` : nothing}
            ${pages.nextCursor
              ? html`<button
                  type="button"
                  class="secondary"
                  part="load-more"
                  ?disabled=${pages.loading}
                  @click=${() => pages.loadMore(store.client, this.#limit)}
                >
                  ${pages.loading ? strings.loading : strings.invoicesLoadMore}
                </button>`
              : nothing}
          </div>`
        : nothing}
    `;
  }

  #renderFilters(strings: Strings): TemplateResult {
    const { filters } = this.#pages;
    const change = (patch: Partial<typeof filters>) => {
      // The filters as they are now, not as rendered: two quick changes must both count.
      this.#pages.filters = { ...this.#pages.filters, ...patch };
      this.#firstPage();
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
        ?disabled=${this.#pages.invoices.length === 0}
        aria-disabled=${this.exporting ? 'true' : nothing}
        aria-busy=${this.exporting ? 'true' : nothing}
        @click=${() => this.#exportCsv(strings)}
      >
        ${this.exporting ? strings.loading : strings.invoicesExportCsv}
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
    const detail = this.#details.get(invoice.id);
    if (detail?.error) return html`<p role="alert">${strings.errorMessage(detail.error.code)}</p>`;
    const lines = detail?.invoice?.lines;
    if (!lines) return html`<p role="status">${strings.loading}</p>`;
    return html`<table class="lines" part="lines">
      <caption class="visually-hidden">${invoice.number}</caption>
      <tbody>
        ${lines.map(
          (line) => html`<tr>
            <th scope="row">
              ${line.description}
              ${line.periodStart && line.periodEnd
                ? html`<span class="period">${formatDateRange(locale, line.periodStart, line.periodEnd)}</span>`
                : nothing}
            </th>
            <td class="amount">${formatMoney(locale, line.amount)}</td>
          </tr>`,
        )}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">${strings.invoiceLinesTotal}</th>
          <td class="amount">${formatMoney(locale, invoice.total)}</td>
        </tr>
      </tfoot>
    </table>`;
  }

  async #toggle(invoice: Invoice): Promise<void> {
    const expanded = new Set(this.expanded);
    if (!expanded.delete(invoice.id)) expanded.add(invoice.id);
    this.expanded = expanded;
    const client = this.#billing.store?.client;
    if (!expanded.has(invoice.id) || !client || this.#details.get(invoice.id)?.invoice) return;
    try {
      this.#details.set(invoice.id, { invoice: await client.getInvoice(invoice.id) });
    } catch (error) {
      this.#details.set(invoice.id, { error: BillingError.from(error, 'getInvoice') });
    }
    this.requestUpdate();
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
   * Saves every invoice that matches the current filters, not only the pages shown: fetches
   * them all (the button says it is busy meanwhile), then writes the CSV in the element's
   * locale. A failure is announced and saves nothing.
   */
  async #exportCsv(strings: Strings): Promise<void> {
    const client = this.#billing.store?.client;
    if (!client || this.exporting) return;
    this.exporting = true;
    this.#announcer.clear();
    const abort = (this.#exportAbort = new AbortController());
    try {
      const invoices = await listAllInvoices(client, this.#pages.filters, { signal: abort.signal });
      // The locale as it is now: it may have changed while the pages were coming.
      const { locale } = this.#billing;
      const labels = this.#billing.strings ?? strings;
      // A byte-order mark, so spreadsheet programs read the accents as UTF-8.
      const csv = `\uFEFF${invoicesCsv(invoices, labels.invoicesCsvColumns, labels.invoiceStatusLabel, csvFormat(locale))}`;
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      download(url, `invoices-${new Date(this.#billing.now()).toISOString().slice(0, 10)}.csv`);
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      const code = BillingError.from(error, 'listInvoices').code;
      if (!abort.signal.aborted) this.#announcer.announce((messages) => messages.errorMessage(code), { tone: 'error' });
    } finally {
      this.exporting = false;
      if (this.#exportAbort === abort) this.#exportAbort = null;
    }
  }
}
