export {
  BillingStore,
  BillingStoreChangeEvent,
  RECENT_INVOICES,
  type ResourceKey,
  type ResourceState,
  type Resources,
} from './billing-store.js';
export { storeForBaseUrl, storeForClient } from './shared-stores.js';
