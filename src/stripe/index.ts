/**
 * `billing-elements/stripe.js`: a `BillingEngine` over Stripe, for `createBillingHandler`.
 * Node only; `stripe` (the official SDK, an optional peer dependency) is the host's client —
 * this module imports only its types.
 *
 * ```ts
 * import Stripe from 'stripe';
 * import { createBillingHandler } from 'billing-elements/handler.js';
 * import { createStripeEngine } from 'billing-elements/stripe.js';
 *
 * const engine = createStripeEngine({ stripe: new Stripe(process.env.STRIPE_SECRET_KEY!), catalog });
 * const handler = createBillingHandler({ engine, resolveCustomer });
 * ```
 */
export { createStripeEngine, type StripeEngineOptions } from './engine.js';
export type { StripeCatalog, StripeCatalogModule, StripeCatalogPlan } from './catalog.js';
export { moneyFromStripe } from './money.js';
// Setting an account up from a catalog (`billing-elements stripe-setup` in code).
export { setupStripeCatalog, type StripeSetupOptions, type StripeSetupResult } from './setup/setup.js';
export { parseSetupCatalog, type SetupCatalog, type SetupModule, type SetupPlan } from './setup/source.js';
