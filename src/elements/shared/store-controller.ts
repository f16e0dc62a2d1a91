import type { ReactiveController, ReactiveElement } from 'lit';
import type { BillingError } from '../../client/index.js';
import {
  storeForBaseUrl,
  storeForClient,
  type BillingStore,
  type ResourceKey,
  type ResourceState,
  type StoreData,
  type StoreKey,
} from '../../store/index.js';
import type { BillingHostProperties } from './host.js';

export interface StoreControllerOptions {
  /** Loaded and shown when they come, but not needed to render (their failure is not the element's). */
  optional?: readonly ResourceKey[];
  /** For elements that show a customer without a subscription too: `no_subscription` is an answer. */
  subscriptionOptional?: boolean;
  /**
   * Keys that follow the element's state (the invoice table's pages and open invoices), asked
   * before each render: the element is subscribed to those it names, and let go of the others
   * (their requests aborted when nobody else wants them).
   */
  follow?: () => readonly StoreKey[];
}

/**
 * The element's resources in the store: which store (its own `client` or `base-url`, else the
 * provider's), subscribed while connected so the element re-renders when they change, and how
 * they stand together (ready, failed).
 */
export class StoreController implements ReactiveController {
  #host: ReactiveElement & BillingHostProperties;
  #keys: readonly ResourceKey[];
  #options: StoreControllerOptions;
  #providerStore: () => BillingStore | null;
  #store: BillingStore | null = null;
  /** The keys the element is subscribed to, with the function that ends each subscription. */
  #subscribed = new Map<StoreKey, () => void>();

  constructor(
    host: ReactiveElement & BillingHostProperties,
    keys: readonly ResourceKey[],
    providerStore: () => BillingStore | null,
    options: StoreControllerOptions = {},
  ) {
    this.#host = host;
    this.#keys = keys;
    this.#options = options;
    this.#providerStore = providerStore;
    host.addController(this);
  }

  get store(): BillingStore | null {
    return this.#store;
  }

  state<K extends StoreKey>(key: K): ResourceState<StoreData<K>> {
    return this.#store?.get(key) ?? { loading: false };
  }

  /**
   * The element's resources taken together: `error` when one of them failed with no data to
   * show (data kept from an earlier load wins over a failed revalidation), `ready` when all
   * have data.
   */
  get status(): { ready: boolean; error: BillingError | null } {
    const states = this.#keys.map((key) => this.state(key));
    const answered = (state: ResourceState<unknown>) =>
      state.data !== undefined || (this.#options.subscriptionOptional === true && state.error?.code === 'no_subscription');
    const failed = states.find((state) => !answered(state) && state.error);
    return { ready: states.every(answered), error: failed?.error ?? null };
  }

  /** Reloads the resources of this element that have no data (the error state's "Try again"). */
  retry(): void {
    for (const key of this.#keys) if (this.state(key).data === undefined) void this.#store?.load(key, { force: true });
  }

  /**
   * Connects to the store the host now names (called before the first request, and each
   * update), and to the keys it now wants; says whether the store changed.
   */
  connect(locale: string): boolean {
    const store = this.#resolve();
    const changed = store !== this.#store;
    if (changed) {
      this.#disconnect();
      this.#store = store;
      // Before the first request, so it is made in the element's language (one GET per resource).
      if (store && this.#host.isConnected) store.useLocale(locale);
    }
    const { optional = [], follow } = this.#options;
    const wanted = new Set(store && this.#host.isConnected ? [...this.#keys, ...optional, ...(follow?.() ?? [])] : []);
    // Keeps what is still wanted (taking it off `wanted`), lets go of the rest, then subscribes to what is left.
    for (const [key, unsubscribe] of this.#subscribed) {
      if (!wanted.delete(key)) {
        unsubscribe();
        this.#subscribed.delete(key);
      }
    }
    for (const key of wanted) this.#subscribed.set(key, store!.subscribe(key, () => this.#host.requestUpdate()));
    return changed;
  }

  hostDisconnected(): void {
    this.#disconnect();
    this.#store = null;
  }

  #resolve(): BillingStore | null {
    const { client, baseUrl } = this.#host;
    if (client) return storeForClient(client);
    if (baseUrl) return storeForBaseUrl(baseUrl);
    return this.#providerStore();
  }

  #disconnect(): void {
    for (const unsubscribe of this.#subscribed.values()) unsubscribe();
    this.#subscribed.clear();
  }
}
