import type { Invoice, Money } from '../../contract/index.js';
import { minorUnitDigits } from '../../contract/money.js';

/**
 * Text that a spreadsheet would run as a formula (OWASP "CSV injection"): a cell that starts
 * with a tab or a carriage return, or whose first character after any whitespace is `=`, `+`,
 * `-`, `@` or one of their full-width forms (＝ ＋ － ＠, which some spreadsheets fold to
 * ASCII). `\s` covers Unicode whitespace too (no-break and ideographic spaces).
 */
const FORMULA_START = /^(?:[\t\r]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/u;

/**
 * A field as spreadsheets expect it: always quoted, quotes doubled, and text that a
 * spreadsheet would run as a formula prefixed with an apostrophe. `{ text: false }` is for
 * the values we write ourselves (amounts, dates), which must stay numbers: a negative
 * amount starts with `-`.
 */
export function csvField(value: string, { text = true } = {}): string {
  const safe = text && FORMULA_START.test(value) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

/** How a spreadsheet in the reader's locale splits fields and reads decimals. */
export interface CsvFormat {
  separator: ',' | ';';
  decimalMark: '.' | ',';
}

/**
 * French spreadsheets (Excel and LibreOffice set to French) read `;` between fields and a
 * decimal comma; every other locale gets `,` and a decimal point.
 */
export function csvFormat(locale: string): CsvFormat {
  const language = locale.split(/[-_]/)[0]!.toLowerCase();
  return language === 'fr' ? { separator: ';', decimalMark: ',' } : { separator: ',', decimalMark: '.' };
}

/** A decimal amount with no grouping: `-1234.56`, or `-1234,56` with a decimal comma. */
const decimal = (money: Money, digits: number, decimalMark: string) =>
  (money.amountMinor / 10 ** digits).toFixed(digits).replace('.', decimalMark);

const day = (instant: string) => instant.slice(0, 10);

/** The invoices as CSV (RFC 4180 quoting, CRLF line ends), with a header row. */
export function invoicesCsv(
  invoices: readonly Invoice[],
  columns: readonly string[],
  statusLabel: (status: string) => string,
  { separator, decimalMark }: CsvFormat = csvFormat('en'),
): string {
  const rows = invoices.map((invoice) => {
    const digits = minorUnitDigits(invoice.total.currency);
    return [
      csvField(invoice.number),
      csvField(day(invoice.issuedAt), { text: false }),
      csvField(day(invoice.periodStart), { text: false }),
      csvField(day(invoice.periodEnd), { text: false }),
      csvField(statusLabel(invoice.status)),
      csvField(decimal(invoice.total, digits, decimalMark), { text: false }),
      csvField(decimal(invoice.amountDue, digits, decimalMark), { text: false }),
      csvField(invoice.total.currency),
    ].join(separator);
  });
  return [columns.map((column) => csvField(column)).join(separator), ...rows].join('\r\n') + '\r\n';
}
