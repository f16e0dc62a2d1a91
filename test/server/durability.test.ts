/**
 * Durability: commits streamed against a server process on a SQLite file, the process killed
 * with SIGKILL at random moments and started again on the same file. Whatever was
 * acknowledged (a whole 200 response received) is there after every restart: the file passes
 * `PRAGMA integrity_check`, every acknowledged change shows in the subscription and its
 * invoice in the invoices, and the same Idempotency-Key answers the same response again.
 *
 * The kill moments come from a seeded generator: the seed is printed, and
 * `DURABILITY_SEED=<n>` runs the same moments again.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { ChangeResult, Subscription, type ChangeRequest } from '../../src/contract/index.js';
import { createReferenceEngine, seedDemo } from '../../src/server/index.js';
import { cloneDemoCustomer, send, startServerProcess, temporaryFolder, type ServerProcess } from '../support/node/server-processes.js';

/** Twelve days into the demo's current period; every subscription at version 3. */
const NOW = new Date('2026-03-15T10:00:00.000Z');
const CHANGES = '/v1/subscription/changes';
const MODULE = 'auto-reminders';
const KILLS = 5;
/** A kill lands this long after the server answered its first commit of the run, in ms. */
const KILL_AFTER = { min: 100, max: 1000 };
const FINAL_COMMITS_PER_CUSTOMER = 5;

const toggle = (active: boolean): ChangeRequest => ({
  timing: 'now',
  change: { type: 'module', moduleId: MODULE, action: active ? 'deactivate' : 'activate' },
});

/** A small seeded generator (mulberry32), so a failing run can be repeated. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A commit whose whole 200 response reached the client. */
interface Acknowledged {
  customer: string;
  key: string;
  body: ChangeRequest;
  ifMatch: string;
  text: string;
  result: ChangeResult;
}

interface CustomerState {
  version: string;
  active: boolean;
}

interface Tally {
  acknowledged: Acknowledged[];
  /** Commits sent whose answer never came back whole (the server died). */
  unanswered: Map<string, number>;
  /** Anything but a 200 or a dropped connection: there should be none. */
  unexpected: string[];
}

async function currentState(origin: string, customer: string): Promise<CustomerState> {
  const response = await send(origin, 'GET', '/v1/subscription', { customer });
  assert.equal(response.status, 200, await response.clone().text());
  const sub = Subscription.parse(await response.json());
  return { version: sub.version, active: sub.activeModuleIds.includes(MODULE) };
}

/**
 * Commits toggles of the module for `customer`, one after another, each on the version the
 * last one answered, until the server goes away or `limit` commits are acknowledged.
 */
async function stream(origin: string, customer: string, tally: Tally, limit = Infinity, onAnswer?: () => void): Promise<void> {
  let state = await currentState(origin, customer).catch(() => null);
  if (!state) return;
  for (let n = 0; n < limit; n++) {
    const body = toggle(state.active);
    const key = `${customer}-${tally.acknowledged.length}-${Math.random().toString(36).slice(2)}`;
    const ifMatch = `"${state.version}"`;
    let status: number;
    let text: string;
    try {
      const response = await send(origin, 'POST', CHANGES, { customer, body, headers: { 'Idempotency-Key': key, 'If-Match': ifMatch } });
      status = response.status;
      text = await response.text();
    } catch {
      tally.unanswered.set(customer, (tally.unanswered.get(customer) ?? 0) + 1);
      return;
    }
    if (status !== 200) {
      tally.unexpected.push(`${customer}: ${status} ${text}`);
      return;
    }
    const result = ChangeResult.parse(JSON.parse(text));
    tally.acknowledged.push({ customer, key, body, ifMatch, text, result });
    state = { version: result.subscription.version, active: result.subscription.activeModuleIds.includes(MODULE) };
    onAnswer?.();
  }
}

function integrity(file: string): string {
  const db = new BetterSqlite3(file);
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

describe('Durability: a server killed with SIGKILL while it commits', { timeout: 120_000 }, () => {
  it('keeps every acknowledged commit, in the subscription, the invoices and the idempotency keys', async (t) => {
    const seed = Number(process.env.DURABILITY_SEED ?? Date.now() % 1_000_000);
    const next = random(seed);
    const folder = temporaryFolder('durability');
    const file = folder.file('billing.db');
    const customers = ['cus_stream_1', 'cus_stream_2', 'cus_stream_3', 'cus_stream_4'];
    const seeding = createReferenceEngine({ db: file, clock: { now: () => new Date(NOW) } });
    seedDemo(seeding);
    cloneDemoCustomer(seeding.db, customers);
    seeding.close();

    const tally: Tally = { acknowledged: [], unanswered: new Map(), unexpected: [] };
    const runs: string[] = [];
    let server: ServerProcess | null = null;
    try {
      for (let run = 0; run < KILLS; run++) {
        server = await startServerProcess(file, NOW);
        assert.equal(integrity(file), 'ok', `integrity after restart ${run}`);
        const before = tally.acknowledged.length;
        const killAfter = Math.round(KILL_AFTER.min + next() * (KILL_AFTER.max - KILL_AFTER.min));
        // The clock starts at the first acknowledged commit, so every run kills mid-stream.
        let killing: Promise<void> | null = null;
        const victim = server;
        const startKill = () => {
          killing ??= new Promise<void>((resolve) => setTimeout(resolve, killAfter)).then(() => victim.kill('SIGKILL'));
        };
        await Promise.all(customers.map((customer) => stream(victim.origin, customer, tally, Infinity, startKill)));
        await killing;
        runs.push(`killed after ${killAfter} ms: ${tally.acknowledged.length - before} acknowledged`);
        assert.deepEqual(tally.unexpected, []);
      }

      // A last run, stopped cleanly: a few more commits, then every check.
      server = await startServerProcess(file, NOW);
      assert.equal(integrity(file), 'ok', 'integrity after the last restart');
      await Promise.all(customers.map((customer) => stream(server!.origin, customer, tally, FINAL_COMMITS_PER_CUSTOMER)));
      assert.deepEqual(tally.unexpected, []);
      const origin = server.origin;

      const db = new BetterSqlite3(file, { readonly: true });
      try {
        for (const customer of customers) {
          const acks = tally.acknowledged.filter((a) => a.customer === customer);
          // Each commit moves the version by one: a lost commit would hand out its version twice.
          const versions = acks.map((a) => Number(a.result.subscription.version));
          for (let i = 1; i < versions.length; i++) assert.ok(versions[i]! > versions[i - 1]!, `${customer}: versions ${versions.join(',')}`);
          // The subscription is what the last acknowledged commit said (modules, credit, version).
          const now = Subscription.parse(await (await send(origin, 'GET', '/v1/subscription', { customer })).json());
          assert.deepEqual(now, acks.at(-1)!.result.subscription, customer);
          // Applied: every acknowledged commit, and perhaps some whose answer was lost.
          const applied = Number(now.version) - 3;
          assert.ok(applied >= acks.length && applied <= acks.length + (tally.unanswered.get(customer) ?? 0), `${customer}: ${applied} applied`);
          // Every invoice an acknowledged commit issued, with its lines and total.
          for (const { result } of acks) {
            if (!result.invoice) continue;
            const row = db
              .prepare<[string, string], { total: number; lines: number }>(
                `SELECT total_minor AS total, (SELECT count(*) FROM invoice_lines WHERE invoice_id = i.id) AS lines
                 FROM invoices i WHERE id = ? AND customer_id = ?`,
              )
              .get(result.invoice.id, customer);
            assert.ok(row, `${customer}: invoice ${result.invoice.id} is missing`);
            assert.equal(row.total, result.invoice.total.amountMinor, result.invoice.id);
            if (result.invoice.lines) assert.equal(row.lines, result.invoice.lines.length, result.invoice.id);
          }
        }
      } finally {
        db.close();
      }

      // Every acknowledged commit replays: same status, same body, marked as a replay.
      const replays = await Promise.all(
        tally.acknowledged.map(async (ack) => {
          const response = await send(origin, 'POST', CHANGES, {
            customer: ack.customer,
            body: ack.body,
            headers: { 'Idempotency-Key': ack.key, 'If-Match': ack.ifMatch },
          });
          return { ack, status: response.status, replayed: response.headers.get('Idempotent-Replayed'), text: await response.text() };
        }),
      );
      for (const { ack, status, replayed, text } of replays) {
        assert.equal(status, 200, `${ack.key}: ${text}`);
        assert.equal(replayed, 'true', ack.key);
        assert.equal(text, ack.text, ack.key);
      }
      const invoices = tally.acknowledged.filter((a) => a.result.invoice).length;
      const unanswered = [...tally.unanswered.values()].reduce((a, b) => a + b, 0);
      t.diagnostic(`seed ${seed}; ${runs.join('; ')}`);
      t.diagnostic(
        `${KILLS} kills: ${tally.acknowledged.length} acknowledged commits (${invoices} with an invoice), all found and replayed; ${unanswered} unanswered at a kill`,
      );
      await server.kill('SIGTERM');
      server = null;
      assert.equal(integrity(file), 'ok', 'integrity at the end');
    } finally {
      await server?.kill('SIGKILL');
      folder.dispose();
    }
  });
});
