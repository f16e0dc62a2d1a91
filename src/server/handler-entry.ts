/**
 * `billing-elements/handler.js`: the Fetch-API handler and the engine interface alone, with
 * no SQLite and no Node API — for hosts on Bun, Deno, workers or edge runtimes that bring
 * their own `BillingEngine`.
 */
export { createBillingHandler, type BillingHandler, type BillingHandlerOptions, type Logger } from './handler.js';
export type { BillingEngine, CustomerId, InvoiceQuery, SetupSessionRequest, TestCard } from './billing-engine.js';
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
export { PDF_LINK_TTL_MS } from './pdf-links.js';
