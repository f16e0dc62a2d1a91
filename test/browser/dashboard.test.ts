/**
 * `<billing-dashboard>` and `<billing-subscription>` against the real reference server: the
 * four verdicts true to the seeded data, one request per resource, sections a host reorders,
 * hides or replaces, the failed renewal seen everywhere and settled, each language alone on
 * its page, a layout with no overflow from 320 px to wide, and axe clean.
 *
 * Seed at TEST_NOW (2026-11-26T10:00Z): Pro, period 2026-11-14 → 12-14, documents 870 / 1,000
 * since the 14th, the accounting export last used 45 days ago, a card expiring with November.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import type { BillingDashboard, BillingSubscription } from '../../src/index.js';
import { freshBaseUrl, moveClock, resetServer, secondTab, waitForPreview } from '../support/billing-page.js';
import { TEST_NOW_ISO } from '../support/clock.js';
import { deepText, expectNoAxeViolations, requestsTo, until } from '../support/dom.js';

async function openDashboard(
  { lang = 'en', width = '1100px', sections = '', baseUrl = freshBaseUrl(), supportUrl = 'mailto:support@example.com' } = {},
): Promise<{ root: HTMLElement; dashboard: BillingDashboard; baseUrl: string }> {
  const root = await fixture<HTMLElement>(html`<div style=${`width: ${width}`} lang=${lang}>
    <billing-provider now=${TEST_NOW_ISO} base-url=${baseUrl} support-url=${supportUrl}>
      <billing-dashboard sections=${sections || 'summary usage plans modules payment invoices'}></billing-dashboard>
    </billing-provider>
  </div>`);
  const dashboard = root.querySelector('billing-dashboard')!;
  await until(() => dashboard.shadowRoot!.querySelector('[data-verdict="billing"]'), 'the verdicts', 8000);
  return { root, dashboard, baseUrl };
}

const verdict = (dashboard: BillingDashboard, id: string) => dashboard.shadowRoot!.querySelector<HTMLElement>(`[data-verdict="${id}"]`)!;
const verdictText = (dashboard: BillingDashboard, id: string) =>
  verdict(dashboard, id).textContent!.replace(/\u2060/g, '').replace(/\s+/g, ' ').trim();
/** Every element inside the dashboard has rendered its data (no skeleton left). */
const settled = (dashboard: BillingDashboard) =>
  [...dashboard.shadowRoot!.querySelectorAll('section > slot > *')].every(
    (element) => element.shadowRoot && element.shadowRoot.childElementCount > 0 && !element.shadowRoot.querySelector('[aria-busy="true"]'),
  );

describe('<billing-dashboard>', () => {
  beforeEach(resetServer);

  it('answers the four questions of the review, true to the data', async () => {
    const { dashboard } = await openDashboard();
    await until(() => verdictText(dashboard, 'billing').includes('Same plan and modules as the last invoice'), 'the last invoice compared');
    expect(verdictText(dashboard, 'plan')).to.contain('Documents will reach the Pro limit (1,000) around Nov 28, 2026 at this pace.');
    expect(verdictText(dashboard, 'plan')).to.contain('Consider Entreprise, one plan up.');
    expect(verdict(dashboard, 'plan').dataset.tone).to.equal('warning');
    expect(verdictText(dashboard, 'modules')).to.contain('Accounting export has not been used for over 30 days. It costs €12.00 a month.');
    // Documents past the warning threshold; orders at 47 % but on pace to reach the limit before the reset.
    expect(verdictText(dashboard, 'usage')).to.contain(
      'Close to the limits: Documents 870 / 1,000 (87%), limit reached around Nov 28, 2026 at this pace; Orders 140 / 300 (47%), limit reached around Dec 10, 2026 at this pace.',
    );
    const billing = verdictText(dashboard, 'billing');
    expect(billing).to.contain('The next invoice (€70.00 on Dec 14, 2026) matches your plan and modules.');
    expect(billing).to.contain('Same plan and modules as the last invoice (Nov 14, 2026).');
    expect(billing).to.contain('Your card expires at the end of November 2026');

    // The next invoice is the sum of its lines, and those are the active configuration at list price.
    const subscription = await secondTab().getSubscription();
    const lines = subscription.nextInvoice!.lines;
    expect(lines.reduce((sum, line) => sum + line.amount.amountMinor, 0)).to.equal(subscription.nextInvoice!.total.amountMinor);
    expect(lines.map((line) => [line.planId ?? line.moduleId, line.amount.amountMinor])).to.deep.equal([
      ['pro', 4900],
      ['e-signature', 900],
      ['accounting-export', 1200],
    ]);

    // One action each; the support link carries the review's context.
    for (const id of ['plan', 'modules', 'usage', 'billing']) {
      expect(verdict(dashboard, id).querySelectorAll('[part="action-button"]').length, id).to.equal(1);
    }
    const support = dashboard.shadowRoot!.querySelector<HTMLAnchorElement>('[part="support-link"]')!;
    expect(support.href).to.match(/^mailto:support@example\.com\?subject=Monthly%20review/);
    expect(decodeURIComponent(support.href)).to.contain('Plan: Documents will reach the Pro limit');
    await until(() => settled(dashboard), 'every section rendered', 8000);
    await expectNoAxeViolations(dashboard);
  });

  it('makes one request per resource for the whole dashboard', async () => {
    const { dashboard, baseUrl } = await openDashboard();
    await until(() => settled(dashboard), 'every section rendered', 8000);
    await until(() => verdictText(dashboard, 'billing').includes('last invoice'), 'the last invoice');
    for (const path of ['/v1/subscription', '/v1/plans', '/v1/modules', '/v1/usage', '/v1/payment-methods', '/v1/invoices']) {
      expect(requestsTo(`${baseUrl}${path}`), path).to.equal(1);
    }
    // The invoice the next one is compared with: its lines, once.
    expect(performance.getEntriesByType('resource').filter((entry) => entry.name.includes(`${baseUrl}/v1/invoices/`)).length).to.equal(1);
  });

  it('deactivates the unused module from its verdict, which then turns ok', async () => {
    const { dashboard } = await openDashboard();
    verdict(dashboard, 'modules').querySelector<HTMLButtonElement>('[part="action-button"]')!.click();
    const dialog = await waitForPreview(dashboard);
    expect(dialog.querySelector('h2')!.textContent).to.equal('Deactivate Accounting export?');
    dialog.querySelector<HTMLButtonElement>('[part="confirm-button"]')!.click();
    await until(() => verdictText(dashboard, 'modules').includes('Accounting export, unused for over 30 days, stops on Dec 14, 2026.'), 'the verdict turns ok');
    expect(verdict(dashboard, 'modules').dataset.tone).to.equal('ok');
    // The billing verdict sees the module stop at the period end: the next invoice no longer bills it.
    await until(() => verdictText(dashboard, 'billing').includes('Accounting export removed: −€12.00'), 'what changed since the last invoice');
    expect(verdictText(dashboard, 'billing')).to.contain('matches your plan and modules');
  });

  it('lets a host reorder and hide sections, and replace one through its slot', async () => {
    const root = await fixture<HTMLElement>(html`<div lang="en">
      <billing-provider now=${TEST_NOW_ISO} base-url=${freshBaseUrl()}>
        <billing-dashboard sections="invoices usage payment">
          <p slot="payment" id="host-payment">Payment is managed in your bank’s portal.</p>
        </billing-dashboard>
      </billing-provider>
    </div>`);
    const dashboard = root.querySelector('billing-dashboard')!;
    await until(() => dashboard.shadowRoot!.querySelector('[data-verdict]'), 'the verdicts', 8000);
    const shown = [...dashboard.shadowRoot!.querySelectorAll<HTMLElement>('[part="section"]')].map((section) => section.dataset.section);
    expect(shown).to.deep.equal(['invoices', 'usage', 'payment']);
    expect(dashboard.shadowRoot!.querySelector('billing-plan-picker')).to.equal(null);
    const slot = dashboard.shadowRoot!.querySelector<HTMLSlotElement>('slot[name="payment"]')!;
    expect(slot.assignedElements()[0]!.id).to.equal('host-payment');
    // The element it replaces is not there at all (a slot's fallback would stay, and fetch).
    expect(dashboard.shadowRoot!.querySelector('billing-payment-method')).to.equal(null);
    expect(deepText(dashboard)).to.contain('Payment is managed in your bank’s portal.');
    // A verdict never points to a section that is not there.
    expect(verdictText(dashboard, 'plan')).not.to.contain('See plans');
  });

  it('says a renewal failed everywhere it matters, and shows it settled once paid', async () => {
    await moveClock('2026-12-14T00:00:01Z');
    const { root, dashboard, baseUrl } = await openDashboard();
    const summary = dashboard.shadowRoot!.querySelector<BillingSubscription>('billing-subscription')!;
    await until(() => verdictText(dashboard, 'billing').includes('is unpaid'), 'the unpaid verdict');
    expect(verdict(dashboard, 'billing').dataset.tone).to.equal('danger');
    const pay = verdict(dashboard, 'billing').querySelector<HTMLAnchorElement>('a[part="action-button"]')!;
    expect(pay.textContent!.trim()).to.equal('Pay the open invoice');
    expect(pay.href).to.match(new RegExp(`${baseUrl.replace('~', '\\~')}/v1/invoices/inv_2026_\\d+/pay\\?`));
    await until(() => summary.shadowRoot!.querySelector('[part="banner"]'), 'the summary banner');
    expect(summary.shadowRoot!.querySelector('[part="banner"]')!.textContent).to.contain('A payment of €70.00 failed.');
    expect(summary.shadowRoot!.querySelector('[part="status"]')!.textContent).to.equal('Payment due');
    await until(() => deepText(dashboard).includes('Pay'), 'the invoice row');
    await expectNoAxeViolations(root);

    // Paid on the hosted pay page (as the browser would post its form)…
    const page = await (await fetch(pay.href)).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
    const paid = await fetch(pay.href, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf, number: '4242 4242 4242 4242', expiry: '12/30', cvc: '123', name: 'Camille Martin' }),
    });
    expect(paid.ok, `pay page answered ${paid.status}`).to.equal(true);
    // …and once the page has revalidated (as when the customer comes back to it), every
    // element shows it settled, without re-creating them.
    await root.querySelector('billing-provider')!.store!.revalidate();
    await until(() => !verdictText(dashboard, 'billing').includes('is unpaid'), 'the verdict settled', 8000);
    await until(() => summary.shadowRoot!.querySelector('[part="status"]')!.textContent === 'Active', 'the summary active');
    expect(summary.shadowRoot!.querySelector('[part="banner"]')).to.equal(null);
  });

  it('keeps each language alone on its page', async () => {
    const english = /\b(the|your|and|of|Unused|Remaining|orders|Orders|invoice|Invoice|Usage|month|Paid|Next|Within|limit)\b/;
    const french = /\b(le|la|les|des|du|votre|Temps|Commandes|facture|Facture|mois|Payée|Prochaine|Utilisation)\b/;
    const fr = await openDashboard({ lang: 'fr' });
    await until(() => settled(fr.dashboard), 'the French dashboard', 8000);
    await until(() => verdictText(fr.dashboard, 'billing').includes('dernière facture'), 'the last invoice compared');
    expect(deepText(fr.dashboard).match(english)?.[0] ?? null, 'English on the French page').to.equal(null);
    fr.root.remove();
    const en = await openDashboard({ lang: 'en' });
    await until(() => settled(en.dashboard), 'the English dashboard', 8000);
    expect(deepText(en.dashboard).match(french)?.[0] ?? null, 'French on the English page').to.equal(null);
  });

  it('keeps its layout while the data arrives (cumulative layout shift under 0.01)', async () => {
    let shift = 0;
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
        if (!entry.hadRecentInput) shift += entry.value;
      }
    });
    observer.observe({ type: 'layout-shift' });
    const { dashboard } = await openDashboard({ width: '768px', lang: 'fr' });
    await until(() => settled(dashboard), 'every section rendered', 8000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    observer.disconnect();
    expect(shift).to.be.below(0.01);
  });

  for (const width of ['320px', '375px', '768px', '1280px']) {
    it(`lays out at ${width} with nothing cut or overlapping`, async () => {
      const { root, dashboard } = await openDashboard({ width });
      await until(() => settled(dashboard), 'every section rendered', 8000);
      expect(root.scrollWidth, 'horizontal scroll').to.be.at.most(root.clientWidth);
      const boxes = [...dashboard.shadowRoot!.querySelectorAll<HTMLElement>('[part="verdict"], [part="section"]')];
      for (const box of boxes) expect(box.scrollWidth, `${box.dataset.verdict ?? box.dataset.section} overflows`).to.be.at.most(box.clientWidth + 1);
      const rects = boxes.map((box) => box.getBoundingClientRect());
      rects.forEach((a, i) =>
        rects.slice(i + 1).forEach((b) => {
          const overlap = a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
          expect(overlap, 'two boxes overlap').to.equal(false);
        }),
      );
      const columns = new Set(boxes.filter((box) => box.dataset.verdict).map((box) => Math.round(box.getBoundingClientRect().left))).size;
      expect(columns).to.equal(width === '1280px' ? 4 : width === '768px' ? 2 : 1);
    });
  }
});

describe('<billing-subscription>', () => {
  beforeEach(resetServer);

  it('sums up plan, status, price, next invoice with its breakdown, and cancels a scheduled change', async () => {
    await secondTab().commitChange({ timing: 'period_end', change: { type: 'plan', planId: 'pro', interval: 'year' } });
    const summary = await fixture<BillingSubscription>(
      html`<billing-subscription now=${TEST_NOW_ISO} base-url=${freshBaseUrl()} lang="en"></billing-subscription>`,
    );
    await until(() => summary.shadowRoot!.querySelector('[part="facts"]'), 'the summary');
    const text = deepText(summary);
    expect(text).to.contain('Pro · billed monthly');
    expect(text).to.contain('Active');
    expect(text).to.contain('€70.00 / month');
    expect(text).to.contain('Next invoice, Dec 14, 2026');
    expect(text).to.contain('€700.00');
    expect(text).to.contain('Yearly billing from Dec 14, 2026');
    expect(summary.shadowRoot!.querySelectorAll('[part="breakdown"] tbody tr').length).to.equal(3);
    await expectNoAxeViolations(summary);
    summary.shadowRoot!.querySelector<HTMLButtonElement>('[part="action-button"]')!.click();
    await until(() => summary.shadowRoot!.querySelector('.announcement')?.textContent?.includes('The scheduled change was cancelled.'), 'the confirmation');
    expect(summary.shadowRoot!.querySelector('[part="scheduled"]')).to.equal(null);
  });

  it('shows no cancel button to a read-only user', async () => {
    const summary = await fixture<BillingSubscription>(
      html`<billing-subscription now=${TEST_NOW_ISO} base-url=${freshBaseUrl('readonly')} lang="fr"></billing-subscription>`,
    );
    await until(() => summary.shadowRoot!.querySelector('[part="facts"]'), 'the summary');
    expect(deepText(summary)).to.contain('Essentiel · facturation mensuelle');
    expect(summary.shadowRoot!.querySelector('[part="action-button"]')).to.equal(null);
  });

  it('shows the error state with a diagnostic when the endpoint fails', async () => {
    const summary = await fixture<BillingSubscription>(
      html`<billing-subscription now=${TEST_NOW_ISO} base-url="/api/fault/500" lang="en" support-url="mailto:support@example.com"></billing-subscription>`,
    );
    await until(() => summary.shadowRoot!.querySelector('[part="error"]'), 'the error state');
    expect(summary.shadowRoot!.querySelector('pre')!.textContent).to.contain('request id: req_fault500');
    await expectNoAxeViolations(summary);
  });
});
