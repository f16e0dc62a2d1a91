/**
 * Mounts the reference billing handler inside the Vite dev server, so `npm start` is one
 * process: the demo page and its billing endpoint on the same origin. The SQLite file under
 * `.data/` is seeded on first run and kept across restarts.
 */
import { getRequestListener } from '@hono/node-server';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Plugin } from 'vite';
import { DEMO_CUSTOMER_ID, createBillingHandler, createReferenceEngine, seedDemo } from '../src/server/index.js';

/**
 * `now`: an instant the endpoint's clock stays at (tests and screenshots pin it, so nothing
 * depends on the day they run; the elements take their "now" from the endpoint's usage).
 * Default: the real clock, the demo then looks current whenever it is seeded.
 */
export function billingApi({ basePath = '/api/billing', dbFile = '.data/demo.db', now }: { basePath?: string; dbFile?: string; now?: string | undefined } = {}): Plugin {
  return {
    name: 'billing-api',
    configureServer(server) {
      mkdirSync(dirname(dbFile), { recursive: true });
      const pinned = now === undefined ? undefined : new Date(now);
      if (pinned && Number.isNaN(pinned.getTime())) throw new Error(`BILLING_DEMO_NOW=${now} is not an instant.`);
      const engine = createReferenceEngine({ db: dbFile, ...(pinned ? { clock: { now: () => new Date(pinned) } } : {}) });
      const seeded = seedDemo(engine);
      server.config.logger.info(`  billing endpoint: ${basePath} (SQLite ${dbFile}${seeded ? ', seeded with the demo data' : ''})`);
      // The demo has one signed-in customer; a real host resolves it from its session.
      const handler = createBillingHandler({
        engine,
        basePath,
        idempotencyStore: engine.idempotencyStore,
        // PDF links and card setup sessions outlive a restart of the demo.
        signingSecret: engine.signingSecret,
        setupSessionStore: engine.setupSessionStore,
        resolveCustomer: () => DEMO_CUSTOMER_ID,
        ...(pinned ? { now: () => engine.clock.now().getTime() } : {}),
        // The demo's "test mode" panel: a card that declines at renewal, and the end of the period.
        testMode: true,
      });
      const listener = getRequestListener(handler);
      server.middlewares.use((req, res, next) => {
        if (req.url?.startsWith(`${basePath}/`)) void listener(req, res);
        else next();
      });
      server.httpServer?.once('close', () => engine.close());
    },
  };
}
