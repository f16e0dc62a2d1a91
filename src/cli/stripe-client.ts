/**
 * The Stripe SDK client of `serve --engine stripe` and `stripe-setup`, on the key in
 * STRIPE_SECRET_KEY (never a flag: keys do not belong in shell history), and Stripe's
 * failures told in one line.
 */
import type StripeSdk from 'stripe';
import { firstLine, StartError, UsageError } from './errors.js';

/** The Stripe key from the environment, checked (test mode unless `live`), and a client on it. */
export async function stripeClient(live: boolean, purpose: string) {
  const { checkStripeKey, stripeApiBase } = await import('../stripe/setup/key.js');
  const checked = checkStripeKey(process.env.STRIPE_SECRET_KEY, { allowLive: live, liveHint: `pass --live to ${purpose} in live mode, or use a test-mode key (sk_test_...).` });
  if (!checked.ok) throw new UsageError(checked.message);
  let base: ReturnType<typeof stripeApiBase>;
  try {
    base = stripeApiBase(process.env.STRIPE_API_BASE);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  let Stripe: typeof StripeSdk;
  try {
    Stripe = (await import('stripe')).default;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND') {
      throw new StartError('the CLI needs stripe for --engine stripe and stripe-setup, an optional peer dependency: npm install stripe@23');
    }
    throw error;
  }
  const stripe = new Stripe(checked.key, { ...base, appInfo: { name: 'billing-elements' } });
  return { stripe, mode: checked.mode };
}

/** What went wrong talking to Stripe, in one line (the SDK's message, or its cause's). */
export function stripeProblem(error: unknown): string {
  let current: unknown = error;
  // The engine wraps the SDK's errors (engine_unavailable); the SDK's own message says more.
  while (current instanceof Error && current.cause instanceof Error && (current as { code?: unknown }).code === 'engine_unavailable') current = current.cause;
  return current instanceof Error ? firstLine(current.message) : String(current);
}
