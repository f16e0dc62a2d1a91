import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { BillingError, newIdempotencyKey, type BillingClient } from '../../client/index.js';
import type { PaymentMethod } from '../../contract/index.js';
import type { StringOverrides, Strings } from '../../i18n/index.js';
import { baseStyles } from '../shared/base.styles.js';
import { BillingController } from '../shared/billing-controller.js';
import { BillingBeforeChangeEvent, BillingChangeEvent, BillingPaymentMethodSetupEvent } from '../shared/events.js';
import { renderError, renderLoading } from '../shared/states.js';
import { brandMark, brandName, cardExpiry } from './card-expiry.js';
import { paymentMethodStyles } from './payment-method.styles.js';

/** The query parameter the endpoint adds to `returnUrl` when the hosted page sends the user back. */
const SETUP_PARAM = 'billing_setup';

/**
 * The payment method on file: the default one (brand, last four digits, expiry) with a
 * warning when it has expired or expires within 30 days, the others with "make default",
 * and an update that opens the endpoint's setup session — a redirect to a hosted page, or a
 * client secret handed to the host's payment provider through an event. Card data never
 * passes through this element.
 *
 * @summary The payment method on file, its expiry warnings and its update.
 *
 * @fires billing-payment-method-setup - When a setup session is open (cancelable): `session` is a redirect or a client secret.
 * @fires billing-before-change - Before making another method the default (cancelable).
 * @fires billing-change - After the default changed.
 *
 * @csspart default - The default payment method.
 * @csspart warning - The expiry warning.
 * @csspart update-button - The update button.
 * @csspart others - The list of other payment methods.
 * @csspart method - One of the other payment methods.
 * @csspart action-button - "Make default" buttons.
 * @csspart announcement - Confirmations and failures of the last action.
 * @csspart empty - The empty-state message.
 * @csspart error - The error state.
 * @csspart retry-button - The error state's retry button.
 * @csspart support-link - The error state's support link.
 *
 * @cssprop --billing-payment-method-card-background - Background of the default method.
 */
export class BillingPaymentMethod extends LitElement {
  static override styles = [baseStyles, paymentMethodStyles];

  static override properties = {
    baseUrl: { attribute: 'base-url' },
    client: { attribute: false },
    strings: { attribute: false },
    supportUrl: { attribute: 'support-url' },
    now: {},
    busy: { state: true },
    announcement: { state: true },
  };

  /** Endpoint URL for use without a provider; elements with the same URL share one store. */
  declare baseUrl?: string;

  /** A client to use instead of a provider or `base-url`. */
  declare client?: BillingClient;

  /** Replacements for some of the visible strings. */
  declare strings?: StringOverrides;

  /** Support link shown in the error state (overrides the provider's). */
  declare supportUrl?: string;

  /**
   * The moment the elements treat as now (expiry warnings, unused modules, the CSV file name).
   * Default: the server's `asOf` when usage is loaded, else the browser clock. Pin it in
   * tests, stories and screenshots. The attribute takes an ISO 8601 instant; the property
   * also takes a `Date` or milliseconds. Overrides the provider's.
   */
  declare now?: string | number | Date;

  private busy = false;
  /** A message key, or a failure's code, for the live region. */
  private announcement: { text: keyof Strings } | { error: string } | { method: string } | null = null;

  #billing = new BillingController(this, ['paymentMethods', 'subscription'], { subscriptionOptional: true });
  /**
   * One key per user action (`setup`, `default:<id>`): retrying the same action replays it,
   * and another action never reuses its key.
   */
  #idempotencyKeys = new Map<string, string>();

  #keyFor(action: string): string {
    let key = this.#idempotencyKeys.get(action);
    if (!key) {
      key = newIdempotencyKey();
      this.#idempotencyKeys.set(action, key);
    }
    return key;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Back from the hosted page: say how it went (the data is fetched fresh anyway).
    const url = new URL(location.href);
    const outcome = url.searchParams.get(SETUP_PARAM);
    if (outcome === 'succeeded') this.announcement = { text: 'paymentUpdated' };
    if (outcome === 'canceled') this.announcement = { text: 'paymentSetupCanceled' };
    if (outcome) {
      // Said once: a reload must not announce it again.
      url.searchParams.delete(SETUP_PARAM);
      history.replaceState(history.state, '', url);
    }
  }

  protected override render(): TemplateResult {
    const billing = this.#billing;
    const strings = billing.strings;
    const skeleton = () => renderLoading(strings, html`<span class="skeleton method"></span>`);
    if (!strings) return skeleton();
    if (!billing.store) return renderError({ error: null, strings });
    const { error, ready } = billing.status;
    if (error) return renderError({ error, strings, onRetry: () => billing.retry(), supportUrl: billing.supportUrl });
    if (!ready) return skeleton();
    const methods = billing.state('paymentMethods').data!;
    const canManage = billing.permissions?.managePaymentMethods ?? false;
    const current = methods.find((method) => method.isDefault) ?? methods[0];
    const others = methods.filter((method) => method !== current);
    const now = billing.now();
    const expiry = current ? cardExpiry(current, now) : 'ok';
    return html`
      <div role="status">${this.#renderAnnouncement(strings)}</div>
      ${current
        ? html`${this.#renderMethod(current, strings, now, true)}
          ${expiry !== 'ok'
            ? html`<p class="warning" part="warning" data-expiry=${expiry}>
                ${expiry === 'expired' ? strings.paymentExpired : strings.paymentExpiresSoon}
              </p>`
            : nothing}`
        : html`<p class="empty" part="empty">${strings.paymentEmpty}</p>`}
      ${canManage
        ? html`<button type="button" class="update" part="update-button" ?disabled=${this.busy} @click=${() => this.#setUp()}>
            ${current ? strings.paymentUpdate : strings.paymentAdd}
          </button>`
        : nothing}
      ${others.length
        ? html`<h3>${strings.paymentOthers}</h3>
            <ul part="others">
              ${others.map(
                (method) => html`<li>
                  ${this.#renderMethod(
                    method,
                    strings,
                    now,
                    false,
                    canManage
                      ? html`<button
                          type="button"
                          class="secondary"
                          part="action-button"
                          ?disabled=${this.busy}
                          @click=${() => this.#makeDefault(method)}
                        >
                          ${strings.paymentMakeDefault}<span class="visually-hidden">: ${describe(method, strings)}</span>
                        </button>`
                      : nothing,
                  )}
                </li>`,
              )}
            </ul>`
        : nothing}
    `;
  }

  #renderAnnouncement(strings: Strings): TemplateResult | typeof nothing {
    const announcement = this.announcement;
    if (!announcement) return nothing;
    const text =
      'text' in announcement
        ? (strings[announcement.text] as string)
        : 'error' in announcement
          ? strings.errorMessage(announcement.error)
          : strings.paymentDefaultChanged(announcement.method);
    const tone = 'error' in announcement ? 'error' : 'text' in announcement && announcement.text !== 'paymentUpdated' ? 'info' : 'success';
    return html`<p class="announcement" part="announcement" data-tone=${tone}>${text}</p>`;
  }

  #renderMethod(method: PaymentMethod, strings: Strings, now: number, isCurrent: boolean, action: unknown = nothing): TemplateResult {
    const expiry = cardExpiry(method, now);
    const card = method.card;
    return html`<div class="method" part=${isCurrent ? 'default' : 'method'} data-expiry=${expiry}>
      <span class="brand" aria-hidden="true">${card ? brandMark(card.brand) : method.type === 'sepa_debit' ? 'SEPA' : '•••'}</span>
      <div>
        <p class="label">
          ${describe(method, strings)}${isCurrent && method.isDefault ? html`<span class="badge">${strings.paymentDefault}</span>` : nothing}
        </p>
        ${card
          ? html`<p class="expiry">
              ${(expiry === 'expired' ? strings.paymentExpiredOn : strings.paymentExpires)(
                `${String(card.expMonth).padStart(2, '0')}/${card.expYear}`,
              )}
            </p>`
          : nothing}
      </div>
      ${action}
    </div>`;
  }

  async #setUp(): Promise<void> {
    const client = this.#billing.store?.client;
    if (!client || this.busy) return;
    this.busy = true;
    this.announcement = null;
    try {
      const returnUrl = new URL(location.href);
      returnUrl.searchParams.delete(SETUP_PARAM);
      const session = await client.setupPaymentMethod(returnUrl.href, { idempotencyKey: this.#keyFor('setup') });
      this.#idempotencyKeys.delete('setup');
      if (!this.dispatchEvent(new BillingPaymentMethodSetupEvent(session))) return;
      if (session.kind === 'client_secret') {
        this.announcement = { text: 'paymentContinueInForm' };
        return;
      }
      const url = new URL(session.url, location.href);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new BillingError({ code: 'invalid_response', status: 200, operation: 'setupPaymentMethod', message: 'not an http(s) URL' });
      this.announcement = { text: 'paymentRedirecting' };
      location.assign(url.href);
    } catch (error) {
      this.announcement = { error: BillingError.from(error, 'paymentMethods').code };
    } finally {
      this.busy = false;
    }
  }

  async #makeDefault(method: PaymentMethod): Promise<void> {
    const store = this.#billing.store;
    const strings = this.#billing.strings;
    if (!store || !strings || this.busy) return;
    const change = { type: 'default_payment_method', paymentMethod: method } as const;
    if (!this.dispatchEvent(new BillingBeforeChangeEvent(change))) return;
    this.busy = true;
    this.announcement = null;
    try {
      const action = `default:${method.id}`;
      const { data } = await store.client.setDefaultPaymentMethod(method.id, { idempotencyKey: this.#keyFor(action) });
      this.#idempotencyKeys.delete(action);
      store.applyPaymentMethods(data);
      this.announcement = { method: describe(method, strings) };
      this.dispatchEvent(new BillingChangeEvent(change, null, null));
    } catch (error) {
      this.announcement = { error: BillingError.from(error, 'paymentMethods').code };
    } finally {
      this.busy = false;
    }
  }
}

function describe(method: PaymentMethod, strings: Strings): string {
  if (method.card) return strings.paymentCard(brandName(method.card.brand), method.card.last4);
  const type = method.type === 'sepa_debit' ? strings.paymentSepa : strings.paymentOther;
  return method.label ? `${type} · ${method.label}` : type;
}
