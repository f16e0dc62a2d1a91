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
