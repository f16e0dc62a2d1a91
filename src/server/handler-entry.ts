/**
 * `billing-elements/handler.js`: the Fetch-API handler and the engine interface alone, with
 * no SQLite and no Node API — for hosts on Bun, Deno, workers or edge runtimes that bring
 * their own `BillingEngine`.
 */
export { createBillingHandler, type BillingHandler, type BillingHandlerOptions, type Logger } from './handler.js';
export type {
  BillingEngine,
  CommitContext,
  CustomerId,
  EngineChangePreview,
  EngineChangeResult,
  EngineSubscription,
  InvoicePdf,
  InvoiceQuery,
  Languages,
  SetupSessionRequest,
  TestCard,
} from './billing-engine.js';
export {
  EVERY_PERMISSION,
  READ_ONLY_PERMISSIONS,
  type CustomerResolution,
  type CustomerResolver,
  type ResolvedCustomer,
} from './identity.js';
// The contract's types an engine takes and returns, so that an adapter needs no other import.
export type {
  ChangePreview,
  ChangeRequest,
  ChangeResult,
  CommitChangeRequest,
  Invoice,
  InvoicePage,
  Module,
  PaymentMethod,
  Permissions,
  Plan,
  ServerErrorCode,
  SetupSession,
  Subscription,
  UsageMetric,
} from '../contract/index.js';
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
