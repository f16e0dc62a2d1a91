/**
 * Concurrency: many requests racing for the same change, in one process and across two
 * server processes on one SQLite file (as docs/server.md says hosts may run it), and servers
 * started at once on a new file. Whatever the race, one change happens once, the losers get
 * the contract's answers (a replay, 409 `idempotency_in_progress`, 412), and nothing is a 500.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { ChangeResult, Subscription, type ChangeRequest } from '../../src/contract/index.js';
import { createReferenceEngine, DEMO_CUSTOMER_ID, seedDemo } from '../../src/server/index.js';
import { migrations } from '../../src/server/reference/migrations.js';
import {
  cloneDemoCustomer,
  localServer,
  send,
  spawnScript,
  startServerProcess,
  temporaryFolder,
  type ServerProcess,
} from '../support/node/server-processes.js';

/** Twelve days into the demo's current period (2026-03-03 → 2026-04-03), subscription version 3. */
const NOW = new Date('2026-03-15T10:00:00.000Z');
const fixedClock = { now: () => new Date(NOW) };
const CHANGES = '/v1/subscription/changes';
const PARALLEL = 50;

const activate: ChangeRequest = { timing: 'now', change: { type: 'module', moduleId: 'auto-reminders', action: 'activate' } };
const deactivate: ChangeRequest = { timing: 'now', change: { type: 'module', moduleId: 'auto-reminders', action: 'deactivate' } };

type Send = (method: string, path: string, options?: Parameters<typeof send>[3]) => Promise<Response>;

interface Outcome {
  status: number;
  replayed: boolean;
  code?: string;
  retryable?: boolean;
  text: string;
}

async function outcome(response: Response): Promise<Outcome> {
  const text = await response.text();
  const problem = response.headers.get('Content-Type') === 'application/problem+json' ? (JSON.parse(text) as Outcome) : null;
  return {
    status: response.status,
    replayed: response.headers.get('Idempotent-Replayed') === 'true',
    ...(problem ? { code: problem.code, retryable: problem.retryable } : {}),
    text,
  };
}

/** `[status code or 'replayed'] → count`, for messages. */
function tally(outcomes: Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const name = o.replayed ? `${o.status} replayed` : o.code ? `${o.status} ${o.code}` : String(o.status);
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/** A file database with the demo seeded at NOW (and `extra` customers like the demo one). */
function seededFile(file: string, extra: readonly string[] = []): void {
  const engine = createReferenceEngine({ db: file, clock: fixedClock });
  seedDemo(engine);
  cloneDemoCustomer(engine.db, extra);
  engine.close();
}

function readFile<T>(file: string, read: (db: BetterSqlite3.Database) => T): T {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/**
 * 50 commits of the same change with the same Idempotency-Key, all at once, through `senders`
 * in turn: exactly one runs; the others replay it or say it is in progress, and once it is
 * done every one of them replays it.
 */
async function oneKeyRace(senders: Send[], invoiceCount: () => Promise<number> | number): Promise<Record<string, number>> {
  const invoicesBefore = await invoiceCount();
  const headers = { 'Idempotency-Key': 'one-click', 'If-Match': '"3"' };
  const first = await Promise.all(
    Array.from({ length: PARALLEL }, (_, i) => senders[i % senders.length]!('POST', CHANGES, { body: activate, headers }).then(outcome)),
  );
  const counts = tally(first);
  const ran = first.filter((o) => o.status === 200 && !o.replayed);
  assert.equal(ran.length, 1, `one request runs the change: ${JSON.stringify(counts)}`);
  for (const o of first) {
    if (o.status === 200) continue;
    assert.equal(o.status, 409, JSON.stringify(counts));
    assert.equal(o.code, 'idempotency_in_progress');
    assert.equal(o.retryable, true);
  }
  // The ones told to come back get the first answer.
  const again = await Promise.all(
    first.map((o, i) =>
      o.status === 200 ? o : senders[i % senders.length]!('POST', CHANGES, { body: activate, headers }).then(outcome),
    ),
  );
  for (const o of again) {
    assert.equal(o.status, 200);
    assert.equal(o.text, ran[0]!.text);
  }
  assert.equal(again.filter((o) => o.replayed).length, PARALLEL - 1);
  const result = ChangeResult.parse(JSON.parse(ran[0]!.text));
  assert.equal(result.subscription.version, '4');
  assert.ok(result.invoice, 'the activation is charged on an invoice');
  assert.equal(await invoiceCount(), invoicesBefore + 1, 'one invoice');
  return counts;
}

/** 50 different commits (each its own key) on the same `If-Match`: one wins, 49 get 412 with the version that won. */
async function oneVersionRace(senders: Send[]): Promise<Record<string, number>> {
  const outcomes = await Promise.all(
    Array.from({ length: PARALLEL }, (_, i) =>
      senders[i % senders.length]!('POST', CHANGES, {
        body: activate,
        headers: { 'Idempotency-Key': `click-${i}`, 'If-Match': '"3"' },
      }).then(outcome),
    ),
  );
  const counts = tally(outcomes);
  assert.deepEqual(counts, { 200: 1, '412 version_conflict': PARALLEL - 1 }, JSON.stringify(counts));
  for (const o of outcomes.filter((x) => x.status === 412)) {
    assert.equal((JSON.parse(o.text) as { current: Subscription }).current.version, '4');
  }
  return counts;
}

describe('Concurrency in one process', () => {
  it('50 parallel commits with one Idempotency-Key make one change, and every other request replays it', async (t) => {
    const engine = createReferenceEngine({ db: ':memory:', clock: fixedClock });
    seedDemo(engine);
    const server = localServer(engine);
    const invoices = () => engine.db.prepare<[], number>('SELECT count(*) FROM invoices').pluck().get()!;
    t.diagnostic(`outcomes: ${JSON.stringify(await oneKeyRace([server.send], invoices))}`);
    assert.deepEqual(server.logged, []);
  });

  it('50 parallel commits with one If-Match: one 200, 49 × 412', async (t) => {
    const engine = createReferenceEngine({ db: ':memory:', clock: fixedClock });
    seedDemo(engine);
    const server = localServer(engine);
    t.diagnostic(`outcomes: ${JSON.stringify(await oneVersionRace([server.send]))}`);
    assert.deepEqual(server.logged, []);
  });
});

describe('Concurrency across two server processes on one SQLite file', { timeout: 120_000 }, () => {
  const folder = temporaryFolder('concurrency');
  const file = folder.file('billing.db');
  const customers = Array.from({ length: 9 }, (_, i) => `cus_clone_${i + 1}`);
  let servers: ServerProcess[] = [];
  let senders: Send[] = [];

  before(async () => {
    seededFile(file, customers);
    servers = await Promise.all([startServerProcess(file, NOW), startServerProcess(file, NOW)]);
    senders = servers.map((server) => (method, path, options) => send(server.origin, method, path, options));
  });

  after(async () => {
    await Promise.all(servers.map((server) => server.kill('SIGTERM')));
    folder.dispose();
  });

  const demoInvoices = () => readFile(file, (db) => db.prepare('SELECT count(*) FROM invoices WHERE customer_id = ?').pluck().get(DEMO_CUSTOMER_ID) as number);

  it('50 commits with one Idempotency-Key, half to each process: one change, every other request replays it', async (t) => {
    t.diagnostic(`outcomes: ${JSON.stringify(await oneKeyRace(senders, demoInvoices))}`);
  });

  it('50 commits on one If-Match, half to each process: one 200, 49 × 412', async (t) => {
    // The demo customer is at version 4 now: race on a clone still at 3.
    const clone = customers[0]!;
    const asClone: Send[] = senders.map((s) => (method, path, options) => s(method, path, { ...options, customer: clone }));
    t.diagnostic(`outcomes: ${JSON.stringify(await oneVersionRace(asClone))}`);
  });

  it('commits of eight customers at once, each alternating between the processes: none fails', async (t) => {
    const streams = customers.slice(1);
    const perCustomer = 16;
    const started = Date.now();
    const outcomes = await Promise.all(
      streams.map(async (customer, c) => {
        const seen: Outcome[] = [];
        let version = '3';
        for (let i = 0; i < perCustomer; i++) {
          const response = await senders[(i + c) % 2]!('POST', CHANGES, {
            customer,
            body: i % 2 === 0 ? activate : deactivate,
            headers: { 'Idempotency-Key': `${customer}-${i}`, 'If-Match': `"${version}"` },
          });
          const o = await outcome(response);
          seen.push(o);
          if (o.status !== 200) break;
          version = ChangeResult.parse(JSON.parse(o.text)).subscription.version;
        }
        return seen;
      }),
    );
    const all = outcomes.flat();
    t.diagnostic(`${all.length} commits in ${Date.now() - started} ms: ${JSON.stringify(tally(all))}`);
    assert.deepEqual(tally(all), { 200: streams.length * perCustomer });
    const versions = readFile(file, (db) =>
      streams.map((id) => db.prepare('SELECT version FROM subscriptions WHERE customer_id = ?').pluck().get(id)),
    );
    assert.deepEqual(versions, streams.map(() => 3 + perCustomer));
    for (const server of servers) assert.deepEqual(server.logged, [], 'nothing logged');
  });
});

describe('A period rollover raced by reads from two processes', { timeout: 120_000 }, () => {
  const folder = temporaryFolder('rollover');
  const file = folder.file('billing.db');
  const customers = [DEMO_CUSTOMER_ID, ...Array.from({ length: 19 }, (_, i) => `cus_clone_${i + 1}`)];
  let servers: ServerProcess[] = [];
  let periodEnd = 0;

  before(async () => {
    seededFile(file, customers.slice(1));
    periodEnd = readFile(file, (db) =>
      db.prepare('SELECT current_period_end FROM subscriptions WHERE customer_id = ?').pluck().get(DEMO_CUSTOMER_ID) as number,
    );
    // Both processes' clocks stand a minute past the end of every customer's period.
    const later = new Date(periodEnd + 60_000);
    servers = await Promise.all([startServerProcess(file, later), startServerProcess(file, later)]);
  });

  after(async () => {
    await Promise.all(servers.map((server) => server.kill('SIGTERM')));
    folder.dispose();
  });

  it('closes each period once: one invoice per customer for the new period, every read answered', async (t) => {
    const reads = ['/v1/subscription', '/v1/invoices?limit=5', '/v1/usage', '/v1/modules'];
    const started = Date.now();
    const outcomes = await Promise.all(
      customers.flatMap((customer) =>
        servers.flatMap((server) => reads.map((path) => send(server.origin, 'GET', path, { customer }).then(outcome))),
      ),
    );
    t.diagnostic(`${outcomes.length} reads of ${customers.length} customers in ${Date.now() - started} ms: ${JSON.stringify(tally(outcomes))}`);
    assert.deepEqual(tally(outcomes), { 200: customers.length * servers.length * reads.length });

    const rows = readFile(file, (db) =>
      customers.map((id) => ({
        invoices: db.prepare('SELECT count(*) FROM invoices WHERE customer_id = ? AND period_start = ?').pluck().get(id, periodEnd),
        periodStart: db.prepare('SELECT current_period_start FROM subscriptions WHERE customer_id = ?').pluck().get(id),
      })),
    );
    assert.deepEqual(rows, customers.map(() => ({ invoices: 1, periodStart: periodEnd })));
    // Both processes see the same subscription afterwards.
    for (const customer of customers) {
      const [a, b] = await Promise.all(
        servers.map(async (server) => Subscription.parse(await (await send(server.origin, 'GET', '/v1/subscription', { customer })).json())),
      );
      assert.deepEqual(a, b);
    }
    for (const server of servers) assert.deepEqual(server.logged, [], 'nothing logged');
  });
});

describe('Servers started at once on a new database', { timeout: 120_000 }, () => {
  it('each opens it: the schema is created once, whichever process migrates it', async (t) => {
    const count = 6;
    const rounds = 1;
    const folder = temporaryFolder('migrate');
    try {
      const results: string[] = [];
      for (let round = 0; round < rounds; round++) {
        const file = folder.file(`new-${round}.db`);
        const children = await Promise.all(Array.from({ length: count }, () => spawnScript('open-engine-process.ts', [file])));
        const lines = children.map((child) => {
          const output: string[] = [];
          child.stdout!.setEncoding('utf8').on('data', (chunk: string) => output.push(...chunk.split('\n').filter(Boolean)));
          return output;
        });
        const exits = children.map((child) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code))));
        // Every process loaded and waiting, then the signal to all of them at once.
        await Promise.all(
          lines.map(
            (output) =>
              new Promise<void>((resolve) => {
                const poll = setInterval(() => {
                  if (output.includes('ready')) {
                    clearInterval(poll);
                    resolve();
                  }
                }, 10);
              }),
          ),
        );
        for (const child of children) child.stdin!.write('go\n');
        const codes = await Promise.all(exits);
        results.push(...lines.map((output) => output.filter((line) => line !== 'ready').join(' ')));
        assert.deepEqual(codes, children.map(() => 0), results.join('\n'));
        const schema = readFile(file, (db) => ({
          version: db.pragma('user_version', { simple: true }),
          customers: db.prepare(`SELECT count(*) FROM sqlite_schema WHERE name = 'customers'`).pluck().get(),
          integrity: db.pragma('integrity_check', { simple: true }),
        }));
        assert.deepEqual(schema, { version: migrations.at(-1)!.version, customers: 1, integrity: 'ok' });
      }
      t.diagnostic(`${rounds} rounds of ${count} processes: ${results.filter((line) => line === 'opened').length} opened the file`);
    } finally {
      folder.dispose();
    }
  });
});
