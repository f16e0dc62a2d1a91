import { BillingError, type BillingClient } from '../client/index.js';
import { isNewerVersion, openTabChannel, type TabChannel, type TabMessage } from './tab-sync.js';
import type { Invoice, Module, PaymentMethod, Plan, Subscription, UsageMetric } from '../contract/index.js';

/** How many of the latest invoices the `invoices` resource holds: the invoice table's first page. */
export const RECENT_INVOICES = 12;

/** The resources the store caches, by key. */
export interface Resources {
  subscription: Subscription;
  plans: Plan[];
  modules: Module[];
  usage: UsageMetric[];
  paymentMethods: PaymentMethod[];
  /**
   * The latest invoices, newest first (the first page of `GET /v1/invoices`, `RECENT_INVOICES`
   * long), with the cursor to the next page: shared by the dashboard, the summary and the
   * invoice table's unfiltered first page.
   */
  invoices: { data: Invoice[]; nextCursor: string | null };
}
export type ResourceKey = keyof Resources;

export interface ResourceState<T> {
  /** The last data received; kept while revalidating and after a failed revalidation. */
  data?: T;
  /** The last failure, cleared by the next success. */
  error?: BillingError;
  /** A request for this resource is in flight. */
  loading: boolean;
  /** `Date.now()` of the last success. */
  updatedAt?: number;
}

type Loader<T> = (client: BillingClient, signal: AbortSignal) => Promise<T>;

const loaders: { [K in ResourceKey]: Loader<Resources[K]> } = {
  subscription: (client, signal) => client.getSubscription({ signal }),
  plans: async (client, signal) => (await client.listPlans({ signal })).data,
  modules: async (client, signal) => (await client.listModules({ signal })).data,
  usage: async (client, signal) => (await client.listUsage({ signal })).data,
  paymentMethods: async (client, signal) => (await client.listPaymentMethods({ signal })).data,
  invoices: (client, signal) => client.listInvoices({ limit: RECENT_INVOICES }, { signal }),
};

/** What a change to the subscription can change elsewhere (a change now may issue an invoice). */
const dependsOnSubscription: ResourceKey[] = ['plans', 'modules', 'usage', 'invoices'];

/** Focus and visibility revalidate only data older than this, so tab-switching stays quiet. */
const FOCUS_REVALIDATE_AFTER_MS = 5_000;

export class BillingStoreChangeEvent extends Event {
  constructor(readonly key: ResourceKey) {
    super('change');
  }
}

/**
 * One per client: caches each resource, shares one in-flight request among all callers,
 * revalidates when the page regains focus, and notifies subscribers. Framework-free.
 */
export class BillingStore extends EventTarget {
  readonly client: BillingClient;
  #states = new Map<ResourceKey, ResourceState<unknown>>();
  #inFlight = new Map<ResourceKey, { promise: Promise<void>; controller: AbortController }>();
  #subscribers = new Map<ResourceKey, number>();
  #stopWatchingFocus: (() => void) | null = null;
  /** The other tabs of this endpoint (tab-sync.ts), while someone is subscribed. */
  #tabs: TabChannel | null = null;

  constructor(client: BillingClient) {
    super();
    this.client = client;
  }

  get<K extends ResourceKey>(key: K): ResourceState<Resources[K]> {
    return (this.#states.get(key) ?? { loading: false }) as ResourceState<Resources[K]>;
  }

  /**
   * Loads `key` unless it is cached (or always, with `force`). Concurrent callers share one
   * request. Never rejects: failures land in the resource's `error`.
   */
  load(key: ResourceKey, { force = false } = {}): Promise<void> {
    const inFlight = this.#inFlight.get(key);
    if (inFlight) return inFlight.promise;
    if (!force && this.get(key).updatedAt !== undefined) return Promise.resolve();

    const controller = new AbortController();
    this.#set(key, { ...this.get(key), loading: true });
    const entry = { controller } as { promise: Promise<void>; controller: AbortController };
    // An aborted request is forgotten at once (see #abort), so a load right after starts a
    // new one; what the aborted one settles with must not touch the state any more.
    const current = () => this.#inFlight.get(key) === entry;
    entry.promise = loaders[key](this.client, controller.signal).then(
      (data) => {
        if (current()) this.#set(key, { data, loading: false, updatedAt: Date.now() });
      },
      (error: unknown) => {
        if (!current()) return;
        const failure = BillingError.from(error, key);
        // An abort is ours (nobody is listening any more), not a failure to show.
        const { error: _previous, ...rest } = this.get(key);
        this.#set(key, failure.code === 'aborted' ? { ...rest, loading: false } : { ...rest, error: failure, loading: false });
      },
    ).finally(() => {
      if (current()) this.#inFlight.delete(key);
    });
    this.#inFlight.set(key, entry);
    return entry.promise;
  }

  /** Aborts the request for `key` in flight, if any, and forgets it. */
  #abort(key: ResourceKey): void {
    const inFlight = this.#inFlight.get(key);
    if (!inFlight) return;
    this.#inFlight.delete(key);
    inFlight.controller.abort();
    this.#set(key, { ...this.get(key), loading: false });
  }

  /**
   * Calls `listener` whenever `key` changes and loads it if needed. Returns the unsubscribe
   * function; when the last subscriber of a resource leaves, its request is aborted.
   */
  subscribe(key: ResourceKey, listener: () => void): () => void {
    const onChange = (event: Event) => {
      if ((event as BillingStoreChangeEvent).key === key) listener();
    };
    this.addEventListener('change', onChange);
    this.#subscribers.set(key, (this.#subscribers.get(key) ?? 0) + 1);
    this.#watchFocus();
    this.#tabs ??= openTabChannel(this.client.baseUrl, (message) => this.#fromOtherTab(message));
    void this.load(key);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      this.removeEventListener('change', onChange);
      const left = (this.#subscribers.get(key) ?? 1) - 1;
      if (left > 0) {
        this.#subscribers.set(key, left);
        return;
      }
      this.#subscribers.delete(key);
      this.#abort(key);
      if (this.#subscribers.size === 0) {
        this.#unwatchFocus();
        this.#tabs?.close();
        this.#tabs = null;
      }
    };
  }

  /**
   * The language the server should write its texts in (the client's `locale`, sent as
   * `Accept-Language`): invoice lines, metric and module names, problem titles. A change
   * reloads what is loaded, aborting requests made in the former language. Elements call it
   * with their locale; elements sharing a store should share a language (the last set wins).
   */
  useLocale(locale: string): void {
    if (this.client.locale === locale) return;
    const before = this.client.locale;
    this.client.locale = locale;
    if (before === undefined && this.#states.size === 0) return;
    for (const key of this.#states.keys()) {
      this.#abort(key);
      void this.load(key, { force: true });
    }
  }

  /** Reloads every resource someone is subscribed to (optionally only data older than `olderThanMs`). */
  revalidate({ olderThanMs = 0 } = {}): Promise<void> {
    const now = Date.now();
    const keys = [...this.#subscribers.keys()].filter((key) => now - (this.get(key).updatedAt ?? 0) >= olderThanMs);
    return Promise.all(keys.map((key) => this.load(key, { force: true }))).then(() => undefined);
  }

  /**
   * Takes the subscription returned by a mutation as the truth, then refetches what depends
   * on it, so every element on the page — and in the endpoint's other tabs — shows the new
   * state without a reload.
   */
  applySubscription(subscription: Subscription): Promise<void> {
    this.#tabs?.post({ type: 'subscription', subscription });
    return this.#takeSubscription(subscription);
  }

  #takeSubscription(subscription: Subscription): Promise<void> {
    this.#abort('subscription');
    this.#set('subscription', { data: subscription, loading: false, updatedAt: Date.now() });
    return Promise.all(
      dependsOnSubscription
        .filter((key) => this.#states.has(key))
        .map((key) => {
          // A request already in flight started before the mutation: its answer is stale.
          this.#abort(key);
          return this.load(key, { force: true });
        }),
    ).then(() => undefined);
  }

  /** Takes the payment methods returned by a mutation as the truth, here and in the endpoint's other tabs. */
  applyPaymentMethods(methods: PaymentMethod[]): void {
    this.#tabs?.post({ type: 'paymentMethods', data: methods });
    this.#takePaymentMethods(methods);
  }

  #takePaymentMethods(methods: PaymentMethod[]): void {
    this.#abort('paymentMethods');
    this.#set('paymentMethods', { data: methods, loading: false, updatedAt: Date.now() });
  }

  /**
   * What another tab's mutation returned. The subscription version decides which state
   * wins: a newer one is taken, an older one (a message overtaken by this tab's own change)
   * is left, and versions that cannot be compared are settled by asking the endpoint.
   */
  #fromOtherTab(message: TabMessage): void {
    if (message.type === 'paymentMethods') {
      this.#takePaymentMethods(message.data);
      // A new default may have paid what was due: the subscription's status may have moved.
      if (this.#states.has('subscription')) void this.load('subscription', { force: true });
      return;
    }
    const current = this.get('subscription').data;
    const newer = current ? isNewerVersion(message.subscription.version, current.version) : true;
    if (newer === true) void this.#takeSubscription(message.subscription);
    else if (newer === null && message.subscription.version !== current?.version) void this.revalidate();
  }

  #set(key: ResourceKey, state: ResourceState<unknown>): void {
    this.#states.set(key, state);
    this.dispatchEvent(new BillingStoreChangeEvent(key));
  }

  #watchFocus(): void {
    if (this.#stopWatchingFocus || typeof document === 'undefined') return;
    const onFocus = () => {
      if (document.visibilityState === 'visible') void this.revalidate({ olderThanMs: FOCUS_REVALIDATE_AFTER_MS });
    };
    window.addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onFocus);
    this.#stopWatchingFocus = () => {
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('visibilitychange', onFocus);
    };
  }

  #unwatchFocus(): void {
    this.#stopWatchingFocus?.();
    this.#stopWatchingFocus = null;
  }
}
