/**
 * The `IdempotencyStore` of the reference setup, in the engine's SQLite database (table
 * `idempotency_keys`), so keys hold across processes sharing the file and across restarts.
 * Expiry follows the engine's clock.
 */
import type { Database } from 'better-sqlite3';
import {
  claimOf,
  IDEMPOTENCY_TTL_MS,
  IN_FLIGHT_LEASE_MS,
  type IdempotencyClaim,
  type IdempotencyStore,
  type StoredResponse,
} from '../idempotency.js';
import type { Clock } from './clock.js';

interface KeyRow {
  fingerprint: string;
  status: number | null;
  headers: string | null;
  body: string | null;
}

function storedResponse(row: KeyRow): StoredResponse | null {
  if (row.status === null) return null;
  return { status: row.status, headers: JSON.parse(row.headers ?? '{}') as Record<string, string>, body: row.body ?? '' };
}

export function createSqliteIdempotencyStore(db: Database, clock: Clock): IdempotencyStore {
  const purge = db.prepare<[number]>('DELETE FROM idempotency_keys WHERE expires_at <= ?');
  const held = db.prepare<[string, string], KeyRow>(
    'SELECT fingerprint, status, headers, body FROM idempotency_keys WHERE scope = ? AND key = ?',
  );
  const claim = db.prepare<[string, string, string, number]>(
    'INSERT INTO idempotency_keys (scope, key, fingerprint, expires_at) VALUES (?, ?, ?, ?)',
  );
  const complete = db.prepare<[number, string, string, number, string, string]>(`
    UPDATE idempotency_keys SET status = ?, headers = ?, body = ?, expires_at = ? WHERE scope = ? AND key = ?`);
  const release = db.prepare<[string, string]>('DELETE FROM idempotency_keys WHERE scope = ? AND key = ?');

  // IMMEDIATE: the look and the claim happen under the write lock, so two processes cannot both claim.
  const begin = db.transaction((scope: string, key: string, fingerprint: string): IdempotencyClaim => {
    const now = clock.now().getTime();
    purge.run(now);
    const row = held.get(scope, key);
    if (row) return claimOf({ fingerprint: row.fingerprint, response: storedResponse(row) }, fingerprint);
    claim.run(scope, key, fingerprint, now + IN_FLIGHT_LEASE_MS);
    return { state: 'started' };
  });

  return {
    begin: async (scope, key, fingerprint) => begin.immediate(scope, key, fingerprint),
    async complete(scope, key, response) {
      const expiresAt = clock.now().getTime() + IDEMPOTENCY_TTL_MS;
      complete.run(response.status, JSON.stringify(response.headers), response.body, expiresAt, scope, key);
    },
    release: async (scope, key) => void release.run(scope, key),
  };
}
