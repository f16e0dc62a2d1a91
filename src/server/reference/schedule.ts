/**
 * Changes scheduled for the end of the current period: stored, listed, turned into the
 * holding changes that apply them.
 */
import type { Database } from 'better-sqlite3';
import type { Interval, ScheduledChange } from '../../contract/index.js';
import { toInstant } from './dates.js';
import type { HoldingChange } from './holding.js';

export interface ScheduledRow {
  id: string;
  kind: 'plan_change' | 'module_deactivation';
  to_plan_id: string | null;
  to_interval: Interval | null;
  module_id: string | null;
}

export function toHoldingChange(row: ScheduledRow): HoldingChange {
  return row.kind === 'plan_change'
    ? { type: 'plan', planId: row.to_plan_id!, interval: row.to_interval! }
    : { type: 'module', moduleId: row.module_id!, action: 'deactivate' };
}

/** As the contract shows it; every change takes effect when the current period ends. */
export function toScheduledChange(row: ScheduledRow, periodEnd: number): ScheduledChange {
  return {
    id: row.id,
    kind: row.kind,
    effectiveAt: toInstant(periodEnd),
    ...(row.to_plan_id === null ? {} : { toPlanId: row.to_plan_id }),
    ...(row.to_interval === null ? {} : { toInterval: row.to_interval }),
    ...(row.module_id === null ? {} : { moduleId: row.module_id }),
    cancellable: true,
  };
}

export interface Schedule {
  /** In the order they were made, which is the order they apply in. */
  list(subscriptionId: string): ScheduledRow[];
  /** Plan changes and module deactivations only: a module is activated now (see catalog.ts). */
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
    list: (subscriptionId) => list.all(subscriptionId),
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
