/**
 * What a subscription holds — a plan, an interval, the modules paid for — and the rules that
 * change it, as pure functions: the same code prices a preview, applies a commit, projects
 * the scheduled changes onto the next period and applies them when the period ends.
 */
import type { Interval } from '../../contract/index.js';
import type { Offer } from './offer.js';

export interface Holding {
  planId: string;
  interval: Interval;
  /** Modules paid for, in catalog order; never one the plan includes. */
  paidModuleIds: string[];
}

export type HoldingChange =
  | { type: 'plan'; planId: string; interval: Interval }
  | { type: 'module'; moduleId: string; action: 'activate' | 'deactivate' };

export interface MissingRequirements {
  anyOfPlans?: string[];
  allOfModules?: string[];
}

/** Modules in effect (paid or included by the plan), in catalog order. */
export function modulesInEffect(offer: Offer, holding: Holding): string[] {
  const included = offer.plans.get(holding.planId)?.includedModuleIds ?? [];
  return [...offer.modules.keys()].filter((id) => included.includes(id) || holding.paidModuleIds.includes(id));
}

/** What `moduleId` needs that `holding` lacks, or `null` when nothing is missing. */
export function missingRequirements(offer: Offer, holding: Holding, moduleId: string): MissingRequirements | null {
  const module = offer.modules.get(moduleId);
  if (!module) throw new RangeError(`Unknown module "${moduleId}".`);
  const inEffect = new Set(modulesInEffect(offer, holding));
  const plansMissing = module.anyOfPlans.length > 0 && !module.anyOfPlans.includes(holding.planId);
  const modulesMissing = module.allOfModules.filter((id) => !inEffect.has(id));
  if (!plansMissing && modulesMissing.length === 0) return null;
  return {
    ...(plansMissing ? { anyOfPlans: [...module.anyOfPlans] } : {}),
    ...(modulesMissing.length > 0 ? { allOfModules: modulesMissing } : {}),
  };
}

/** Keeps paid modules in catalog order, drops those the plan includes (they follow the plan). */
function normalised(offer: Offer, holding: Holding): Holding {
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
 * The holding after `change`. Does not check that the change is allowed (see changes.ts);
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
