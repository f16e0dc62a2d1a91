import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Invoice, InvoicePage } from '../../src/contract/index.js';
import { demoEngine, harness } from './helpers.js';

/** Follows `nextCursor` to the end; returns the pages. */
async function walk(get: (path: string) => Promise<Response>, query: string): Promise<InvoicePage[]> {
  const pages: InvoicePage[] = [];
  let cursor: string | null = null;
  do {
    const response = await get(`/v1/invoices?${query}${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(response.status, 200);
    const page = InvoicePage.parse(await response.json());
    pages.push(page);
    cursor = page.nextCursor;
    assert.ok(pages.length <= 20, 'pagination does not end');
  } while (cursor !== null);
  return pages;
}

const issuedAts = (pages: InvoicePage[]) => pages.flatMap((p) => p.data.map((i) => i.issuedAt));

describe('invoice listing', () => {
  const { get } = harness();

  it('lists the 14 demo invoices newest first in one default page', async () => {
    const [page, ...rest] = await walk(get, '');
    assert.equal(rest.length, 0);
    assert.equal(page?.nextCursor, null);
    assert.equal(page?.data.length, 14);
    assert.equal(page?.data[0]?.issuedAt, '2026-03-03T00:00:00.000Z');
    assert.equal(page?.data[13]?.issuedAt, '2025-02-03T00:00:00.000Z');
    assert.equal(page?.data[0]?.status, 'paid');
    assert.equal(page?.data[0]?.amountDue.amountMinor, 0);
    assert.ok(page?.data.every((i) => i.lines === undefined), 'lists leave lines out');
  });

  for (const limit of [1, 3, 5, 13, 14]) {
    it(`walks all 14 invoices with limit=${limit}, without duplicates or gaps`, async () => {
      const pages = await walk(get, `limit=${limit}`);
      assert.equal(pages.length, Math.ceil(14 / limit));
      assert.ok(pages.every((p) => p.data.length <= limit));
      const ids = pages.flatMap((p) => p.data.map((i) => i.id));
      assert.equal(new Set(ids).size, 14);
      const dates = issuedAts(pages);
      assert.deepEqual(dates, [...dates].sort().reverse());
    });
  }

  it('filters by status, also across pages', async () => {
    const count = async (query: string) => issuedAts(await walk(get, query)).length;
    assert.equal(await count('status=open'), 0);
    assert.equal(await count('status=void'), 1);
    assert.equal(await count('status=paid'), 13);
    assert.equal(await count('status=paid&limit=5'), 13);
    assert.equal(await count('status=draft'), 0);
  });

  it('filters by issue date, from inclusive and to exclusive', async () => {
    const dates = async (query: string) => issuedAts(await walk(get, query));
    assert.equal((await dates('from=2026-01-01T00:00:00Z')).length, 3);
    assert.equal((await dates('to=2026-01-01T00:00:00Z')).length, 11);
    assert.deepEqual(await dates('from=2025-06-03T00:00:00Z&to=2025-09-03T00:00:00Z&limit=2'), [
      '2025-08-03T00:00:00.000Z',
      '2025-07-03T00:00:00.000Z',
      '2025-06-03T00:00:00.000Z',
    ]);
    assert.deepEqual(await dates('from=2025-06-03T00:00:00Z&to=2025-06-03T00:00:00Z'), []);
  });

  it('never lists another customer’s invoices', async () => {
    const demo = issuedAts(await walk(get, 'from=2026-01-01T00:00:00Z'));
    assert.deepEqual(demo, ['2026-03-03T00:00:00.000Z', '2026-02-03T00:00:00.000Z', '2026-01-03T00:00:00.000Z']);
    const readOnly = await walk((path) => get(path, 'cus_readonly'), '');
    assert.deepEqual(issuedAts(readOnly), ['2026-02-23T00:00:00.000Z', '2026-01-23T00:00:00.000Z']);
    assert.deepEqual(await walk((path) => get(path, 'cus_nosub'), ''), [{ data: [], nextCursor: null }]);
  });

  it('orders invoices issued at the same instant by id, and pages through them', async () => {
    const engine = demoEngine();
    const insert = engine.db.prepare(`
      INSERT INTO invoices (id, customer_id, number, status, currency, issued_at, period_start, period_end,
        total_minor, amount_due_minor)
      VALUES (?, 'cus_demo', ?, 'paid', 'EUR', ?, ?, ?, 0, 0)`);
    const at = Date.parse('2026-03-10T00:00:00Z');
    for (const id of ['inv_b', 'inv_a', 'inv_c']) insert.run(id, `X-${id}`, at, at, at);
    const pages = await walk(harness(engine).get, 'limit=1&from=2026-03-04T00:00:00Z');
    assert.deepEqual(
      pages.flatMap((p) => p.data.map((i) => i.id)),
      ['inv_c', 'inv_b', 'inv_a'],
    );
  });
});

describe('one invoice', () => {
  const { get } = harness();

  it('has lines that add up to its total, plan first', async () => {
    const [page] = await walk(get, '');
    for (const summary of page?.data ?? []) {
      const invoice = Invoice.parse(await (await get(`/v1/invoices/${summary.id}`)).json());
      assert.equal(invoice.number, summary.number);
      const lines = invoice.lines ?? [];
      assert.equal(lines[0]?.kind, 'plan');
      assert.equal(
        lines.reduce((sum, line) => sum + line.amount.amountMinor, 0),
        invoice.total.amountMinor,
        invoice.number,
      );
    }
  });

  it('shows the Pro invoice of the current period with its module lines', async () => {
    const invoice = Invoice.parse(await (await get('/v1/invoices/inv_2026_0005')).json());
    assert.equal(invoice.number, 'F-2026-0005');
    assert.deepEqual(
      invoice.lines?.map((l) => [l.kind, l.planId ?? l.moduleId, l.amount.amountMinor]),
      [
        ['plan', 'pro', 4900],
        ['module', 'e-signature', 900],
        ['module', 'accounting-export', 1200],
      ],
    );
    assert.deepEqual(invoice.total, { amountMinor: 7000, currency: 'EUR' });
  });

  it('numbers invoices per year without gaps across customers', async () => {
    const engine = demoEngine();
    const numbers = engine.db.prepare('SELECT number FROM invoices ORDER BY issued_at').pluck().all() as string[];
    assert.equal(numbers.length, 16);
    assert.deepEqual(numbers.slice(0, 2), ['F-2025-0001', 'F-2025-0002']);
    assert.deepEqual(numbers.slice(-5), ['F-2026-0001', 'F-2026-0002', 'F-2026-0003', 'F-2026-0004', 'F-2026-0005']);
  });
});
