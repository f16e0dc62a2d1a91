/**
 * Changes scheduled for the end of the current period: stored, listed as the pending changes
 * the core applies (core/holding.ts), taken back.
 */
import type { Database } from 'better-sqlite3';
import type { Interval } from '../../contract/index.js';
import type { HoldingChange, PendingChange } from './core/holding.js';

interface ScheduledRow {
  id: string;
  kind: 'plan_change' | 'module_deactivation';
  to_plan_id: string | null;
  to_interval: Interval | null;
  module_id: string | null;
}

function toPendingChange(row: ScheduledRow): PendingChange {
  return {
    id: row.id,
    change:
      row.kind === 'plan_change'
        ? { type: 'plan', planId: row.to_plan_id!, interval: row.to_interval! }
        : { type: 'module', moduleId: row.module_id!, action: 'deactivate' },
  };
}

export interface Schedule {
  /** In the order they were made, which is the order they apply in. */
  list(subscriptionId: string): PendingChange[];
  /** Plan changes and module deactivations only: a module is activated now (core/timings.ts). */
  add(subscriptionId: string, change: HoldingChange, at: number): void;
  /** Whether a change was removed. */
  remove(subscriptionId: string, id: string): boolean;
  clear(subscriptionId: string): void;
}

export function createSchedule(db: Database): Schedule {
  const list = db.prepare<[string], ScheduledRow>(`
    SELECT id, kind, to_plan_id, to_interval, module_id FROM scheduled_changes
    WHERE subscription_id = ? ORDER BY created_at, rowid`);
  const insert = db.prepare<[string, string, string, string | null, Interval | null, string | null, number]>(`
    INSERT INTO scheduled_changes (id, subscription_id, kind, to_plan_id, to_interval, module_id, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const remove = db.prepare<[string, string]>('DELETE FROM scheduled_changes WHERE subscription_id = ? AND id = ?');
  const clear = db.prepare<[string]>('DELETE FROM scheduled_changes WHERE subscription_id = ?');

  return {
    list: (subscriptionId) => list.all(subscriptionId).map(toPendingChange),
    add(subscriptionId, change, at) {
      const id = `sch_${crypto.randomUUID().replaceAll('-', '')}`;
      if (change.type === 'plan') {
        insert.run(id, subscriptionId, 'plan_change', change.planId, change.interval, null, at);
      } else if (change.action === 'deactivate') {
        insert.run(id, subscriptionId, 'module_deactivation', null, null, change.moduleId, at);
      } else {
        throw new Error('Module activations are never scheduled.');
      }
    },
    remove: (subscriptionId, id) => remove.run(subscriptionId, id).changes > 0,
    clear: (subscriptionId) => void clear.run(subscriptionId),
  };
}
