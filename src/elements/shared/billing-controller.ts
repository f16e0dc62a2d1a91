import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveElement } from 'lit';
import type { BillingClient, BillingError } from '../../client/index.js';
import { stringsFor, type StringOverrides, type Strings } from '../../i18n/index.js';
import {
  storeForBaseUrl,
  storeForClient,
  type BillingStore,
  type ResourceKey,
  type ResourceState,
  type Resources,
} from '../../store/index.js';
import { billingContext } from './billing-context.js';
import { resolveLocale } from './locale.js';

/** The properties every billing element has, so it works with or without a provider. */
export interface BillingHost extends ReactiveElement {
  baseUrl?: string | undefined;
  client?: BillingClient | undefined;
  strings?: StringOverrides | undefined;
  supportUrl?: string | undefined;
}

/**
 * Connects an element to the billing store: its own `client` or `base-url` first, else the
 * closest `<billing-provider>`. Subscribes to the resources the element shows, re-renders
 * it when they change, and resolves its locale and strings.
 */
export class BillingController implements ReactiveController {
  #host: BillingHost;
  #keys: readonly ResourceKey[];
  #context: ContextConsumer<typeof billingContext, BillingHost>;
  #store: BillingStore | null = null;
  #unsubscribe: (() => void)[] = [];
  #locale = 'en';
  #strings: Strings = stringsFor('en');

  constructor(host: BillingHost, keys: readonly ResourceKey[]) {
    this.#host = host;
    this.#keys = keys;
    this.#context = new ContextConsumer(host, { context: billingContext, subscribe: true });
    host.addController(this);
  }

  get store(): BillingStore | null {
    return this.#store;
  }

  get locale(): string {
    return this.#locale;
  }

  get strings(): Strings {
    return this.#strings;
  }

  get supportUrl(): string | undefined {
    return this.#host.supportUrl ?? this.#context.value?.supportUrl;
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
    const failed = states.find((state) => state.data === undefined && state.error);
    return { ready: states.every((state) => state.data !== undefined), error: failed?.error ?? null };
  }

  /** Reloads the resources of this element that have no data (the error state's "Try again"). */
  retry(): void {
    for (const key of this.#keys) if (this.state(key).data === undefined) void this.#store?.load(key, { force: true });
  }

  hostConnected(): void {
    this.#connect();
  }

  hostDisconnected(): void {
    this.#disconnect();
  }

  /** Before each render: follow changes of client, base-url, provider, language or overrides. */
  hostUpdate(): void {
    const store = this.#resolveStore();
    if (store !== this.#store && this.#host.isConnected) {
      this.#disconnect();
      this.#connect();
    }
    this.#locale = resolveLocale(this.#host);
    this.#strings = stringsFor(this.#locale, { ...this.#context.value?.strings, ...this.#host.strings });
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
    this.#unsubscribe = this.#keys.map((key) => store.subscribe(key, () => this.#host.requestUpdate()));
  }

  #disconnect(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#unsubscribe = [];
    this.#store = null;
  }
}
