/**
 * Invoice listing at 1,000, 100,000 and 1,000,000 invoices for one customer (plus a quarter as
 * many for 50 other customers, interleaved in time), through the real handler called as a
 * function (no HTTP): the time of a page must not grow with the number of invoices.
 *
 *   npx tsx scripts/bench-invoices.ts [--sizes 1000,100000,1000000] [--iterations 400]
 *
 * Each size is seeded into its own temporary SQLite file (one transaction, one prepared
 * statement; removed at the end), then the reference engine opens it as a host would. For
 * each size it measures, after a warm-up, the median and p99 of:
 * - first: the first page (limit 25);
 * - deep: the page in the middle of the list, fetched with its cursor (found by following
 *   cursors from the start, 100 invoices a page);
 * - filtered: status=paid with a date range covering the middle half of the invoices.
 * Not part of the test suite.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { createBillingHandler, createReferenceEngine, type BillingHandler } from '../src/server/index.js';
import { migrate } from '../src/server/reference/migrations.js';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,100000,1000000' },
    iterations: { type: 'string', default: '400' },
  },
});
const SIZES = args.sizes.split(',').map(Number);
const ITERATIONS = Number(args.iterations);
const WARMUP = 50;
const CUSTOMER = 'cus_bench';
const NOISE_CUSTOMERS = 50;
const START = Date.parse('2000-01-01T00:00:00Z');
const STEP_MS = 3_600_000; // one invoice an hour, all customers together
const BASE = 'http://bench.test/api/billing';

interface Seeded {
  file: string;
  seconds: number;
  megabytes: number;
  /** The customer's middle half, for the filtered page. */
  from: string;
  to: string;
}

function seed(directory: string, size: number): Seeded {
  const file = join(directory, `invoices-${size}.db`);
  const started = performance.now();
  const db = new BetterSqlite3(file);
  // A throwaway file: no journal, no fsync, a big cache while seeding.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  migrate(db);
  const insertCustomer = db.prepare(
    `INSERT INTO customers (id, name, email, locale, currency, created_at) VALUES (?, ?, NULL, 'fr', 'EUR', 0)`,
  );
  const insertInvoice = db.prepare(`
    INSERT INTO invoices (id, customer_id, number, status, currency, issued_at, due_at, period_start, period_end,
      total_minor, amount_due_minor)
    VALUES (?, ?, ?, ?, 'EUR', ?, ?, ?, ?, ?, ?)`);
  const noise = Math.ceil(size / 4);
  const total = size + noise;
  db.transaction(() => {
    insertCustomer.run(CUSTOMER, 'Bench SARL');
    for (let n = 0; n < NOISE_CUSTOMERS; n++) insertCustomer.run(`cus_noise_${n}`, `Noise ${n}`);
    let mine = 0;
    for (let i = 0; i < total; i++) {
      // Every fifth invoice is someone else's, until the noise runs out.
      const isNoise = i % 5 === 4 && i / 5 < noise;
      const customer = isNoise ? `cus_noise_${i % NOISE_CUSTOMERS}` : CUSTOMER;
      const k = isNoise ? i : mine++;
      const status = k % 10 === 0 ? 'open' : k % 10 === 1 ? 'void' : 'paid';
      const issuedAt = START + i * STEP_MS;
      const sequence = String(i).padStart(8, '0');
      const amount = 4900 + (k % 7) * 900;
      insertInvoice.run(
        `inv_${sequence}`,
        customer,
        `B-${sequence}`,
        status,
        issuedAt,
        issuedAt + 30 * 86_400_000,
        issuedAt,
        issuedAt + 30 * 86_400_000,
        amount,
        status === 'open' ? amount : 0,
      );
    }
  })();
  db.pragma('optimize');
  db.close();
  const span = total * STEP_MS;
  return {
    file,
    seconds: (performance.now() - started) / 1000,
    megabytes: statSync(file).size / 1e6,
    from: new Date(START + span / 4).toISOString(),
    to: new Date(START + (span * 3) / 4).toISOString(),
  };
}

interface Stats {
  median: number;
  p99: number;
}

async function time(
  handler: BillingHandler,
  url: string,
  check: (body: { data: unknown[] }) => void,
  iterations: number,
): Promise<Stats> {
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + iterations; i++) {
    const started = performance.now();
    const response = await handler(new Request(url));
    const text = await response.text();
    const elapsed = performance.now() - started;
    if (response.status !== 200) throw new Error(`${url}: ${response.status} ${text}`);
    if (i === 0) check(JSON.parse(text) as { data: unknown[] });
    if (i >= WARMUP) samples.push(elapsed);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)] ?? NaN;
  return { median: at(0.5), p99: at(0.99) };
}

/** Follows cursors, 100 invoices a page, to the middle of the customer's list; returns the cursor there. */
async function middleCursor(handler: BillingHandler, size: number): Promise<{ cursor: string; pages: number; seconds: number }> {
  const started = performance.now();
  let cursor: string | null = null;
  let seen = 0;
  let pages = 0;
  while (seen < size / 2) {
    const response = await handler(new Request(`${BASE}/v1/invoices?limit=100${cursor ? `&cursor=${cursor}` : ''}`));
    const page = (await response.json()) as { data: unknown[]; nextCursor: string | null };
    seen += page.data.length;
    pages++;
    if (page.nextCursor === null) throw new Error('The list ended before its middle.');
    cursor = page.nextCursor;
  }
  return { cursor: cursor ?? '', pages, seconds: (performance.now() - started) / 1000 };
}

const pageOf25 = (body: { data: unknown[] }) => {
  if (body.data.length !== 25) throw new Error(`expected a page of 25, got ${body.data.length}`);
};

interface Row {
  size: number;
  seeded: Seeded;
  walk: Awaited<ReturnType<typeof middleCursor>>;
  first: Stats;
  deep: Stats;
  filtered: Stats;
}

const ms = (value: number) => value.toFixed(3);

async function measure(directory: string, size: number, iterations: number, quiet = false): Promise<Row> {
  const seeded = seed(directory, size);
  if (!quiet) {
    console.log(
        `${size.toLocaleString('en')} invoices (+${Math.ceil(size / 4).toLocaleString('en')} for other customers): ` +
          `seeded in ${seeded.seconds.toFixed(1)} s, ${seeded.megabytes.toFixed(0)} MB`,
    );
  }
  const engine = createReferenceEngine({ db: seeded.file });
  const handler = createBillingHandler({ engine, resolveCustomer: () => CUSTOMER, basePath: '/api/billing' });
  try {
    const walk = await middleCursor(handler, size);
    const filteredUrl = `${BASE}/v1/invoices?limit=25&status=paid&from=${seeded.from}&to=${seeded.to}`;
    return {
      size,
      seeded,
      walk,
      first: await time(handler, `${BASE}/v1/invoices?limit=25`, pageOf25, iterations),
      deep: await time(handler, `${BASE}/v1/invoices?limit=25&cursor=${walk.cursor}`, pageOf25, iterations),
      filtered: await time(handler, filteredUrl, pageOf25, iterations),
    };
  } finally {
    engine.close();
    rmSync(seeded.file, { force: true });
  }
}

async function main() {
  const directory = mkdtempSync(join(tmpdir(), 'bench-invoices-'));
  const rows: Row[] = [];
  console.log(
    `Node ${process.version}, ${ITERATIONS} timed requests per measure after ${WARMUP} warm-up ones ` +
      `(and a warm-up round on 20,000 invoices).\n`,
  );
  try {
    // A long round first, thrown away, so the first size measured does not pay for the JIT
    // (V8 keeps optimizing for a few thousand requests).
    await measure(directory, 20_000, 2000, true);
    for (const size of SIZES) rows.push(await measure(directory, size, ITERATIONS));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }

  console.log('\nTime of one page of 25 through the handler, in ms (median / p99):\n');
  console.log('| invoices | first page | deep page (middle) | filtered (paid + dates) | seed | walk to the middle |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    console.log(
      `| ${row.size.toLocaleString('en')} | ${ms(row.first.median)} / ${ms(row.first.p99)} | ` +
        `${ms(row.deep.median)} / ${ms(row.deep.p99)} | ${ms(row.filtered.median)} / ${ms(row.filtered.p99)} | ` +
        `${row.seeded.seconds.toFixed(1)} s | ${row.walk.pages} pages, ${row.walk.seconds.toFixed(1)} s |`,
    );
  }
  const smallest = rows[0];
  const largest = rows.at(-1);
  if (smallest && largest && largest !== smallest) {
    const ratio = (measure: 'first' | 'deep' | 'filtered', stat: keyof Stats) =>
      (largest[measure][stat] / smallest[measure][stat]).toFixed(2);
    console.log(
      `| ratio ${largest.size.toLocaleString('en')} / ${smallest.size.toLocaleString('en')} | ` +
        `${ratio('first', 'median')} / ${ratio('first', 'p99')} | ${ratio('deep', 'median')} / ${ratio('deep', 'p99')} | ` +
        `${ratio('filtered', 'median')} / ${ratio('filtered', 'p99')} | | |`,
    );
  }
}

await main();
