/**
 * `billing-elements/handler.js`: the Fetch-API handler and the engine interface alone, with
 * no SQLite and no Node API — for hosts on Bun, Deno, workers or edge runtimes that bring
 * their own `BillingEngine`.
 */
export { createBillingHandler, type BillingHandler, type BillingHandlerOptions, type Logger } from './handler.js';
export type { BillingEngine, CustomerId, InvoiceQuery } from './engine.js';
export { BillingEngineError, type BillingEngineErrorOptions, type ProblemExtras } from './errors.js';
export {
  createMemoryIdempotencyStore,
  type IdempotencyClaim,
  type IdempotencyStore,
  type StoredResponse,
} from './idempotency.js';
