import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import { createBillingClient, type Invoice } from '../../src/index.js';
import type { BillingInvoiceTable } from '../../src/index.js';
import { freshBaseUrl, minorUnits, resetServer } from '../support/billing-page.js';
import { TEST_NOW_ISO } from '../support/clock.js';
import { expectNoAxeViolations, requestsTo, shadowText, until } from '../support/dom.js';

const rows = (table: BillingInvoiceTable) => [...table.shadowRoot!.querySelectorAll('tbody > tr[part="row"]')];
const loaded = (table: BillingInvoiceTable, count?: number) =>
  until(() => (count === undefined ? rows(table).length > 0 : rows(table).length === count), `${count ?? 'some'} invoice rows`);
const setFilter = (table: BillingInvoiceTable, selector: string, value: string, index = 0) => {
  const input = table.shadowRoot!.querySelectorAll<HTMLInputElement | HTMLSelectElement>(selector)[index]!;
  input.value = value;
  input.dispatchEvent(new Event('change'));
};

async function openTable(pageSize = 12): Promise<BillingInvoiceTable> {
  const table = await fixture<BillingInvoiceTable>(
    html`<billing-invoice-table now=${TEST_NOW_ISO} base-url=${freshBaseUrl()} page-size=${pageSize} lang="en"></billing-invoice-table>`,
  );
  await loaded(table);
  return table;
}

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
    const baseUrl = freshBaseUrl();
    const table = await fixture<BillingInvoiceTable>(html`<billing-invoice-table now=${TEST_NOW_ISO} base-url=${baseUrl} lang="en"></billing-invoice-table>`);
    await loaded(table);
    expect(rows(table)).to.have.length(12);
    const headers = [...table.shadowRoot!.querySelectorAll('thead th')].map((th) => th.textContent!.trim());
    expect(headers.slice(0, 5)).to.deep.equal(['Number', 'Date', 'Period', 'Amount', 'Status']);
    expect(rows(table)[0]!.textContent).to.contain('F-2026-0013');
    expect(rows(table)[0]!.textContent).to.contain('To pay');
    expect(rows(table)[0]!.textContent).to.contain('€70.00 due by Dec 14, 2026');
    await expectNoAxeViolations(table);

    expect(requestsTo(`${baseUrl}/v1/invoices`)).to.equal(1);

    table.shadowRoot!.querySelector<HTMLButtonElement>('[part="load-more"]')!.click();
    await loaded(table, 14);
    expect(table.shadowRoot!.querySelector('[part="load-more"]')).to.equal(null);
    expect(shadowText(table)).to.contain('14 invoices shown');
    const numbers = rows(table).map((row) => row.querySelector('th')!.textContent);
    expect(new Set(numbers).size).to.equal(14);
  });

  it('filters by status and by date range, and says when nothing matches', async () => {
    const table = await openTable(100);
    setFilter(table, 'select', 'paid');
    const onlyPaid = () => rows(table).length > 0 && rows(table).every((row) => row.getAttribute('data-status') === 'paid');
    await until(onlyPaid, 'only paid invoices');
    expect(rows(table)).to.have.length(12);

    setFilter(table, 'input[type="date"]', '2026-03-01', 0);
    setFilter(table, 'input[type="date"]', '2026-06-30', 1);
    await loaded(table, 4);
    const dates = rows(table).map((row) => row.querySelector('.date')!.textContent);
    expect(dates).to.deep.equal(['Jun 14, 2026', 'May 14, 2026', 'Apr 14, 2026', 'Mar 14, 2026']);

    setFilter(table, 'select', 'void');
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

  it('exports what is loaded and filtered as CSV', async () => {
    const table = await openTable(100);
    setFilter(table, 'select', 'paid');
    await until(() => rows(table).length === 12 && rows(table).every((row) => row.getAttribute('data-status') === 'paid'), 'paid only');
    let blob: Blob | undefined;
    const createObjectURL = URL.createObjectURL;
    URL.createObjectURL = (object: Blob | MediaSource) => {
      blob = object as Blob;
      return createObjectURL(object);
    };
    try {
      table.shadowRoot!.querySelector<HTMLButtonElement>('.export')!.click();
    } finally {
      URL.createObjectURL = createObjectURL;
    }
    const csv = (await blob!.text()).replace(/^\uFEFF/, '');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).to.equal('"Number","Date","Period start","Period end","Status","Total","Amount due","Currency"');
    expect(lines).to.have.length(13);
    expect(lines[1]).to.match(/^"F-2026-0011","2026-10-14","2026-10-14","2026-11-14","Paid","70.00","0.00","EUR"$/);
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
    expect(shadowText(table)).to.contain('À payer');
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
