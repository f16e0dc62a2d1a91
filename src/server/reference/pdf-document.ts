/**
 * Invoice PDFs, drawn with pdf-lib: the seller and customer blocks, number, dates, period,
 * one row per line with its own period, totals — in the customer's language, money and
 * dates through `Intl` in their locale (fr: « 1 234,56 € », « 3 mars 2026 »).
 *
 * pdf-lib's standard fonts (Helvetica) encode WinAnsi only: the narrow and plain no-break
 * spaces `Intl` puts in French amounts become plain spaces, a few look-alikes are mapped
 * (− → -), and anything else the font cannot encode becomes "?" rather than an error.
 * Accented Latin letters, €, ’, « » and dashes are all in WinAnsi.
 *
 * The document is deterministic: its dates are the invoice's issue date, so the same
 * invoice gives the same bytes. Its metadata title is "<Invoice> <number>".
 */
import type * as PdfLib from 'pdf-lib';
import type { PDFFont, PDFPage } from 'pdf-lib';
import { minorUnitDigits } from '../../contract/money.js';
import type { Invoice } from '../../contract/index.js';
import { importPeer } from '../peer.js';
import { intlLocale, type ServerTexts } from './core/texts.js';

/**
 * pdf-lib, an optional peer dependency, loaded with the first PDF: an engine that never draws
 * one never loads it, and without it a PDF is a `MissingPeerError` (a 503, and one line in the
 * handler's log saying what to install).
 */
let pdfLib: Promise<typeof PdfLib> | undefined;
function loadPdfLib(): Promise<typeof PdfLib> {
  if (pdfLib === undefined) {
    pdfLib = importPeer('pdf-lib', 'drawing invoice PDFs', () => import('pdf-lib'));
    // A failed load is tried again at the next PDF (the package may have been installed since).
    pdfLib.catch(() => (pdfLib = undefined));
  }
  return pdfLib;
}

/** Who issues the invoices; printed at the top of every PDF. */
export interface Seller {
  name: string;
  /** Postal address, one entry per line. */
  address: string[];
  vatId?: string;
  email?: string;
}

export const DEMO_SELLER: Seller = {
  name: 'billing-elements demo SaaS',
  address: ['12 rue de l’Exemple', '75011 Paris', 'France'],
  vatId: 'FR00 123456789',
  email: 'billing@demo.billing-elements.dev',
};

export interface InvoiceCustomer {
  name: string;
  email: string | null;
  /** One line per line, or `null` when unknown. */
  address: string | null;
  locale: string;
}

export interface InvoiceDocument {
  invoice: Invoice & { lines: NonNullable<Invoice['lines']> };
  customer: InvoiceCustomer;
  seller: Seller;
  texts: ServerTexts;
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 50;
/** Colours as RGB fractions (pdf-lib's `rgb()`, applied once pdf-lib is loaded). */
const INK = [0.1, 0.1, 0.12] as const;
const MUTED = [0.38, 0.38, 0.42] as const;
const RULE = [0.8, 0.8, 0.84] as const;

/** Spaces and look-alikes `Intl` writes that WinAnsi has no code for. */
const REPLACEMENTS: Record<string, string> = {
  '\u202F': ' ', // narrow no-break space (fr group separator)
  '\u00A0': ' ', // no-break space (fr, before €)
  '\u2009': ' ', // thin space (formatRange)
  '\u2007': ' ',
  '\u2212': '-', // minus sign
  '\u2011': '-', // non-breaking hyphen
};

/** `text` with every character `font` cannot encode replaced. */
export function encodable(text: string, font: PDFFont): string {
  const supported = new Set(font.getCharacterSet());
  let result = '';
  for (const char of text) {
    const replaced = REPLACEMENTS[char] ?? char;
    result += supported.has(replaced.codePointAt(0) ?? 0) ? replaced : '?';
  }
  return result;
}

/** Money in `locale`: the amount in minor units scaled by the currency's own digits. */
export function formatMoney(amountMinor: number, currency: string, locale: string): string {
  const digits = minorUnitDigits(currency);
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
  return format.format(amountMinor / 10 ** digits);
}

function dateFormats(locale: string) {
  return {
    long: new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }),
    short: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }),
  };
}

/** Splits `text` into lines no wider than `width` (a word longer than that is cut). */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = current ? `${current} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) <= width) {
      current = candidate;
      continue;
    }
    if (current) lines.push(current);
    let rest = word;
    while (font.widthOfTextAtSize(rest, size) > width && rest.length > 1) {
      let cut = rest.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    current = rest;
  }
  if (current) lines.push(current);
  return lines.length ? lines : [''];
}

export async function renderInvoicePdf({ invoice, customer, seller, texts }: InvoiceDocument): Promise<Uint8Array> {
  const locale = intlLocale(customer.locale);
  const t = texts.pdf;
  const { PDFDocument, rgb, StandardFonts } = await loadPdfLib();
  const colour = (fractions: readonly [number, number, number]) => rgb(...fractions);
  const doc = await PDFDocument.create();
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const money = (amountMinor: number) => formatMoney(amountMinor, invoice.total.currency, locale);
  const dates = dateFormats(locale);
  const longDate = (instant: string) => dates.long.format(new Date(instant));
  const range = (start: string, end: string) => dates.short.formatRange(new Date(start), new Date(end));

  const issuedAt = new Date(invoice.issuedAt);
  const title = `${t.invoice} ${invoice.number}`;
  doc.setTitle(title, { showInWindowTitleBar: true });
  doc.setSubject(`${seller.name} — ${customer.name}`);
  doc.setAuthor(seller.name);
  doc.setKeywords([invoice.number]);
  doc.setLanguage(locale);
  doc.setCreator('billing-elements');
  doc.setProducer('billing-elements reference engine (pdf-lib)');
  doc.setCreationDate(issuedAt);
  doc.setModificationDate(issuedAt);

  let page: PDFPage = doc.addPage([A4.width, A4.height]);
  let y = A4.height - MARGIN;
  // pdf-lib adds a font resource each time a font is passed to drawText: set it on a change only.
  const pageFonts = new Map<PDFPage, PDFFont>();
  const right = A4.width - MARGIN;

  const text = (value: string, x: number, options: { font?: PDFFont; size?: number; color?: readonly [number, number, number]; align?: 'left' | 'right' } = {}) => {
    const font = options.font ?? regular;
    const size = options.size ?? 10;
    const safe = encodable(value, font);
    const left = options.align === 'right' ? x - font.widthOfTextAtSize(safe, size) : x;
    if (pageFonts.get(page) !== font) {
      page.setFont(font);
      pageFonts.set(page, font);
    }
    page.drawText(safe, { x: left, y, size, color: colour(options.color ?? INK) });
  };
  const rule = () => page.drawLine({ start: { x: MARGIN, y }, end: { x: right, y }, thickness: 0.75, color: colour(RULE) });

  // Header: seller on the left, title and number on the right.
  const top = y;
  text(seller.name, MARGIN, { font: bold, size: 13 });
  y -= 16;
  for (const line of [...seller.address, ...(seller.email ? [seller.email] : [])]) {
    text(line, MARGIN, { color: MUTED });
    y -= 13;
  }
  if (seller.vatId) {
    const colon = locale.startsWith('fr') ? '\u00A0: ' : ': ';
    text(`${t.vatId}${colon}${seller.vatId}`, MARGIN, { color: MUTED });
    y -= 13;
  }
  const leftBottom = y;
  y = top;
  text(t.invoice.toUpperCase(), right, { font: bold, size: 22, align: 'right' });
  y -= 20;
  text(invoice.number, right, { font: bold, size: 12, align: 'right' });
  y -= 15;
  text(t.status[invoice.status], right, { color: MUTED, align: 'right' });
  y = Math.min(leftBottom, y) - 24;

  // Customer on the left, dates on the right.
  const blockTop = y;
  text(t.billedTo, MARGIN, { font: bold, size: 9, color: MUTED });
  y -= 14;
  const customerLines = [
    customer.name,
    ...(customer.address ?? '').split('\n').map((line) => line.trim()).filter(Boolean),
    ...(customer.email ? [customer.email] : []),
  ];
  customerLines.forEach((line, index) => {
    text(line, MARGIN, index === 0 ? { font: bold } : {});
    y -= 13;
  });
  const customerBottom = y;
  y = blockTop;
  const facts: [string, string][] = [
    [t.number, invoice.number],
    [t.issued, longDate(invoice.issuedAt)],
    ...(invoice.dueAt ? [[t.due, longDate(invoice.dueAt)] as [string, string]] : []),
    [t.period, range(invoice.periodStart, invoice.periodEnd)],
  ];
  const labelX = A4.width / 2 + 20;
  for (const [label, value] of facts) {
    text(label, labelX, { color: MUTED });
    text(value, right, { align: 'right' });
    y -= 14;
  }
  y = Math.min(customerBottom, y) - 24;

  // Lines: description (wrapped), period, amount.
  const periodX = 320;
  const descriptionWidth = periodX - MARGIN - 12;
  const tableHeader = () => {
    text(t.description, MARGIN, { font: bold, size: 9, color: MUTED });
    text(t.period, periodX, { font: bold, size: 9, color: MUTED });
    text(t.amount, right, { font: bold, size: 9, color: MUTED, align: 'right' });
    y -= 6;
    rule();
    y -= 14;
  };
  const newPageIfBelow = (needed: number) => {
    if (y - needed >= MARGIN + 40) return;
    page = doc.addPage([A4.width, A4.height]);
    y = A4.height - MARGIN;
    text(title, MARGIN, { font: bold, size: 10, color: MUTED });
    y -= 24;
    tableHeader();
  };
  tableHeader();
  for (const line of invoice.lines) {
    const described = wrap(encodable(line.description, regular), regular, 10, descriptionWidth);
    newPageIfBelow(described.length * 13 + 6);
    const rowTop = y;
    described.forEach((part, index) => {
      y = rowTop - index * 13;
      text(part, MARGIN);
    });
    y = rowTop;
    if (line.periodStart && line.periodEnd) text(range(line.periodStart, line.periodEnd), periodX, { color: MUTED });
    text(money(line.amount.amountMinor), right, { align: 'right' });
    y = rowTop - described.length * 13 - 6;
  }
  rule();
  y -= 18;

  // Totals.
  newPageIfBelow(40);
  text(t.total, labelX, { font: bold });
  text(money(invoice.total.amountMinor), right, { font: bold, align: 'right' });
  y -= 16;
  text(t.amountDue, labelX);
  text(money(invoice.amountDue.amountMinor), right, { align: 'right' });

  // Footer on every page.
  const pages = doc.getPages();
  pages.forEach((each, index) => {
    page = each;
    y = MARGIN - 20;
    text(t.footer, MARGIN, { size: 8, color: MUTED });
    text(t.page(index + 1, pages.length), right, { size: 8, color: MUTED, align: 'right' });
  });

  return doc.save({ useObjectStreams: false });
}
