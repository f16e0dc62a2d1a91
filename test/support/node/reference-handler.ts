/**
 * The handler as the server tests set it up over the reference engine, in this process or in
 * a child (`server-process.ts`): the engine's idempotency and setup session stores, its signing
 * secret, and customers named by `Authorization: Bearer <customer id>`. `options` add the clock
 * and logger, or replace any of that.
 */
import {
  DEMO_CUSTOMER_ID,
  createBillingHandler,
  createReferenceEngine,
  demoIdentity,
  seedDemo,
  type BillingHandlerOptions,
  type ReferenceEngine,
} from '../../../src/server/index.js';

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

/** A reference engine on `db` seeded with the demo, its clock pinned to `instant`. */
export function pinnedDemoEngine(db: string, instant: string | Date): ReferenceEngine {
  const pinned = new Date(instant);
  const engine = createReferenceEngine({ db, clock: { now: () => new Date(pinned) } });
  seedDemo(engine);
  return engine;
}

/**
 * The handler as a host of the demo mounts it: at `/api/billing`, every request the demo
 * customer's, on the engine's clock, errors kept quiet (tests assert on answers, not logs).
 */
export function demoHostHandler(engine: ReferenceEngine, options: Partial<BillingHandlerOptions> = {}) {
  return referenceHandler(engine, {
    basePath: '/api/billing',
    resolveCustomer: () => DEMO_CUSTOMER_ID,
    now: () => engine.clock.now().getTime(),
    logger: { error: () => {} },
    ...options,
  });
}
