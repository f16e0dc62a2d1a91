/**
 * `npm run test:stripe-live` before it reaches the network (test/stripe-live/options.ts and
 * run.ts): it runs only with a test-mode key, refuses a live key whatever the arguments, and
 * without a key says that nothing was run and exits with 2. The run itself needs a Stripe test
 * account and is not part of `npm test`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LIVE_HELP, liveOptions } from '../stripe-live/options.js';

describe('test:stripe-live options', () => {
  it('runs with a test-mode key, and the catalog given', () => {
    assert.deepEqual(liveOptions([], { STRIPE_SECRET_KEY: 'sk_test_abc' }), { run: true, key: 'sk_test_abc', catalog: undefined });
    assert.deepEqual(liveOptions(['--catalog', 'c.json'], { STRIPE_SECRET_KEY: 'rk_test_abc' }), { run: true, key: 'rk_test_abc', catalog: 'c.json' });
  });

  it('refuses a live key, and says why', () => {
    const options = liveOptions([], { STRIPE_SECRET_KEY: 'sk_live_abc' });
    assert.equal(options.run, false);
    assert.equal(!options.run && options.exitCode, 2);
    assert.match(!options.run ? options.message : '', /live-mode key: these tests create and delete customers and subscriptions; they run in test mode only/);
    assert.ok(!(!options.run && options.message.includes('sk_live_abc')), 'the key is never printed');
  });

  it('without a key says nothing was run; a wrong argument shows the usage; --help exits 0', () => {
    const none = liveOptions([], {});
    assert.equal(!none.run && none.exitCode, 2);
    assert.match(!none.run ? none.message : '', /STRIPE_SECRET_KEY is not set.*Nothing was run: these tests need a Stripe test account and the network\./);
    const wrong = liveOptions(['--catalgo', 'x'], { STRIPE_SECRET_KEY: 'sk_test_abc' });
    assert.equal(!wrong.run && wrong.exitCode, 2);
    assert.match(!wrong.run ? wrong.message : '', /Unknown option '--catalgo'/);
    assert.deepEqual(liveOptions(['--help'], {}), { run: false, exitCode: 0, message: LIVE_HELP });
  });

  it('the runner exits with 2 and one line before any request when the key is missing or live', () => {
    const runner = join(import.meta.dirname, '../stripe-live/run.ts');
    const { STRIPE_SECRET_KEY: _key, ...env } = process.env;
    for (const [key, message] of [
      [undefined, /^test:stripe-live: STRIPE_SECRET_KEY is not set/],
      ['sk_live_abc', /^test:stripe-live: STRIPE_SECRET_KEY is a live-mode key/],
    ] as const) {
      const result = spawnSync(process.execPath, ['--import', 'tsx', runner], { env: key === undefined ? env : { ...env, STRIPE_SECRET_KEY: key }, encoding: 'utf8' });
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split('\n').length, 1);
      assert.equal(result.stdout, '');
    }
  });
});
