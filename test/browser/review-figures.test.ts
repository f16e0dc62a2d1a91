/**
 * The figures and words of a change, against the real reference server: the recurring total
 * beside the next invoice, a billing-period switch worded as one, a refused timing shown with
 * its reason, confirmations that go when the state changes and follow the language, the
 * over-limit wording, French dates and diagnostics.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import type { BillingUsageMeter } from '../../src/index.js';
import {
  waitForDialog,
  minorUnits,
  moveClock,
  openPage,
  resetServer,
  secondTab,
  textOf,
  waitForAnnouncement,
  waitForButton,
  waitForPreview,
} from '../support/billing-page.js';
import { TEST_NOW_ISO } from '../support/clock.js';
import { expectNoAxeViolations, until } from '../support/dom.js';

const row = (dialog: HTMLDialogElement, selector: string) => dialog.querySelector<HTMLTableRowElement>(selector)!;

describe('the figures of a change', () => {
  beforeEach(resetServer);

  it('labels the recurring total of the new configuration and the next invoice after credits, each as what it is', async () => {
    const page = await openPage();
    (await waitForButton(page.modules, /^Deactivate Accounting export/)).click();
    const dialog = await waitForPreview(page.modules);
    // "Now" is chosen explicitly: the credit for the rest of the month lowers the next invoice only.
    [...dialog.querySelectorAll<HTMLInputElement>('input[type="radio"]')][0]!.click();
    await until(() => row(dialog, '.next-invoice') && !dialog.querySelector('.preview-loading'), 'the "now" preview');
    const recurring = row(dialog, '.recurring');
    expect(recurring.querySelector('th')!.textContent).to.equal('New recurring total, per month');
    // Pro 49 € + E-signature 9 €: the 12 € module is gone.
    expect(minorUnits(recurring.querySelector('td')!.textContent!)).to.equal(5800);
    const next = row(dialog, '.next-invoice');
    expect(next.querySelector('th')!.textContent).to.contain('Next invoice, Dec 14, 2026 (after credits)');
    expect(minorUnits(next.querySelector('td')!.textContent!)).to.be.below(5800);
    await expectNoAxeViolations(page.root);
  });

  it('words a switch of billing period as one, in the dialog, the confirmation and the banner', async () => {
    const page = await openPage();
    const yearly = [...page.plans.shadowRoot!.querySelectorAll<HTMLInputElement>('[part="intervals"] input')][1]!;
    yearly.click();
    (await waitForButton(page.plans, 'Choose Pro')).click();
    const dialog = await waitForPreview(page.plans);
    expect(dialog.querySelector('h2')!.textContent).to.equal('Switch to yearly billing?');
    const recurring = row(dialog, '.recurring');
    expect(recurring.querySelector('th')!.textContent).to.equal('New recurring total, per year');
    // Pro 490 € + E-signature 90 € + Accounting export 120 € a year.
    expect(minorUnits(recurring.querySelector('td')!.textContent!)).to.equal(70000);
    dialog.querySelector<HTMLButtonElement>('[part="confirm-button"]')!.click();
    await waitForAnnouncement(page.plans, 'You will be billed yearly from Dec 14, 2026.');
    const banner = page.plans.shadowRoot!.querySelector('[part="scheduled"]')!.textContent!;
    expect(banner).to.contain('Yearly billing from Dec 14, 2026');
    expect(banner).not.to.contain('Change to Pro');
  });

  it('keeps the month’s usage when switching to yearly billing now', async () => {
    const page = await openPage();
    await until(() => textOf(page.meter).includes('870 / 1,000 documents'), 'usage before');
    const yearly = [...page.plans.shadowRoot!.querySelectorAll<HTMLInputElement>('[part="intervals"] input')][1]!;
    yearly.click();
    (await waitForButton(page.plans, 'Choose Pro')).click();
    const dialog = await waitForPreview(page.plans);
    const now = [...dialog.querySelectorAll<HTMLInputElement>('input[type="radio"]')].find((input) =>
      input.parentElement!.textContent!.includes('Now, prorated'),
    )!;
    now.click();
    await until(() => !dialog.querySelector('.preview-loading') && dialog.querySelector('[part="confirm-button"]:not([disabled])'), 'now preview');
    dialog.querySelector<HTMLButtonElement>('[part="confirm-button"]')!.click();
    await waitForAnnouncement(page.plans, 'You are now billed yearly.');
    await until(() => !page.meter.shadowRoot!.querySelector('[aria-busy]'), 'usage reloaded');
    expect(textOf(page.meter)).to.contain('870 / 1,000 documents');
    expect(textOf(page.meter)).to.contain('Resets on Dec 14, 2026');
  });

  it('shows a timing the endpoint refuses with its reason, never moves the choice, and confirms only what the customer picked', async () => {
    const page = await openPage();
    await waitForButton(page.modules, /^Deactivate Accounting export/);
    // Meanwhile, in another tab: the same module is scheduled to stop at the end of the period.
    await secondTab().commitChange({
      timing: 'period_end',
      change: { type: 'module', moduleId: 'accounting-export', action: 'deactivate' },
    });
    (await waitForButton(page.modules, /^Deactivate Accounting export/)).click();
    const dialog = await waitForDialog(page.modules, (candidate) => candidate.querySelector('[data-refused]'), 'the refused timing');
    const refused = dialog.querySelector<HTMLLabelElement>('[data-refused]')!;
    expect(refused.textContent).to.contain('Already scheduled for Dec 14, 2026');
    expect(refused.querySelector('input')!.disabled).to.equal(true);
    expect(dialog.querySelector('input[type="radio"]:checked')).to.equal(null, 'no timing chosen behind the customer’s back');
    const confirm = dialog.querySelector<HTMLButtonElement>('[part="confirm-button"]')!;
    expect(confirm.disabled).to.equal(true);
    const nowOption = [...dialog.querySelectorAll<HTMLInputElement>('input[type="radio"]')].find((input) => !input.disabled)!;
    nowOption.click();
    await until(() => !confirm.disabled, 'confirm enabled once the customer chose');
    await expectNoAxeViolations(dialog);
  });

  it('drops a confirmation once the state it describes changes, and rewrites it when the language changes', async () => {
    const page = await openPage();
    (await waitForButton(page.modules, /^Activate Automatic reminders/)).click();
    let dialog = await waitForPreview(page.modules);
    dialog.querySelector<HTMLButtonElement>('[part="confirm-button"]')!.click();
    await waitForAnnouncement(page.modules, 'Automatic reminders is now active.');

    page.root.setAttribute('lang', 'fr');
    await waitForAnnouncement(page.modules, 'Le module Relances automatiques est maintenant actif.');

    // Another change on the page (the plan picker) makes that confirmation stale.
    (await waitForButton(page.plans, 'Choisir Essentiel')).click();
    dialog = await waitForPreview(page.plans);
    dialog.querySelector<HTMLButtonElement>('[part="confirm-button"]')!.click();
    await waitForAnnouncement(page.plans, 'Votre plan passera à Essentiel le 14 déc. 2026.');
    await until(() => !page.modules.shadowRoot!.querySelector('.announcement'), 'the module list’s confirmation went');
  });

  it('says what being over a limit means, and what fixes it', async () => {
    await secondTab().commitChange({ timing: 'now', change: { type: 'plan', planId: 'essentiel' } });
    const page = await openPage();
    const recommendation = page.plans.shadowRoot!.querySelector('[part="recommendation"]')!;
    await until(() => recommendation.textContent!.includes('over your plan'), 'the over-limit wording');
    expect(recommendation.textContent).to.contain('You are over your plan’s limits for Clients, Documents and Orders.');
    expect(recommendation.textContent).to.contain('Nothing is deleted, but you cannot add more until you move to Pro or your usage goes down.');
    expect(recommendation.textContent).not.to.contain('close to');
  });
});

describe('French details', () => {
  beforeEach(resetServer);

  it('writes the first of the month as "1er"', async () => {
    await moveClock('2026-12-01T09:00:00Z');
    const meter = await fixture<BillingUsageMeter>(
      html`<billing-usage-meter now="2026-12-01T09:00:00Z" base-url="/api/demo~fr1" metric="documents" lang="fr"></billing-usage-meter>`,
    );
    await until(() => textOf(meter).includes('Remise à zéro'), 'usage in French');
    await until(() => textOf(meter).includes('14 déc. 2026'), 'reset date');
    const { formatDate } = await import('../../src/elements/shared/format.js');
    expect(formatDate('fr', '2026-12-01T00:00:00Z')).to.equal('1er déc. 2026');
    expect(formatDate('fr-CA', '2027-01-01T00:00:00Z')).to.contain('1er');
    expect(formatDate('en', '2026-12-01T00:00:00Z')).to.equal('Dec 1, 2026');
  });

  it('labels the support diagnostic in French', async () => {
    const meter = await fixture<BillingUsageMeter>(
      html`<billing-usage-meter now=${TEST_NOW_ISO} base-url="/api/fault/500" lang="fr"></billing-usage-meter>`,
    );
    await until(() => meter.shadowRoot!.querySelector('pre'), 'the diagnostic');
    const diagnostic = meter.shadowRoot!.querySelector('pre')!.textContent!;
    expect(diagnostic).to.contain('identifiant de requête: req_fault500');
    expect(diagnostic).to.contain('statut HTTP: 500');
    // The pinned clock, so the diagnostic (and a screenshot of it) is the same every day.
    expect(diagnostic).to.contain('heure: 2026-11-26T10:00:00.000Z');
    expect(diagnostic).not.to.match(/request id|operation/);
  });

  it('shows server-written lines and metric names in English on an English page', async () => {
    const page = await openPage();
    await until(() => textOf(page.meter).includes('Orders'), 'metric names in English');
    expect(textOf(page.meter)).not.to.contain('Commandes');
    (await waitForButton(page.plans, 'Choose Entreprise')).click();
    const dialog = await waitForPreview(page.plans);
    const lines = dialog.querySelector('[part="preview-lines"] tbody')!.textContent!;
    expect(lines).to.contain('Unused time on Pro');
    expect(lines).to.contain('Remaining time on Entreprise');
    expect(lines).not.to.contain('Temps');
  });
});
