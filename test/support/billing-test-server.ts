/**
 * The real reference handler, mounted in the browser test server (@web/test-runner
 * middleware), on an in-memory SQLite database seeded with the demo data and a clock the
 * tests control. Each customer of the seed has its own base path, so tests choose who is
 * signed in by URL:
 *
 *   /api/demo/…      the demo customer (Pro plan, documents near the limit)
 *   /api/readonly/…  a read-only customer
 *   /api/nosub/…     a customer without a subscription
 *
 * A `~tag` suffix (`/api/demo~a/…`) is the same customer at another URL: a fresh cache for
 * tests that count requests. Faults are injected in front of the same handler:
 *
 *   /api/fault/500/…      a 500 problem+json
 *   /api/fault/invalid/…  the real response with a field of the wrong type
 *   /api/fault/html/…     a 200 with an HTML body (a misconfigured proxy)
 *   /api/fault/slow/…     the real response, 800 ms late (loading states)
 *
 * and, per base URL and per operation, until lifted and counted (`faults.ts`):
 *
 *   PUT /api/test/faults/<segment>   e.g. `{ "listUsage": "503" }` for `/api/<segment>/v1/usage`
 *   GET /api/test/faults/<segment>   how many requests each fault answered
 *
 * And tests drive the world through:
 *
 *   POST /api/test/reset          a fresh database, seeded, with the clock back at TEST_NOW
 *   POST /api/test/clock?to=ISO   moves the clock and runs the billing (period rollovers)
 *
 * Browser test files run one at a time (web-test-runner.config.js), so a reset in one file
 * never disturbs another.
 */
import type { Middleware } from 'koa';
import {
  DEMO_CUSTOMER_ID,
  NO_SUBSCRIPTION_CUSTOMER_ID,
  READ_ONLY_CUSTOMER_ID,
  createBillingHandler,
  createReferenceEngine,
  seedDemo,
  demoIdentity,
  type BillingHandler,
  type ReferenceEngine,
} from '../../src/server/index.js';
import { TEST_NOW_ISO } from './clock.js';
import { FaultInjector, answer, plain } from './fault-injection.js';
import { fetchRequestOf, readBody, respondWith } from './koa-fetch.js';

/** The moment the browser tests start, so dates and forecasts are reproducible. */
export const TEST_NOW = new Date(TEST_NOW_ISO);

/** The demo's users as its host would say (demoIdentity): `readonly` may only look. */
const identityOf = (customer: string | undefined) => (customer ? demoIdentity(customer) : null);

const customers: Record<string, string> = {
  demo: DEMO_CUSTOMER_ID,
  readonly: READ_ONLY_CUSTOMER_ID,
  nosub: NO_SUBSCRIPTION_CUSTOMER_ID,
};

function createWorld(): { engine: ReferenceEngine; handler: BillingHandler; clock: { at: Date; now(): Date } } {
  const clock = { at: TEST_NOW, now: () => clock.at };
  const engine = createReferenceEngine({ db: ':memory:', clock });
  seedDemo(engine, clock);
  const handler = createBillingHandler({
    engine,
    basePath: '/api/:customer',
    idempotencyStore: engine.idempotencyStore,
    signingSecret: engine.signingSecret,
    setupSessionStore: engine.setupSessionStore,
    resolveCustomer: (request) => identityOf(customers[new URL(request.url).pathname.split('/')[2]?.split('~')[0] ?? '']),
    logger: { error: () => {} },
    testMode: true,
  });
  return { engine, handler, clock };
}

export function billingTestMiddleware(): Middleware {
  let world = createWorld();
  const faults = new FaultInjector();

  return async (ctx, next) => {
    if (ctx.path === '/api/test/reset' && ctx.method === 'POST') {
      world.engine.close();
      world = createWorld();
      faults.clear();
      ctx.body = { now: world.clock.at.toISOString() };
      return;
    }
    const faultControl = /^\/api\/test\/faults\/([^/]+)$/.exec(ctx.path);
    if (faultControl) {
      const segment = decodeURIComponent(faultControl[1]!);
      if (ctx.method === 'PUT') {
        try {
          faults.set(segment, JSON.parse(await readBody(ctx.req)) as Record<string, unknown>);
        } catch (error) {
          ctx.status = 400;
          ctx.body = { error: String(error) };
          return;
        }
      }
      ctx.body = { hits: faults.hits(segment) };
      return;
    }
    if (ctx.path === '/api/test/clock' && ctx.method === 'POST') {
      world.clock.at = new Date(String(ctx.query.to));
      ctx.body = { now: world.clock.at.toISOString(), periodsClosed: await world.engine.runBilling() };
      return;
    }
    const match = /^\/api\/fault\/(\w+)(\/.*)$/.exec(ctx.path);
    if (!match && !ctx.path.startsWith('/api/')) return next();
    const url = new URL(ctx.href);
    if (match) url.pathname = `/api/demo${match[2]}`;
    const request = await fetchRequestOf(ctx, url);
    const segment = ctx.path.split('/')[2]!;
    const injected = faults.take(segment, ctx.method, ctx.path.slice(`/api/${segment}`.length));
    if (injected) {
      const outcome = await answer(injected, request, world.handler, ctx.req.socket);
      if (outcome === 'drop') {
        ctx.respond = false;
        ctx.req.socket.destroy();
        return;
      }
      await respondWith(ctx, outcome);
      return;
    }
    const fault = match?.[1];
    // A body to rewrite is asked for as plain text.
    let response = await world.handler(fault === 'invalid' ? plain(request) : request);
    if (fault === '500') {
      response = Response.json(
        { type: 'about:blank', title: 'Internal error', status: 500, code: 'internal', requestId: 'req_fault500', retryable: true },
        { status: 500, headers: { 'Content-Type': 'application/problem+json', 'X-Request-Id': 'req_fault500' } },
      );
    } else if (fault === 'invalid') {
      const text = JSON.stringify(await response.json()).replace(/"used":\d+/g, '"used":"lots"');
      const headers = new Headers(response.headers);
      for (const name of ['Content-Length', 'ETag']) headers.delete(name);
      headers.set('Cache-Control', 'no-store');
      response = new Response(text, { status: response.status, headers });
    } else if (fault === 'html') {
      response = new Response('<html><body>Bad gateway</body></html>', { status: 200, headers: { 'Content-Type': 'text/html' } });
    } else if (fault === 'slow') {
      await new Promise((resolve) => setTimeout(resolve, 800));
    }
    await respondWith(ctx, response);
  };
}
