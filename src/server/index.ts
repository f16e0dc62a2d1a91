/**
 * `billing-elements/server.js`: the Fetch-API handler that serves the billing contract over a
 * `BillingEngine`, and the SQLite reference engine. Node only; never imported by the
 * browser code.
 */
export { createBillingHandler, type BillingHandler, type BillingHandlerOptions, type Logger } from './handler.js';
export type { BillingEngine, CustomerId, InvoiceQuery, SetupSessionRequest, TestCard } from './engine.js';
export { BillingEngineError, type BillingEngineErrorOptions, type ProblemExtras } from './errors.js';
export {
  createMemoryIdempotencyStore,
  type IdempotencyClaim,
  type IdempotencyStore,
  type StoredResponse,
} from './idempotency.js';
export {
  createMemorySetupSessionStore,
  SETUP_SESSION_TTL_MS,
  type SetupSessionRecord,
  type SetupSessionStore,
} from './setup-sessions.js';
export { PDF_LINK_TTL_MS } from './invoice-pdf.js';
export {
  createReferenceEngine,
  type ReferenceEngine,
  type ReferenceEngineOptions,
} from './reference/engine.js';
export { systemClock, type Clock } from './reference/clock.js';
export { DEMO_SELLER, type Seller } from './reference/invoice-pdf.js';
export {
  seedDemo,
  DEMO_CUSTOMER_ID,
  READ_ONLY_CUSTOMER_ID,
  NO_SUBSCRIPTION_CUSTOMER_ID,
} from './reference/seed.js';
