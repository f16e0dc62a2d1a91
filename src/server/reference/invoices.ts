/**
 * Invoices, newest first, paged with an opaque cursor over the
 * `(customer_id, [status,] issued_at DESC, id DESC)` indexes: a page costs the same on the
 * first invoice or the millionth.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { Invoice, InvoiceLine, InvoicePage } from '../../contract/index.js';
import type { InvoiceQuery } from '../billing-engine.js';
import { BillingEngineError } from '../errors.js';
import { toInstant } from './core/dates.js';
import { describedLine, invoiceIdentity, type EngineLine, type LineTextKey } from './core/invoicing.js';
import type { Wording } from './core/texts.js';

interface InvoiceRow {
  id: string;
  number: string;
  status: Invoice['status'];
  currency: string;
  issued_at: number;
  due_at: number | null;
  period_start: number;
  period_end: number;
  total_minor: number;
  amount_due_minor: number;
  hosted_url: string | null;
}

interface LineRow {
  kind: InvoiceLine['kind'];
  description: string;
  text_key: LineTextKey | null;
  amount_minor: number;
  plan_id: string | null;
  module_id: string | null;
  period_start: number | null;
  period_end: number | null;
}

const INVOICE_COLUMNS = `id, number, status, currency, issued_at, due_at, period_start, period_end,
  total_minor, amount_due_minor, hosted_url`;

interface Cursor {
  issuedAt: number;
  id: string;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.issuedAt}|${cursor.id}`).toString('base64url');
}

function decodeCursor(text: string): Cursor {
  const decoded = Buffer.from(text, 'base64url').toString();
  const bar = decoded.indexOf('|');
  const issuedAt = Number(decoded.slice(0, bar));
  const id = decoded.slice(bar + 1);
  if (bar < 1 || !Number.isSafeInteger(issuedAt) || id === '') {
    throw new BillingEngineError('validation_failed', {
      detail: 'query.cursor is not a cursor this endpoint returned.',
      extras: { fieldErrors: [{ field: 'query.cursor', message: 'is not a cursor this endpoint returned' }] },
    });
  }
  return { issuedAt, id };
}

function toInvoice(row: InvoiceRow, lines?: InvoiceLine[]): Invoice {
  const money = (amountMinor: number) => ({ amountMinor, currency: row.currency });
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    issuedAt: toInstant(row.issued_at),
    dueAt: row.due_at === null ? null : toInstant(row.due_at),
    periodStart: toInstant(row.period_start),
    periodEnd: toInstant(row.period_end),
    total: money(row.total_minor),
    amountDue: money(row.amount_due_minor),
    ...(lines ? { lines } : {}),
    hostedUrl: row.hosted_url,
    // Rendered on request (pdf-document.ts) for every invoice but a draft; has_pdf is not read.
    hasPdf: row.status !== 'draft',
  };
}

function toLine(row: LineRow, currency: string): EngineLine {
  return {
    description: row.description,
    amount: { amountMinor: row.amount_minor, currency },
    kind: row.kind,
    ...(row.text_key === null ? {} : { textKey: row.text_key }),
    ...(row.plan_id === null ? {} : { planId: row.plan_id }),
    ...(row.module_id === null ? {} : { moduleId: row.module_id }),
    ...(row.period_start === null ? {} : { periodStart: toInstant(row.period_start) }),
    ...(row.period_end === null ? {} : { periodEnd: toInstant(row.period_end) }),
  };
}

/** An invoice to issue; its total is the sum of its lines. */
export interface InvoiceDraft {
  customerId: string;
  currency: string;
  status: 'paid' | 'open';
  issuedAt: number;
  dueAt: number;
  periodStart: number;
  periodEnd: number;
  amountDueMinor: number;
  lines: EngineLine[];
}

export interface Invoices {
  list(customerId: string, query: InvoiceQuery): InvoicePage;
  /** With its lines, described in `wording`'s language where the engine wrote them. */
  get(customerId: string, invoiceId: string, wording: Wording): Invoice | null;
  /**
   * Numbers (per calendar year of issue, like the seed: F-2026-0007) and stores `draft`;
   * returns it with its lines as drafted (described in the language they were drafted in).
   */
  issue(draft: InvoiceDraft): Invoice;
  /** Marks open invoices paid: the one named, or every open one of the customer. Returns how many. */
  markPaid(customerId: string, invoiceId?: string): number;
  /** Whether the customer has an open invoice (with something due). */
  hasOpen(customerId: string): boolean;
}

/**
 * The list query for a combination of filters: one statement per combination, so each has a
 * plain WHERE the planner can serve from an index (an `? IS NULL OR …` catch-all would defeat
 * it). The index is named: left to itself, SQLite serves status + date range from the date
 * index and filters the status row by row, which walks the whole range for a rare status.
 * With the index named, every combination is one range scan in ORDER BY order (no temporary
 * B-tree) — checked with EXPLAIN QUERY PLAN in test/server/invoice-listing-plan.test.ts.
 * Parameters: `@customer`, `@status`, `@from`, `@belowIssuedAt`, `@belowId`, `@limit`.
 */
export function invoiceListSql(query: Pick<InvoiceQuery, 'status' | 'from' | 'to' | 'cursor'>): string {
  const conditions = ['customer_id = @customer'];
  if (query.status) conditions.push('status = @status');
  if (query.from) conditions.push('issued_at >= @from');
  // `to` and the cursor are both upper bounds: one row-value bound, the lower of the two (see
  // upperBound), so the scan starts where the page starts. With two bounds SQLite would
  // start from `to` and filter the cursor row by row: a deep page would cost its depth.
  if (query.to || query.cursor) conditions.push('(issued_at, id) < (@belowIssuedAt, @belowId)');
  const index = query.status ? 'invoices_by_customer_status' : 'invoices_by_customer';
  return `SELECT ${INVOICE_COLUMNS} FROM invoices INDEXED BY ${index} WHERE ${conditions.join(' AND ')}
    ORDER BY issued_at DESC, id DESC LIMIT @limit`;
}

/**
 * Where a page ends, exclusive: before the cursor row, and before `to` — as `(to, '')`, which
 * every row issued at `to` follows (ids are never empty) and every row issued earlier precedes.
 */
function upperBound(to: number | undefined, cursor: Cursor | undefined): { issuedAt: number; id: string } | undefined {
  if (to === undefined) return cursor;
  if (cursor === undefined || to <= cursor.issuedAt) return { issuedAt: to, id: '' };
  return cursor;
}

export function createInvoices(db: Database): Invoices {
  const listStatements = new Map<string, Statement<Record<string, unknown>[], InvoiceRow>>();
  function listStatement(query: InvoiceQuery): Statement<Record<string, unknown>[], InvoiceRow> {
    const sql = invoiceListSql(query);
    let statement = listStatements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      listStatements.set(sql, statement);
    }
    return statement;
  }
  const one = db.prepare<[string, string], InvoiceRow>(
    `SELECT ${INVOICE_COLUMNS} FROM invoices WHERE id = ? AND customer_id = ?`,
  );
  const lines = db.prepare<[string], LineRow>(`
    SELECT kind, description, text_key, amount_minor, plan_id, module_id, period_start, period_end
    FROM invoice_lines WHERE invoice_id = ? ORDER BY position`);
  const payAll = db.prepare<[string]>(
    `UPDATE invoices SET status = 'paid', amount_due_minor = 0 WHERE customer_id = ? AND status = 'open'`,
  );
  const payOne = db.prepare<[string, string]>(
    `UPDATE invoices SET status = 'paid', amount_due_minor = 0 WHERE customer_id = ? AND id = ? AND status = 'open'`,
  );
  const anyOpen = db
    .prepare<[string], number>(`SELECT 1 FROM invoices WHERE customer_id = ? AND status = 'open' AND amount_due_minor > 0 LIMIT 1`)
    .pluck();

  // The range (rather than LIKE) walks the UNIQUE index on number.
  const lastNumberOfYear = db
    .prepare<[string, string], number | null>(
      'SELECT MAX(CAST(substr(number, 8) AS INTEGER)) FROM invoices WHERE number >= ? AND number < ?',
    )
    .pluck();
  const insertInvoice = db.prepare(`
    INSERT INTO invoices (id, customer_id, number, status, currency, issued_at, due_at, period_start, period_end,
      total_minor, amount_due_minor)
    VALUES (@id, @customerId, @number, @status, @currency, @issuedAt, @dueAt, @periodStart, @periodEnd,
      @total, @amountDueMinor)`);
  const insertLine = db.prepare(`
    INSERT INTO invoice_lines (invoice_id, position, kind, description, text_key, amount_minor, plan_id, module_id,
      period_start, period_end)
    VALUES (@invoiceId, @position, @kind, @description, @textKey, @amount, @planId, @moduleId, @periodStart, @periodEnd)`);
  const ms = (instant: string | undefined) => (instant === undefined ? null : Date.parse(instant));

  return {
    issue(draft) {
      const year = new Date(draft.issuedAt).getUTCFullYear();
      const { id, number } = invoiceIdentity(year, (lastNumberOfYear.get(`F-${year}-`, `F-${year}.`) ?? 0) + 1);
      const { lines: invoiceLines, ...columns } = draft;
      const total = invoiceLines.reduce((sum, line) => sum + line.amount.amountMinor, 0);
      insertInvoice.run({ ...columns, id, number, total });
      invoiceLines.forEach((line, position) =>
        insertLine.run({
          invoiceId: id,
          position,
          kind: line.kind,
          description: line.description,
          textKey: line.textKey ?? null,
          amount: line.amount.amountMinor,
          planId: line.planId ?? null,
          moduleId: line.moduleId ?? null,
          periodStart: ms(line.periodStart),
          periodEnd: ms(line.periodEnd),
        }),
      );
      return toInvoice(one.get(id, draft.customerId)!, invoiceLines);
    },

    list(customerId, query) {
      const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
      const below = upperBound(query.to === undefined ? undefined : Date.parse(query.to), cursor);
      // One row more than asked says whether there is a next page.
      const rows = listStatement(query).all({
        customer: customerId,
        status: query.status,
        from: query.from === undefined ? undefined : Date.parse(query.from),
        belowIssuedAt: below?.issuedAt,
        belowId: below?.id,
        limit: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        data: page.map((row) => toInvoice(row)),
        nextCursor: rows.length > query.limit && last ? encodeCursor({ issuedAt: last.issued_at, id: last.id }) : null,
      };
    },

    get(customerId, invoiceId, wording) {
      const row = one.get(invoiceId, customerId);
      if (row === undefined) return null;
      return toInvoice(row, lines.all(row.id).map((line) => describedLine(toLine(line, row.currency), wording)));
    },

    markPaid: (customerId, invoiceId) =>
      (invoiceId === undefined ? payAll.run(customerId) : payOne.run(customerId, invoiceId)).changes,

    hasOpen: (customerId) => anyOpen.get(customerId) !== undefined,
  };
}
