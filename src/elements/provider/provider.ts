import { ContextProvider } from '@lit/context';
import { LitElement, css, html, type PropertyValues, type TemplateResult } from 'lit';
import type { BillingClient } from '../../client/index.js';
import type { StringOverrides } from '../../i18n/index.js';
import { storeForBaseUrl, storeForClient, type BillingStore } from '../../store/index.js';
import { billingContext } from '../context.js';

/**
 * Configures every billing element inside it: which endpoint to talk to (one shared client
 * and store), the locale, string overrides, the support link and the moment treated as now.
 * Renders its children as they are (`display: contents`).
 *
 * @summary Gives the billing elements inside it their endpoint, locale, strings, support link and clock.
 * @slot - Billing elements, and any other content.
 */
export class BillingProvider extends LitElement {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  // Static properties rather than decorators: the same reactive properties, ~0.5 KiB less per page.
  static override properties = {
    baseUrl: { attribute: 'base-url' },
    client: { attribute: false },
    locale: { reflect: true },
    supportUrl: { attribute: 'support-url' },
    strings: { attribute: false },
    now: {},
  };

  /** URL of the billing endpoint, e.g. `/api/billing`. Ignored when `client` is set. */
  declare baseUrl?: string;

  /** A client made with `createBillingClient()`, for custom headers, credentials or fetch. */
  declare client?: BillingClient;

  /** Locale of the elements inside (BCP 47, e.g. `fr` or `en-GB`), unless a closer `lang` says otherwise. */
  declare locale?: string;

  /** Link offered in every error state (https, mailto or a path). */
  declare supportUrl?: string;

  /** Replacements for some of the visible strings, for every element inside. */
  declare strings?: StringOverrides;

  /**
   * The moment the elements treat as now (expiry warnings, unused modules, the CSV file name).
   * Default: the server's `asOf` when usage is loaded, else the browser clock. Pin it in
   * tests, stories and screenshots. The attribute takes an ISO 8601 instant
   * (`now="2026-11-26T10:00:00Z"`); the property also takes a `Date` or milliseconds.
   */
  declare now?: string | number | Date;

  #context = new ContextProvider(this, { context: billingContext, initialValue: { store: null } });

  /** The store shared by the elements inside, once `base-url` or `client` is set. */
  get store(): BillingStore | null {
    return this.#context.value.store;
  }

  protected override willUpdate(changed: PropertyValues<BillingProvider>): void {
    const keys = ['baseUrl', 'client', 'locale', 'supportUrl', 'strings', 'now'] as const;
    if (!keys.some((key) => changed.has(key))) return;
    const store = this.client ? storeForClient(this.client) : this.baseUrl ? storeForBaseUrl(this.baseUrl) : null;
    // A new object each time, so consumers re-render when the locale or strings change.
    this.#context.setValue({ store, strings: this.strings, supportUrl: this.supportUrl, now: this.now }, true);
  }

  protected override render(): TemplateResult {
    return html`<slot></slot>`;
  }
}
