/**
 * A value that changes whenever the database may have: `PRAGMA data_version` moves when
 * another connection commits, `total_changes()` whenever this connection writes a row
 * (rolled back or not). One one-row read, so caches keyed on it (the catalog, accounts)
 * cost less than what they save, and never serve data older than the last write.
 */
import type { Database } from 'better-sqlite3';

export type ChangeStamp = () => string;

export function createChangeStamp(db: Database): ChangeStamp {
  const stamp = db
    .prepare<[], string>(`SELECT (SELECT data_version FROM pragma_data_version()) || ':' || total_changes()`)
    .pluck();
  return () => stamp.get()!;
}
