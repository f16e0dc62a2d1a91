import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import { createBillingClient, en, type PaymentMethod, type SetupSession } from '../../src/index.js';
import type {
  BillingBeforeChangeEvent,
  BillingChangeEvent,
  BillingInvoiceTable,
  BillingPaymentMethod,
  BillingPaymentMethodSetupEvent,
  BillingProvider,
  Invoice,
} from '../../src/index.js';
import { button, deepActiveElement, freshBaseUrl, moveClock, resetServer, secondTab, waitForButton } from '../support/billing-page.js';
import { formatDate } from '../../src/elements/shared/format.js';
import { TEST_NOW_ISO } from '../support/clock.js';
import { expectNoAxeViolations, shadowText, until } from '../support/dom.js';

const loaded = (element: BillingPaymentMethod) => until(() => element.shadowRoot!.querySelector('[part="default"], [part="empty"]'), 'payment method shown');

async function openElement(customer = 'demo'): Promise<BillingPaymentMethod> {
  const element = await fixture<BillingPaymentMethod>(html`<billing-payment-method now=${TEST_NOW_ISO} base-url=${freshBaseUrl(customer)} lang="en"></billing-payment-method>`);
  await loaded(element);
  return element;
}

/** A problem+json response, as the endpoint sends its errors. */
const problem = (status: number, code: string) =>
  Response.json(
    { type: 'about:blank', title: 'Refused', status, code, requestId: `req_${code}`, retryable: false },
    { status, headers: { 'Content-Type': 'application/problem+json' } },
  );

/**
 * A fake endpoint for states the seed has not: other payment methods, other setup sessions,
 * a refused removal. Everything else goes to the real server, as `customer`. `requests`
 * records what the fake answered itself.
 */
function fakeClient({
  methods,
  session,
  refuseRemoval,
  customer = 'demo',
  requests = [],
}: {
  methods?: PaymentMethod[];
  session?: SetupSession;
  refuseRemoval?: string;
  customer?: string;
  requests?: { method: string; url: string; headers: Headers; body: unknown }[];
}) {
  const real = freshBaseUrl(customer);
  return createBillingClient({
    baseUrl: '/fake',
    fetch: async (input, init) => {
      const url = String(input);
      const method = init?.method ?? 'GET';
      const record = () =>
        requests.push({ method, url, headers: new Headers(init?.headers), body: typeof init?.body === 'string' ? JSON.parse(init.body) : null });
      if (methods && url.endsWith('/v1/payment-methods')) return Response.json({ data: methods });
      if (session && url.endsWith('/v1/payment-methods/setup')) {
        record();
        return Response.json(session);
      }
      if (refuseRemoval && method === 'DELETE' && url.includes('/v1/payment-methods/')) {
        record();
        return problem(422, refuseRemoval);
      }
      return fetch(url.replace('/fake', real), init);
    },
  });
}

const otherMethods = (element: BillingPaymentMethod) => element.shadowRoot!.querySelector('[part="others"]')?.textContent?.replace(/\s+/g, ' ') ?? '';
const confirmGroup = (element: BillingPaymentMethod) => element.shadowRoot!.querySelector<HTMLElement>('[part="confirm"]');
const announcement = (element: BillingPaymentMethod) => element.shadowRoot!.querySelector('[role="status"] [part="announcement"]')?.textContent?.trim() ?? '';
const SEPA = 'SEPA Direct Debit · IBAN FR76 •••• 0189';

describe('<billing-payment-method>', () => {
  beforeEach(resetServer);

  it('shows the default card with its expiry warning, and the other methods', async () => {
    const element = await openElement();
    const text = shadowText(element);
    expect(text).to.contain('Visa ending in 4242');
    expect(text).to.contain('Default');
    expect(text).to.contain('Expires 11/2026');
    expect(element.shadowRoot!.querySelector('[part="warning"]')!.textContent).to.contain('This card expires within 30 days.');
    expect(element.shadowRoot!.querySelector('[part="others"]')!.textContent).to.contain('IBAN FR76 •••• 0189');
    await expectNoAxeViolations(element);
  });

  it('compares card expiry with the `now` it is given, not with the browser clock', async () => {
    const farFuture = '2031-06-01T00:00:00Z';
    const warning = (element: BillingPaymentMethod) => element.shadowRoot!.querySelector('[part="warning"]')?.textContent ?? '';

    // The provider's `now` reaches the element inside it.
    const root = await fixture<BillingProvider>(html`<billing-provider now=${farFuture} base-url=${freshBaseUrl()} lang="en">
      <billing-payment-method></billing-payment-method>
    </billing-provider>`);
    const element = root.querySelector('billing-payment-method')!;
    await loaded(element);
    expect(warning(element)).to.contain('This card has expired.');
    expect(shadowText(element)).to.contain('Expired 11/2026');
    expect(element.shadowRoot!.querySelector('[part="default"]')!.getAttribute('data-expiry')).to.equal('expired');

    // The element's own `now` wins over the provider's, and a change re-renders at once.
    element.now = TEST_NOW_ISO;
    await until(() => warning(element).includes('This card expires within 30 days.'), 'expires soon at TEST_NOW');
    expect(shadowText(element)).to.contain('Expires 11/2026');

    // A Date or milliseconds work as well as an ISO string.
    element.now = new Date(farFuture);
    await until(() => warning(element).includes('This card has expired.'), 'expired with a Date');
    element.now = Date.parse(TEST_NOW_ISO);
    await until(() => warning(element).includes('This card expires within 30 days.'), 'expires soon with milliseconds');

    // Without its own, the element follows the provider's again.
    element.now = undefined;
    await until(() => warning(element).includes('This card has expired.'), 'the provider’s now again');
    root.now = TEST_NOW_ISO;
    await until(() => warning(element).includes('This card expires within 30 days.'), 'a new provider now');
  });

  it('makes another method the default, with events before and after', async () => {
    const element = await openElement();
    let after: BillingChangeEvent | undefined;
    element.addEventListener('billing-change', (event) => (after = event));
    (await waitForButton(element, /^Make default/)).click();
    await until(() => element.shadowRoot!.querySelector('[part="announcement"]'), 'confirmation');
    expect(shadowText(element)).to.contain('SEPA Direct Debit · IBAN FR76 •••• 0189 is now your default payment method.');
    expect(element.shadowRoot!.querySelector('[part="default"]')!.textContent).to.contain('IBAN FR76');
    expect(element.shadowRoot!.querySelector('[part="warning"]')).to.equal(null);
    expect(after!.change.type).to.equal('default_payment_method');
    const methods = (await secondTab().listPaymentMethods()).data;
    expect(methods.find((method) => method.isDefault)!.id).to.equal('pm_demo_sepa');
  });

  it('lets the host veto making a method the default', async () => {
    const element = await openElement();
    element.addEventListener('billing-before-change', (event) => event.preventDefault());
    (await waitForButton(element, /^Make default/)).click();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const methods = (await secondTab().listPaymentMethods()).data;
    expect(methods.find((method) => method.isDefault)!.id).to.equal('pm_demo_visa');
  });

  it('opens a setup session and hands a client secret to the host', async () => {
    const element = await fixture<BillingPaymentMethod>(html`<billing-payment-method
      now=${TEST_NOW_ISO}
      lang="en"
      .client=${fakeClient({ session: { kind: 'client_secret', provider: 'stripe', clientSecret: 'seti_123_secret_456', publishableKey: 'pk_test_1' } })}
    ></billing-payment-method>`);
    await loaded(element);
    let setup: BillingPaymentMethodSetupEvent | undefined;
    element.addEventListener('billing-payment-method-setup', (event) => (setup = event));
    (await waitForButton(element, 'Update payment method')).click();
    await until(() => setup, 'setup event');
    expect(setup!.session).to.deep.equal({ kind: 'client_secret', provider: 'stripe', clientSecret: 'seti_123_secret_456', publishableKey: 'pk_test_1' });
    await until(() => shadowText(element).includes('Complete the payment form to save your card.'), 'next step explained');
  });

  it('warns about an expired card, and shows no action to a read-only user', async () => {
    const expired = await fixture<BillingPaymentMethod>(html`<billing-payment-method
      now=${TEST_NOW_ISO}
      lang="en"
      .client=${fakeClient({ methods: [{ id: 'pm_1', type: 'card', isDefault: true, card: { brand: 'mastercard', last4: '4444', expMonth: 1, expYear: 2024 } }] })}
    ></billing-payment-method>`);
    await loaded(expired);
    expect(expired.shadowRoot!.querySelector('[part="warning"]')!.textContent).to.contain('This card has expired.');
    expect(shadowText(expired)).to.contain('Mastercard ending in 4444');
    // The brand's own short mark, whole inside its badge.
    const badge = expired.shadowRoot!.querySelector<HTMLElement>('.brand')!;
    expect(badge.textContent!.trim()).to.equal('MC');
    expect(badge.scrollWidth).to.be.at.most(badge.clientWidth);
    await expectNoAxeViolations(expired);

    const readOnly = await openElement('readonly');
    expect(readOnly.shadowRoot!.querySelectorAll('button')).to.have.length(0);
  });

  it('lets a customer without a subscription add a payment method', async () => {
    const element = await openElement('nosub');
    expect(element.shadowRoot!.querySelector('[role="alert"]')).to.equal(null);
    await waitForButton(element, /^(Add a payment method|Update payment method)$/);
  });

  it('says so when there is no payment method yet', async () => {
    const element = await fixture<BillingPaymentMethod>(html`<billing-payment-method now=${TEST_NOW_ISO} lang="fr" .client=${fakeClient({ methods: [] })}></billing-payment-method>`);
    await loaded(element);
    expect(shadowText(element)).to.contain('Aucun moyen de paiement pour le moment.');
    expect(shadowText(element)).to.contain('Ajouter un moyen de paiement');
    await expectNoAxeViolations(element);
  });

  it('asks the hosted card page for the element’s language', async () => {
    const requests: Parameters<typeof fakeClient>[0]['requests'] = [];
    const session: SetupSession = { kind: 'client_secret', provider: 'stripe', clientSecret: 'seti_1_secret_2', publishableKey: 'pk_test_1' };
    const element = await fixture<BillingPaymentMethod>(
      html`<billing-payment-method now=${TEST_NOW_ISO} lang="fr" .client=${fakeClient({ session, requests })}></billing-payment-method>`,
    );
    await loaded(element);
    element.addEventListener('billing-payment-method-setup', (event) => event.preventDefault());
    (await waitForButton(element, 'Mettre à jour le moyen de paiement')).click();
    await until(() => requests.length === 1, 'setup requested');
    expect((requests[0]!.body as { locale?: string }).locale).to.equal('fr');
    expect(requests[0]!.headers.get('Idempotency-Key')).to.match(/\S{16,}/);
  });

  it('removes a method that is not the default once confirmed, with events before and after; the default has no Remove', async () => {
    const element = await openElement();
    const events: (BillingBeforeChangeEvent | BillingChangeEvent)[] = [];
    element.addEventListener('billing-before-change', (event) => events.push(event));
    element.addEventListener('billing-change', (event) => events.push(event));
    expect(element.shadowRoot!.querySelector('[part="default"] button')).to.equal(null);
    expect([...element.shadowRoot!.querySelectorAll('button')].filter((candidate) => /^Remove/.test(candidate.textContent!.trim()))).to.have.length(1);

    // Remove asks first, inline, and puts the focus on Keep.
    const remove = await waitForButton(element, `Remove: ${SEPA}`);
    remove.click();
    await until(() => confirmGroup(element), 'the question');
    const group = confirmGroup(element)!;
    const question = element.shadowRoot!.getElementById(group.getAttribute('aria-labelledby')!)!;
    expect(group.getAttribute('role')).to.equal('group');
    expect(question.textContent!.trim()).to.equal(`Remove ${SEPA}?`);
    await until(() => deepActiveElement() === button(element, 'Keep'), 'focus on Keep');
    await expectNoAxeViolations(element);
    expect(events).to.have.length(0);

    // Keep goes back, the focus on the Remove button again.
    button(element, 'Keep')!.click();
    await until(() => !confirmGroup(element), 'question gone');
    await until(() => deepActiveElement() === button(element, `Remove: ${SEPA}`), 'focus back on Remove');
    expect((await secondTab().listPaymentMethods()).data).to.have.length(2);

    button(element, `Remove: ${SEPA}`)!.click();
    await until(() => confirmGroup(element), 'the question again');
    confirmGroup(element)!.querySelector<HTMLButtonElement>('[part="confirm-button"]')!.click();
    await until(() => announcement(element) === `${SEPA} was removed.`, 'removal announced');
    expect(element.shadowRoot!.querySelector('[part="others"]')).to.equal(null);
    expect(element.shadowRoot!.querySelector('[part="default"]')!.textContent).to.contain('Visa ending in 4242');
    // The row with the focus went: the focus is on the update button, not lost.
    await until(() => deepActiveElement() === element.shadowRoot!.querySelector('[part="update-button"]'), 'focus on the update button');
    expect(events.map((event) => [event.type, event.change.type])).to.deep.equal([
      ['billing-before-change', 'remove_payment_method'],
      ['billing-change', 'remove_payment_method'],
    ]);
    expect(events.every((event) => event.change.type === 'remove_payment_method' && event.change.paymentMethod.id === 'pm_demo_sepa')).to.equal(true);
    expect((await secondTab().listPaymentMethods()).data.map((method) => method.id)).to.deep.equal(['pm_demo_visa']);
  });

  it('lets the host veto a removal', async () => {
    const element = await openElement();
    let vetoed = 0;
    element.addEventListener('billing-before-change', (event) => {
      vetoed++;
      event.preventDefault();
    });
    (await waitForButton(element, /^Remove/)).click();
    await until(() => confirmGroup(element), 'the question');
    confirmGroup(element)!.querySelector<HTMLButtonElement>('[part="confirm-button"]')!.click();
    await until(() => !confirmGroup(element), 'question closed');
    expect(vetoed).to.equal(1);
    await until(() => deepActiveElement() === button(element, `Remove: ${SEPA}`), 'focus back on Remove');
    expect(otherMethods(element)).to.contain('IBAN FR76 •••• 0189');
    expect((await secondTab().listPaymentMethods()).data).to.have.length(2);
  });

  it('keeps the list and says why when the endpoint refuses a removal, with one key for the action', async () => {
    const requests: Parameters<typeof fakeClient>[0]['requests'] = [];
    const element = await fixture<BillingPaymentMethod>(
      html`<billing-payment-method now=${TEST_NOW_ISO} lang="en" .client=${fakeClient({ refuseRemoval: 'change_not_allowed', requests })}></billing-payment-method>`,
    );
    await loaded(element);
    let changed = false;
    element.addEventListener('billing-change', () => (changed = true));
    for (const attempt of [1, 2]) {
      (await waitForButton(element, `Remove: ${SEPA}`)).click();
      await until(() => confirmGroup(element), 'the question');
      confirmGroup(element)!.querySelector<HTMLButtonElement>('[part="confirm-button"]')!.click();
      await until(() => requests.length === attempt && !confirmGroup(element), `refusal ${attempt}`);
      await until(() => announcement(element) === en.errorMessage('change_not_allowed'), 'refusal announced');
      expect(element.shadowRoot!.querySelector('[part="announcement"]')!.getAttribute('data-tone')).to.equal('error');
      expect(otherMethods(element)).to.contain('IBAN FR76 •••• 0189');
      await until(() => deepActiveElement() === button(element, `Remove: ${SEPA}`), 'focus back on Remove');
    }
    expect(changed).to.equal(false);
    // Trying the same removal again is the same action: the endpoint can replay its answer.
    const keys = requests.map((request) => request.headers.get('Idempotency-Key'));
    expect(keys[0]).to.be.a('string').and.not.equal('');
    expect(keys[1]).to.equal(keys[0]);
    expect(requests.map((request) => `${request.method} ${new URL(request.url, location.href).pathname}`)).to.deep.equal([
      'DELETE /fake/v1/payment-methods/pm_demo_sepa',
      'DELETE /fake/v1/payment-methods/pm_demo_sepa',
    ]);
  });

  it('shows no Remove to a read-only user, even with other methods on file', async () => {
    const methods: PaymentMethod[] = [
      { id: 'pm_ro_mc', type: 'card', isDefault: true, card: { brand: 'mastercard', last4: '5454', expMonth: 9, expYear: 2028 } },
      { id: 'pm_ro_sepa', type: 'sepa_debit', isDefault: false, label: 'IBAN FR76 •••• 0042' },
    ];
    const element = await fixture<BillingPaymentMethod>(
      html`<billing-payment-method now=${TEST_NOW_ISO} lang="en" .client=${fakeClient({ methods, customer: 'readonly' })}></billing-payment-method>`,
    );
    await loaded(element);
    await until(() => otherMethods(element).includes('IBAN FR76 •••• 0042'), 'the other method listed');
    expect(element.shadowRoot!.querySelectorAll('button')).to.have.length(0);
  });
});

/**
 * A renewal that could not be charged, as the payment method and the invoice table show it
 * and as it is settled. The demo card expires at the end of November 2026 and the period
 * ends on 14 December: moving the server's clock just past it makes the renewal fail.
 */
describe('a failed renewal, in <billing-payment-method> and <billing-invoice-table>', () => {
  const PAST_PERIOD_END = '2026-12-14T00:00:01Z';
  const TEST_CARD = { number: '4242 4242 4242 4242', expiry: '12/30', cvc: '123', name: 'Test' };

  beforeEach(async () => {
    await resetServer();
    await moveClock(PAST_PERIOD_END);
  });
  after(resetServer);

  const rows = (table: BillingInvoiceTable) => [...table.shadowRoot!.querySelectorAll<HTMLElement>('tbody > tr[part="row"]')];
  const pastDueWarning = (element: BillingPaymentMethod) => element.shadowRoot!.querySelector('[part="warning"][data-status="past_due"]');

  /** Both elements under one provider, as an account page has them. */
  async function openAccount() {
    const baseUrl = freshBaseUrl();
    const root = await fixture<BillingProvider>(html`<billing-provider now=${TEST_NOW_ISO} base-url=${baseUrl} lang="en">
      <billing-payment-method></billing-payment-method>
      <billing-invoice-table></billing-invoice-table>
    </billing-provider>`);
    const card = root.querySelector('billing-payment-method')!;
    const table = root.querySelector('billing-invoice-table')!;
    await loaded(card);
    await until(() => rows(table).length > 0, 'invoice rows');
    /** The newest invoice, as the endpoint lists it at the page's URL, in English (so with the same pay link). */
    const latestInvoice = async (): Promise<Invoice> => (await createBillingClient({ baseUrl, locale: 'en' }).listInvoices({ limit: 1 })).data[0]!;
    return { root, card, table, latestInvoice };
  }

  /**
   * Pays on the endpoint's hosted pay page as its form would: reads the page, keeps its
   * hidden fields (the CSRF token, the way back), adds a test card and posts the form from
   * this origin. The page answers with a redirect back to this page.
   */
  async function payOnHostedPage(hostedUrl: string): Promise<void> {
    const page = new DOMParser().parseFromString(await (await fetch(hostedUrl)).text(), 'text/html');
    const form = page.querySelector('form')!;
    const fields = new URLSearchParams();
    for (const input of form.querySelectorAll<HTMLInputElement>('input[type="hidden"]')) fields.set(input.name, input.value);
    expect(fields.get('csrf')).to.be.a('string').and.not.equal('');
    for (const [name, value] of Object.entries(TEST_CARD)) fields.set(name, value);
    const response = await fetch(new URL(form.getAttribute('action')!, hostedUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: fields,
      redirect: 'manual',
    });
    expect(response.type, 'redirected back after paying').to.equal('opaqueredirect');
  }

  /**
   * The user comes back to this tab after a while (the pay page was open in another one):
   * the store revalidates what is older than a few seconds when the window gets the focus.
   */
  function comeBackToTheTab(): void {
    const clock = Date.now;
    Date.now = () => clock() + 60_000;
    try {
      window.dispatchEvent(new Event('focus'));
    } finally {
      Date.now = clock;
    }
  }

  it('says the last payment failed and shows the open invoice with Pay; once paid, both elements show it settled', async () => {
    const { root, card, table, latestInvoice } = await openAccount();
    const open = await latestInvoice();
    expect([open.status, open.amountDue.amountMinor > 0, typeof open.hostedUrl]).to.deep.equal(['open', true, 'string']);

    // The payment method: the failure, whatever the card's expiry (soon, at the element's now).
    await until(() => pastDueWarning(card), 'past-due warning');
    expect(pastDueWarning(card)!.textContent!.trim()).to.equal(en.paymentLastFailed);
    expect(card.shadowRoot!.querySelectorAll('[part="warning"]')).to.have.length(1);
    await expectNoAxeViolations(card);

    // The invoice table: the open invoice first, marked, with what is due and Pay.
    const row = rows(table)[0]!;
    expect(row.getAttribute('data-status')).to.equal('open');
    expect(row.querySelector('th')!.textContent!.trim()).to.equal(open.number);
    expect(row.textContent).to.contain('To pay');
    expect(row.querySelector('.due')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal(en.invoiceAmountDue('€70.00', formatDate('en', open.dueAt!)));
    const pay = row.querySelector<HTMLAnchorElement>('a[part="pay-link"]')!;
    expect(pay.href).to.equal(open.hostedUrl);
    expect(pay.textContent!.replace(/\s+/g, ' ').trim()).to.equal(`Pay ${open.number}`);
    expect(pay.getBoundingClientRect().width).to.be.greaterThan(0);
    expect(rows(table).filter((candidate) => candidate.querySelector('a[part="pay-link"]'))).to.have.length(1);
    await expectNoAxeViolations(table);

    await payOnHostedPage(open.hostedUrl!);
    expect((await secondTab().getSubscription()).status).to.equal('active');

    comeBackToTheTab();
    await until(() => !pastDueWarning(card), 'no past-due warning');
    await until(() => rows(table)[0]!.getAttribute('data-status') === 'paid', 'the invoice paid');
    expect(rows(table)[0]!.querySelector('th')!.textContent!.trim()).to.equal(open.number);
    expect(table.shadowRoot!.querySelector('a[part="pay-link"]')).to.equal(null);
    expect(table.shadowRoot!.querySelector('.due')).to.equal(null);
    // The same elements, not new ones.
    expect(root.querySelector('billing-payment-method')).to.equal(card);
    expect(root.querySelector('billing-invoice-table')).to.equal(table);
  });

  it('settles the open invoice when another method becomes the default, and both elements show it at once', async () => {
    const { card, table, latestInvoice } = await openAccount();
    await until(() => pastDueWarning(card), 'past-due warning');
    const open = await latestInvoice();
    (await waitForButton(card, /^Make default/)).click();
    await until(() => announcement(card) === `${SEPA} is now your default payment method.`, 'new default announced');
    await until(() => !pastDueWarning(card), 'no past-due warning');
    await until(() => rows(table)[0]!.getAttribute('data-status') === 'paid', 'the invoice paid');
    expect(rows(table)[0]!.querySelector('th')!.textContent!.trim()).to.equal(open.number);
    expect((await secondTab().getSubscription()).status).to.equal('active');
  });

  it('back from the pay page: says the invoice is paid once, drops the parameter, and reloads what the page had', async () => {
    const { root, card, table, latestInvoice } = await openAccount();
    await until(() => pastDueWarning(card), 'past-due warning');
    await payOnHostedPage((await latestInvoice()).hostedUrl!);
    const before = location.href;
    const back = new URL(before);
    back.searchParams.set('billing_payment', 'succeeded');
    history.replaceState(history.state, '', back);
    try {
      // The element of the page the pay page sends back to (here one more, the store kept).
      const returned = document.createElement('billing-payment-method');
      root.append(returned);
      await loaded(returned);
      await until(() => announcement(returned) === en.paymentInvoicePaid, 'payment announced');
      expect(new URL(location.href).searchParams.has('billing_payment')).to.equal(false);
      await until(() => !pastDueWarning(card) && !pastDueWarning(returned), 'no past-due warning');
      await until(() => rows(table)[0]!.getAttribute('data-status') === 'paid', 'the invoice paid');
      await expectNoAxeViolations(returned);

      // Said once: an element connected later does not say it again.
      const later = document.createElement('billing-payment-method');
      root.append(later);
      await loaded(later);
      expect(announcement(later)).to.equal('');
    } finally {
      history.replaceState(history.state, '', before);
    }
  });
});
