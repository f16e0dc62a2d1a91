/**
 * The handler as the server tests set it up over the reference engine, in this process or in
 * a child (`server-process.ts`): the engine's idempotency and setup session stores, its signing
 * secret, and customers named by `Authorization: Bearer <customer id>`. `options` add the clock
 * and logger, or replace any of that.
 */
import { createBillingHandler, demoIdentity, type BillingHandlerOptions, type ReferenceEngine } from '../../../src/server/index.js';

export function referenceHandler(engine: ReferenceEngine, options: Partial<BillingHandlerOptions> = {}) {
  return createBillingHandler({
    engine,
    // The demo's read-only user (`cus_readonly`) may only look, as the demo's host says (demoIdentity).
    resolveCustomer: (request) => {
      const customer = request.headers.get('Authorization')?.replace(/^Bearer /, '');
      return customer ? demoIdentity(customer) : null;
    },
    idempotencyStore: engine.idempotencyStore,
    signingSecret: engine.signingSecret,
    setupSessionStore: engine.setupSessionStore,
    ...options,
  });
}
