/**
 * What the `now` property of the elements and of `<billing-provider>` accepts: an ISO 8601
 * instant (the `now` attribute, e.g. `2026-11-26T10:00:00Z`), a `Date`, or milliseconds
 * since the epoch.
 */
export type NowValue = string | number | Date;

/** `value` in milliseconds since the epoch, or undefined when it is unset or not a valid instant. */
export function instantOf(value: NowValue | null | undefined): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : value.getTime();
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * The moment the elements treat as now: the first of `candidates` that is a valid instant
 * (in `BillingController.now()`: the element's `now`, the provider's, the server's `asOf`),
 * else the browser clock.
 *
 * This is the only place in the elements that reads the real clock. Everything that depends
 * on the day (expiry warnings, unused modules, file names) goes through it, so tests, stories
 * and screenshots that pin `now` give the same output whatever day they run.
 */
export function resolveNow(...candidates: (NowValue | null | undefined)[]): number {
  for (const candidate of candidates) {
    const ms = instantOf(candidate);
    if (ms !== undefined) return ms;
  }
  return Date.now();
}
