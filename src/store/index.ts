export {
  BillingStore,
  BillingStoreChangeEvent,
  RECENT_INVOICES,
  invoiceKey,
  invoicePageKey,
  type InvoiceKey,
  type InvoicePageKey,
  type ResourceKey,
  type ResourceState,
  type Resources,
  type StoreData,
  type StoreKey,
} from './billing-store.js';
export { storeForBaseUrl, storeForClient } from './shared-stores.js';
