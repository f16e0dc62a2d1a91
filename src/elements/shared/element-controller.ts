import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveElement } from 'lit';
import type { BillingClient, BillingError } from '../../client/index.js';
import type { Permissions } from '../../contract/index.js';
import { loadStrings, loadedStrings, type StringOverrides, type Strings } from '../../i18n/index.js';
import {
  storeForBaseUrl,
  storeForClient,
  type BillingStore,
  type ResourceKey,
  type ResourceState,
  type Resources,
} from '../../store/index.js';
import { billingContext } from '../context.js';
import { instantOf, resolveNow, type NowValue } from './clock.js';
import { resolveLocale } from './locale.js';

/*
 * `lang` (and a provider's `locale`) can change after the first render, e.g. when an app
 * switches language on <html>: one observer for the whole document re-renders every
 * connected element, which then resolves its locale again.
 */
const connectedHosts = new Set<BillingHost>();
let languageObserver: MutationObserver | null = null;

function watchLanguage(host: BillingHost): void {
  connectedHosts.add(host);
  if (languageObserver || typeof MutationObserver === 'undefined') return;
  languageObserver = new MutationObserver(() => connectedHosts.forEach((connected) => connected.requestUpdate()));
  languageObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang', 'locale'], subtree: true });
}

function unwatchLanguage(host: BillingHost): void {
  connectedHosts.delete(host);
  if (connectedHosts.size > 0) return;
  languageObserver?.disconnect();
  languageObserver = null;
}

/** The properties every billing element has, so it works with or without a provider. */
export interface BillingHost extends ReactiveElement {
  baseUrl?: string | undefined;
  client?: BillingClient | undefined;
  strings?: StringOverrides | undefined;
  supportUrl?: string | undefined;
  /**
   * The moment the elements treat as now (expiry warnings, unused modules, the CSV file name).
   * Default: the server's `asOf` when usage is loaded, else the browser clock. Pin it in
   * tests, stories and screenshots.
   */
  now?: NowValue | undefined;
}

/**
 * Connects an element to the billing store: its own `client` or `base-url` first, else the
 * closest `<billing-provider>`. Subscribes to the resources the element shows, re-renders
 * it when they change, and resolves its locale and strings.
 */
export class BillingController implements ReactiveController {
  #host: BillingHost;
  #keys: readonly ResourceKey[];
  /** Loaded and shown when they come, but not needed to render (their failure is not the element's). */
  #optional: readonly ResourceKey[];
  #subscriptionOptional: boolean;
  #context: ContextConsumer<typeof billingContext, BillingHost>;
  #store: BillingStore | null = null;
  #unsubscribe: (() => void)[] = [];
  #locale = 'en';
  #strings: Strings | null = null;
  /** The last table loaded for this element: English when the locale's own failed to load. */
  #fallback: Strings | null = null;
  /** The locale whose table was asked for, so a failed load is not retried on every render. */
  #requested: string | null = null;

  constructor(
    host: BillingHost,
    keys: readonly ResourceKey[],
    { subscriptionOptional = false, optional = [] as readonly ResourceKey[] } = {},
  ) {
    this.#host = host;
    this.#keys = keys;
    this.#optional = optional;
    this.#subscriptionOptional = subscriptionOptional;
    this.#context = new ContextConsumer(host, { context: billingContext, subscribe: true });
    host.addController(this);
  }

  get store(): BillingStore | null {
    return this.#store;
  }

  get locale(): string {
    return this.#locale;
  }

  /** The strings in the element's locale; null until that language's table has loaded. */
  get strings(): Strings | null {
    return this.#strings;
  }

  get supportUrl(): string | undefined {
    return this.#host.supportUrl ?? this.#context.value?.supportUrl;
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

  /** The latest `asOf` among the loaded usage metrics, if any. */
  #serverAsOf(): number | undefined {
    let latest: number | undefined;
    for (const metric of this.#store?.get('usage').data ?? []) {
      const asOf = Date.parse(metric.asOf);
      if (Number.isFinite(asOf) && (latest === undefined || asOf > latest)) latest = asOf;
    }
    return latest;
  }

  state<K extends ResourceKey>(key: K): ResourceState<Resources[K]> {
    return this.#store?.get(key) ?? { loading: false };
  }

  /**
   * The element's resources taken together: `error` when one of them failed with no data to
   * show (data kept from an earlier load wins over a failed revalidation), `ready` when all
   * have data.
   */
  get status(): { ready: boolean; error: BillingError | null } {
    const states = this.#keys.map((key) => this.state(key));
    // A customer without a subscription still has payment methods and invoices: for the
    // elements that show those, "no subscription" is an answer, not a failure.
    const answered = (state: ResourceState<unknown>) =>
      state.data !== undefined || (this.#subscriptionOptional && state.error?.code === 'no_subscription');
    const failed = states.find((state) => !answered(state) && state.error);
    return { ready: states.every(answered), error: failed?.error ?? null };
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

  /** Reloads the resources of this element that have no data (the error state's "Try again"). */
  retry(): void {
    for (const key of this.#keys) if (this.state(key).data === undefined) void this.#store?.load(key, { force: true });
  }

  hostConnected(): void {
    watchLanguage(this.#host);
    this.#connect();
  }

  hostDisconnected(): void {
    unwatchLanguage(this.#host);
    this.#disconnect();
  }

  /** Before each render: follow changes of client, base-url, provider, language or overrides. */
  hostUpdate(): void {
    const store = this.#resolveStore();
    if (store !== this.#store && this.#host.isConnected) {
      this.#disconnect();
      this.#connect();
    }
    const locale = resolveLocale(this.#host);
    if (locale !== this.#locale) {
      this.#locale = locale;
      // The server writes its texts (invoice lines, metric and module names) in this language.
      this.#store?.useLocale(locale);
    }
    const overrides = { ...this.#context.value?.strings, ...this.#host.strings };
    this.#strings = loadedStrings(this.#locale, overrides) ?? (this.#fallback ? { ...this.#fallback, ...overrides } : null);
    if (!loadedStrings(this.#locale) && this.#requested !== this.#locale) {
      this.#requested = this.#locale;
      // Resolves with the locale's table, or English when it could not be loaded.
      loadStrings(this.#locale).then(
        (strings) => {
          this.#fallback = strings;
          this.#host.requestUpdate();
        },
        () => {},
      );
    }
  }

  #resolveStore(): BillingStore | null {
    const { client, baseUrl } = this.#host;
    if (client) return storeForClient(client);
    if (baseUrl) return storeForBaseUrl(baseUrl);
    return this.#context.value?.store ?? null;
  }

  #connect(): void {
    this.#store = this.#resolveStore();
    const store = this.#store;
    if (!store) return;
    // Before the first request, so it is made in the element's language (one GET per resource).
    this.#locale = resolveLocale(this.#host);
    store.useLocale(this.#locale);
    this.#unsubscribe = [...this.#keys, ...this.#optional].map((key) => store.subscribe(key, () => this.#host.requestUpdate()));
  }

  #disconnect(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#unsubscribe = [];
    this.#store = null;
  }
}
