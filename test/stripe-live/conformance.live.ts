/**
 * The engine conformance suite against a real Stripe test-mode account (run by
 * `npm run test:stripe-live`, run.ts; never by `npm test`): the account is set up from the
 * catalog with stripe-setup (idempotent: a second run reuses the Products and Prices), then
 * every check runs on customers of a test clock of its own (fixture.ts), deleted after it.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { runConformanceSuite } from '../../src/server/testing/index.js';
import { demoSetupCatalog } from '../../src/stripe/setup/demo-source.js';
import { setupStripeCatalog } from '../../src/stripe/setup/setup.js';
import { parseSetupCatalog } from '../../src/stripe/setup/source.js';
import { liveClient, liveFixture } from './fixture.js';
import { liveOptions } from './options.js';

// Checked again here, so that running this file directly cannot use a live key either.
const options = liveOptions([], process.env);
if (!options.run) throw new Error(options.message);
const stripe = liveClient(options.key);
const file = process.env.STRIPE_LIVE_CATALOG;
const source = file === undefined ? await demoSetupCatalog() : parseSetupCatalog(JSON.parse(readFileSync(file, 'utf8')));
const { catalog, created } = await setupStripeCatalog({ stripe, catalog: source });
console.log(`stripe-setup: created ${created.products.length} Products and ${created.prices.length} Prices`);
const runId = process.env.STRIPE_LIVE_RUN_ID ?? randomUUID();

runConformanceSuite({
  name: 'the Stripe engine (a Stripe test-mode account)',
  setup: () => liveFixture(stripe, catalog, runId),
});
