import type { Money } from '../../contract/index.js';
import { minorUnitDigits } from '../../contract/money.js';

/**
 * Intl formatters are costly to build and cheap to reuse: one per locale and options,
 * shared by every element on the page.
 */
const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let formatter = cache.get(key) as T | undefined;
  if (!formatter) {
    formatter = make();
    cache.set(key, formatter);
  }
  return formatter;
}

export const formatNumber = (locale: string, value: number): string =>
  cached(`n|${locale}`, () => new Intl.NumberFormat(locale, { maximumFractionDigits: 2 })).format(value);

export const formatPercent = (locale: string, ratio: number): string =>
  cached(`p|${locale}`, () => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 })).format(ratio);

/**
 * Builds the formatters of `locale` that every element uses (numbers, percentages, dates) in
 * the next task, which comes while the first requests are in flight, instead of in the first
 * render with data: building one loads the locale's data, the slow part of formatting.
 * Currencies wait for the data, which names them.
 */
export const prepareFormatters = (locale: string): unknown =>
  cache.has(`d|${locale}`) || setTimeout(() => formatNumber(locale, 0) + formatPercent(locale, 0) + formatDate(locale, 0));

export function formatMoney(locale: string, money: Money): string {
  const digits = minorUnitDigits(money.currency);
  const formatter = cached(
    `m|${locale}|${money.currency}`,
    () => new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency, minimumFractionDigits: digits, maximumFractionDigits: digits }),
  );
  return formatter.format(money.amountMinor / 10 ** digits);
}

/**
 * Billing dates are calendar days in UTC (a period ending at midnight UTC on 14 Dec ends on
 * the 14th for everyone): formatting them in the reader's time zone would show the 13th in
 * the Americas.
 */
const dateFormat = (locale: string) =>
  cached(`d|${locale}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' })) as Intl.DateTimeFormat;

/**
 * French writes the first day of a month as an ordinal, "1er décembre", which Intl does not:
 * French dates go through Intl's parts; every other language takes Intl's string as it is
 * (the faster path, for a table of dates).
 */
const ordinalFirst = (locale: string) => /^fr\b/i.test(locale);
const withFirst = (parts: Intl.DateTimeFormatPart[]): string =>
  parts.map((part) => (part.type === 'day' && part.value === '1' ? '1er' : part.value)).join('');

/** A calendar date in the reader's locale, e.g. "8 Dec 2026" / "8 déc. 2026" / "1er déc. 2026". */
export const formatDate = (locale: string, instant: string | Date | number): string =>
  ordinalFirst(locale) ? withFirst(dateFormat(locale).formatToParts(new Date(instant))) : dateFormat(locale).format(new Date(instant));

/**
 * Periods already written. `formatRange` costs ten times two dates in V8, and a page writes
 * the same periods again and again (an invoice's, its lines', the next renders').
 */
const ranges = new Map<string, string>();

/** A period, compact where the dates share a month or year: "14 nov. – 14 déc. 2026". */
export function formatDateRange(locale: string, start: string, end: string): string {
  const key = `${locale}|${start}|${end}`;
  let text = ranges.get(key);
  if (text === undefined) {
    text = ordinalFirst(locale)
      ? withFirst(dateFormat(locale).formatRangeToParts(new Date(start), new Date(end)))
      : dateFormat(locale).formatRange(new Date(start), new Date(end));
    if (ranges.size >= 5000) ranges.clear();
    ranges.set(key, text);
  }
  return text;
}

/** A month and year, as a card's expiry is read: "December 2026" / "décembre 2026". */
export const formatMonth = (locale: string, instant: string | Date | number): string =>
  (cached(`M|${locale}`, () => new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' })) as Intl.DateTimeFormat).format(
    new Date(instant),
  );
