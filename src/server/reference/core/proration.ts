/**
 * Proration: the one place where money is divided by time, and the one rounding rule.
 *
 * A price for a period is shared out over the exact remaining part of that period, in
 * milliseconds. Each share is rounded on its own, to the nearest minor unit, halves away
 * from zero; a credit and a charge are two shares, each rounded, so each line is within
 * half a minor unit of the exact figure and their sum within one. Rounding is monotonic, so
 * a dearer new price never yields a smaller charge than the credit of a cheaper old one.
 *
 * The division is done on BigInt: a price of 10^7 minor units times a year in milliseconds
 * (3.2·10^10) is far past Number.MAX_SAFE_INTEGER.
 */

/** A half-open span of time, `[start, end)`, in epoch milliseconds. */
export interface Span {
  start: number;
  end: number;
}

/** `amountMinor` (≥ 0) times `numerator / denominator`, rounded half away from zero. */
function roundedShare(amountMinor: number, numerator: number, denominator: number): number {
  const product = BigInt(amountMinor) * BigInt(numerator);
  const divisor = BigInt(denominator);
  const quotient = product / divisor;
  const remainder = product % divisor;
  return Number(2n * remainder >= divisor ? quotient + 1n : quotient);
}

/** What is left of `period` at `at`, in milliseconds (0 once it has ended). */
function remainingMs(period: Span, at: number): number {
  return Math.max(0, period.end - Math.max(at, period.start));
}

/** The part of a price for `period` (≥ 0) that covers what is left of it at `at`. */
function shareOfRemaining(amountMinor: number, period: Span, at: number): number {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0) {
    throw new RangeError(`A price must be a whole, non-negative number of minor units, got ${amountMinor}.`);
  }
  const length = period.end - period.start;
  if (!(length > 0)) throw new RangeError('A billing period must have a positive length.');
  return roundedShare(amountMinor, remainingMs(period, at), length);
}

/** The credit (≤ 0) for the unused part of a price for `period`, given up at `at`. */
export function unusedCredit(amountMinor: number, period: Span, at: number): number {
  // `0 -` rather than unary minus: a zero credit is 0, never -0.
  return 0 - shareOfRemaining(amountMinor, period, at);
}

/** The charge (≥ 0) for the rest of `period` at a price for the whole of it, taken on at `at`. */
export function remainingCharge(amountMinor: number, period: Span, at: number): number {
  return shareOfRemaining(amountMinor, period, at);
}
