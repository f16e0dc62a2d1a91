import type { Invoice, Money } from '../../contract/index.js';
import { minorUnitDigits } from '../../contract/money.js';

/**
 * A field as spreadsheets expect it: always quoted, quotes doubled, and text that a
 * spreadsheet would run as a formula (=, +, -, @, tab, carriage return) prefixed with an
 * apostrophe (OWASP "CSV injection").
 */
export function csvField(value: string, { text = true } = {}): string {
  const safe = text && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

/** Decimal amount with a dot, as every spreadsheet locale can import it. */
const decimal = (money: Money, digits: number) => (money.amountMinor / 10 ** digits).toFixed(digits);

const day = (instant: string) => instant.slice(0, 10);

/** The invoices as CSV (RFC 4180, CRLF line ends), with a header row. */
export function invoicesCsv(invoices: readonly Invoice[], columns: readonly string[], statusLabel: (status: string) => string): string {
  const rows = invoices.map((invoice) => {
    const digits = minorUnitDigits(invoice.total.currency);
    return [
      csvField(invoice.number),
      csvField(day(invoice.issuedAt), { text: false }),
      csvField(day(invoice.periodStart), { text: false }),
      csvField(day(invoice.periodEnd), { text: false }),
      csvField(statusLabel(invoice.status)),
      csvField(decimal(invoice.total, digits), { text: false }),
      csvField(decimal(invoice.amountDue, digits), { text: false }),
      csvField(invoice.total.currency),
    ].join(',');
  });
  return [columns.map((column) => csvField(column)).join(','), ...rows].join('\r\n') + '\r\n';
}
