/**
 * `npm run test:stripe-live`: checks the key and arguments (options.ts), then runs
 * conformance.live.ts with node:test, one check at a time, and sweeps the test clocks a run
 * that was killed left behind. Not part of `npm test`: it needs the network and a Stripe
 * test-mode account (`STRIPE_SECRET_KEY=sk_test_…`).
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { liveOptions } from './options.js';

const options = liveOptions(process.argv.slice(2), process.env);
if (!options.run) {
  (options.exitCode === 0 ? console.log : console.error)(options.message);
  process.exit(options.exitCode);
}

const file = join(import.meta.dirname, 'conformance.live.ts');
const runId = randomUUID();
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=600000', file], {
  stdio: 'inherit',
  env: { ...process.env, STRIPE_LIVE_RUN_ID: runId, ...(options.catalog === undefined ? {} : { STRIPE_LIVE_CATALOG: options.catalog }) },
});

const { sweepTestClocks } = await import('./fixture.js');
const swept = await sweepTestClocks(options.key, runId).catch((error: unknown) => {
  console.error(`test:stripe-live: could not sweep test clocks: ${(error as Error).message}`);
  return 0;
});
if (swept > 0) console.log(`test:stripe-live: deleted ${swept} test clock(s) left by this or an earlier run`);
process.exit(result.status ?? 1);
