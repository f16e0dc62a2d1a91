/**
 * A value that changes whenever the database may have: `PRAGMA data_version` moves when
 * another connection commits, `total_changes()` whenever this connection writes a row
 * (rolled back or not). One one-row read, so caches keyed on it (the catalog, accounts,
 * usage) cost less than what they save, and never serve data older than the last write.
 *
 * Inside a read transaction nothing can move it: other connections' commits are not seen
 * until it ends, and a read writes nothing. So it is read once there (`steady`) and the
 * caches a preview consults one after the other ask the database only once.
 */
import type { Database } from 'better-sqlite3';

export interface ChangeStamp {
  (): string;
  /** Runs `task` (a read transaction's body) with the stamp read at most once. */
  steady<T>(task: () => T): T;
  /** Runs `task` (a write, maybe inside a read) with the stamp read afresh at every ask. */
  moving<T>(task: () => T): T;
}

export function createChangeStamp(db: Database): ChangeStamp {
  // Two plain statements: `pragma_data_version()` as a table-valued function inside one
  // SELECT costs four times as much, and this runs on every read.
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  const totalChanges = db.prepare<[], number>('SELECT total_changes()').pluck();
  const read = () => `${dataVersion.get()!}:${totalChanges.get()!}`;
  let steady = false;
  let held: string | undefined;

  const stamp = (() => {
    if (!steady) return read();
    held ??= read();
    return held;
  }) as ChangeStamp;

  /** Runs `task` in `mode`, then puts back the mode and held value of the caller. */
  const within = <T>(mode: boolean, task: () => T): T => {
    const outer = { steady, held };
    steady = mode;
    held = undefined;
    try {
      return task();
    } finally {
      steady = outer.steady;
      // A write inside a steady read changed what the stamp says: read it again when asked.
      held = mode ? outer.held : undefined;
    }
  };
  stamp.steady = (task) => within(true, task);
  stamp.moving = (task) => within(false, task);
  return stamp;
}
