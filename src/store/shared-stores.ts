import { createBillingClient, type BillingClient } from '../client/index.js';
import { BillingStore } from './billing-store.js';

const byClient = new WeakMap<BillingClient, BillingStore>();
const byBaseUrl = new Map<string, BillingStore>();

/** The one store of a client: every element given the same client shares it. */
export function storeForClient(client: BillingClient): BillingStore {
  let store = byClient.get(client);
  if (!store) {
    store = new BillingStore(client);
    byClient.set(client, store);
  }
  return store;
}

/**
 * The one store of an endpoint: elements and providers that name the same `base-url`
 * share a client, a cache and in-flight requests, wherever they are on the page.
 */
export function storeForBaseUrl(baseUrl: string): BillingStore {
  const key = new URL(baseUrl, globalThis.location?.href ?? 'http://localhost/').href.replace(/\/+$/, '');
  let store = byBaseUrl.get(key);
  if (!store) {
    store = storeForClient(createBillingClient({ baseUrl }));
    byBaseUrl.set(key, store);
  }
  return store;
}
