/**
 * Payment methods: the customer's Stripe PaymentMethods (`customers.listPaymentMethods`), the
 * default being the customer's `invoice_settings.default_payment_method`; adding one is a
 * Checkout Session in `setup` mode.
 */
import type Stripe from 'stripe';
import type { PaymentMethod, SetupSession } from '../contract/index.js';
import type { CustomerId, SetupSessionRequest } from '../server/billing-engine.js';
import { BillingEngineError } from '../server/errors.js';
import { orNull, stripeCall } from './errors.js';
import { instant } from './invoices.js';

const idOf = (value: string | { id: string } | null | undefined) => (typeof value === 'string' ? value : (value?.id ?? null));

/** The customer, or `null` when Stripe has none (or a deleted one) by that id. */
export async function retrieveCustomer(stripe: Stripe, customer: CustomerId): Promise<Stripe.Customer | null> {
  const found = await orNull(() => stripe.customers.retrieve(customer));
  return found && !('deleted' in found && found.deleted) ? (found as Stripe.Customer) : null;
}

export function paymentMethod(method: Stripe.PaymentMethod, defaultId: string | null): PaymentMethod {
  const type: PaymentMethod['type'] = method.type === 'card' ? 'card' : method.type === 'sepa_debit' ? 'sepa_debit' : 'other';
  const result: PaymentMethod = { id: method.id, type, isDefault: method.id === defaultId };
  if (method.card) {
    result.card = { brand: method.card.brand, last4: method.card.last4, expMonth: method.card.exp_month, expYear: method.card.exp_year };
  }
  if (method.sepa_debit?.last4) result.label = `SEPA •••• ${method.sepa_debit.last4}`;
  return result;
}

export async function listPaymentMethods(stripe: Stripe, customer: CustomerId): Promise<PaymentMethod[]> {
  const found = await retrieveCustomer(stripe, customer);
  if (!found) return [];
  const defaultId = idOf(found.invoice_settings.default_payment_method);
  const methods: PaymentMethod[] = [];
  await stripeCall(async () => {
    for await (const method of stripe.customers.listPaymentMethods(customer, { limit: 100 })) methods.push(paymentMethod(method, defaultId));
  });
  return methods;
}

/** The payment method if it is attached to the customer. */
async function ownMethod(stripe: Stripe, customer: CustomerId, paymentMethodId: string): Promise<Stripe.PaymentMethod | null> {
  if (!/^[A-Za-z0-9_]+$/.test(paymentMethodId)) return null;
  const method = await orNull(() => stripe.paymentMethods.retrieve(paymentMethodId));
  return method && idOf(method.customer) === customer ? method : null;
}

export async function setDefaultPaymentMethod(stripe: Stripe, customer: CustomerId, paymentMethodId: string): Promise<PaymentMethod[] | null> {
  if (!(await ownMethod(stripe, customer, paymentMethodId))) return null;
  await stripeCall(() => stripe.customers.update(customer, { invoice_settings: { default_payment_method: paymentMethodId } }));
  return listPaymentMethods(stripe, customer);
}

/**
 * Detaches the payment method. The default one is refused while a subscription renews on it
 * (`renewing`: the customer has a subscription that is not set to end).
 */
export async function removePaymentMethod(
  stripe: Stripe,
  customer: CustomerId,
  paymentMethodId: string,
  renewing: () => Promise<boolean>,
): Promise<PaymentMethod[] | null> {
  if (!(await ownMethod(stripe, customer, paymentMethodId))) return null;
  const found = await retrieveCustomer(stripe, customer);
  if (found && idOf(found.invoice_settings.default_payment_method) === paymentMethodId && (await renewing())) {
    throw new BillingEngineError('change_not_allowed', {
      detail: 'This payment method pays for your subscription. Make another one the default first.',
    });
  }
  await stripeCall(() => stripe.paymentMethods.detach(paymentMethodId));
  return listPaymentMethods(stripe, customer);
}

/** The languages Stripe Checkout speaks (https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-locale). */
const CHECKOUT_LOCALES = new Set([
  'bg', 'cs', 'da', 'de', 'el', 'en', 'en-GB', 'es', 'es-419', 'et', 'fi', 'fil', 'fr', 'fr-CA', 'hi-IN', 'hr', 'hu', 'id', 'it',
  'ja', 'ko', 'lt', 'lv', 'ms', 'mt', 'nb', 'nl', 'pl', 'pt', 'pt-BR', 'ro', 'ru', 'sk', 'sl', 'sv', 'th', 'tr', 'vi', 'zh', 'zh-HK', 'zh-TW',
]);

/** `fr-BE` → `fr`; a language Checkout does not speak → `auto` (the browser's). */
export function checkoutLocale(locale: string | undefined): Stripe.Checkout.SessionCreateParams.Locale {
  if (locale === undefined) return 'auto';
  if (CHECKOUT_LOCALES.has(locale)) return locale;
  const language = locale.split('-')[0]!.toLowerCase();
  return CHECKOUT_LOCALES.has(language) ? language : 'auto';
}

function withOutcome(returnUrl: string, outcome: 'succeeded' | 'canceled'): string {
  const url = new URL(returnUrl);
  url.searchParams.set('billing_setup', outcome);
  return url.toString();
}

/** A Checkout Session in `setup` mode that comes back to `returnUrl` with `billing_setup=succeeded|canceled`. */
export async function createSetupSession(
  stripe: Stripe,
  customer: CustomerId,
  request: SetupSessionRequest,
  currency: string,
): Promise<SetupSession> {
  const session = await stripeCall(() =>
    stripe.checkout.sessions.create({
      mode: 'setup',
      customer,
      currency,
      locale: checkoutLocale(request.locale),
      success_url: withOutcome(request.returnUrl, 'succeeded'),
      cancel_url: withOutcome(request.returnUrl, 'canceled'),
    }),
  );
  if (!session.url) throw new Error('Stripe answered a Checkout Session without a url');
  return { kind: 'redirect', url: session.url, expiresAt: instant(session.expires_at) };
}
