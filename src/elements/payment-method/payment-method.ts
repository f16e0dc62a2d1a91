import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { BillingError } from '../../client/index.js';
import type { PaymentMethod } from '../../contract/index.js';
import type { Strings } from '../../i18n/index.js';
import type { BillingStore } from '../../store/index.js';
import { baseStyles } from '../shared/base.styles.js';
import { ActionKeys } from '../shared/action-keys.js';
import { Announcer } from '../shared/announcer.js';
import { BillingController } from '../shared/element-controller.js';
import { hostProperties, type BillingHostProperties } from '../shared/host.js';
import { BillingBeforeChangeEvent, BillingChangeEvent, BillingPaymentMethodSetupEvent } from '../events.js';
import { brandMark, brandName, cardExpiry } from './card-expiry.js';
import { paymentMethodStyles } from './payment-method.styles.js';

/** The query parameter the endpoint adds to `returnUrl` when the hosted card page sends the user back. */
const SETUP_PARAM = 'billing_setup';
/** The query parameter the endpoint's hosted pay page adds to the page it sends the user back to. */
const PAYMENT_PARAM = 'billing_payment';

/**
 * A new default method (or one just added) is charged for the open invoices at once, and a
 * paid invoice ends `past_due`: the subscription and the latest invoices may have changed on
 * the server. Reloads them, so every element on the page shows it — the invoices only when
 * something on the page shows them (the store holds them).
 */
export function reloadAfterPayment(store: BillingStore): void {
  void store.load('subscription', { force: true });
  const invoices = store.get('invoices');
  if (invoices.data !== undefined || invoices.loading) void store.load('invoices', { force: true });
}


// Declared once for every element (shared/host.ts): the class gets them by declaration merging.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface BillingPaymentMethod extends BillingHostProperties {}

/**
 * The payment method on file: the default one (brand, last four digits, expiry) with a
 * warning when the last payment failed (the subscription is `past_due`), or when the card
 * has expired or expires within 30 days; the others with "make default" and "remove" (asked
 * again inline before anything is removed); and an update that opens the endpoint's setup
 * session — a redirect to a hosted page, or a client secret handed to the host's payment
 * provider through an event. Card data never passes through this element. Back from the
 * hosted card or pay page it says how it went, and the subscription and latest invoices are
 * reloaded for every element on the page (paying settles what was due).
 *
 * @summary The payment method on file, its warnings, its update and removal.
 *
 * @fires {BillingPaymentMethodSetupEvent} billing-payment-method-setup - When a setup session is open (cancelable): `session` is a redirect or a client secret.
 * @fires {BillingBeforeChangeEvent} billing-before-change - Before making another method the default, or removing one (cancelable): `change.type` is `default_payment_method` or `remove_payment_method`.
 * @fires {BillingChangeEvent} billing-change - After the default changed, or a method was removed.
 *
 * @csspart default - The default payment method.
 * @csspart warning - The warning: the last payment failed (`data-status="past_due"`), or the card's expiry (`data-expiry`).
 * @csspart update-button - The update button.
 * @csspart others - The list of other payment methods.
 * @csspart method - One of the other payment methods.
 * @csspart action-button - "Make default" and "Remove" buttons.
 * @csspart confirm - The inline question before a removal, with its buttons.
 * @csspart confirm-button - The button that confirms a removal.
 * @csspart announcement - Confirmations and failures of the last action.
 * @csspart empty - The empty-state message.
 * @csspart error - The error state.
 * @csspart retry-button - The error state's retry button.
 * @csspart support-link - The error state's support link.
 *
 * @cssprop --billing-payment-method-card-background - Background of the default method.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class BillingPaymentMethod extends LitElement {
  static override styles = [baseStyles, paymentMethodStyles];

  static override properties = {
    ...hostProperties,
    busy: { state: true },
    confirming: { state: true },
  };

  private busy = false;
  /** The id of the method whose removal is being confirmed. */
  private confirming: string | null = null;

  #billing = new BillingController(this, ['paymentMethods', 'subscription'], { subscriptionOptional: true });
  #announcer = new Announcer(this);
  /** Actions `setup`, `default:<id>`, `remove:<id>`. */
  #keys = new ActionKeys();

  override connectedCallback(): void {
    super.connectedCallback();
    // Back from a hosted page: say how it went.
    const url = new URL(location.href);
    const setup = url.searchParams.get(SETUP_PARAM);
    const payment = url.searchParams.get(PAYMENT_PARAM);
    if (setup === 'succeeded') this.#announcer.announce((strings) => strings.paymentUpdated);
    if (setup === 'canceled') this.#announcer.announce((strings) => strings.paymentSetupCanceled, { tone: 'info' });
    if (payment === 'succeeded') this.#announcer.announce((strings) => strings.paymentInvoicePaid);
    if (setup === null && payment === null) return;
    // Said once: a reload must not announce it again.
    url.searchParams.delete(SETUP_PARAM);
    url.searchParams.delete(PAYMENT_PARAM);
    history.replaceState(history.state, '', url);
    // A page that kept its store (a client-side route change) would show what it had before
    // the card was added or the invoice paid; a fresh page shares these requests.
    if (setup === 'succeeded' || payment === 'succeeded') {
      const store = this.#billing.store;
      if (store) reloadAfterPayment(store);
    }
  }

  protected override render(): TemplateResult {
    const billing = this.#billing;
    const gate = billing.gate(html`<span class="skeleton method"></span>`);
    if (gate) return gate;
    const strings = billing.strings!;
    const methods = billing.state('paymentMethods').data!;
    const canManage = billing.permissions?.managePaymentMethods ?? false;
    const current = methods.find((method) => method.isDefault) ?? methods[0];
    const others = methods.filter((method) => method !== current);
    const now = billing.now();
    const expiry = current ? cardExpiry(current, now) : 'ok';
    // A failed payment says more than the card's expiry (often its cause, still shown on the card).
    const pastDue = billing.state('subscription').data?.status === 'past_due';
    return html`
      ${this.#announcer.render(strings, billing.locale)}
      ${current ? this.#renderMethod(current, strings, now, true) : html`<p class="empty" part="empty">${strings.paymentEmpty}</p>`}
      ${pastDue
        ? html`<p class="warning" part="warning" data-status="past_due">${strings.paymentLastFailed}</p>`
        : current && expiry !== 'ok'
          ? html`<p class="warning" part="warning" data-expiry=${expiry}>
              ${expiry === 'expired' ? strings.paymentExpired : strings.paymentExpiresSoon}
            </p>`
          : nothing}
      ${canManage
        ? html`<button type="button" class="update" part="update-button" aria-disabled=${this.busy ? 'true' : 'false'} @click=${() => this.#setUp()}>
            ${current ? strings.paymentUpdate : strings.paymentAdd}
          </button>`
        : nothing}
      ${others.length
        ? html`<h3>${strings.paymentOthers}</h3>
            <ul part="others">
              ${others.map(
                (method) => html`<li>
                  ${this.#renderMethod(method, strings, now, false, canManage ? this.#renderActions(method, strings) : nothing)}
                </li>`,
              )}
            </ul>`
        : nothing}
    `;
  }

  /** "Make default" and "Remove" for a method that is not the default, or the question before removing it. */
  #renderActions(method: PaymentMethod, strings: Strings): TemplateResult {
    const name = describe(method, strings);
    if (this.confirming === method.id) {
      // Keep takes the place of the Remove button just pressed and gets the focus: pressing
      // twice (a double click, Enter held) keeps the method. Disabled only for assistive
      // technology while the removal runs, so the focus stays where it is.
      return html`<div class="confirm" part="confirm" role="group" aria-labelledby="confirm-question">
        <p id="confirm-question">${strings.paymentRemoveConfirm(name)}</p>
        <button
          type="button"
          class="danger"
          part="confirm-button"
          aria-disabled=${this.busy ? 'true' : 'false'}
          @click=${() => this.#remove(method)}
        >
          ${strings.paymentRemove}
        </button>
        <button
          type="button"
          class="secondary keep"
          aria-disabled=${this.busy ? 'true' : 'false'}
          @click=${() => this.#closeConfirm(method)}
        >
          ${strings.paymentKeep}
        </button>
      </div>`;
    }
    const hidden = html`<span class="visually-hidden">: ${name}</span>`;
    return html`<div class="actions">
      <button
        type="button"
        class="secondary"
        part="action-button"
        aria-disabled=${this.busy ? 'true' : 'false'}
        @click=${() => this.#makeDefault(method)}
      >
        ${strings.paymentMakeDefault}${hidden}
      </button>
      <button
        type="button"
        class="secondary danger"
        part="action-button"
        data-remove=${method.id}
        aria-disabled=${this.busy ? 'true' : 'false'}
        @click=${() => this.#askToRemove(method)}
      >
        ${strings.paymentRemove}${hidden}
      </button>
    </div>`;
  }

  #renderMethod(method: PaymentMethod, strings: Strings, now: number, isCurrent: boolean, action: unknown = nothing): TemplateResult {
    const expiry = cardExpiry(method, now);
    const card = method.card;
    return html`<div class="method" part=${isCurrent ? 'default' : 'method'} data-expiry=${expiry}>
      <span class="brand" aria-hidden="true">${card ? brandMark(card.brand) : method.type === 'sepa_debit' ? 'SEPA' : '•••'}</span>
      <div class="details">
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
    this.#announcer.clear();
    try {
      const returnUrl = new URL(location.href);
      returnUrl.searchParams.delete(SETUP_PARAM);
      returnUrl.searchParams.delete(PAYMENT_PARAM);
      // The hosted page speaks the element's language.
      const session = await client.setupPaymentMethod(returnUrl.href, { idempotencyKey: this.#keys.for('setup'), locale: this.#billing.locale });
      this.#keys.done('setup');
      if (!this.dispatchEvent(new BillingPaymentMethodSetupEvent(session))) return;
      if (session.kind === 'client_secret') {
        this.#announcer.announce((strings) => strings.paymentContinueInForm, { tone: 'info' });
        return;
      }
      const url = new URL(session.url, location.href);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new BillingError({ code: 'invalid_response', status: 200, operation: 'setupPaymentMethod', message: 'not an http(s) URL' });
      this.#announcer.announce((strings) => strings.paymentRedirecting, { tone: 'info' });
      location.assign(url.href);
    } catch (error) {
      this.#failed(error);
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
    this.#announcer.clear();
    try {
      const action = `default:${method.id}`;
      const { data } = await store.client.setDefaultPaymentMethod(method.id, { idempotencyKey: this.#keys.for(action) });
      this.#keys.done(action);
      store.applyPaymentMethods(data);
      reloadAfterPayment(store);
      // Its row (and the button pressed) moved to the top: the focus goes to the confirmation.
      this.#announcer.announce((strings) => strings.paymentDefaultChanged(describe(method, strings)), { focus: true });
      this.dispatchEvent(new BillingChangeEvent(change, null, null));
    } catch (error) {
      this.#failed(error);
    } finally {
      this.busy = false;
    }
  }

  #askToRemove(method: PaymentMethod): void {
    if (this.busy) return;
    this.#announcer.clear();
    this.confirming = method.id;
    void this.#focusAfterUpdate(() => this.renderRoot.querySelector<HTMLElement>('.confirm .keep'));
  }

  /** Back to the method's buttons, the focus on its Remove button. */
  #closeConfirm(method: PaymentMethod): void {
    if (this.busy) return;
    this.confirming = null;
    void this.#focusAfterUpdate(() => this.#removeButton(method.id));
  }

  async #remove(method: PaymentMethod): Promise<void> {
    const store = this.#billing.store;
    const strings = this.#billing.strings;
    if (!store || !strings || this.busy) return;
    const change = { type: 'remove_payment_method', paymentMethod: method } as const;
    if (!this.dispatchEvent(new BillingBeforeChangeEvent(change))) {
      this.#closeConfirm(method);
      return;
    }
    const others = (store.get('paymentMethods').data ?? []).filter((candidate) => !candidate.isDefault);
    const index = others.findIndex((candidate) => candidate.id === method.id);
    this.busy = true;
    this.#announcer.clear();
    try {
      const action = `remove:${method.id}`;
      const { data } = await store.client.removePaymentMethod(method.id, { idempotencyKey: this.#keys.for(action) });
      this.#keys.done(action);
      this.confirming = null;
      store.applyPaymentMethods(data);
      this.#announcer.announce((strings) => strings.paymentRemoved(describe(method, strings)));
      this.dispatchEvent(new BillingChangeEvent(change, null, null));
      // The focus was in the row that went: on to the next method's buttons (or the one
      // before, the last one gone), else to the update button.
      void this.#focusAfterUpdate(() => {
        const buttons = [...this.renderRoot.querySelectorAll<HTMLElement>('[part="others"] [data-remove]')];
        return buttons[Math.min(index, buttons.length - 1)] ?? this.renderRoot.querySelector<HTMLElement>('[part="update-button"]');
      });
    } catch (error) {
      // Nothing was removed: the list stays as it was, and says why.
      this.#failed(error);
      this.confirming = null;
      void this.#focusAfterUpdate(() => this.#removeButton(method.id));
    } finally {
      this.busy = false;
    }
  }

  /** Says why an action failed (in the language of the moment); nothing changed. */
  #failed(error: unknown): void {
    const code = BillingError.from(error, 'paymentMethods').code;
    this.#announcer.announce((strings) => strings.errorMessage(code), { tone: 'error' });
  }

  #removeButton(id: string): HTMLElement | null {
    return [...this.renderRoot.querySelectorAll<HTMLElement>('[data-remove]')].find((button) => button.dataset['remove'] === id) ?? null;
  }

  async #focusAfterUpdate(target: () => HTMLElement | null): Promise<void> {
    await this.updateComplete;
    target()?.focus();
  }
}

function describe(method: PaymentMethod, strings: Strings): string {
  if (method.card) return strings.paymentCard(brandName(method.card.brand), method.card.last4);
  const type = method.type === 'sepa_debit' ? strings.paymentSepa : strings.paymentOther;
  return method.label ? `${type} · ${method.label}` : type;
}
