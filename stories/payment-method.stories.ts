import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import type { BillingBeforeChangeEvent, BillingChangeEvent, BillingClient, BillingPaymentMethodSetupEvent } from '../src/index.js';
import { fakeBillingClient } from './support/fake-endpoint.js';
import { AS_OF, sepaMandate, visaExpired, visaExpiringSoon, visaValid } from './support/fixtures.js';
import { findButton, focusedIn, retryAfterError, shadowCanvas } from './support/play.js';

const SUPPORT_URL = 'https://support.example.com/billing';
const TIMEOUT = { timeout: 5_000 };

/** The element's events, logged in the Actions panel (and checked by the play functions). */
interface PaymentMethodArgs {
  onSetup: (event: BillingPaymentMethodSetupEvent) => void;
  onBeforeChange: (event: BillingBeforeChangeEvent) => void;
  onChange: (event: BillingChangeEvent) => void;
}

/**
 * One fake endpoint per story, made once: revisiting a story reuses its data (and what its
 * play function did) until the page reloads.
 */
const endpoints = {
  seeded: fakeBillingClient(),
  expired: fakeBillingClient({ paymentMethods: [visaExpired, sepaMandate] }),
  valid: fakeBillingClient({ paymentMethods: [visaValid] }),
  none: fakeBillingClient({ paymentMethods: [] }),
  sepaDefault: fakeBillingClient({ paymentMethods: [{ ...visaExpiringSoon, isDefault: false }, { ...sepaMandate, isDefault: true }] }),
  readOnly: fakeBillingClient({ readOnly: true }),
  clientSecret: fakeBillingClient(),
  makeDefault: fakeBillingClient(),
  pastDue: fakeBillingClient({ status: 'past_due' }),
  confirmRemove: fakeBillingClient(),
  remove: fakeBillingClient(),
  loading: fakeBillingClient({ delay: 'forever' }),
  serverError: fakeBillingClient({ fail: 'server-error' }),
  invalidResponse: fakeBillingClient({ fail: 'invalid-response' }),
  french: fakeBillingClient({ language: 'fr' }),
  dark: fakeBillingClient(),
  noSubscription: fakeBillingClient({ noSubscription: true, paymentMethods: [] }),
  retry: fakeBillingClient({ fail: 'server-error-once' }),
};


const paymentMethod = (client: BillingClient, args: PaymentMethodArgs, { lang }: { lang?: string } = {}): TemplateResult =>
  html`<billing-payment-method
    now=${AS_OF}
    .client=${client}
    lang=${ifDefined(lang)}
    support-url=${SUPPORT_URL}
    @billing-payment-method-setup=${args.onSetup}
    @billing-before-change=${args.onBeforeChange}
    @billing-change=${args.onChange}
  ></billing-payment-method>`;

/**
 * What a host does with a `client_secret` session: mount its payment provider's card form
 * (Stripe's Payment Element, say) with the secret. Here a placeholder says where it would go.
 */
function mountProviderForm(event: BillingPaymentMethodSetupEvent): void {
  const slot = (event.currentTarget as HTMLElement).nextElementSibling as HTMLElement;
  if (event.session.kind !== 'client_secret') return;
  slot.hidden = false;
  slot.textContent =
    `The page would mount its payment provider’s card form here (${event.session.provider}, ` +
    `client secret ${event.session.clientSecret}).`;
}

const providerFormStyle =
  'margin-top: 1rem; padding: 1rem; border: 1px dashed light-dark(#9aa1ad, #5b6270); border-radius: 8px; ' +
  'color: light-dark(#5a6270, #a9b0bc); font-size: 0.9rem';

const meta: Meta<PaymentMethodArgs> = {
  title: 'Elements/Payment method',
  component: 'billing-payment-method',
  args: { onSetup: fn(), onBeforeChange: fn(), onChange: fn() },
  argTypes: {
    onSetup: { description: '`billing-payment-method-setup`: a setup session is open (cancelable).', table: { category: 'events' } },
    onBeforeChange: {
      description: '`billing-before-change`: before another method becomes the default, or one is removed (cancelable).',
      table: { category: 'events' },
    },
    onChange: { description: '`billing-change`: the default changed, or a method was removed.', table: { category: 'events' } },
  },
  render: (args) => paymentMethod(endpoints.seeded, args),
};
export default meta;

type Story = StoryObj<PaymentMethodArgs>;

const storyDescription = (story: string) => ({ docs: { description: { story } } });

export const Default: Story = {
  parameters: storyDescription(
    'The demo business: a Visa card, the default, valid through the end of this month — “expires soon” — and a SEPA ' +
      'mandate that could take over.',
  ),
};

export const Expired: Story = {
  render: (args) => paymentMethod(endpoints.expired, args),
  parameters: storyDescription('The default card expired at the end of last month: the expiry in red and a warning to update it.'),
};

export const Valid: Story = {
  render: (args) => paymentMethod(endpoints.valid, args),
  parameters: storyDescription('A card valid for three more years and nothing else on file: no warning, no other methods.'),
};

export const NoPaymentMethod: Story = {
  render: (args) => paymentMethod(endpoints.none, args),
  parameters: storyDescription('Nothing on file yet: the button says “Add a payment method”.'),
};

export const SepaDefault: Story = {
  render: (args) => paymentMethod(endpoints.sepaDefault, args),
  parameters: storyDescription(
    'The SEPA mandate is the default (no card, no expiry); the card that expires this month is one of the others, ' +
      'its expiry marked, with no warning since it is not the one charged.',
  ),
};

export const ReadOnly: Story = {
  render: (args) => paymentMethod(endpoints.readOnly, args),
  parameters: storyDescription('`permissions.managePaymentMethods` false: the same information and warning, no buttons.'),
};

export const ClientSecretSetup: Story = {
  render: (args) => html`
    ${paymentMethod(endpoints.clientSecret, {
      ...args,
      onSetup: (event) => {
        args.onSetup(event);
        mountProviderForm(event);
      },
    })}
    <div style=${providerFormStyle} hidden></div>
  `,
  play: async ({ args, canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-payment-method');
    await userEvent.click(await findButton(canvas, 'Update payment method'));
    await canvas.findByText('Complete the payment form to save your card.', {}, TIMEOUT);
    await waitFor(() =>
      expect(args.onSetup).toHaveBeenCalledWith(
        expect.objectContaining({ session: expect.objectContaining({ kind: 'client_secret', provider: 'stripe' }) }),
      ),
    );
  },
  parameters: storyDescription(
    '“Update payment method” opens a setup session (`POST /v1/payment-methods/setup`); this endpoint answers with a ' +
      'client secret, which the element hands to the page in `billing-payment-method-setup` (see Actions) and asks ' +
      'the user to complete the form the page mounts. A `redirect` session would open the hosted page instead.',
  ),
};

export const MakeDefault: Story = {
  render: (args) => paymentMethod(endpoints.makeDefault, args),
  play: async ({ args, canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-payment-method');
    await userEvent.click(await findButton(canvas, /^Make default\s*: SEPA Direct Debit · IBAN FR76 •••• 0189$/));
    await canvas.findByText('SEPA Direct Debit · IBAN FR76 •••• 0189 is now your default payment method.', {}, TIMEOUT);
    const defaultChange = expect.objectContaining({ change: expect.objectContaining({ type: 'default_payment_method' }) });
    await expect(args.onBeforeChange).toHaveBeenCalledWith(defaultChange);
    await expect(args.onChange).toHaveBeenCalledWith(defaultChange);
    // The card is one of the others now, and could be made the default again.
    await expect(await findButton(canvas, /^Make default\s*: Visa ending in 4242$/)).toBeEnabled();
  },
  parameters: storyDescription(
    '“Make default” on the SEPA mandate: `billing-before-change` (cancelable), `POST /v1/payment-methods/{id}/default`, ' +
      'then `billing-change` (see Actions). The mandate is the default now, and the card, with no warning left, is ' +
      'listed with the others.',
  ),
};

export const PastDue: Story = {
  render: (args) => paymentMethod(endpoints.pastDue, args),
  play: async ({ canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-payment-method');
    await canvas.findByText(/Your last payment failed/, {}, TIMEOUT);
  },
  parameters: storyDescription(
    'The renewal that opened this period could not be charged: the subscription is `past_due` and its invoice is ' +
      'open. The element says so above anything about the card’s expiry, and the update opens the card page; a new ' +
      'default method is charged for what is due (the subscription and invoices on the page reload after it).',
  ),
};

export const ConfirmRemove: Story = {
  render: (args) => paymentMethod(endpoints.confirmRemove, args),
  play: async ({ args, canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-payment-method');
    await userEvent.click(await findButton(canvas, /^Remove\s*: SEPA Direct Debit · IBAN FR76 •••• 0189$/));
    const question = await canvas.findByRole('group', { name: 'Remove SEPA Direct Debit · IBAN FR76 •••• 0189?' }, TIMEOUT);
    const keep = await findButton(within(question), 'Keep');
    await waitFor(() => expect(focusedIn(canvasElement, 'billing-payment-method')).toBe(keep));
    await expect(args.onBeforeChange).not.toHaveBeenCalled();
  },
  parameters: storyDescription(
    '“Remove” on the SEPA mandate asks first, inline: “Remove … ?” with Remove and Keep, the focus on Keep (where ' +
      'the button pressed was, so a double press keeps the method). Nothing is sent yet. The default method has no ' +
      '“Remove”: it pays the subscription.',
  ),
};

export const Remove: Story = {
  render: (args) => paymentMethod(endpoints.remove, args),
  play: async ({ args, canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-payment-method');
    await userEvent.click(await findButton(canvas, /^Remove\s*: SEPA Direct Debit · IBAN FR76 •••• 0189$/));
    const question = await canvas.findByRole('group', { name: 'Remove SEPA Direct Debit · IBAN FR76 •••• 0189?' }, TIMEOUT);
    await userEvent.click(await findButton(within(question), 'Remove'));
    await canvas.findByText('SEPA Direct Debit · IBAN FR76 •••• 0189 was removed.', {}, TIMEOUT);
    const removal = expect.objectContaining({ change: expect.objectContaining({ type: 'remove_payment_method' }) });
    await expect(args.onBeforeChange).toHaveBeenCalledWith(removal);
    await expect(args.onChange).toHaveBeenCalledWith(removal);
    await expect(canvas.queryByRole('list')).toBeNull();
    await waitFor(() => expect(focusedIn(canvasElement, 'billing-payment-method')).toBe(canvas.getByRole('button', { name: 'Update payment method' })));
  },
  parameters: storyDescription(
    'The removal confirmed: `billing-before-change` (cancelable), `DELETE /v1/payment-methods/{id}`, then ' +
      '`billing-change` (see Actions); the outcome is announced and the focus, which was in the row that went, moves ' +
      'to the update button.',
  ),
};

export const Loading: Story = {
  render: (args) => paymentMethod(endpoints.loading, args),
  parameters: storyDescription('A request that never completes: a card-shaped skeleton.'),
};

export const ServerError: Story = {
  render: (args) => paymentMethod(endpoints.serverError, args),
  parameters: storyDescription('A 500 problem+json: localized message, retry, the `support-url` link and a diagnostic with the request id.'),
};

export const InvalidResponse: Story = {
  render: (args) => paymentMethod(endpoints.invalidResponse, args),
  parameters: storyDescription('A 200 whose body breaks the contract: the client rejects it as `invalid_response`.'),
};

export const French: Story = {
  render: (args) => paymentMethod(endpoints.french, args, { lang: 'fr' }),
  globals: { locale: 'fr' },
  parameters: storyDescription('`lang="fr"`: French strings and the expiry as “fin MM/AAAA”.'),
};

export const Dark: Story = {
  render: (args) => paymentMethod(endpoints.dark, args),
  globals: { theme: 'dark' },
  parameters: storyDescription('A page with `color-scheme: dark`: the element follows with `light-dark()`.'),
};

export const NoSubscription: Story = {
  render: (args) => paymentMethod(endpoints.noSubscription, args),
  play: async ({ canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-payment-method');
    await expect(await findButton(canvas, 'Add a payment method')).toBeEnabled();
  },
  parameters: storyDescription(
    'A customer without a subscription yet (`no_subscription`) and nothing on file: a payment method can still be added, ' +
      'e.g. before choosing a plan.',
  ),
};

export const RetryAfterError: Story = {
  render: (args) => paymentMethod(endpoints.retry, args),
  play: async ({ canvasElement }) => {
    const canvas = await shadowCanvas(canvasElement, 'billing-payment-method');
    await retryAfterError(canvas, () => expect(canvas.getByRole('button', { name: 'Update payment method' })).toBeVisible());
  },
  parameters: storyDescription('A 500 to the first read, then the data: “Try again” in the error state loads it (once per page load: reload the page to see the error again).'),
};
