import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import { createBillingClient, en, storeForBaseUrl, type Invoice, type InvoiceStatus } from '../../src/index.js';
import type { BillingInvoiceTable } from '../../src/index.js';
import { freshBaseUrl, minorUnits, resetServer, secondTab } from '../support/billing-page.js';
import { TEST_NOW_ISO } from '../support/clock.js';
import { expectNoAxeViolations, requestsTo, shadowText, until } from '../support/dom.js';

const rows = (table: BillingInvoiceTable) => [...table.shadowRoot!.querySelectorAll('tbody > tr[part="row"]')];
const loaded = (table: BillingInvoiceTable, count?: number) =>
  until(() => (count === undefined ? rows(table).length > 0 : rows(table).length === count), `${count ?? 'some'} invoice rows`);
/**
 * Sets a filter and waits for the render that takes it in: until then the rows on screen are
 * the previous filter's, and a check of them could pass before the new page has even been
 * asked for (the newest few invoices are all paid, for one).
 */
const setFilter = async (table: BillingInvoiceTable, selector: string, value: string, index = 0) => {
  const input = table.shadowRoot!.querySelectorAll<HTMLInputElement | HTMLSelectElement>(selector)[index]!;
  input.value = value;
  input.dispatchEvent(new Event('change'));
  await table.updateComplete;
};

async function openTable(pageSize = 12): Promise<BillingInvoiceTable> {
  const table = await fixture<BillingInvoiceTable>(
    html`<billing-invoice-table now=${TEST_NOW_ISO} base-url=${freshBaseUrl()} page-size=${pageSize} lang="en"></billing-invoice-table>`,
  );
  await loaded(table);
  return table;
}

/** Every invoice the endpoint lists for `query`, newest first, as a second tab would fetch them. */
async function invoicesFromEndpoint(query: { status?: InvoiceStatus } = {}): Promise<Invoice[]> {
  const client = secondTab();
  const invoices: Invoice[] = [];
  let cursor: string | null = null;
  do {
    const page = await client.listInvoices({ limit: 100, ...query, ...(cursor ? { cursor } : {}) });
    invoices.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return invoices;
}

/** The CSV line expected for a euro invoice. */
const csvLine = (invoice: Invoice, status: string, separator = ',', decimalMark = '.') =>
  [
    invoice.number,
    invoice.issuedAt.slice(0, 10),
    invoice.periodStart.slice(0, 10),
    invoice.periodEnd.slice(0, 10),
    status,
    (invoice.total.amountMinor / 100).toFixed(2).replace('.', decimalMark),
    (invoice.amountDue.amountMinor / 100).toFixed(2).replace('.', decimalMark),
    invoice.total.currency,
  ]
    .map((field) => `"${field}"`)
    .join(separator);

const exportButton = (table: BillingInvoiceTable) => table.shadowRoot!.querySelector<HTMLButtonElement>('.export')!;

/**
 * Clicks "Export CSV" and reads the file the element saves: the download link it clicks is
 * caught (no file is written), and its blob URL read back.
 */
async function exportCsv(table: BillingInvoiceTable): Promise<{ filename: string; bytes: Uint8Array; csv: string }> {
  const click = HTMLAnchorElement.prototype.click;
  let link: { href: string; download: string } | undefined;
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    link = { href: this.href, download: this.download };
  };
  try {
    // A disabled button (no invoices shown, e.g. while a page loads) swallows the click.
    expect(exportButton(table).disabled, 'the export button is enabled').to.equal(false);
    exportButton(table).click();
    // The export reads every page matching the filters, one request each: more time than a
    // render. Should it not end, the message says where it stopped.
    await until(() => link, 'CSV saved', 20_000, () => exportState(table));
  } finally {
    HTMLAnchorElement.prototype.click = click;
  }
  const bytes = new Uint8Array(await (await fetch(link!.href)).arrayBuffer());
  // TextDecoder drops the byte-order mark, which `bytes` shows.
  return { filename: link!.download, bytes, csv: new TextDecoder().decode(bytes) };
}

/** Where an export stands: for the message of a wait that timed out. */
const exportState = (table: BillingInvoiceTable) => {
  const pages = performance.getEntriesByType('resource').filter((entry) => /\/v1\/invoices\?.*limit=100/.test(entry.name));
  return [
    `aria-busy=${exportButton(table).getAttribute('aria-busy')}`,
    `announcement=${JSON.stringify(table.shadowRoot!.querySelector('[part="announcement"]')?.textContent?.trim() ?? null)}`,
    `export pages fetched=${pages.length} (${pages.map((entry) => `${Math.round(entry.duration)} ms`).join(', ')})`,
  ].join('; ');
};

/** A fake endpoint serving `invoices`, for link states the seed has not. */
const clientServing = (invoices: Invoice[]) =>
  createBillingClient({
    baseUrl: '/fake',
    fetch: async (input) =>
      String(input).includes('/v1/invoices')
        ? Response.json({ data: invoices, nextCursor: null })
        : fetch(String(input).replace('/fake', freshBaseUrl())),
  });
const invoice = (overrides: Partial<Invoice>): Invoice => ({
  id: 'inv_x',
  number: 'F-2026-0099',
  status: 'open',
  issuedAt: '2026-11-14T00:00:00Z',
  dueAt: '2026-12-14T00:00:00Z',
  periodStart: '2026-11-14T00:00:00Z',
  periodEnd: '2026-12-14T00:00:00Z',
  total: { amountMinor: 7000, currency: 'EUR' },
  amountDue: { amountMinor: 7000, currency: 'EUR' },
  hostedUrl: null,
  hasPdf: false,
  ...overrides,
});

describe('<billing-invoice-table>', () => {
  before(resetServer);

  it('pages through the 14 months of invoices with "load more", one request per page', async () => {
    const all = await invoicesFromEndpoint();
    expect(all).to.have.length(14);
    const baseUrl = freshBaseUrl();
    const table = await fixture<BillingInvoiceTable>(html`<billing-invoice-table now=${TEST_NOW_ISO} base-url=${baseUrl} lang="en"></billing-invoice-table>`);
    await loaded(table);
    expect(rows(table)).to.have.length(12);
    const headers = [...table.shadowRoot!.querySelectorAll('thead th')].map((th) => th.textContent!.trim());
    expect(headers.slice(0, 5)).to.deep.equal(['Number', 'Date', 'Period', 'Amount', 'Status']);
    // Newest first, each with its status; the seed's invoices are all settled (paid, one
    // voided): nothing is due, and nothing offers to pay.
    const shown = (row: Element) => [row.querySelector('th')!.textContent!.trim(), row.querySelector('[part="badge"]')!.textContent!.trim()];
    expect(rows(table).map(shown)).to.deep.equal(all.slice(0, 12).map((invoice) => [invoice.number, en.invoiceStatusLabel(invoice.status)]));
    expect(all.some((invoice) => invoice.status === 'void')).to.equal(true);
    expect(all.every((invoice) => invoice.status !== 'open')).to.equal(true);
    expect(table.shadowRoot!.querySelectorAll('.due, [part="pay-link"]')).to.have.length(0);
    await expectNoAxeViolations(table);

    expect(requestsTo(`${baseUrl}/v1/invoices`)).to.equal(1);

    // While the page comes the button keeps the keyboard focus and a second press does nothing.
    const loadMore = table.shadowRoot!.querySelector<HTMLButtonElement>('[part="load-more"]')!;
    loadMore.focus();
    loadMore.click();
    await table.updateComplete;
    expect(loadMore.getAttribute('aria-disabled')).to.equal('true');
    expect(table.shadowRoot!.activeElement).to.equal(loadMore);
    loadMore.click();
    await loaded(table, 14);
    expect(requestsTo(`${baseUrl}/v1/invoices`)).to.equal(2);
    expect(table.shadowRoot!.querySelector('[part="load-more"]')).to.equal(null);
    expect(shadowText(table)).to.contain('14 invoices shown');
    expect(rows(table).map((row) => row.querySelector('th')!.textContent!.trim())).to.deep.equal(all.map((invoice) => invoice.number));
    expect(requestsTo(`${baseUrl}/v1/invoices`)).to.equal(2);
  });

  it('shares its first page with the other elements of the page: one request for the latest invoices', async () => {
    const baseUrl = freshBaseUrl();
    const root = await fixture<HTMLElement>(html`<billing-provider now=${TEST_NOW_ISO} base-url=${baseUrl} lang="en">
      <billing-invoice-table></billing-invoice-table>
      <billing-invoice-table></billing-invoice-table>
    </billing-provider>`);
    const [first, second] = [...root.querySelectorAll('billing-invoice-table')] as [BillingInvoiceTable, BillingInvoiceTable];
    await loaded(first, 12);
    await loaded(second, 12);
    expect(requestsTo(`${baseUrl}/v1/invoices`)).to.equal(1);
    expect(storeForBaseUrl(baseUrl).get('invoices').data!.data.map((invoice) => invoice.number)).to.deep.equal(
      rows(first).map((row) => row.querySelector('th')!.textContent!.trim()),
    );

    // A filter asks the endpoint; back to all invoices, the shared page is there again.
    await setFilter(first, 'select', 'paid');
    await until(() => rows(first).length > 0 && rows(first).every((row) => row.getAttribute('data-status') === 'paid'), 'paid only');
    expect(requestsTo(`${baseUrl}/v1/invoices`)).to.equal(2);
    await setFilter(first, 'select', '');
    await until(() => rows(first).some((row) => row.getAttribute('data-status') === 'void'), 'all invoices again');
    expect(rows(first)).to.have.length(12);
    expect(requestsTo(`${baseUrl}/v1/invoices`)).to.equal(2);

    // Another page size is another page: the table asks for it.
    const sized = document.createElement('billing-invoice-table');
    sized.pageSize = 5;
    root.append(sized);
    await loaded(sized, 5);
    const pages = performance
      .getEntriesByType('resource')
      .map((entry) => new URL(entry.name))
      .filter((url) => url.pathname === `${baseUrl}/v1/invoices`)
      .map((url) => `limit=${url.searchParams.get('limit')} status=${url.searchParams.get('status') ?? 'any'}`);
    expect(pages).to.deep.equal(['limit=12 status=any', 'limit=12 status=paid', 'limit=5 status=any']);
  });

  it('keeps the pages loaded after the shared first page when it comes back the same', async () => {
    const baseUrl = freshBaseUrl();
    const table = await fixture<BillingInvoiceTable>(html`<billing-invoice-table now=${TEST_NOW_ISO} base-url=${baseUrl} lang="en"></billing-invoice-table>`);
    await loaded(table, 12);
    table.shadowRoot!.querySelector<HTMLButtonElement>('[part="load-more"]')!.click();
    await loaded(table, 14);
    // The page regains the focus a while later: the store reloads what the page shows, the
    // latest invoices and the page after them.
    const clock = Date.now;
    Date.now = () => clock() + 60_000;
    try {
      window.dispatchEvent(new Event('focus'));
    } finally {
      Date.now = clock;
    }
    const store = storeForBaseUrl(baseUrl);
    await until(() => requestsTo(`${baseUrl}/v1/invoices`) === 4, 'both pages reloaded');
    await until(() => !store.get('invoices').loading && !store.get('subscription').loading, 'reload done');
    await table.updateComplete;
    expect(rows(table)).to.have.length(14);
    expect(shadowText(table)).to.contain('14 invoices shown');
  });

  it('loads its pages again when the subscription version changes, however the new version came', async () => {
    const baseUrl = freshBaseUrl();
    const table = await fixture<BillingInvoiceTable>(html`<billing-invoice-table now=${TEST_NOW_ISO} base-url=${baseUrl} lang="en"></billing-invoice-table>`);
    await loaded(table, 12);
    const numbers = () => rows(table).map((row) => row.querySelector('th')!.textContent!.trim());
    const loadMore = () => table.shadowRoot!.querySelector<HTMLButtonElement>('[part="load-more"]')!.click();
    loadMore();
    await loaded(table, 14);
    const before = numbers();

    try {
      // Another tab activates a module now: that costs money, so an invoice is issued.
      const other = secondTab();
      const module = (await other.listModules()).data.find((candidate) => candidate.state === 'inactive' && candidate.available && candidate.price)!;
      const { invoice } = await other.commitChange({ timing: 'now', change: { type: 'module', moduleId: module.id, action: 'activate' } });
      expect(invoice).not.to.equal(null);
      expect(invoice!.number).not.to.equal(before[0]);

      // This page hears of it through a plain reload of the subscription (not a change it made).
      await storeForBaseUrl(baseUrl).load('subscription', { force: true });
      await until(() => numbers()[0] === invoice!.number, 'the new invoice first');
      // The first page now ends one invoice earlier: the page loaded after it no longer follows
      // on, and the list starts again from the first page.
      expect(numbers()).to.deep.equal([invoice!.number, ...before.slice(0, 11)]);
      loadMore();
      await loaded(table, 15);
      expect(numbers()).to.deep.equal([invoice!.number, ...before]);
    } finally {
      // The other tests read the seed as it was.
      await resetServer();
    }
  });

  it('lets go of what it no longer shows: a page superseded by a filter is aborted, invoice lines are loaded once', async () => {
    const real = freshBaseUrl();
    const paidAsked: string[] = [];
    const aborted: string[] = [];
    const detailRequests: string[] = [];
    // An endpoint whose paid invoices take a while: time to change the filter again.
    const client = createBillingClient({
      baseUrl: '/fake',
      fetch: async (input, init) => {
        const url = new URL(String(input).replace('/fake', real), location.href);
        if (/\/v1\/invoices\/[^/]+$/.test(url.pathname)) detailRequests.push(url.pathname);
        if (url.searchParams.get('status') === 'paid') {
          paidAsked.push(url.search);
          await new Promise((resolve) => setTimeout(resolve, 500));
          if (init?.signal?.aborted) aborted.push(url.search);
        }
        return fetch(url, init);
      },
    });
    const table = await fixture<BillingInvoiceTable>(
      html`<billing-invoice-table now=${TEST_NOW_ISO} .client=${client} lang="en"></billing-invoice-table>`,
    );
    await loaded(table, 12);
    await setFilter(table, 'select', 'paid');
    await until(() => paidAsked.length === 1, 'the paid page asked for');
    await setFilter(table, 'select', 'void');
    await until(() => rows(table).length > 0 && rows(table).every((row) => row.getAttribute('data-status') === 'void'), 'void only');
    await until(() => aborted.length === 1, 'the paid page aborted');
    expect(aborted[0]).to.contain('status=paid');

    // Lines: loaded when opened, kept when closed and opened again.
    const toggle = () => rows(table)[0]!.querySelector<HTMLButtonElement>('button[aria-expanded]')!.click();
    toggle();
    await until(() => table.shadowRoot!.querySelector('[part="lines"]'), 'lines shown');
    toggle();
    await until(() => !table.shadowRoot!.querySelector('[part="lines"]'), 'lines hidden');
    toggle();
    await until(() => table.shadowRoot!.querySelector('[part="lines"]'), 'lines shown again');
    expect(detailRequests).to.have.length(1);
  });

  it('filters by status and by date range, and says when nothing matches', async () => {
    const all = await invoicesFromEndpoint();
    const paid = all.filter((invoice) => invoice.status === 'paid');
    // The filter must leave some out, or it would prove nothing.
    expect(paid.length).to.be.greaterThan(4).and.lessThan(all.length);
    const table = await openTable(100);
    await loaded(table, all.length);
    await setFilter(table, 'select', 'paid');
    const onlyPaid = () => rows(table).length === paid.length && rows(table).every((row) => row.getAttribute('data-status') === 'paid');
    await until(onlyPaid, 'only paid invoices');
    expect(rows(table).map((row) => row.querySelector('th')!.textContent!.trim())).to.deep.equal(paid.map((invoice) => invoice.number));

    await setFilter(table, 'input[type="date"]', '2026-03-01', 0);
    await setFilter(table, 'input[type="date"]', '2026-06-30', 1);
    const inRange = paid.filter((invoice) => invoice.issuedAt >= '2026-03-01' && invoice.issuedAt < '2026-07-01');
    expect(inRange).to.have.length(4);
    await loaded(table, inRange.length);
    const dates = rows(table).map((row) => row.querySelector('.date')!.textContent);
    expect(dates).to.deep.equal(['Jun 14, 2026', 'May 14, 2026', 'Apr 14, 2026', 'Mar 14, 2026']);

    await setFilter(table, 'select', 'void');
    await until(() => table.shadowRoot!.querySelector('[part="empty"]'), 'empty state');
    expect(shadowText(table)).to.contain('No invoices match these filters.');
    await expectNoAxeViolations(table);
  });

  it('expands an invoice to lines that add up to its total', async () => {
    const table = await openTable();
    const row = rows(table)[0]!;
    const toggle = row.querySelector<HTMLButtonElement>('button[aria-expanded]')!;
    toggle.click();
    await until(() => table.shadowRoot!.querySelector('[part="lines"]'), 'lines shown');
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    const lines = table.shadowRoot!.getElementById(toggle.getAttribute('aria-controls')!)!;
    const amounts = [...lines.querySelectorAll('.lines tbody td')].map((cell) => minorUnits(cell.textContent!));
    expect(amounts.length).to.be.greaterThan(1);
    const total = minorUnits(row.querySelector('.amount')!.textContent!);
    expect(amounts.reduce((sum, amount) => sum + amount, 0)).to.equal(total);
    expect(lines.textContent).to.contain('Pro');
    await expectNoAxeViolations(table);
  });

  it('exports every invoice that matches the filters as CSV, not only the loaded page', async function () {
    // Longer than the export's own wait (exportCsv), so that its message is the one reported.
    this.timeout(30_000);
    const real = freshBaseUrl();
    // An endpoint that serves at most 4 invoices a page whatever the limit asked: the export
    // must follow its cursor through several pages.
    const exportPages: string[] = [];
    const client = createBillingClient({
      baseUrl: '/fake',
      fetch: async (input, init) => {
        const url = new URL(String(input).replace('/fake', real), location.href);
        if (url.pathname.endsWith('/v1/invoices') && url.searchParams.get('limit') === '100') {
          exportPages.push(url.searchParams.get('cursor') ?? 'first');
          url.searchParams.set('limit', '4');
        }
        return fetch(url, init);
      },
    });
    const table = await fixture<BillingInvoiceTable>(
      html`<billing-invoice-table now=${TEST_NOW_ISO} .client=${client} page-size="3" lang="en"></billing-invoice-table>`,
    );
    await loaded(table, 3);
    const expected = await invoicesFromEndpoint();
    expect(expected.length).to.be.greaterThan(8);

    const button = exportButton(table);
    const saving = exportCsv(table);
    await table.updateComplete;
    // Busy while the pages come, and still focusable.
    expect(button.getAttribute('aria-busy')).to.equal('true');
    expect(button.disabled).to.equal(false);
    expect(button.textContent!.trim()).to.equal('Loading…');
    const { filename, bytes, csv } = await saving;
    expect(exportPages.length).to.equal(Math.ceil(expected.length / 4));
    expect([...bytes.slice(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    // Named after the element's now, not the browser's clock.
    expect(filename).to.equal('invoices-2026-11-26.csv');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).to.equal('"Number","Date","Period start","Period end","Status","Total","Amount due","Currency"');
    expect(lines.slice(1)).to.deep.equal(expected.map((invoice) => csvLine(invoice, en.invoiceStatusLabel(invoice.status))));
    // The table itself still shows the page it had.
    expect(rows(table)).to.have.length(3);
    await until(() => button.getAttribute('aria-busy') === null, 'not busy any more');
    expect(button.textContent!.trim()).to.equal('Export CSV');

    await setFilter(table, 'select', 'paid');
    await until(() => rows(table).length === 3 && rows(table).every((row) => row.getAttribute('data-status') === 'paid'), 'paid only');
    const paid = await invoicesFromEndpoint({ status: 'paid' });
    expect(paid.length).to.be.greaterThan(3);
    const paidLines = (await exportCsv(table)).csv.trimEnd().split('\r\n').slice(1);
    expect(paidLines).to.deep.equal(paid.map((invoice) => csvLine(invoice, 'Paid')));
  });

  it('exports for a French spreadsheet in French: semicolons and decimal commas', async function () {
    // Longer than the export's own wait (exportCsv), so that its message is the one reported.
    this.timeout(30_000);
    const table = await fixture<BillingInvoiceTable>(
      html`<billing-invoice-table now=${TEST_NOW_ISO} base-url=${freshBaseUrl()} page-size="4" lang="fr"></billing-invoice-table>`,
    );
    await loaded(table);
    await setFilter(table, 'select', 'paid');
    await until(() => rows(table).length === 4 && rows(table).every((row) => row.getAttribute('data-status') === 'paid'), 'paid only');
    const paid = await invoicesFromEndpoint({ status: 'paid' });
    const lines = (await exportCsv(table)).csv.trimEnd().split('\r\n');
    expect(lines[0]).to.equal('"Numéro";"Date";"Début de période";"Fin de période";"Statut";"Total";"Montant dû";"Devise"');
    expect(lines.slice(1)).to.deep.equal(paid.map((invoice) => csvLine(invoice, 'Payée', ';', ',')));
    expect(lines[1]).to.match(/^"F-\d{4}-\d{4}";"\d{4}-\d\d-\d\d";"\d{4}-\d\d-\d\d";"\d{4}-\d\d-\d\d";"Payée";"\d+,\d\d";"\d+,\d\d";"EUR"$/);
  });

  it('says why an export failed, and saves nothing', async () => {
    const real = freshBaseUrl();
    const client = createBillingClient({
      baseUrl: '/fake',
      fetch: async (input, init) => {
        const url = new URL(String(input), location.href);
        // The export's pages (100 at a time) fail; the table's own pages of 5 load.
        if (url.pathname.endsWith('/v1/invoices') && url.searchParams.get('limit') === '100') {
          return Response.json(
            { type: 'about:blank', title: 'Forbidden', status: 403, code: 'forbidden', requestId: 'req_export', retryable: false },
            { status: 403, headers: { 'Content-Type': 'application/problem+json' } },
          );
        }
        return fetch(String(input).replace('/fake', real), init);
      },
    });
    const table = await fixture<BillingInvoiceTable>(
      html`<billing-invoice-table now=${TEST_NOW_ISO} .client=${client} page-size="5" lang="en"></billing-invoice-table>`,
    );
    await loaded(table);
    const click = HTMLAnchorElement.prototype.click;
    let saved = false;
    HTMLAnchorElement.prototype.click = () => (saved = true);
    try {
      exportButton(table).click();
      await until(() => table.shadowRoot!.querySelector('[part="announcement"]'), 'failure announced');
    } finally {
      HTMLAnchorElement.prototype.click = click;
    }
    expect(table.shadowRoot!.querySelector('[part="announcement"]')!.textContent).to.contain('You are not allowed to do this.');
    expect(saved).to.equal(false);
    expect(exportButton(table).getAttribute('aria-busy')).to.equal(null);
  });

  it('turns each invoice into a card on a phone-width container, with no horizontal scroll', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div style="width: 340px">
      <billing-invoice-table now=${TEST_NOW_ISO} base-url=${freshBaseUrl()} lang="fr"></billing-invoice-table>
    </div>`);
    const table = wrapper.querySelector('billing-invoice-table')!;
    await loaded(table);
    expect(table.scrollWidth).to.be.at.most(table.clientWidth);
    expect(table.shadowRoot!.querySelector('table')!.getBoundingClientRect().width).to.be.at.most(340);
    expect(getComputedStyle(table.shadowRoot!.querySelector('thead')!).position).to.equal('absolute');
    rows(table)[0]!.querySelector<HTMLButtonElement>('button[aria-expanded]')!.click();
    await until(() => table.shadowRoot!.querySelector('[part="lines"] tbody tr'), 'lines in the card');
    expect(getComputedStyle(table.shadowRoot!.querySelector('[part="lines"] tbody tr')!).display).to.equal('table-row');
    expect(table.scrollWidth).to.be.at.most(table.clientWidth);
    expect(rows(table)[0]!.querySelector('[part="badge"]')!.textContent!.trim()).to.equal('Payée');
    await expectNoAxeViolations(table);
  });

  it('links to pay an open invoice only with an http(s) URL', async () => {
    const table = await fixture<BillingInvoiceTable>(html`<billing-invoice-table
      now=${TEST_NOW_ISO}
      lang="en"
      .client=${clientServing([
        invoice({ id: 'a', number: 'A-1', hostedUrl: 'https://pay.example.com/i/a' }),
        invoice({ id: 'b', number: 'B-1', hostedUrl: 'javascript:alert(1)' }),
        invoice({ id: 'c', number: 'C-1', status: 'paid', hostedUrl: 'https://pay.example.com/i/c', amountDue: { amountMinor: 0, currency: 'EUR' } }),
      ])}
    ></billing-invoice-table>`);
    await loaded(table, 3);
    const links = [...table.shadowRoot!.querySelectorAll('a')];
    expect(links.map((link) => link.href)).to.deep.equal(['https://pay.example.com/i/a']);
    expect(links[0]!.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Pay A-1');
  });

  it('shows the first 100 rows of a long list in the update that brings it, and every row after that frame', async () => {
    const invoices = Array.from({ length: 450 }, (_, index) =>
      invoice({ id: `i${index}`, number: `L-${index}`, status: 'paid', amountDue: { amountMinor: 0, currency: 'EUR' } }),
    );
    const table = await fixture<BillingInvoiceTable>(
      html`<billing-invoice-table now=${TEST_NOW_ISO} lang="en" .client=${clientServing(invoices)}></billing-invoice-table>`,
    );
    await until(() => rows(table).length > 0, 'the first rows');
    expect(rows(table).length).to.equal(100);
    expect(shadowText(table)).to.contain('450');
    await loaded(table, 450);
    expect(rows(table).at(-1)!.textContent).to.contain('L-449');
  });

  it('shows the invoices of a customer without a subscription, not an error', async () => {
    const table = await fixture<BillingInvoiceTable>(html`<billing-invoice-table now=${TEST_NOW_ISO} base-url=${freshBaseUrl('nosub')} lang="en"></billing-invoice-table>`);
    await until(() => rows(table).length > 0 || table.shadowRoot!.querySelector('[part="empty"]'), 'invoices or the empty state');
    expect(table.shadowRoot!.querySelector('[role="alert"]')).to.equal(null);
  });

  it('shows a localized error with retry when the endpoint fails', async () => {
    const table = await fixture<BillingInvoiceTable>(html`<billing-invoice-table now=${TEST_NOW_ISO} base-url="/api/fault/500" lang="en"></billing-invoice-table>`);
    await until(() => table.shadowRoot!.querySelector('[role="alert"]'), 'error state');
    expect(shadowText(table)).to.contain('The billing service had a problem.');
    expect(table.shadowRoot!.querySelector('[part="retry-button"]')).not.to.equal(null);
    await expectNoAxeViolations(table);
  });
});
