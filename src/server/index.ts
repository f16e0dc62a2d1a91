/**
 * `billing-elements/server.js`: the Fetch-API handler that serves the billing contract over a
 * `BillingEngine`, and the SQLite reference engine. Node only; never imported by the
 * browser code.
 */
// Everything engine-agnostic, as in `billing-elements/handler.js`…
export * from './handler-entry.js';
// …plus the SQLite reference engine.
export {
  createReferenceEngine,
  type ReferenceEngine,
  type ReferenceEngineOptions,
} from './reference/reference-engine.js';
export { systemClock, type Clock } from './reference/clock.js';
export { DEMO_SELLER, type Seller } from './reference/pdf-document.js';
export {
  seedDemo,
  demoIdentity,
  DEMO_CUSTOMER_ID,
  READ_ONLY_CUSTOMER_ID,
  NO_SUBSCRIPTION_CUSTOMER_ID,
} from './reference/seed.js';
