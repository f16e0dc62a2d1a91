import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import { createBillingClient, type UsageMetric } from '../../src/index.js';
import type { BillingUsageMeter } from '../../src/index.js';
import { resetServer } from '../support/billing-page.js';
import { TEST_NOW_ISO } from '../support/clock.js';
import { expectNoAxeViolations, requestsTo, shadowText, until } from '../support/dom.js';

const meters = (element: Element) => [...element.shadowRoot!.querySelectorAll('[role="meter"]')];
const loaded = (meter: BillingUsageMeter) => until(() => meter.shadowRoot?.querySelector('.metric .name'), 'metrics rendered');
const errored = (meter: BillingUsageMeter) => until(() => meter.shadowRoot?.querySelector('[role="alert"]'), 'error state');

/** A client whose endpoint answers `/v1/usage` with `metrics` — a fake endpoint for states the seed has not. */
function clientServing(metrics: UsageMetric[]) {
  return createBillingClient({
    baseUrl: '/fake',
    fetch: async () => Response.json({ data: metrics }),
  });
}
const metric = (overrides: Partial<UsageMetric>): UsageMetric => ({
  metricKey: 'seats',
  name: 'Seats',
  unit: 'seat',
  used: 5,
  limit: 10,
  warnAt: 0.8,
  periodStart: '2026-11-01T00:00:00Z',
  resetsAt: '2026-12-01T00:00:00Z',
  asOf: '2026-11-15T00:00:00Z',
  ...overrides,
});

describe('<billing-usage-meter>', () => {
  before(resetServer);

  it('shows the seeded usage from the reference server, in English', async () => {
    const root = await fixture(html`<billing-provider now=${TEST_NOW_ISO} base-url="/api/demo" lang="en"><billing-usage-meter></billing-usage-meter></billing-provider>`);
    const meter = root.querySelector('billing-usage-meter')!;
    await loaded(meter);
    const text = shadowText(meter);
    expect(text).to.contain('870 / 1,000 documents');
    expect(text).to.contain('312 / 500 clients');
    expect(text).to.contain('Close to the limit · 87%');
    expect(text).to.contain('Resets on Dec 14, 2026');
    expect(text).to.contain('At this pace, the limit will be reached around Nov 28, 2026.');
    const documents = meters(meter).find((m) => m.getAttribute('aria-valuemax') === '1000')!;
    expect(documents.getAttribute('aria-valuenow')).to.equal('870');
    expect(documents.getAttribute('aria-valuetext')).to.equal('870 of 1,000 documents used (87%) — Close to the limit');
    const label = meter.shadowRoot!.getElementById(documents.getAttribute('aria-labelledby')!)!;
    expect(label.textContent).to.equal('Documents');
    await expectNoAxeViolations(root);
  });

  it('speaks French from the provider locale, with French number and date formats', async () => {
    const root = await fixture(html`<billing-provider now=${TEST_NOW_ISO} base-url="/api/demo" locale="fr"><billing-usage-meter metric="documents"></billing-usage-meter></billing-provider>`);
    const meter = root.querySelector('billing-usage-meter')!;
    await loaded(meter);
    const text = shadowText(meter);
    // French groups digits and spaces the percent sign with no-break spaces (collapsed by shadowText).
    expect(text).to.contain('870 / 1 000 documents');
    expect(text).to.contain('Proche de la limite · 87 %');
    expect(text).to.contain('Remise à zéro le 14 déc. 2026');
    expect(meters(meter)).to.have.length(1);
    await expectNoAxeViolations(root);
  });

  it('takes its locale from its own lang before the provider, and follows a locale change', async () => {
    const root = await fixture(html`<billing-provider now=${TEST_NOW_ISO} base-url="/api/demo" locale="fr">
      <billing-usage-meter metric="orders" lang="en"></billing-usage-meter>
      <billing-usage-meter metric="orders"></billing-usage-meter>
    </billing-provider>`);
    const [english, french] = [...root.querySelectorAll('billing-usage-meter')] as BillingUsageMeter[];
    await loaded(english!);
    await loaded(french!);
    expect(shadowText(english!)).to.contain('Within limit');
    expect(shadowText(french!)).to.contain('Dans la limite');
    (root as HTMLElement & { locale: string }).locale = 'en';
    await until(() => shadowText(french!).includes('Within limit'), 'French meter switched to English');
  });

  it('survives a malformed lang attribute (falls back to a locale Intl accepts)', async () => {
    const root = await fixture(html`<div lang="en_US"><billing-usage-meter now=${TEST_NOW_ISO} base-url="/api/demo" metric="documents"></billing-usage-meter></div>`);
    const meter = root.querySelector('billing-usage-meter')!;
    await loaded(meter);
    expect(shadowText(meter)).to.match(/870 \/ 1.000 documents/);
  });

  it('applies string overrides from the provider', async () => {
    const root = await fixture(html`<billing-provider now=${TEST_NOW_ISO} base-url="/api/demo" lang="en" .strings=${{ usageStatusWarning: 'Almost full' }}>
      <billing-usage-meter metric="documents"></billing-usage-meter>
    </billing-provider>`);
    const meter = root.querySelector('billing-usage-meter')!;
    await loaded(meter);
    expect(shadowText(meter)).to.contain('Almost full · 87%');
  });

  it('works on its own with base-url, and elements naming the same endpoint share one request', async () => {
    const root = await fixture(html`<div lang="en">
      <billing-usage-meter now=${TEST_NOW_ISO} base-url="/api/demo~shared" metric="documents"></billing-usage-meter>
      <billing-usage-meter now=${TEST_NOW_ISO} base-url="/api/demo~shared" metric="clients"></billing-usage-meter>
      <billing-provider now=${TEST_NOW_ISO} base-url="/api/demo~shared"><billing-usage-meter metric="orders"></billing-usage-meter></billing-provider>
    </div>`);
    const all = [...root.querySelectorAll('billing-usage-meter')];
    for (const meter of all) await loaded(meter);
    expect(all.map((meter) => meters(meter).length)).to.deep.equal([1, 1, 1]);
    expect(requestsTo('/api/demo~shared/v1/usage')).to.equal(1);
  });

  it('shows a skeleton while loading, without layout jump to an empty box', async () => {
    const meter = await fixture<BillingUsageMeter>(html`<billing-usage-meter now=${TEST_NOW_ISO} base-url="/api/fault/slow" lang="en"></billing-usage-meter>`);
    const busy = meter.shadowRoot!.querySelector('[aria-busy="true"]')!;
    expect(busy).not.to.equal(null);
    expect(meter.getBoundingClientRect().height).to.be.greaterThan(40);
    expect(shadowText(meter)).to.contain('Loading…');
    await expectNoAxeViolations(meter);
    await loaded(meter);
    expect(meter.shadowRoot!.querySelector('[aria-busy]')).to.equal(null);
  });

  it('turns a 500 into a localized error with retry, support link and diagnostic', async () => {
    const meter = await fixture<BillingUsageMeter>(
      html`<billing-usage-meter now=${TEST_NOW_ISO} base-url="/api/fault/500" lang="fr" support-url="mailto:support@example.com"></billing-usage-meter>`,
    );
    await errored(meter);
    const text = shadowText(meter);
    expect(text).to.contain('Une erreur est survenue');
    expect(text).to.contain('Le service de facturation a rencontré un problème.');
    expect(meter.shadowRoot!.querySelector('a[part="support-link"]')!.getAttribute('href')).to.equal('mailto:support@example.com');
    const diagnostic = meter.shadowRoot!.querySelector('pre')!.textContent!;
    // Labels in the reader's language; values as the support team searches them.
    expect(diagnostic).to.contain('action: listUsage');
    expect(diagnostic).to.contain('code: internal');
    expect(diagnostic).to.contain('identifiant de requête: req_fault500');
    await expectNoAxeViolations(meter);

    const before = requestsTo('/api/fault/500/v1/usage');
    meter.shadowRoot!.querySelector<HTMLButtonElement>('button[part="retry-button"]')!.click();
    await until(() => requestsTo('/api/fault/500/v1/usage') > before, 'retry sent a new request');
    await errored(meter);
  });

  it('turns a response that breaks the contract into an error, never raw values', async () => {
    for (const base of ['/api/fault/invalid', '/api/fault/html']) {
      const meter = await fixture<BillingUsageMeter>(html`<billing-usage-meter now=${TEST_NOW_ISO} base-url=${base} lang="en"></billing-usage-meter>`);
      await errored(meter);
      const text = shadowText(meter);
      expect(text).to.contain('The billing service sent data that could not be read.');
      expect(text).not.to.match(/undefined|NaN|lots|\{"/);
      expect(meter.shadowRoot!.querySelector('pre')!.textContent).to.contain('code: invalid_response');
      expect(meter.shadowRoot!.querySelector('button[part="retry-button"]')).not.to.equal(null);
    }
  });

  it('shows the empty state for a customer without a subscription', async () => {
    const meter = await fixture<BillingUsageMeter>(html`<billing-usage-meter now=${TEST_NOW_ISO} base-url="/api/nosub" lang="en"></billing-usage-meter>`);
    await until(() => meter.shadowRoot!.querySelector('[part="empty"]'), 'empty state');
    expect(shadowText(meter)).to.contain('No usage to show for this subscription.');
    await expectNoAxeViolations(meter);
  });

  it('says when it has no endpoint instead of staying blank', async () => {
    const meter = await fixture<BillingUsageMeter>(html`<billing-usage-meter now=${TEST_NOW_ISO} lang="en"></billing-usage-meter>`);
    expect(shadowText(meter)).to.contain('No billing service is configured for this component.');
    expect(meter.shadowRoot!.querySelector('button[part="retry-button"]')).to.equal(null);
    await expectNoAxeViolations(meter);
  });

  it('says so when the metric asked for does not exist, and when there is no usage at all', async () => {
    const unknown = await fixture<BillingUsageMeter>(html`<billing-usage-meter now=${TEST_NOW_ISO} base-url="/api/demo" metric="widgets" lang="en"></billing-usage-meter>`);
    await until(() => unknown.shadowRoot!.querySelector('[part="empty"]'), 'empty state');
    expect(shadowText(unknown)).to.contain('There is no usage figure named “widgets”.');

    const empty = await fixture<BillingUsageMeter>(html`<billing-usage-meter now=${TEST_NOW_ISO} .client=${clientServing([])} lang="en"></billing-usage-meter>`);
    await until(() => empty.shadowRoot!.querySelector('[part="empty"]'), 'empty state');
    expect(shadowText(empty)).to.contain('No usage to show for this subscription.');
    await expectNoAxeViolations(empty);
  });

  it('marks reached, over and unlimited metrics', async () => {
    const client = clientServing([
      metric({ metricKey: 'a', name: 'Reached', used: 10, limit: 10 }),
      metric({ metricKey: 'b', name: 'Over', used: 12, limit: 10 }),
      metric({ metricKey: 'c', name: 'Unlimited', used: 1234, limit: null }),
      metric({ metricKey: 'd', name: 'Quiet', used: 1, limit: 10 }),
    ]);
    const meter = await fixture<BillingUsageMeter>(html`<billing-usage-meter now=${TEST_NOW_ISO} .client=${client} lang="en"></billing-usage-meter>`);
    await loaded(meter);
    const statuses = [...meter.shadowRoot!.querySelectorAll('[part="metric"]')].map((li) => li.getAttribute('data-status'));
    expect(statuses).to.deep.equal(['reached', 'over', 'unlimited', 'ok']);
    const text = shadowText(meter);
    expect(text).to.contain('Limit reached · 100%');
    expect(text).to.contain('Over the limit · 120%');
    expect(text).to.contain('1,234 seats');
    expect(text).to.contain('Unlimited');
    expect(text).to.contain('At this pace, you will stay within the limit.');
    // Over the limit: the meter's value stays within its range; the text says the rest.
    const over = meters(meter)[1]!;
    expect(over.getAttribute('aria-valuenow')).to.equal('10');
    expect(over.getAttribute('aria-valuetext')).to.contain('Over the limit');
    expect(meters(meter)).to.have.length(3);
    await expectNoAxeViolations(meter);
  });
});
