/**
 * The engine's two kinds of transaction, made once per database: `db.transaction(fn)` of
 * better-sqlite3 builds four wrapper functions each time it is called, which cost a change
 * preview more than its SQL. Nested calls become savepoints (better-sqlite3).
 */
import type { Database } from 'better-sqlite3';
import type { ChangeStamp } from './change-stamp.js';

export interface Transactions {
  /** `BEGIN`: one consistent snapshot for a read made of several statements. */
  read<T>(task: () => T): T;
  /** `BEGIN IMMEDIATE`: the write lock taken at the start, so a busy database fails fast, not mid-way. */
  write<T>(task: () => T): T;
}

/** `stamp` is held steady through a read and let move in a write (change-stamp.ts). */
export function createTransactions(db: Database, stamp: ChangeStamp): Transactions {
  const run = db.transaction((task: () => unknown) => task());
  return {
    read: <T>(task: () => T) => run(() => stamp.steady(task)) as T,
    write: <T>(task: () => T) => run.immediate(() => stamp.moving(task)) as T,
  };
}
