/**
 * What a subscription holds — a plan, an interval, the modules paid for — and the rules that
 * change it, as pure functions: the same code prices a preview, applies a commit, projects
 * the scheduled changes onto the next period and applies them when the period ends.
 */
import type { Interval, ScheduledChange } from '../../../contract/index.js';
import { toInstant } from './dates.js';
import { moduleOf as moduleOfCatalog } from '../../policy/catalog.js';
import { missingRequirements as sharedMissingRequirements, type MissingRequirements } from '../../policy/modules.js';
import type { Offer } from './offer.js';
import { policyCatalogOf } from './policy-catalog.js';

export interface Holding {
  planId: string;
  interval: Interval;
  /** Modules paid for, in catalog order; never one the plan includes. */
  paidModuleIds: string[];
}

export type HoldingChange =
  | { type: 'plan'; planId: string; interval: Interval }
  | { type: 'module'; moduleId: string; action: 'activate' | 'deactivate' };

/**
 * A change waiting for the end of the current period. Only plan changes and module
 * deactivations wait: a module is activated now (timings.ts).
 */
export interface PendingChange {
  id: string;
  change: HoldingChange;
}

export type { MissingRequirements };

/** Modules in effect (paid or included by the plan), in catalog order. */
export function modulesInEffect(offer: Offer, holding: Holding): string[] {
  const included = offer.plans.get(holding.planId)?.includedModuleIds ?? [];
  return [...offer.modules.keys()].filter((id) => included.includes(id) || holding.paidModuleIds.includes(id));
}

/** What `moduleId` needs that `holding` lacks, or `null` when nothing is missing (the shared policy's rule). */
export function missingRequirements(offer: Offer, holding: Holding, moduleId: string): MissingRequirements | null {
  const module = moduleOfCatalog(policyCatalogOf(offer), moduleId);
  return sharedMissingRequirements(module, holding.planId, new Set(modulesInEffect(offer, holding)));
}

/** Keeps paid modules in catalog order, drops those the plan includes (they follow the plan). */
export function normalised(offer: Offer, holding: Holding): Holding {
  const included = offer.plans.get(holding.planId)?.includedModuleIds ?? [];
  const paid = [...offer.modules.keys()].filter((id) => holding.paidModuleIds.includes(id) && !included.includes(id));
  return { ...holding, paidModuleIds: paid };
}

/** Drops paid modules whose requirements no longer hold, until none is left to drop (transitively). */
function pruned(offer: Offer, holding: Holding): Holding {
  let current = holding;
  for (;;) {
    const kept = current.paidModuleIds.filter((id) => missingRequirements(offer, current, id) === null);
    if (kept.length === current.paidModuleIds.length) return current;
    current = { ...current, paidModuleIds: kept };
  }
}

/**
 * The holding after `change`. Does not check that the change is allowed (see change-rules.ts);
 * a deactivation of a module no longer held is a no-op, so a stale scheduled change is harmless.
 */
export function applyChange(offer: Offer, holding: Holding, change: HoldingChange): Holding {
  let next: Holding;
  if (change.type === 'plan') {
    next = { ...holding, planId: change.planId, interval: change.interval };
  } else if (change.action === 'activate') {
    next = { ...holding, paidModuleIds: [...holding.paidModuleIds, change.moduleId] };
  } else {
    next = { ...holding, paidModuleIds: holding.paidModuleIds.filter((id) => id !== change.moduleId) };
  }
  return pruned(offer, normalised(offer, next));
}

export function applyChanges(offer: Offer, holding: Holding, changes: HoldingChange[]): Holding {
  return changes.reduce((current, change) => applyChange(offer, current, change), holding);
}

/** What `holding` will hold once the current period ends and the `pending` changes apply, in order. */
export function projectedHolding(offer: Offer, holding: Holding, pending: readonly PendingChange[]): Holding {
  return applyChanges(offer, holding, pending.map((p) => p.change));
}

/** A pending change as the contract shows it: every one takes effect when the current period ends. */
export function scheduledChangeOf({ id, change }: PendingChange, periodEnd: number): ScheduledChange {
  const effectiveAt = toInstant(periodEnd);
  if (change.type === 'plan') {
    return { id, kind: 'plan_change', effectiveAt, toPlanId: change.planId, toInterval: change.interval, cancellable: true };
  }
  const kind = change.action === 'activate' ? 'module_activation' : 'module_deactivation';
  return { id, kind, effectiveAt, moduleId: change.moduleId, cancellable: true };
}
