import { ContextConsumer } from '@lit/context';
import type { ReactiveController, TemplateResult } from 'lit';
import type { BillingError } from '../../client/index.js';
import type { Permissions } from '../../contract/index.js';
import type { Strings } from '../../i18n/index.js';
import type { BillingStore, ResourceKey, ResourceState, StoreData, StoreKey } from '../../store/index.js';
import { billingContext } from '../context.js';
import { instantOf, resolveNow } from './clock.js';
import { prepareFormatters } from './format.js';
import type { BillingHost } from './host.js';
import { LocaleController } from './locale-controller.js';
import { renderError, renderLoading } from './states.js';
import { StoreController, type StoreControllerOptions } from './store-controller.js';
import { StringsController } from './strings-controller.js';

export type { BillingHost } from './host.js';

/**
 * What every billing element needs, put together from controllers with one job each: the
 * provider's configuration (a context consumer), the locale (`LocaleController`), the strings
 * (`StringsController`), the resources in the store (`StoreController`), and the clock. It
 * adds the render gate every element starts with (`gate`) and the permissions policy, so an
 * element file holds only what is particular to it.
 */
export class BillingController implements ReactiveController {
  #host: BillingHost;
  #context: ContextConsumer<typeof billingContext, BillingHost>;
  #locale: LocaleController;
  #strings: StringsController;
  #resources: StoreController;
  #current: Strings | null = null;

  constructor(host: BillingHost, keys: readonly ResourceKey[], options: StoreControllerOptions = {}) {
    this.#host = host;
    this.#context = new ContextConsumer(host, { context: billingContext, subscribe: true });
    this.#locale = new LocaleController(host);
    this.#strings = new StringsController(host);
    this.#resources = new StoreController(host, keys, () => this.#context.value?.store ?? null, options);
    host.addController(this);
  }

  get store(): BillingStore | null {
    return this.#resources.store;
  }

  get locale(): string {
    return this.#locale.locale;
  }

  /** The strings in the element's locale; null until that language's table has loaded. */
  get strings(): Strings | null {
    return this.#current;
  }

  get supportUrl(): string | undefined {
    return this.#host.supportUrl ?? this.#context.value?.supportUrl;
  }

  state<K extends StoreKey>(key: K): ResourceState<StoreData<K>> {
    return this.#resources.state(key);
  }

  get status(): { ready: boolean; error: BillingError | null } {
    return this.#resources.status;
  }

  retry(): void {
    this.#resources.retry();
  }

  /**
   * The moment this element treats as now, in milliseconds: its own `now`, else the
   * provider's, else the latest `asOf` of the usage the store has loaded (the server's
   * clock), else the browser's. Every element asks here rather than reading the clock.
   */
  now(): number {
    return resolveNow(this.#host.now, this.#context.value?.now, this.#serverAsOf());
  }

  /** The `now` the element or its provider was given, if any (not the server's or the browser's clock). */
  get pinnedNow(): number | undefined {
    return instantOf(this.#host.now) ?? instantOf(this.#context.value?.now);
  }

  /**
   * What the user may do: the subscription's permissions, or for a customer without one what
   * the endpoint then allows (payment methods and invoices, no plan or module change).
   */
  get permissions(): Permissions | null {
    const subscription = this.state('subscription');
    if (subscription.data) return subscription.data.permissions;
    if (subscription.error?.code !== 'no_subscription') return null;
    return { changePlan: false, manageModules: false, managePaymentMethods: true, viewInvoices: true };
  }

  /**
   * The states every element has before its own: its skeleton while strings or data are on
   * their way, the error state (with retry, support link and diagnostic) when they failed or
   * no endpoint is configured. `null` once the element can render its data.
   */
  gate(skeleton: TemplateResult): TemplateResult | null {
    const strings = this.#current;
    if (!strings) return renderLoading(null, skeleton);
    if (!this.store) return renderError({ error: null, strings });
    const { error, ready } = this.status;
    if (error) return renderError({ error, strings, onRetry: () => this.retry(), supportUrl: this.supportUrl, pinnedNow: this.pinnedNow });
    return ready ? null : renderLoading(strings, skeleton);
  }

  hostConnected(): void {
    this.#resources.connect(this.locale);
  }

  /** Before each render: follow changes of client, base-url, provider, language or overrides. */
  hostUpdate(): void {
    this.#resources.connect(this.locale);
    // The server writes its texts (invoice lines, metric and module names) in this language.
    // Off the page (an update still pending when the element was removed) the element has no
    // ancestors to take a language from: it must not switch the store it shares with others.
    if (this.#host.isConnected && this.#locale.refresh()) this.store?.useLocale(this.locale);
    this.#current = this.#strings.for(this.locale, { ...this.#context.value?.strings, ...this.#host.strings });
    prepareFormatters(this.locale);
  }

  /** The latest `asOf` among the loaded usage metrics, if any. */
  #serverAsOf(): number | undefined {
    let latest: number | undefined;
    for (const metric of this.store?.get('usage').data ?? []) {
      const asOf = Date.parse(metric.asOf);
      if (Number.isFinite(asOf) && (latest === undefined || asOf > latest)) latest = asOf;
    }
    return latest;
  }
}
