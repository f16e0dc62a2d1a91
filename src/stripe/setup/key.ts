/**
 * Which Stripe mode a secret key is for, read from its prefix: `sk_test_…` / `rk_test_…` (test
 * mode), `sk_live_…` / `rk_live_…` (live mode). The CLI and the live test runner refuse a live
 * key unless told otherwise, and anything that is not a secret or restricted key at all (a
 * publishable `pk_…` key, a typo) before any request is made.
 */
export type StripeKeyMode = 'test' | 'live';

/** The key's mode, or `null` when it is not a Stripe secret or restricted key. */
export function stripeKeyMode(key: string): StripeKeyMode | null {
  const match = /^(?:sk|rk)_(test|live)_[A-Za-z0-9]+$/.exec(key);
  return match ? (match[1] as StripeKeyMode) : null;
}

export type StripeKeyCheck = { ok: true; key: string; mode: StripeKeyMode } | { ok: false; message: string };

/**
 * Checks the key in `STRIPE_SECRET_KEY` (passed as `key`): present, a secret or restricted key,
 * and a test-mode one unless `allowLive`. `message` is one line, never containing the key.
 */
export function checkStripeKey(key: string | undefined, options: { allowLive: boolean; liveHint?: string }): StripeKeyCheck {
  if (key === undefined || key.trim() === '') {
    return { ok: false, message: 'STRIPE_SECRET_KEY is not set: export a Stripe secret key (sk_test_…) in the environment.' };
  }
  const trimmed = key.trim();
  const mode = stripeKeyMode(trimmed);
  if (mode === null) {
    const kind = trimmed.startsWith('pk_') ? 'a publishable key (pk_…)' : 'not a Stripe secret key';
    return { ok: false, message: `STRIPE_SECRET_KEY is ${kind}: it must start with sk_test_, rk_test_, sk_live_ or rk_live_.` };
  }
  if (mode === 'live' && !options.allowLive) {
    return { ok: false, message: `STRIPE_SECRET_KEY is a live-mode key: ${options.liveHint ?? 'use a test-mode key (sk_test_…).'}` };
  }
  return { ok: true, key: trimmed, mode };
}

/**
 * Where the SDK sends its requests, from `STRIPE_API_BASE` (e.g. `http://127.0.0.1:12111`):
 * for tests against a stand-in of the Stripe API or stripe-mock, never needed against Stripe.
 */
export function stripeApiBase(base: string | undefined): { host: string; port: number; protocol: 'http' | 'https' } | undefined {
  if (base === undefined || base === '') return undefined;
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new Error(`STRIPE_API_BASE ${base} is not a URL (e.g. http://127.0.0.1:12111).`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search !== '') {
    throw new Error(`STRIPE_API_BASE ${base} must be a scheme, host and port only (e.g. http://127.0.0.1:12111).`);
  }
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port === '' ? (protocol === 'http' ? 80 : 443) : Number(url.port), protocol };
}
