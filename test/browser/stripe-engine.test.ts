/**
 * The elements and the reference handler, unchanged, over the Stripe engine
 * (`createStripeEngine`) on the stand-in of the Stripe API: the middleware in
 * test/support/stripe-test-server.ts mounts them at `/stripe-api/<customer>/…`, seeded by
 * test/stripe/fixture.ts (Team monthly with Exports, €4.50 credit, invoices INV-0001…0005
 * and a draft proration) with every clock pinned at the fixture's NOW, 2026-11-15T12:00Z.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import type { BillingInvoiceTable, BillingModuleList, BillingPlanPicker, BillingSubscription, BillingUsageMeter } from '../../src/index.js';
import { minorUnits, previewAmounts, waitForAnnouncement, waitForButton, waitForDialog, waitForPreview } from '../support/billing-page.js';
import { shadowText, until } from '../support/dom.js';

const NOW = '2026-11-15T12:00:00Z';
let pages = 0;

interface StripePage {
  summary: BillingSubscription;
  meter: BillingUsageMeter;
  modules: BillingModuleList;
  plans: BillingPlanPicker;
  invoices: BillingInvoiceTable;
}

async function openPage(): Promise<StripePage> {
  // A `~tag` per page: no cache shared with an earlier test.
  const root = await fixture<HTMLElement>(html`<billing-provider now=${NOW} base-url=${`/stripe-api/subscribed~page${++pages}`} lang="en">
    <billing-subscription></billing-subscription>
    <billing-usage-meter></billing-usage-meter>
    <billing-module-list></billing-module-list>
    <billing-plan-picker></billing-plan-picker>
    <billing-invoice-table></billing-invoice-table>
  </billing-provider>`);
  const page = {
    summary: root.querySelector('billing-subscription')!,
    meter: root.querySelector('billing-usage-meter')!,
    modules: root.querySelector('billing-module-list')!,
    plans: root.querySelector('billing-plan-picker')!,
    invoices: root.querySelector('billing-invoice-table')!,
  };
  await until(
    () =>
      shadowText(page.summary).includes('Next invoice') &&
      page.modules.shadowRoot!.querySelector('[part="module"]') &&
      page.plans.shadowRoot!.querySelector('[part="plan"]') &&
      page.invoices.shadowRoot!.querySelector('tbody tr'),
    'every element rendered from the Stripe engine',
    8000,
  );
  return page;
}

/** Number and amount of each row of the invoice table, as shown. */
const invoiceRows = (table: BillingInvoiceTable) =>
  [...table.shadowRoot!.querySelectorAll('tbody tr')].map((row) => {
    const cells = [...row.querySelectorAll('th, td')].map((cell) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim());
    return [cells[0], cells[3]];
  });

// The proration the stand-in bills, from the seed: what remains of Nov 1 → Dec 1 at NOW.
const remaining = (Date.parse('2026-12-01T00:00:00Z') - Date.parse(NOW)) / (Date.parse('2026-12-01T00:00:00Z') - Date.parse('2026-11-01T00:00:00Z'));
const prorated = (monthly: number) => Math.round(monthly * remaining);

describe('the elements over the Stripe engine (stand-in of the Stripe API)', () => {
  beforeEach(() => fetch('/stripe-api/test/reset', { method: 'POST' }));

  it('shows the subscription, the usage the host gives and the invoices Stripe holds', async () => {
    const page = await openPage();
    const summary = shadowText(page.summary);
    expect(summary).to.contain('Team · billed monthly');
    expect(summary).to.contain('Next invoice, Dec 1, 2026 €32.00');
    expect(summary).to.contain('Credit balance €4.50');
    // The engine's `usage` option: 7 of 10 seats.
    expect(shadowText(page.meter)).to.contain('Seats 7 / 10 seats');
    expect(shadowText(page.meter)).to.contain('70%');
    expect(invoiceRows(page.invoices)).to.deep.equal([
      ['in_sub_proration', '€13.00'],
      ['INV-0005', '€32.00 €32.00 due'],
      ['INV-0004', '€32.00'],
      ['INV-0003', '€32.00'],
      ['INV-0002', '€32.00'],
      ['INV-0001', '€32.00'],
    ]);
  });

  it('activates a module after a preview priced by Stripe, and every element follows', async () => {
    const page = await openPage();
    (await waitForButton(page.modules, 'Activate Single sign-on')).click();
    const dialog = await waitForPreview(page.modules);
    const { lines, dueNow } = previewAmounts(dialog);
    expect(lines).to.deep.equal([prorated(1500)]);
    expect(dueNow).to.equal(775);
    expect(dialog.textContent).to.contain('Remaining time on Single sign-on');

    dialog.querySelector<HTMLButtonElement>('[part="confirm-button"]')!.click();
    await waitForAnnouncement(page.modules, 'Single sign-on is now active.');
    expect(dialog.open).to.equal(false);
    await waitForButton(page.modules, 'Deactivate Single sign-on');
    await until(() => shadowText(page.summary).includes('Next invoice, Dec 1, 2026 €47.00'), 'the summary shows the new renewal');
    expect(shadowText(page.summary)).to.contain('1 × Single sign-on Dec 1, 2026 – Jan 1, 2027 €15.00');
    // Stripe billed the proration at once: a new paid invoice, first in the table.
    await until(() => invoiceRows(page.invoices).length === 7, 'the new invoice listed');
    const [number, amount] = invoiceRows(page.invoices)[0]!;
    expect(number).to.match(/^INV-/);
    expect(minorUnits(amount!)).to.equal(dueNow);
  });

  it('schedules a downgrade at the end of the period as a Subscription Schedule, and cancels it', async () => {
    const page = await openPage();
    (await waitForButton(page.plans, 'Choose Starter')).click();
    let dialog = await waitForPreview(page.plans);
    const periodEnd = [...dialog.querySelectorAll<HTMLInputElement>('input[type="radio"]')].find((radio) =>
      radio.parentElement!.textContent!.includes('At the end of the period (Dec 1, 2026)'),
    )!;
    periodEnd.click();
    dialog = await waitForDialog(page.plans, (d) => d.querySelector('.due-now') && !d.querySelector('.preview-loading') && periodEnd.checked);
    expect(previewAmounts(dialog).dueNow).to.equal(0);
    expect(dialog.querySelector('[part="warnings"]')!.textContent).to.contain('You have 7 seats; this plan allows 5.');

    dialog.querySelector<HTMLButtonElement>('[part="confirm-button"]')!.click();
    await waitForAnnouncement(page.plans, 'Your plan will change to Starter on Dec 1, 2026.');
    await until(() => page.summary.shadowRoot!.querySelector('[part="scheduled"]'), 'the summary shows the scheduled change');
    // The plan stays until Dec 1; the renewal Stripe previews is already Starter's.
    expect(shadowText(page.summary)).to.contain('Team · billed monthly');
    expect(shadowText(page.summary)).to.contain('Next invoice, Dec 1, 2026 €12.00');
    expect(page.summary.shadowRoot!.querySelector('[part="scheduled"]')!.textContent!.replace(/\s+/g, ' ')).to.contain('Change to Starter scheduled for Dec 1, 2026');
    expect(page.plans.shadowRoot!.querySelector('[part="scheduled"]')!.textContent).to.contain('Change to Starter scheduled for Dec 1, 2026');

    (await waitForButton(page.summary, 'Cancel this change: Change to Starter scheduled for Dec 1, 2026')).click();
    await until(() => !page.summary.shadowRoot!.querySelector('[part="scheduled"]'), 'the scheduled change gone from the summary');
    await until(() => !page.plans.shadowRoot!.querySelector('[part="scheduled"]'), 'the scheduled change gone from the plan picker');
    expect(shadowText(page.summary)).to.contain('Team · billed monthly');
    await until(() => shadowText(page.summary).includes('Next invoice, Dec 1, 2026 €32.00'), 'the renewal back to Team with Exports');
    const subscription = (await (await fetch(`/stripe-api/subscribed~check${++pages}/v1/subscription`)).json()) as { scheduledChanges: unknown[]; plan: { id: string } };
    expect(subscription.scheduledChanges).to.deep.equal([]);
    expect(subscription.plan.id).to.equal('team');
  });
});
