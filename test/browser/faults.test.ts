/**
 * Faults in the browser: every element, every resource it loads, every fault.
 *
 * Each cell mounts one element under a provider whose client does not retry (`retries: 0`;
 * under the timeout fault it gives up on the faulted operation after 300 ms, and waits the
 * usual time for everything else), on a base URL of its own where the test server
 * answers one operation with one fault, every time, until the fault is lifted (faults.ts).
 * A cell passes when the element ends in a clear state in words — the error state with the
 * fault's localized message, its retry, support link and diagnostic (code and status), or,
 * for a resource the element can do without, its own graceful state — when the retry works
 * once the fault is lifted (the data is shown), when the faulted operation was asked for,
 * and when nothing was thrown or rejected unhandled on the page.
 *
 * Faults (`FAULTS`): 500, 502 (an HTML page), 503, 429 with `Retry-After`, timeout, malformed
 * JSON, a body that breaks the schema, 401, 403, 404, offline (the connection dropped).
 *
 * The matrix: 25 rows (an element and a resource it loads; the dashboard's in
 * faults-dashboard.test.ts) × 11 faults = 275 cells. Each file prints its rows as a table, one
 * letter per cell for how it ended (`Outcome` in fault-cells.ts); docs/testing.md has them.
 *
 * | element                  | resource (operation)        | every fault ends in                                           | retry                     |
 * | ------------------------ | --------------------------- | ------------------------------------------------------------- | ------------------------- |
 * | <billing-usage-meter>    | listUsage                   | error state, the fault's message                              | Try again → metrics       |
 * | <billing-module-list>    | listModules, getSubscription, listPlans | error state, the fault's message                  | Try again → modules       |
 * | <billing-plan-picker>    | listPlans, listUsage, getSubscription, listModules | error state, the fault's message       | Try again → plans         |
 * | <billing-invoice-table>  | getSubscription, listInvoices | error state, the fault's message                            | Try again → rows          |
 * |                          | getInvoice (a row's lines)  | the row's lines say the fault's message (role=alert), table kept | Hide, Details → lines  |
 * |                          | getInvoicePdf (PDF button)  | announced (role=status, error tone), table kept               | PDF again → download      |
 * | <billing-payment-method> | listPaymentMethods, getSubscription | error state, the fault's message                      | Try again → the card      |
 * | <billing-subscription>   | getSubscription, listPlans, listModules | error state, the fault's message                  | Try again → the summary   |
 * |                          | listInvoices (optional)     | the summary, no error (the invoices only serve a past-due banner) | —                     |
 * | <billing-dashboard>      | getSubscription, listPlans, listModules, listUsage | the dashboard's error state, the fault's message | Try again → verdicts and every section |
 * |                          | listPaymentMethods (optional) | the four verdicts; the payment section's error state        | its Try again → the card  |
 * |                          | listInvoices (optional)     | the four verdicts; the invoice section's error state          | its Try again → rows      |
 * |                          | getInvoice (optional: the current period's lines) | the four verdicts, without the comparison with the last invoice; no error | — |
 *
 * The same faults against the default client (two retries with backoff, `Retry-After`
 * honoured) end in the same error state once the retries are spent; the counts are checked
 * below the matrix. Failed mutations (a change committed, a scheduled change cancelled, a
 * payment method made the default, removed or set up) are in faults-mutations.test.ts.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import { en } from '../../src/index.js';
import type { BillingProvider } from '../../src/index.js';
import type { EndpointName } from '../../src/contract/endpoints.js';
import { button, freshBaseUrl, resetServer } from '../support/billing-page.js';
import { TEST_NOW_ISO } from '../support/clock.js';
import { requestsTo, until } from '../support/dom.js';
import {
  catchingDownloads,
  describeMatrix,
  errorState,
  expectAsked,
  expectErrorState,
  expectNothingUncaught,
  hasData,
  shadow,
  text,
  type Resources,
} from '../support/fault-cells.js';
import { FAULT_CODES, faultHits, setFaults, type Fault } from '../support/faults.js';

const matrix: Record<string, Resources> = {
  'billing-usage-meter': { listUsage: true },
  'billing-module-list': { listModules: true, getSubscription: true, listPlans: true },
  'billing-plan-picker': { listPlans: true, listUsage: true, getSubscription: true, listModules: true },
  'billing-invoice-table': {
    getSubscription: true,
    listInvoices: true,
    // A row's lines: said in the row, the table stays; hiding and showing them again asks again.
    getInvoice: async (cell) => {
      const table = cell.element;
      await until(() => button(table, /^Details/), 'a row’s Details button');
      button(table, /^Details/)!.click();
      const failure = () => shadow(table)!.querySelector('.lines-row [role="alert"]');
      await until(failure, 'the lines’ failure');
      expect(text(failure())).to.equal(en.errorMessage(FAULT_CODES[cell.fault]));
      expect(errorState(table)).to.equal(null);
      expect(hasData['billing-invoice-table']!(table)).to.equal(true);
      await expectAsked(cell, 'getInvoice');
      await cell.lift();
      button(table, /^Hide details/)!.click();
      await until(() => !shadow(table)!.querySelector('.lines-row'), 'lines hidden');
      button(table, /^Details/)!.click();
      await until(() => shadow(table)!.querySelector('.lines-row [part="lines"]'), 'the lines after the retry');
      return 'I';
    },
    // The PDF: the failure announced, the table stays; pressing PDF again downloads it.
    getInvoicePdf: async (cell) => {
      const table = cell.element;
      await until(() => button(table, /^PDF/), 'a PDF button');
      button(table, /^PDF/)!.click();
      const announcement = () => shadow(table)!.querySelector('[role="status"] [part="announcement"]');
      await until(announcement, 'the download’s failure announced');
      expect(announcement()!.getAttribute('data-tone')).to.equal('error');
      expect(text(announcement())).to.equal(en.errorMessage(FAULT_CODES[cell.fault]));
      expect(errorState(table)).to.equal(null);
      await expectAsked(cell, 'getInvoicePdf');
      await cell.lift();
      const saved = await catchingDownloads(async (downloads) => {
        button(table, /^PDF/)!.click();
        await until(() => downloads.length, 'the PDF downloaded after the retry');
      });
      expect(saved[0]!.download).to.match(/\.pdf$/);
      expect(announcement()).to.equal(null);
      return 'I';
    },
  },
  'billing-payment-method': { listPaymentMethods: true, getSubscription: true },
  'billing-subscription': {
    getSubscription: true,
    listPlans: true,
    listModules: true,
    // Only a past-due banner uses the invoices: the summary shows without them.
    listInvoices: async (cell) => {
      await until(() => hasData['billing-subscription']!(cell.element), 'the summary');
      await expectAsked(cell, 'listInvoices');
      expect(errorState(cell.element)).to.equal(null);
      expect(shadow(cell.element)!.querySelector('[role="alert"]')).to.equal(null);
      return 'D';
    },
  },
};

describe('faults in the browser', () => {
  describeMatrix(matrix);
});

describe('faults against a client that retries', () => {
  before(resetServer);
  afterEach(expectNothingUncaught);

  /** The default client: two retries with backoff; a fault that persists outlasts them. */
  async function openWithRetries(operation: EndpointName, fault: Fault) {
    const baseUrl = freshBaseUrl();
    await setFaults(baseUrl, { [operation]: fault });
    const meter = await fixture<HTMLElement>(html`<billing-usage-meter now=${TEST_NOW_ISO} lang="en" base-url=${baseUrl} support-url="mailto:support@example.com"></billing-usage-meter>`);
    return { meter, baseUrl };
  }

  for (const fault of ['503', '502', 'offline'] as const) {
    it(`a ${fault} that persists: retried twice, then the error state`, async () => {
      const { meter, baseUrl } = await openWithRetries('listUsage', fault);
      await until(() => errorState(meter), 'error state', 6000);
      expectErrorState(meter, fault);
      // The client's three attempts; a dropped connection may also be retried by Chromium itself.
      const hits = (await faultHits(baseUrl)).listUsage!;
      if (fault === 'offline') expect(hits).to.be.at.least(3);
      else expect(hits).to.equal(3);
    });
  }

  it('a 429 that persists: each retry waits its Retry-After (1 s), then the error state', async () => {
    const start = performance.now();
    const { meter, baseUrl } = await openWithRetries('listUsage', '429');
    await until(() => errorState(meter), 'error state', 8000);
    expectErrorState(meter, '429');
    expect((await faultHits(baseUrl)).listUsage).to.equal(3);
    expect(performance.now() - start).to.be.greaterThan(1900);
  });

  for (const fault of ['401', '403', '404', 'malformed', 'schema'] as const) {
    it(`a ${fault} is not retried`, async () => {
      const { meter, baseUrl } = await openWithRetries('listUsage', fault);
      await until(() => errorState(meter), 'error state');
      expectErrorState(meter, fault);
      expect((await faultHits(baseUrl)).listUsage).to.equal(1);
    });
  }
});

describe('an element taken off the page', () => {
  before(resetServer);

  // Found by the dashboard's cells: its error state takes the sections' elements off the page,
  // and an update they had pending resolved their locale off the page (the browser's), which
  // switched the shared store to that language and loaded every resource again.
  it('with an update pending leaves the language of the page’s store alone', async () => {
    const baseUrl = freshBaseUrl();
    const provider = await fixture<BillingProvider>(html`<billing-provider now=${TEST_NOW_ISO} lang="fr" base-url=${baseUrl}>
      <billing-usage-meter></billing-usage-meter>
      <billing-module-list></billing-module-list>
    </billing-provider>`);
    const [meter, modules] = [provider.querySelector('billing-usage-meter')!, provider.querySelector('billing-module-list')!];
    await until(() => hasData['billing-usage-meter']!(meter) && hasData['billing-module-list']!(modules), 'both elements');
    const store = provider.store!;
    expect(store.client.locale).to.equal('fr');
    const plans = requestsTo(`${baseUrl}/v1/plans`);

    meter.requestUpdate();
    meter.remove();
    await meter.updateComplete;
    await modules.updateComplete;

    expect(store.client.locale).to.equal('fr');
    expect(store.get('plans').loading).to.equal(false);
    expect(requestsTo(`${baseUrl}/v1/plans`)).to.equal(plans);
  });
});
