import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import { createBillingClient } from '../../src/index.js';
import type { BillingChangeEvent, BillingModuleList } from '../../src/index.js';
import {
  openPage,
  type Page,
  button,
  deepActiveElement,
  dialogOf,
  freshBaseUrl,
  moveClock,
  press,
  previewAmounts,
  resetServer,
  secondTab,
  tabTo,
  textOf,
  waitForAnnouncement,
  waitForButton,
  waitForPreview,
} from '../support/billing-page.js';
import { TEST_NOW_ISO } from '../support/clock.js';
import { expectNoAxeViolations, requestsTo, until } from '../support/dom.js';

const moduleRow = (page: Page, id: string) => page.modules.shadowRoot!.getElementById(`module-${id}`)!;
const invoiceCount = async () => {
  let count = 0;
  let cursor: string | undefined;
  const client = secondTab();
  do {
    const invoices = await client.listInvoices({ limit: 100, ...(cursor ? { cursor } : {}) });
    count += invoices.data.length;
    cursor = invoices.nextCursor ?? undefined;
  } while (cursor);
  return count;
};

describe('changing the subscription', () => {
  beforeEach(resetServer);

  it('shows why a module is blocked before any click, then unlocks it by upgrading now', async () => {
    const page = await openPage();
    const multiCurrency = moduleRow(page, 'multi-currency');
    expect(multiCurrency.textContent).to.contain('Requires the Entreprise plan');
    expect(button(page.modules, /^Activate Multi/)).to.equal(undefined);
    const invoicesBefore = await invoiceCount();

    (await waitForButton(page.modules, 'Choose Entreprise')).click();
    // The plan picker answers the module list's request and opens the change itself.
    const dialog = await waitForPreview(page.plans);
    expect(dialogOf(page.modules)?.open ?? false).to.equal(false);
    expect(dialog.querySelector<HTMLInputElement>('input[type="radio"]:checked')!.parentElement!.textContent).to.contain('Now, prorated');
    const { lines, dueNow } = previewAmounts(dialog);
    expect(lines.length).to.be.greaterThan(1);
    expect(lines.reduce((sum, amount) => sum + amount, 0)).to.equal(dueNow);
    expect(dueNow).to.be.greaterThan(0);
    await expectNoAxeViolations(page.root);

    dialog.querySelector<HTMLButtonElement>('[part="confirm-button"]')!.click();
    await waitForAnnouncement(page.plans, 'You are now on the Entreprise plan.');
    expect(dialog.open).to.equal(false);
    // Every element shows the new state without a reload.
    await waitForButton(page.modules, /^Activate Multi-currency/);
    await until(() => textOf(page.meter).includes('870 / 10,000 documents'), 'usage meter shows the new limit');
    await until(() => page.plans.shadowRoot!.querySelector('[data-current] h3')?.textContent === 'Entreprise', 'the plan picker shows the new plan');
    expect(await invoiceCount()).to.equal(invoicesBefore + 1);
    const newest = (await secondTab().listInvoices({ limit: 1 })).data[0]!;
    expect(newest.total.amountMinor).to.equal(dueNow);
  });

  it('schedules a downgrade at period end with its warnings, and cancels it', async () => {
    const page = await openPage();
    let event: BillingChangeEvent | undefined;
    page.root.addEventListener('billing-change', (e) => (event = e));
    (await waitForButton(page.plans, 'Choose Essentiel')).click();
    const dialog = await waitForPreview(page.plans);
    const checked = dialog.querySelector<HTMLInputElement>('input[type="radio"]:checked')!;
    expect(checked.parentElement!.textContent).to.contain('At the end of the period (Dec 14, 2026)');
    const warnings = dialog.querySelector('[part="warnings"]')!.textContent!;
    expect(warnings).to.contain('You have 312 clients; this plan allows 100.');
    expect(warnings).to.contain('You have 870 documents; this plan allows 200.');
    expect(warnings).to.contain('These modules will be removed too:');
    expect(warnings.match(/Nothing is deleted/g)).to.have.length(1);
    expect(previewAmounts(dialog).dueNow).to.equal(0);

    dialog.querySelector<HTMLButtonElement>('[part="confirm-button"]')!.click();
    await waitForAnnouncement(page.plans, 'Your plan will change to Essentiel on Dec 14, 2026.');
    const banner = () => page.plans.shadowRoot!.querySelector('[part="scheduled"]');
    expect(banner()!.textContent).to.contain('Change to Essentiel scheduled for Dec 14, 2026');
    expect(event!.change.type).to.equal('change');
    expect(event!.subscription!.scheduledChanges).to.have.length(1);
    expect(event!.invoice).to.equal(null);
    await expectNoAxeViolations(page.root);

    (await waitForButton(page.plans, 'Cancel this change')).click();
    await waitForAnnouncement(page.plans, 'The scheduled change was cancelled.');
    expect(banner()).to.equal(null);
    expect((await secondTab().getSubscription()).scheduledChanges).to.deep.equal([]);
  });

  it('applies a scheduled downgrade when the period ends, with the period invoice', async () => {
    const tab = secondTab();
    await tab.commitChange({ timing: 'period_end', change: { type: 'plan', planId: 'essentiel' } });
    await moveClock('2026-12-14T00:00:01Z');

    const page = await openPage();
    expect(page.plans.shadowRoot!.querySelector('[data-current] h3')!.textContent).to.equal('Essentiel');
    await until(() => textOf(page.meter).includes('/ 200 documents'), 'usage meter shows the Essentiel limit');
    const newest = await tab.getInvoice((await tab.listInvoices({ limit: 1 })).data[0]!.id);
    expect(newest.periodStart).to.equal('2026-12-14T00:00:00.000Z');
    expect(newest.lines!.some((line) => line.planId === 'essentiel')).to.equal(true);
  });

  it('commits once when confirm is pressed twice', async () => {
    const page = await openPage();
    const invoicesBefore = await invoiceCount();
    (await waitForButton(page.modules, /^Activate Automatic reminders/)).click();
    const dialog = await waitForPreview(page.modules);
    const confirm = dialog.querySelector<HTMLButtonElement>('[part="confirm-button"]')!;
    confirm.click();
    confirm.click();
    await waitForAnnouncement(page.modules, 'Automatic reminders is now active.');
    expect(requestsTo(`${page.baseUrl}/v1/subscription/changes`)).to.equal(1);
    expect(await invoiceCount()).to.equal(invoicesBefore + 1);
    const subscription = await secondTab().getSubscription();
    expect(subscription.activeModuleIds.filter((id) => id === 'auto-reminders')).to.have.length(1);
  });

  it('explains a change made elsewhere meanwhile, loses nothing, and confirms after a new preview', async () => {
    const page = await openPage();
    (await waitForButton(page.plans, 'Choose Entreprise')).click();
    const dialog = await waitForPreview(page.plans);

    // Another tab activates a module while this one reviews the upgrade.
    await secondTab().commitChange({ timing: 'now', change: { type: 'module', moduleId: 'auto-reminders', action: 'activate' } });

    dialog.querySelector<HTMLButtonElement>('[part="confirm-button"]')!.click();
    await until(() => dialog.querySelector('.dialog-error'), 'conflict explained');
    expect(dialog.querySelector('.dialog-error')!.textContent).to.contain('Your subscription was changed elsewhere.');
    await waitForButton(page.modules, /^Deactivate Automatic reminders/);
    await waitForPreview(page.plans);

    dialog.querySelector<HTMLButtonElement>('[part="confirm-button"]')!.click();
    await waitForAnnouncement(page.plans, 'You are now on the Entreprise plan.');
    const subscription = await secondTab().getSubscription();
    expect(subscription.plan.id).to.equal('entreprise');
    expect(subscription.activeModuleIds).to.include('auto-reminders');
  });

  it('lets the host veto a change with billing-before-change', async () => {
    const page = await openPage();
    page.root.addEventListener('billing-before-change', (event) => event.preventDefault());
    (await waitForButton(page.modules, /^Activate Automatic reminders/)).click();
    const dialog = await waitForPreview(page.modules);
    dialog.querySelector<HTMLButtonElement>('[part="confirm-button"]')!.click();
    await until(() => !dialog.open, 'dialog closed');
    expect(requestsTo(`${page.baseUrl}/v1/subscription/changes`)).to.equal(0);
    expect((await secondTab().getSubscription()).activeModuleIds).not.to.include('auto-reminders');
  });

  it('deactivating a module others need says which go with it', async () => {
    await secondTab().commitChange({ timing: 'now', change: { type: 'module', moduleId: 'signature-workflows', action: 'activate' } });
    const page = await openPage();
    (await waitForButton(page.modules, /^Deactivate E-signature/)).click();
    const dialog = await waitForPreview(page.modules);
    expect(dialog.querySelector('[part="warnings"]')!.textContent).to.contain('This module will be removed too: Signature workflows.');
  });

  it('shows no action to a read-only user, but still the reasons', async () => {
    const page = await openPage('readonly');
    expect(page.modules.shadowRoot!.querySelectorAll('[part="action-button"]')).to.have.length(0);
    expect(page.plans.shadowRoot!.querySelectorAll('[part="action-button"]')).to.have.length(0);
    expect(page.modules.shadowRoot!.querySelectorAll('.blocked button')).to.have.length(0);
    await expectNoAxeViolations(page.root);
  });

  it('shows a refused change in words and keeps the dialog open', async () => {
    // A fake endpoint for the one answer the reference rules never give to this flow.
    const base = freshBaseUrl();
    const client = createBillingClient({
      baseUrl: base,
      fetch: async (input, init) => {
        if (String(input).endsWith('/v1/subscription/changes') && init?.method === 'POST') {
          return Response.json(
            { type: 'about:blank', title: 'Not allowed', status: 422, code: 'change_not_allowed', requestId: 'req_422', retryable: false },
            { status: 422, headers: { 'Content-Type': 'application/problem+json' } },
          );
        }
        return fetch(input, init);
      },
    });
    const modules = await fixture<BillingModuleList>(html`<billing-module-list now=${TEST_NOW_ISO} .client=${client} lang="en"></billing-module-list>`);
    (await waitForButton(modules, /^Activate Automatic reminders/)).click();
    const dialog = await waitForPreview(modules);
    dialog.querySelector<HTMLButtonElement>('[part="confirm-button"]')!.click();
    await until(() => dialog.querySelector('.dialog-error'), 'refusal shown');
    expect(dialog.querySelector('.dialog-error')!.textContent).to.contain('This change is not possible on your subscription.');
    expect(dialog.open).to.equal(true);
    expect(dialog.querySelector<HTMLButtonElement>('[part="confirm-button"]')!.disabled).to.equal(false);
  });
});

describe('changing the subscription with the keyboard only', () => {
  beforeEach(resetServer);

  it('activates a module: Tab, Enter, Tab to confirm, Enter; Escape returns focus', async () => {
    const page = await openPage();
    const activate = await tabTo((element) => /^Activate Automatic reminders/.test(element.textContent!.trim()), 'Activate Automatic reminders');
    await press('Enter');
    const dialog = await waitForPreview(page.modules);
    await press('Escape');
    await until(() => !dialog.open, 'dialog closed by Escape');
    expect(deepActiveElement()).to.equal(activate);

    await press('Enter');
    await waitForPreview(page.modules);
    await tabTo((element) => element.getAttribute('part') === 'confirm-button', 'the confirm button');
    await press('Enter');
    await waitForAnnouncement(page.modules, 'Automatic reminders is now active.');
    expect(deepActiveElement()!.classList.contains('announcement')).to.equal(true);
  });

  it('changes plan, choosing the timing with the arrow keys', async () => {
    const page = await openPage();
    await tabTo((element) => element.textContent!.trim() === 'Choose Essentiel', 'Choose Essentiel');
    await press('Enter');
    const dialog = await waitForPreview(page.plans);
    // Focus starts in the dialog; move to the timing group and pick "now".
    await tabTo((element) => element instanceof HTMLInputElement && element.type === 'radio', 'the timing options');
    await press('ArrowUp');
    await until(() => dialog.querySelector<HTMLInputElement>('input[type="radio"]:checked')!.parentElement!.textContent!.includes('Now'), 'now chosen');
    await tabTo((element) => element.getAttribute('part') === 'confirm-button', 'the confirm button');
    await press('Enter');
    await waitForAnnouncement(page.plans, 'You are now on the Essentiel plan.');
    expect((await secondTab().getSubscription()).plan.id).to.equal('essentiel');
  });
});
