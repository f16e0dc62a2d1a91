/**
 * Invoice listing stays fast with size: every combination of filters is served by one range
 * scan of an index, in ORDER BY order (EXPLAIN QUERY PLAN: a SEARCH, no SCAN, no temporary
 * B-tree), and paging through filtered results gives exactly what a brute-force filter gives.
 * The timings themselves are in scripts/bench-invoices.ts, not in tests.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvoicePage, type InvoiceStatus } from '../../src/contract/index.js';
import type { InvoiceQuery } from '../../src/server/index.js';
import { invoiceListSql } from '../../src/server/reference/invoices.js';
import { demoEngine, harness, ok } from './helpers.js';

type Filters = Pick<InvoiceQuery, 'status' | 'from' | 'to' | 'cursor'>;

const combinations: Filters[] = [];
for (const status of [undefined, 'paid'] as const) {
  for (const from of [undefined, '2025-06-01T00:00:00Z']) {
    for (const to of [undefined, '2026-01-01T00:00:00Z']) {
      for (const cursor of [undefined, 'c']) {
        combinations.push({
          ...(status ? { status } : {}),
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
          ...(cursor ? { cursor } : {}),
        });
      }
    }
  }
}

describe('invoice list query plans', () => {
  const { db } = demoEngine();
  const parameters = { customer: 'cus_demo', status: 'paid', from: 1, belowIssuedAt: 2, belowId: 'inv_x', limit: 26 };

  for (const filters of combinations) {
    const name = Object.keys(filters).join(' + ') || 'no filter';
    it(`${name}: one index range scan in order, no table scan, no temporary B-tree`, () => {
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${invoiceListSql(filters)}`).all(parameters) as { detail: string }[];
      assert.equal(plan.length, 1, plan.map((row) => row.detail).join(' | '));
      const detail = plan[0]?.detail ?? '';
      assert.doesNotMatch(detail, /SCAN|TEMP B-TREE/);
      const index = filters.status ? 'invoices_by_customer_status' : 'invoices_by_customer';
      assert.match(detail, new RegExp(`^SEARCH invoices USING INDEX ${index} \\(customer_id=\\?`));
      if (filters.status) assert.match(detail, /status=\?/);
      if (filters.from) assert.match(detail, /issued_at>\?/);
      // `to` and the cursor make one upper bound, where the scan starts.
      if (filters.to || filters.cursor) assert.match(detail, /\(issued_at,id\)<\(\?,\?\)/);
    });
  }
});

describe('filtered paging', () => {
  const engine = demoEngine();
  // 600 more invoices for the demo customer (and some for another), several per instant, every status.
  const insert = engine.db.prepare(`
    INSERT INTO invoices (id, customer_id, number, status, currency, issued_at, period_start, period_end,
      total_minor, amount_due_minor)
    VALUES (?, ?, ?, ?, 'EUR', ?, ?, ?, 100, 0)`);
  const statuses: InvoiceStatus[] = ['paid', 'paid', 'paid', 'open', 'void', 'uncollectible', 'draft'];
  const start = Date.parse('2024-01-01T00:00:00Z');
  engine.db.transaction(() => {
    for (let i = 0; i < 700; i++) {
      const customer = i % 7 === 6 ? 'cus_readonly' : 'cus_demo';
      const issuedAt = start + Math.floor(i / 3) * 86_400_000;
      const status = statuses[(i * 5) % statuses.length]!;
      const id = `inv_t${String(i).padStart(4, '0')}`;
      insert.run(id, customer, `T-${i}`, status, issuedAt, issuedAt, issuedAt + 1);
    }
  })();
  const mine = engine.db
    .prepare(`SELECT id, status, issued_at AS issuedAt FROM invoices WHERE customer_id = 'cus_demo'`)
    .all() as { id: string; status: InvoiceStatus; issuedAt: number }[];
  const h = harness(engine);

  const cases: { status?: InvoiceStatus; from?: string; to?: string }[] = [
    { status: 'void' },
    { from: '2024-02-10T00:00:00Z', to: '2024-05-01T00:00:00Z' },
    { status: 'paid', from: '2024-02-10T00:00:00Z', to: '2024-05-01T00:00:00Z' },
    { status: 'draft', to: '2024-03-01T00:00:00Z' },
    { status: 'uncollectible', from: '2024-06-01T00:00:00Z' },
    { to: '2024-04-01T00:00:00Z' },
  ];
  for (const filters of cases) {
    it(`pages through ${JSON.stringify(filters)} exactly as a brute-force filter would`, async () => {
      const expected = mine
        .filter((i) => (filters.status ? i.status === filters.status : true))
        .filter((i) => (filters.from ? i.issuedAt >= Date.parse(filters.from) : true))
        .filter((i) => (filters.to ? i.issuedAt < Date.parse(filters.to) : true))
        .sort((a, b) => b.issuedAt - a.issuedAt || (a.id < b.id ? 1 : -1))
        .map((i) => i.id);
      assert.ok(expected.length > 10);
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const query = new URLSearchParams({ ...filters, limit: '7', ...(cursor ? { cursor } : {}) });
        const page: InvoicePage = await ok(await h.get(`/v1/invoices?${query}`), InvoicePage);
        ids.push(...page.data.map((i) => i.id));
        cursor = page.nextCursor;
      } while (cursor !== null && ids.length < 1000);
      assert.deepEqual(ids, expected);
    });
  }
});
