/**
 * When the database cannot serve a request — its write lock held by another process past the
 * busy timeout, a full disk, an I/O error — the reference engine answers 503
 * `engine_unavailable`, retryable, logs the cause, and changes nothing: the same request goes
 * through once the database can take it. Never a 500. The lock is a real one (a second
 * connection in `BEGIN IMMEDIATE`), the full disk a real SQLITE_FULL (`PRAGMA max_page_count`).
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { ChangeResult, Problem, Subscription, type ChangeRequest } from '../../src/contract/index.js';
import {
  BillingEngineError,
  createMemoryIdempotencyStore,
  createReferenceEngine,
  DEMO_CUSTOMER_ID,
  seedDemo,
  type ReferenceEngine,
} from '../../src/server/index.js';
import { guardDatabaseFaults, unavailableCode } from '../../src/server/reference/database-faults.js';
import { localServer, temporaryFolder, type LocalServer } from '../support/node/server-processes.js';

const NOW = new Date('2026-03-15T10:00:00.000Z');
const CHANGES = '/v1/subscription/changes';
const BUSY_TIMEOUT_MS = 250;
const activate: ChangeRequest = { timing: 'now', change: { type: 'module', moduleId: 'auto-reminders', action: 'activate' } };
const deactivate: ChangeRequest = { timing: 'now', change: { type: 'module', moduleId: 'auto-reminders', action: 'deactivate' } };

interface Logged {
  message: string;
  details: Record<string, unknown>;
}

async function unavailable(response: Response): Promise<Problem> {
  const text = await response.text();
  assert.equal(response.status, 503, text);
  assert.equal(response.headers.get('Content-Type'), 'application/problem+json');
  const problem = Problem.parse(JSON.parse(text));
  assert.equal(problem.code, 'engine_unavailable');
  assert.equal(problem.retryable, true);
  return problem;
}

async function version(server: LocalServer): Promise<string> {
  const response = await server.send('GET', '/v1/subscription');
  assert.equal(response.status, 200);
  return Subscription.parse(await response.json()).version;
}

describe('Database faults answer 503 engine_unavailable, retryable', () => {
  let folder: ReturnType<typeof temporaryFolder>;
  let engine: ReferenceEngine;
  let engineLog: Logged[];
  let now: number;

  beforeEach(() => {
    folder = temporaryFolder('faults');
    engineLog = [];
    now = NOW.getTime();
    engine = createReferenceEngine({
      db: folder.file('billing.db'),
      clock: { now: () => new Date(now) },
      busyTimeoutMs: BUSY_TIMEOUT_MS,
      logger: { error: (message, details) => engineLog.push({ message, details }) },
    });
    seedDemo(engine);
  });

  afterEach(() => {
    engine.close();
    folder.dispose();
  });

  /** Another connection to the file, holding its write lock as another process's transaction would. */
  function holdWriteLock(): { release(): void } {
    const other = new BetterSqlite3(folder.file('billing.db'));
    other.exec('BEGIN IMMEDIATE');
    return {
      release() {
        other.exec('ROLLBACK');
        other.close();
      },
    };
  }

  describe('the write lock held by another connection', () => {
    it('a commit waits the busy timeout, then 503; reads still answer; the same request then goes through', async () => {
      // The in-memory idempotency store: the engine's own write is the one that waits.
      const server = localServer(engine, { idempotencyStore: createMemoryIdempotencyStore({ now: () => now }) });
      const headers = { 'Idempotency-Key': 'k-1', 'If-Match': '"3"' };
      const lock = holdWriteLock();
      try {
        const started = performance.now();
        await unavailable(await server.send('POST', CHANGES, { body: activate, headers }));
        assert.ok(performance.now() - started >= BUSY_TIMEOUT_MS * 0.8, 'it waited for the lock');
        assert.equal(await version(server), '3', 'nothing changed, and reads go on');
      } finally {
        lock.release();
      }
      assert.deepEqual(
        engineLog.map((entry) => [entry.details.operation, entry.details.code]),
        [['commitChange', 'SQLITE_BUSY']],
      );
      assert.deepEqual(server.logged, [], 'the handler saw a BillingEngineError, not a bug');
      const retried = await server.send('POST', CHANGES, { body: activate, headers });
      assert.equal(retried.status, 200);
      assert.equal(ChangeResult.parse(await retried.json()).subscription.version, '4');
    });

    it('with the SQLite idempotency store, claiming the key waits and answers 503 the same way', async () => {
      const server = localServer(engine);
      const headers = { 'Idempotency-Key': 'k-2', 'If-Match': '"3"' };
      const lock = holdWriteLock();
      try {
        await unavailable(await server.send('POST', CHANGES, { body: activate, headers }));
      } finally {
        lock.release();
      }
      assert.equal(engineLog[0]?.details.code, 'SQLITE_BUSY');
      assert.equal((await server.send('POST', CHANGES, { body: activate, headers })).status, 200);
    });

    it('a read that must first close an ended period answers 503, then closes it once the lock is free', async () => {
      const server = localServer(engine);
      const sub = Subscription.parse(await (await server.send('GET', '/v1/subscription')).json());
      now = Date.parse(sub.currentPeriod.end) + 60_000;
      const lock = holdWriteLock();
      try {
        await unavailable(await server.send('GET', '/v1/subscription'));
        await unavailable(await server.send('GET', '/v1/invoices'));
      } finally {
        lock.release();
      }
      const renewed = Subscription.parse(await (await server.send('GET', '/v1/subscription')).json());
      assert.equal(renewed.currentPeriod.start, sub.currentPeriod.end);
      const invoices = engine.db
        .prepare('SELECT count(*) FROM invoices WHERE customer_id = ? AND period_start = ?')
        .pluck()
        .get(DEMO_CUSTOMER_ID, Date.parse(sub.currentPeriod.end));
      assert.equal(invoices, 1);
    });
  });

  describe('a full disk', () => {
    /** No page beyond those the file has: the next write that needs one fails with SQLITE_FULL. */
    const fill = () => engine.db.pragma(`max_page_count = ${engine.db.pragma('page_count', { simple: true }) as number}`);
    const makeRoom = () => engine.db.pragma('max_page_count = 1073741823');

    it('a commit answers 503 and changes nothing; with room again the same request goes through', async () => {
      const server = localServer(engine, { idempotencyStore: createMemoryIdempotencyStore({ now: () => now }) });
      fill();
      // Commits until one needs a new page (each writes an invoice or a credit, and the version).
      let current = '3';
      let failed: { response: Response; headers: Record<string, string>; body: ChangeRequest } | null = null;
      for (let i = 0; i < 200 && !failed; i++) {
        const body = i % 2 === 0 ? activate : deactivate;
        const headers = { 'Idempotency-Key': `fill-${i}`, 'If-Match': `"${current}"` };
        const response = await server.send('POST', CHANGES, { body, headers });
        if (response.status === 200) current = ChangeResult.parse(await response.json()).subscription.version;
        else failed = { response, headers, body };
      }
      assert.ok(failed, 'the database filled up');
      await unavailable(failed.response);
      assert.equal(await version(server), current, 'nothing changed');
      assert.equal(engineLog.at(-1)?.details.code, 'SQLITE_FULL');
      assert.equal(engineLog.at(-1)?.details.operation, 'commitChange');
      assert.deepEqual(server.logged, []);

      makeRoom();
      const retried = await server.send('POST', CHANGES, { body: failed.body, headers: failed.headers });
      assert.equal(retried.status, 200);
      assert.equal(ChangeResult.parse(await retried.json()).subscription.version, String(Number(current) + 1));
    });

    it('with the SQLite idempotency store too: 503 wherever the write fails, never 500', async () => {
      const server = localServer(engine);
      fill();
      let current = '3';
      const statuses: number[] = [];
      for (let i = 0; i < 200 && !statuses.includes(503); i++) {
        const response = await server.send('POST', CHANGES, {
          body: i % 2 === 0 ? activate : deactivate,
          headers: { 'Idempotency-Key': `fill-${i}`, 'If-Match': `"${current}"` },
        });
        statuses.push(response.status);
        if (response.status === 200) current = ChangeResult.parse(await response.json()).subscription.version;
        else await unavailable(response);
      }
      assert.ok(statuses.includes(503), 'the database filled up');
      assert.ok(statuses.every((status) => status === 200 || status === 503), statuses.join(','));
      assert.equal(engineLog.at(-1)?.details.code, 'SQLITE_FULL');
    });
  });

  describe('which errors', () => {
    const { SqliteError } = BetterSqlite3 as unknown as { SqliteError: new (message: string, code: string) => Error };

    it('busy, locked, full and I/O errors are "unavailable"; constraint failures and bugs are not', () => {
      for (const code of ['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED', 'SQLITE_LOCKED_SHAREDCACHE', 'SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_IOERR_WRITE', 'SQLITE_IOERR_FSYNC']) {
        assert.equal(unavailableCode(new SqliteError('x', code)), code);
      }
      for (const error of [new SqliteError('x', 'SQLITE_CONSTRAINT_UNIQUE'), new SqliteError('x', 'SQLITE_ERROR'), new TypeError('x'), null, 'SQLITE_BUSY']) {
        assert.equal(unavailableCode(error), null);
      }
    });

    it('every method of a guarded object maps them, thrown or rejected, and logs the cause; other errors pass as they are', async () => {
      const log: Logged[] = [];
      const ioError = new SqliteError('disk I/O error', 'SQLITE_IOERR_WRITE');
      const bug = new TypeError('a bug');
      const guarded = guardDatabaseFaults(
        {
          sync: () => {
            throw ioError;
          },
          async: async () => {
            throw ioError;
          },
          bug: async () => {
            throw bug;
          },
          fine: async (n: number) => n + 1,
        },
        { error: (message, details) => log.push({ message, details }) },
      );
      for (const call of [() => guarded.sync(), () => guarded.async()]) {
        await assert.rejects(async () => call(), (error: unknown) => {
          assert.ok(error instanceof BillingEngineError);
          assert.equal(error.code, 'engine_unavailable');
          assert.equal(error.cause, ioError);
          return true;
        });
      }
      await assert.rejects(guarded.bug(), bug);
      assert.equal(await guarded.fine(1), 2);
      assert.deepEqual(
        log.map((entry) => [entry.details.operation, entry.details.code, entry.details.error]),
        [
          ['sync', 'SQLITE_IOERR_WRITE', ioError],
          ['async', 'SQLITE_IOERR_WRITE', ioError],
        ],
      );
    });
  });
});
