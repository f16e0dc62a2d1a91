/**
 * The `SetupSessionStore` of the reference setup, in the engine's SQLite database (table
 * `setup_sessions`), so the hosted test page works across processes sharing the file and
 * across restarts. Single use is one conditional UPDATE: two submits of the same form
 * cannot both record a card.
 */
import type { Database } from 'better-sqlite3';
import { SETUP_SESSION_RETENTION_MS, type SetupSessionStore } from '../setup-sessions.js';
import type { Clock } from './clock.js';

interface SessionRow {
  customer_id: string;
  return_url: string;
  locale: string | null;
  expires_at: number;
  used_at: number | null;
}

export function createSqliteSetupSessionStore(db: Database, clock: Clock): SetupSessionStore {
  const purge = db.prepare<[number]>('DELETE FROM setup_sessions WHERE expires_at <= ?');
  const insert = db.prepare<[string, string, string, string | null, number]>(
    'INSERT INTO setup_sessions (key, customer_id, return_url, locale, expires_at) VALUES (?, ?, ?, ?, ?)',
  );
  const read = db.prepare<[string], SessionRow>(
    'SELECT customer_id, return_url, locale, expires_at, used_at FROM setup_sessions WHERE key = ?',
  );
  const use = db.prepare<[number, string, number]>(
    'UPDATE setup_sessions SET used_at = ? WHERE key = ? AND used_at IS NULL AND expires_at > ?',
  );

  const create = db.transaction((key: string, session: Parameters<SetupSessionStore['create']>[1]) => {
    purge.run(clock.now().getTime() - SETUP_SESSION_RETENTION_MS);
    insert.run(key, session.customer, session.returnUrl, session.locale ?? null, session.expiresAt);
  });

  return {
    create: async (key, session) => create.immediate(key, session),
    async get(key) {
      const row = read.get(key);
      return row
        ? {
            customer: row.customer_id,
            returnUrl: row.return_url,
            ...(row.locale === null ? {} : { locale: row.locale }),
            expiresAt: row.expires_at,
            usedAt: row.used_at,
          }
        : null;
    },
    use: async (key, at) => use.run(at, key, at).changes === 1,
  };
}
