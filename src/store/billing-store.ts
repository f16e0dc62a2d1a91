import { BillingError, type BillingClient } from '../client/index.js';
import { isNewerVersion, openTabChannel, type TabChannel, type TabMessage } from './tab-sync.js';
import type { Invoice, InvoiceListQuery, InvoicePage, Module, PaymentMethod, Plan, Subscription, UsageMetric } from '../contract/index.js';

/** How many of the latest invoices the `invoices` resource holds: the invoice table's default page size. */
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
   * invoice table's unfiltered first page. It is the invoice page `invoicePageKey({})`.
   */
  invoices: InvoicePage;
}
export type ResourceKey = keyof Resources;

/** Any other page of invoices: its query (filters, page size) and cursor, as `invoicePageKey` writes them. */
export type InvoicePageKey = `invoices?${string}`;
/** One invoice with its lines (`GET /v1/invoices/{id}`), as `invoiceKey` writes it. */
export type InvoiceKey = `invoice/${string}`;
/** Everything the store caches: the named resources, the pages of invoices and the invoices. */
export type StoreKey = ResourceKey | InvoicePageKey | InvoiceKey;
export type StoreData<K extends StoreKey> = K extends ResourceKey ? Resources[K] : K extends InvoiceKey ? Invoice : InvoicePage;

/**
 * The key of a page of invoices: the query's filters and page size (`RECENT_INVOICES` unless
 * given), and the cursor it starts at (`null`: the first page). The unfiltered first page of
 * `RECENT_INVOICES` is the `invoices` resource: one cache entry and one request for all.
 */
export function invoicePageKey(query: Omit<InvoiceListQuery, 'cursor'>, cursor: string | null = null): 'invoices' | InvoicePageKey {
  const { limit = RECENT_INVOICES, status, from, to } = query;
  const entries = Object.entries({ limit, status, from, to, cursor }).filter((entry) => entry[1] != null);
  const search = new URLSearchParams(entries as [string, string][]);
  if (limit === RECENT_INVOICES) search.delete('limit');
  return search.size ? `invoices?${search}` : 'invoices';
}

export const invoiceKey = (id: string): InvoiceKey => `invoice/${id}`;

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

const loaders: { [K in Exclude<ResourceKey, 'invoices'>]: Loader<Resources[K]> } = {
  subscription: (client, signal) => client.getSubscription({ signal }),
  plans: async (client, signal) => (await client.listPlans({ signal })).data,
  modules: async (client, signal) => (await client.listModules({ signal })).data,
  usage: async (client, signal) => (await client.listUsage({ signal })).data,
  paymentMethods: async (client, signal) => (await client.listPaymentMethods({ signal })).data,
};

/** How to load `key`: a named resource, an invoice, or a page of invoices (`invoices` is the first of `RECENT_INVOICES`). */
const loaderOf = (key: StoreKey): Loader<unknown> =>
  key in loaders
    ? loaders[key as keyof typeof loaders]
    : key.startsWith('invoice/')
      ? (client, signal) => client.getInvoice(key.slice(8), { signal })
      : // The query as the key holds it, in text: the client sends it as it is.
        (client, signal) =>
          client.listInvoices({ limit: RECENT_INVOICES, ...(Object.fromEntries(new URLSearchParams(key.slice(9))) as InvoiceListQuery) }, { signal });

/** Whether `key` is a page of invoices or an invoice: what a payment or a new invoice can change. */
const isInvoices = (key: StoreKey) => key.startsWith('invoice');

/** What a change to the subscription can change elsewhere (a change now may issue an invoice). */
const dependsOnSubscription = (key: StoreKey) => isInvoices(key) || ['plans', 'modules', 'usage'].includes(key);

/** Focus and visibility revalidate only data older than this, so tab-switching stays quiet. */
const FOCUS_REVALIDATE_AFTER_MS = 5_000;

export class BillingStoreChangeEvent extends Event {
  constructor(readonly key: StoreKey) {
    super('change');
  }
}

/**
 * One per client: caches each resource, each page of invoices and each invoice, shares one
 * in-flight request among all callers, revalidates when the page regains focus, and notifies
 * subscribers. Framework-free.
 */
export class BillingStore extends EventTarget {
  readonly client: BillingClient;
  #states = new Map<StoreKey, ResourceState<unknown>>();
  #inFlight = new Map<StoreKey, { promise: Promise<void>; controller: AbortController }>();
  #subscribers = new Map<StoreKey, number>();
  #stopWatchingFocus: (() => void) | null = null;
  /** The other tabs of this endpoint (tab-sync.ts), while someone is subscribed. */
  #tabs: TabChannel | null = null;

  constructor(client: BillingClient) {
    super();
    this.client = client;
  }

  get<K extends StoreKey>(key: K): ResourceState<StoreData<K>> {
    return (this.#states.get(key) ?? { loading: false }) as ResourceState<StoreData<K>>;
  }

  /**
   * Loads `key` unless it is cached (or always, with `force`). Concurrent callers share one
   * request. Never rejects: failures land in the resource's `error`.
   */
  load(key: StoreKey, { force = false } = {}): Promise<void> {
    const inFlight = this.#inFlight.get(key);
    if (inFlight) return inFlight.promise;
    if (!force && this.get(key).updatedAt !== undefined) return Promise.resolve();

    const controller = new AbortController();
    this.#set(key, { ...this.get(key), loading: true });
    // An aborted request is forgotten at once (see #abort), so a load right after starts a
    // new one; what the aborted one settles with must not touch the state any more.
    const settle = (state: ResourceState<unknown>) => {
      if (this.#inFlight.get(key)?.controller !== controller) return;
      this.#set(key, state);
      this.#inFlight.delete(key);
    };
    const promise = loaderOf(key)(this.client, controller.signal).then(
      (data) => {
        const version = this.get('subscription').data?.version;
        settle({ data, loading: false, updatedAt: Date.now() });
        // A new version that came by a reload (after a change in another tab, a payment) may
        // come with an invoice issued or settled.
        if (version && this.get('subscription').data?.version !== version) void this.#refresh(isInvoices);
      },
      (error: unknown) => {
        const failure = BillingError.from(error, key);
        const { error: _previous, ...rest } = this.get(key);
        // An abort is ours (nobody is listening any more), not a failure to show.
        settle(failure.code === 'aborted' ? { ...rest, loading: false } : { ...rest, error: failure, loading: false });
      },
    );
    this.#inFlight.set(key, { promise, controller });
    return promise;
  }

  /** Aborts the request for `key` in flight, if any, and forgets it. */
  #abort(key: StoreKey): void {
    const inFlight = this.#inFlight.get(key);
    if (!inFlight) return;
    this.#inFlight.delete(key);
    inFlight.controller.abort();
    this.#set(key, { ...this.get(key), loading: false });
  }

  /**
   * After a change, the cached `keys` that it may have made stale: those someone is subscribed
   * to are loaded again (aborting a request in flight, which started before the change), the
   * others are forgotten (whoever asks next loads them afresh).
   */
  #refresh(filter: (key: StoreKey) => boolean): Promise<void> {
    return Promise.all(
      [...this.#states.keys()].filter(filter).map((key) => {
        this.#abort(key);
        if (this.#subscribers.has(key)) return this.load(key, { force: true });
        this.#states.delete(key);
      }),
    ).then(() => undefined);
  }

  /**
   * Calls `listener` whenever `key` changes and loads it if needed. Returns the unsubscribe
   * function; when the last subscriber of a resource leaves, its request is aborted.
   */
  subscribe(key: StoreKey, listener: () => void): () => void {
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
        this.#stopWatchingFocus?.();
        this.#stopWatchingFocus = null;
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
    this.client.locale = locale;
    void this.#refresh(() => true);
  }

  /** Reloads every resource someone is subscribed to (optionally only data older than `olderThanMs`). */
  revalidate({ olderThanMs = 0 } = {}): Promise<void> {
    const now = Date.now();
    const keys = [...this.#subscribers.keys()].filter((key) => now - (this.get(key).updatedAt ?? 0) >= olderThanMs);
    return Promise.all(keys.map((key) => this.load(key, { force: true }))).then(() => undefined);
  }

  /**
   * Takes the subscription returned by a mutation as the truth, then refetches what depends
   * on it, so every element on the page, and in the endpoint's other tabs, shows the new state
   * without a reload.
   */
  applySubscription(subscription: Subscription): Promise<void> {
    this.#tabs?.post({ type: 'subscription', subscription });
    return this.#takeSubscription(subscription);
  }

  #takeSubscription(subscription: Subscription): Promise<void> {
    this.#take('subscription', subscription);
    return this.#refresh(dependsOnSubscription);
  }

  /** Takes the payment methods returned by a mutation as the truth, here and in the endpoint's other tabs. */
  applyPaymentMethods(methods: PaymentMethod[]): void {
    this.#tabs?.post({ type: 'paymentMethods', data: methods });
    this.#takePaymentMethods(methods);
  }

  #takePaymentMethods(methods: PaymentMethod[]): void {
    this.#take('paymentMethods', methods);
    // A new default method is charged at once for what is open: invoices may be paid now.
    void this.#refresh(isInvoices);
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

  /** `data` as the truth for `key`: a request in flight for it, older, is aborted. */
  #take(key: StoreKey, data: unknown): void {
    this.#abort(key);
    this.#set(key, { data, loading: false, updatedAt: Date.now() });
  }

  #set(key: StoreKey, state: ResourceState<unknown>): void {
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
}
