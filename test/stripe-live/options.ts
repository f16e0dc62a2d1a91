/**
 * What `npm run test:stripe-live` is asked to do, from its arguments and environment, checked
 * before anything reaches Stripe: the key (test mode only, whatever else is passed) and the
 * catalog to set the account up from. Covered by test/stripe/live-options.test.ts in `npm test`;
 * the run itself needs the network and a Stripe test account.
 */
import { parseArgs } from 'node:util';
import { checkStripeKey } from '../../src/stripe/setup/key.js';

export const LIVE_HELP = `Usage: npm run test:stripe-live [-- --catalog FILE]

Runs the engine conformance suite against a real Stripe account in TEST mode:
sets the account up from the catalog (stripe-setup, idempotent), then for each
check makes a test clock with three customers (card pm_card_visa), two
subscriptions and two months of renewals, and deletes the clock afterwards.

  STRIPE_SECRET_KEY   a test-mode secret key (sk_test_... or rk_test_...); live keys are refused
  --catalog FILE      the setup catalog JSON (default: the demo catalog, as stripe-setup);
                      it needs two plans or more sold monthly
  -h, --help          show this help`;

export type LiveOptions =
  | { run: true; key: string; catalog: string | undefined }
  | { run: false; exitCode: 0 | 2; message: string };

export function liveOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): LiveOptions {
  let values: { catalog?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: [...argv], options: { catalog: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    return { run: false, exitCode: 2, message: `test:stripe-live: ${(error as Error).message}\n\n${LIVE_HELP}` };
  }
  if (values.help) return { run: false, exitCode: 0, message: LIVE_HELP };
  const checked = checkStripeKey(env.STRIPE_SECRET_KEY, { allowLive: false, liveHint: 'these tests create and delete customers and subscriptions; they run in test mode only (sk_test_...).' });
  if (!checked.ok) {
    const nothing = env.STRIPE_SECRET_KEY === undefined || env.STRIPE_SECRET_KEY.trim() === '' ? ' Nothing was run: these tests need a Stripe test account and the network.' : '';
    return { run: false, exitCode: 2, message: `test:stripe-live: ${checked.message}${nothing}` };
  }
  return { run: true, key: checked.key, catalog: values.catalog };
}
