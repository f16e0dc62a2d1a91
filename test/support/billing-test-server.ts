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
  type BillingHandler,
  type ReferenceEngine,
} from '../../src/server/index.js';
import { TEST_NOW_ISO } from './clock.js';

/** The moment the browser tests start, so dates and forecasts are reproducible. */
export const TEST_NOW = new Date(TEST_NOW_ISO);

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
    resolveCustomer: (request) => customers[new URL(request.url).pathname.split('/')[2]?.split('~')[0] ?? ''] ?? null,
    logger: { error: () => {} },
    testMode: true,
  });
  return { engine, handler, clock };
}

export function billingTestMiddleware(): Middleware {
  let world = createWorld();

  return async (ctx, next) => {
    if (ctx.path === '/api/test/reset' && ctx.method === 'POST') {
      world.engine.close();
      world = createWorld();
      ctx.body = { now: world.clock.at.toISOString() };
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
    const body = ['GET', 'HEAD'].includes(ctx.method) ? undefined : await readBody(ctx.req);
    const request = new Request(url, { method: ctx.method, headers: ctx.req.headers as Record<string, string>, body });
    let response = await world.handler(request);
    const fault = match?.[1];
    if (fault === '500') {
      response = Response.json(
        { type: 'about:blank', title: 'Internal error', status: 500, code: 'internal', requestId: 'req_fault500', retryable: true },
        { status: 500, headers: { 'Content-Type': 'application/problem+json', 'X-Request-Id': 'req_fault500' } },
      );
    } else if (fault === 'invalid') {
      const text = JSON.stringify(await response.json()).replace(/"used":\d+/g, '"used":"lots"');
      response = new Response(text, { status: response.status, headers: response.headers });
    } else if (fault === 'html') {
      response = new Response('<html><body>Bad gateway</body></html>', { status: 200, headers: { 'Content-Type': 'text/html' } });
    } else if (fault === 'slow') {
      await new Promise((resolve) => setTimeout(resolve, 800));
    }
    ctx.status = response.status;
    response.headers.forEach((value, name) => ctx.set(name, value));
    ctx.body = Buffer.from(await response.arrayBuffer());
  };
}

async function readBody(stream: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
