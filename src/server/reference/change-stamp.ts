/**
 * A value that changes whenever the database may have: `PRAGMA data_version` moves when
 * another connection commits, `total_changes()` whenever this connection writes a row
 * (rolled back or not). One one-row read, so caches keyed on it (the catalog, accounts)
 * cost less than what they save, and never serve data older than the last write.
 */
import type { Database } from 'better-sqlite3';

export type ChangeStamp = () => string;

export function createChangeStamp(db: Database): ChangeStamp {
  // Two plain statements: `pragma_data_version()` as a table-valued function inside one
  // SELECT costs four times as much, and this runs on every read.
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  const totalChanges = db.prepare<[], number>('SELECT total_changes()').pluck();
  return () => `${dataVersion.get()!}:${totalChanges.get()!}`;
}
