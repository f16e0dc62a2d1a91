/**
 * Instants are stored as integer milliseconds since the epoch (UTC) and sent as RFC 3339.
 * Billing periods are whole calendar months counted from an anchor, in UTC.
 */
import type { Interval } from '../../../contract/index.js';

export const DAY_MS = 86_400_000;

/**
 * `ms` as an ISO 8601 instant. A preview writes the same few instants (period bounds, the
 * moment of the change) dozens of times, and `toISOString` is not cheap: recent ones are kept.
 */
export function toInstant(ms: number): string {
  let instant = instants.get(ms);
  if (instant === undefined) {
    if (instants.size >= 256) instants.clear();
    instant = new Date(ms).toISOString();
    instants.set(ms, instant);
  }
  return instant;
}

const instants = new Map<number, string>();

export function startOfUtcDay(ms: number): number {
  return ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);
}

/**
 * Adds calendar months, clamping to the last day of a shorter month (Jan 31 + 1 = Feb 28/29).
 * A preview asks for the same few period bounds a dozen times: recent answers are kept.
 */
export function addMonths(ms: number, months: number): number {
  let byMonths = monthsAdded.get(ms);
  if (byMonths === undefined) {
    if (monthsAdded.size >= 256) monthsAdded.clear();
    byMonths = new Map();
    monthsAdded.set(ms, byMonths);
  }
  let added = byMonths.get(months);
  if (added === undefined) {
    added = computeAddMonths(ms, months);
    byMonths.set(months, added);
  }
  return added;
}

const monthsAdded = new Map<number, Map<number, number>>();

function computeAddMonths(ms: number, months: number): number {
  const date = new Date(ms);
  const target = new Date(ms);
  target.setUTCDate(1);
  target.setUTCMonth(date.getUTCMonth() + months);
  const daysInTarget = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), daysInTarget));
  return target.getTime();
}

function monthsIn(interval: Interval): number {
  return interval === 'year' ? 12 : 1;
}

/** The end of a period of `interval` that starts at `start`. */
export function periodEndFrom(start: number, interval: Interval): number {
  return addMonths(start, monthsIn(interval));
}

/**
 * The end of the period that follows the one ending at `periodEnd`. Counting from the
 * anchor rather than from `periodEnd` keeps a subscription started on the 31st on the last
 * day of every month instead of drifting to the 28th after February.
 */
export function nextPeriodEnd(anchor: number, periodEnd: number, interval: Interval): number {
  const a = new Date(anchor);
  const e = new Date(periodEnd);
  const elapsed = (e.getUTCFullYear() - a.getUTCFullYear()) * 12 + e.getUTCMonth() - a.getUTCMonth();
  return addMonths(anchor, elapsed + monthsIn(interval));
}

/**
 * The month, counted from `anchor`, that holds `at`: a usage period. Plan limits are monthly
 * quotas whatever the billing interval (CONTRACT.md, "Usage periods"). Before the anchor, the
 * first month.
 */
export function monthContaining(anchor: number, at: number): { start: number; end: number } {
  const a = new Date(anchor);
  const t = new Date(at);
  let months = Math.max(0, (t.getUTCFullYear() - a.getUTCFullYear()) * 12 + t.getUTCMonth() - a.getUTCMonth());
  // The anchor's day may not have come yet in `at`'s month (or was clamped to a shorter month).
  if (months > 0 && addMonths(anchor, months) > at) months--;
  return { start: addMonths(anchor, months), end: addMonths(anchor, months + 1) };
}
