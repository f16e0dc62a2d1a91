/**
 * The reference handler over the Stripe engine, mounted in the browser test server
 * (@web/test-runner middleware): the engine talks to the stateful stand-in of the Stripe API
 * (test/stripe/stand-in.ts) through the official SDK, seeded by test/stripe/fixture.ts with the
 * EUR catalog and its customers, the clock pinned at the fixture's `NOW`. The stand-in starts
 * on the first request, so test files that never ask for it pay nothing.
 *
 *   /stripe-api/subscribed/…   the customer on Team monthly with Exports and five invoices
 *   /stripe-api/other/…        the customer on Starter
 *   /stripe-api/none/…         a customer without a subscription
 *
 * A `~tag` suffix (`/stripe-api/subscribed~a/…`) is the same customer at another URL: a fresh
 * cache in the browser. And:
 *
 *   POST /stripe-api/test/reset   a fresh stand-in, seeded again
 */
import type { Middleware } from 'koa';
import { createBillingHandler, type BillingHandler } from '../../src/server/index.js';
import { NOW, OTHER, SUBSCRIBED, WITHOUT_SUBSCRIPTION, stripeFixture, type StripeFixture } from '../stripe/fixture.js';
import { fetchRequestOf, respondWith } from './koa-fetch.js';

/** The seats the subscribed customer uses: Stripe does not hold usage, the host says it. */
export const STRIPE_TEST_USAGE = {
  metricKey: 'seats',
  name: 'Seats',
  unit: 'seat',
  used: 7,
  limit: 10,
  warnAt: 0.8,
  periodStart: '2026-11-01T00:00:00Z',
  resetsAt: null,
  asOf: NOW.toISOString(),
};

const customers: Record<string, string> = { subscribed: SUBSCRIBED, other: OTHER, none: WITHOUT_SUBSCRIPTION };

interface World {
  fixture: StripeFixture;
  handler: BillingHandler;
}

async function createWorld(): Promise<World> {
  const fixture = await stripeFixture({ usage: async (customer) => (customer === SUBSCRIBED ? [STRIPE_TEST_USAGE] : []) });
  const handler = createBillingHandler({
    engine: fixture.engine,
    basePath: '/stripe-api/:customer',
    resolveCustomer: (request) => customers[new URL(request.url).pathname.split('/')[2]?.split('~')[0] ?? ''] ?? null,
    logger: { error: () => {} },
    now: () => NOW.getTime(),
  });
  return { fixture, handler };
}

export function stripeTestMiddleware(): Middleware {
  let world: Promise<World> | undefined;

  return async (ctx, next) => {
    if (!ctx.path.startsWith('/stripe-api/')) return next();
    if (ctx.path === '/stripe-api/test/reset' && ctx.method === 'POST') {
      const previous = world;
      world = undefined;
      if (previous) await (await previous).fixture.close();
      world = createWorld();
      await world;
      ctx.body = { now: NOW.toISOString() };
      return;
    }
    world ??= createWorld();
    const { handler } = await world;
    await respondWith(ctx, await handler(await fetchRequestOf(ctx)));
  };
}
