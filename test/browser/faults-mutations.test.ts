/**
 * Faults in the browser, the mutations (what a cell checks and the reads: faults.test.ts).
 *
 * Each cell starts from a fresh server, mounts one element under a provider whose client does
 * not retry, and runs one action whose request answers one fault until lifted. It passes
 * when the failure is said in words (the fault's localized message, in the dialog's alert or
 * the element's live region), when the element shows what it showed before and the server
 * has what it had (read by another client), when doing the action again once the fault is
 * lifted does it, and when nothing was thrown or rejected unhandled on the page.
 *
 * A faulted mutation never reaches the engine (fault-injection.ts): the server state checked
 * is the one a failed request must leave. The change dialog keeps its idempotency key for a
 * retry, so a commit whose answer was lost is not applied twice; the client tests cover the
 * keys, these cells what the customer sees.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import { createBillingClient, en } from '../../src/index.js';
import type { BillingPaymentMethodSetupEvent } from '../../src/index.js';
import { button, dialogOf, freshBaseUrl, resetServer, secondTab, waitForAnnouncement, waitForButton, waitForPreview } from '../support/billing-page.js';
import { TEST_NOW_ISO } from '../support/clock.js';
import { until } from '../support/dom.js';
import { describeMutations, errorState, expectNothingUncaught, shadow, text, type MutationCase } from '../support/fault-cells.js';
import { FAULTS, FAULT_CODES, faultHits, setFaults, type Fault } from '../support/faults.js';

const SEPA = 'SEPA Direct Debit · IBAN FR76 •••• 0189';

/**
 * The commits (module activation, plan change) meet every fault. The other actions share the
 * same client paths and announcement, so they meet one fault of each kind the client tells
 * apart: a problem document, a retryable one, no answer in time, an answer that breaks the
 * contract, and no connection.
 */
const FAULT_KINDS: readonly Fault[] = ['500', '503', 'timeout', 'schema', 'offline'];

/** The subscription as the server has it: what a change or a cancel would move. */
async function subscriptionOnServer() {
  const client = secondTab();
  const [subscription, invoices] = await Promise.all([client.getSubscription(), client.listInvoices({ limit: 1 })]);
  return {
    plan: subscription.plan.id,
    modules: [...subscription.activeModuleIds].sort(),
    scheduled: subscription.scheduledChanges.map((change) => change.id),
    version: subscription.version,
    latestInvoice: invoices.data[0]?.id ?? null,
  };
}

/** The payment methods as the server has them. */
async function paymentMethodsOnServer() {
  return (await secondTab().listPaymentMethods()).data.map((method) => `${method.id}${method.isDefault ? ' (default)' : ''}`);
}

const texts = (element: HTMLElement, selector: string) => [...shadow(element)!.querySelectorAll(selector)].map((node) => text(node));

/** The dialog says why, stays open, and its confirm can be pressed again. */
async function dialogFailed(element: HTMLElement, fault: Fault): Promise<void> {
  const dialog = dialogOf(element)!;
  const failure = () => dialog.querySelector('.dialog-error');
  const confirm = () => dialog.querySelector<HTMLButtonElement>('[part="confirm-button"]')!;
  await until(() => failure() && !confirm().disabled && confirm().getAttribute('aria-disabled') !== 'true', 'the commit’s failure in the dialog');
  expect(failure()!.getAttribute('role')).to.equal('alert');
  expect(text(failure())).to.equal(en.errorMessage(FAULT_CODES[fault]));
  expect(dialog.open, 'the dialog stays open').to.equal(true);
  expect(element.shadowRoot!.querySelector('[part="announcement"]')).to.equal(null);
}

/** The element's live region says why, in the error tone. */
async function announcedFailure(element: HTMLElement, fault: Fault): Promise<void> {
  const announcement = () => shadow(element)!.querySelector('[role="status"] [part="announcement"]');
  await until(() => announcement()?.getAttribute('data-tone') === 'error', 'the failure announced');
  expect(text(announcement())).to.equal(en.errorMessage(FAULT_CODES[fault]));
  expect(errorState(element), 'the data stays').to.equal(null);
}

const confirmIn = (element: HTMLElement) => dialogOf(element)!.querySelector<HTMLButtonElement>('[part="confirm-button"]')!;

const mutations: MutationCase[] = [
  {
    subject: 'module activation',
    tag: 'billing-module-list',
    operation: 'commitChange',
    faults: FAULTS,
    server: subscriptionOnServer,
    shown: (element) => texts(element, '[part="module"]'),
    act: async (element) => {
      (await waitForButton(element, /^Activate Automatic reminders/)).click();
      await waitForPreview(element);
      confirmIn(element).click();
    },
    failed: dialogFailed,
    retry: async (element) => {
      confirmIn(element).click();
      await waitForAnnouncement(element, 'Automatic reminders is now active.');
      expect(dialogOf(element)!.open).to.equal(false);
      expect((await subscriptionOnServer()).modules).to.include('auto-reminders');
    },
  },
  {
    subject: 'plan change',
    tag: 'billing-plan-picker',
    operation: 'commitChange',
    faults: FAULTS,
    server: subscriptionOnServer,
    shown: (element) => texts(element, '[part="plan"]'),
    act: async (element) => {
      (await waitForButton(element, 'Choose Entreprise')).click();
      await waitForPreview(element);
      confirmIn(element).click();
    },
    failed: dialogFailed,
    retry: async (element) => {
      confirmIn(element).click();
      await waitForAnnouncement(element, 'You are now on the Entreprise plan.');
      expect((await subscriptionOnServer()).plan).to.equal('entreprise');
    },
  },
  {
    subject: 'cancel a scheduled change',
    tag: 'billing-plan-picker',
    operation: 'cancelScheduledChange',
    faults: FAULT_KINDS,
    arrange: async () => {
      await secondTab().commitChange({ timing: 'period_end', change: { type: 'plan', planId: 'essentiel' } });
    },
    server: subscriptionOnServer,
    shown: (element) => [...texts(element, '[part="scheduled"]'), ...texts(element, '[part="plan"]')],
    act: async (element) => (await waitForButton(element, 'Cancel this change')).click(),
    failed: announcedFailure,
    retry: async (element) => {
      (await waitForButton(element, 'Cancel this change')).click();
      await waitForAnnouncement(element, 'The scheduled change was cancelled.');
      expect((await subscriptionOnServer()).scheduled).to.deep.equal([]);
    },
  },
  {
    subject: 'make another method the default',
    tag: 'billing-payment-method',
    operation: 'setDefaultPaymentMethod',
    faults: FAULT_KINDS,
    server: paymentMethodsOnServer,
    shown: (element) => texts(element, '[part="default"], [part="method"]'),
    act: async (element) => (await waitForButton(element, /^Make default/)).click(),
    failed: announcedFailure,
    retry: async (element) => {
      (await waitForButton(element, /^Make default/)).click();
      await waitForAnnouncement(element, `${SEPA} is now your default payment method.`);
      expect(await paymentMethodsOnServer()).to.include('pm_demo_sepa (default)');
    },
  },
  {
    subject: 'remove a payment method',
    tag: 'billing-payment-method',
    operation: 'removePaymentMethod',
    faults: FAULT_KINDS,
    server: paymentMethodsOnServer,
    shown: (element) => texts(element, '[part="default"], [part="method"]'),
    act: async (element) => {
      (await waitForButton(element, `Remove: ${SEPA}`)).click();
      await until(() => shadow(element)!.querySelector('[part="confirm"] [part="confirm-button"]'), 'the question');
      shadow(element)!.querySelector<HTMLButtonElement>('[part="confirm"] [part="confirm-button"]')!.click();
    },
    failed: async (element, fault) => {
      await announcedFailure(element, fault);
      expect(shadow(element)!.querySelector('[part="confirm"]'), 'the question closed').to.equal(null);
    },
    retry: async (element) => {
      (await waitForButton(element, `Remove: ${SEPA}`)).click();
      await until(() => shadow(element)!.querySelector('[part="confirm"] [part="confirm-button"]'), 'the question');
      shadow(element)!.querySelector<HTMLButtonElement>('[part="confirm"] [part="confirm-button"]')!.click();
      await waitForAnnouncement(element, `${SEPA} was removed.`);
      expect(await paymentMethodsOnServer()).to.deep.equal(['pm_demo_visa (default)']);
    },
  },
  {
    subject: 'update the card (setup session)',
    tag: 'billing-payment-method',
    operation: 'setupPaymentMethod',
    faults: FAULT_KINDS,
    server: paymentMethodsOnServer,
    shown: (element) => texts(element, '[part="default"], [part="method"]'),
    act: async (element) => shadow(element)!.querySelector<HTMLButtonElement>('[part="update-button"]')!.click(),
    failed: async (element, fault) => {
      await announcedFailure(element, fault);
      await until(() => shadow(element)!.querySelector('[part="update-button"]')!.getAttribute('aria-disabled') === 'false', 'the update button usable again');
    },
    // The session opens: the test keeps the page (no redirect to the hosted page).
    retry: async (element) => {
      let opened: BillingPaymentMethodSetupEvent | undefined;
      element.addEventListener(
        'billing-payment-method-setup',
        (event) => {
          event.preventDefault();
          opened = event;
        },
        { once: true },
      );
      shadow(element)!.querySelector<HTMLButtonElement>('[part="update-button"]')!.click();
      await until(() => opened, 'the setup session');
      expect(opened!.session.kind).to.equal('redirect');
    },
  },
];

describe('faults in the browser: mutations', () => {
  describeMutations(mutations);
});

describe('a failed commit against a client that retries', () => {
  beforeEach(resetServer);
  afterEach(expectNothingUncaught);

  /**
   * The default client (two retries with backoff) on a base URL where commits answer `fault`;
   * returns the `Idempotency-Key` of each commit sent.
   */
  async function openWithRetries(fault: Fault): Promise<string[]> {
    const baseUrl = freshBaseUrl();
    await setFaults(baseUrl, { commitChange: fault });
    const keys: string[] = [];
    const client = createBillingClient({
      baseUrl,
      fetch: (input, init) => {
        const request = new Request(input, init);
        if (request.method === 'POST' && new URL(request.url).pathname.endsWith('/v1/subscription/changes')) keys.push(request.headers.get('Idempotency-Key') ?? '');
        return fetch(request);
      },
    });
    const modules = await fixture<HTMLElement>(html`<billing-module-list now=${TEST_NOW_ISO} lang="en" .client=${client}></billing-module-list>`);
    (await waitForButton(modules, /^Activate Automatic reminders/)).click();
    await waitForPreview(modules);
    const before = await subscriptionOnServer();
    confirmIn(modules).click();
    await dialogFailed(modules, fault);
    expect(await subscriptionOnServer()).to.deep.equal(before);
    expect(button(modules, /^Activate Automatic reminders/), 'the module still offered').not.to.equal(undefined);
    expect((await faultHits(baseUrl)).commitChange).to.equal(keys.length);
    return keys;
  }

  it('a 503 that persists: sent three times with one key, then said in the dialog; nothing committed', async () => {
    const keys = await openWithRetries('503');
    expect(keys).to.have.length(3);
    expect(new Set(keys).size).to.equal(1);
    expect(keys[0]).to.match(/\S{16,}/);
  });

  it('a 500 is not sent again (the server ran it and failed): said in the dialog; nothing committed', async () => {
    expect(await openWithRetries('500')).to.have.length(1);
  });
});
