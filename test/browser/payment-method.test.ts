import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import { createBillingClient, type PaymentMethod, type SetupSession } from '../../src/index.js';
import type { BillingChangeEvent, BillingPaymentMethod, BillingPaymentMethodSetupEvent, BillingProvider } from '../../src/index.js';
import { freshBaseUrl, resetServer, secondTab, waitForButton } from '../support/billing-page.js';
import { TEST_NOW_ISO } from '../support/clock.js';
import { expectNoAxeViolations, shadowText, until } from '../support/dom.js';

const loaded = (element: BillingPaymentMethod) => until(() => element.shadowRoot!.querySelector('[part="default"], [part="empty"]'), 'payment method shown');

async function openElement(customer = 'demo'): Promise<BillingPaymentMethod> {
  const element = await fixture<BillingPaymentMethod>(html`<billing-payment-method now=${TEST_NOW_ISO} base-url=${freshBaseUrl(customer)} lang="en"></billing-payment-method>`);
  await loaded(element);
  return element;
}

/** A fake endpoint for states the seed has not: other payment methods, other setup sessions. */
function fakeClient({ methods, session }: { methods?: PaymentMethod[]; session?: SetupSession }) {
  const real = freshBaseUrl();
  return createBillingClient({
    baseUrl: '/fake',
    fetch: async (input, init) => {
      const url = String(input);
      if (methods && url.endsWith('/v1/payment-methods')) return Response.json({ data: methods });
      if (session && url.endsWith('/v1/payment-methods/setup')) return Response.json(session);
      return fetch(url.replace('/fake', real), init);
    },
  });
}

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
});
