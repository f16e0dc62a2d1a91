/**
 * What a failed Stripe call means to the handler. The SDK's errors are recognised by shape
 * (`statusCode`, `code`, `type`), so that this package needs no runtime import of `stripe`.
 */
import { BillingEngineError } from '../server/errors.js';

interface StripeLikeError {
  statusCode?: number;
  code?: string;
  type?: string;
  param?: string;
}

function stripeError(error: unknown): StripeLikeError | null {
  if (typeof error !== 'object' || error === null) return null;
  const { type } = error as { type?: unknown };
  return typeof type === 'string' && type.startsWith('Stripe') ? (error as StripeLikeError) : null;
}

/** The request parameter a Stripe error names (`param`), if any. */
export function stripeParam(error: unknown): string | undefined {
  return stripeError(error)?.param;
}

/** Stripe answered 404 `resource_missing`: the object does not exist (or not in this account). */
export function isMissing(error: unknown): boolean {
  const known = stripeError(error);
  return known !== null && (known.statusCode === 404 || known.code === 'resource_missing');
}

/**
 * The error the handler should answer for a Stripe failure: 429 → `rate_limited`, anything
 * else from Stripe (5xx, connection, authentication, a request Stripe refused) →
 * `engine_unavailable`, with the SDK's error as the cause for the host's logs. Errors that
 * are not Stripe's (our own bugs, `BillingEngineError`s) pass through unchanged.
 */
export function translateStripeError(error: unknown): unknown {
  const known = stripeError(error);
  if (known === null) return error;
  if (known.statusCode === 429 || known.type === 'StripeRateLimitError') {
    return new BillingEngineError('rate_limited', { detail: 'The payment provider is busy; try again shortly.', cause: error });
  }
  return new BillingEngineError('engine_unavailable', { detail: 'The payment provider could not be reached.', cause: error });
}

/** Runs a Stripe call; a 404 becomes `null`, other Stripe errors are translated. */
export async function orNull<T>(call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (error) {
    if (isMissing(error)) return null;
    throw translateStripeError(error);
  }
}

/** Runs a Stripe call; its errors are translated. */
export async function stripeCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw translateStripeError(error);
  }
}
