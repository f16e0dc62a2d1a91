/**
 * How a module stands for a subscription, as far as the catalog decides it: what it needs that
 * the subscription lacks, why it cannot be activated (`Module.unavailableReasons`), which
 * active modules need it (what deactivating it would take along), and when it may start or
 * stop (`Module.allowedTimings`). Its state, price and use are the engine's facts.
 */
import type { Module } from '../../contract/index.js';
import { indexOf, moduleOf, type EngineTimings, type PolicyCatalog, type PolicyModule, type PolicySubscription } from './catalog.js';

export type UnavailableReason = Module['unavailableReasons'][number];

/** What a module needs that a subscription lacks (`module_requirements_not_met`'s `missing`). */
export interface MissingRequirements {
  anyOfPlans?: string[];
  allOfModules?: string[];
}

type ModuleIds = ReadonlySet<string> | readonly string[];

const holds = (ids: ModuleIds, id: string) => ('has' in ids ? ids.has(id) : ids.includes(id));

/**
 * What `module` needs that a subscription on `planId` (`null`: none) with `activeModuleIds`
 * in effect lacks: one of its plans, those of its modules not in effect. `null` when nothing
 * is missing.
 */
export function missingRequirements(module: PolicyModule, planId: string | null, activeModuleIds: ModuleIds): MissingRequirements | null {
  const anyOfPlans = module.requires?.anyOfPlans ?? [];
  const plansMissing = anyOfPlans.length > 0 && (planId === null || !anyOfPlans.includes(planId));
  const modulesMissing = (module.requires?.allOfModules ?? []).filter((id) => !holds(activeModuleIds, id));
  if (!plansMissing && modulesMissing.length === 0) return null;
  return {
    ...(plansMissing ? { anyOfPlans: [...anyOfPlans] } : {}),
    ...(modulesMissing.length > 0 ? { allOfModules: modulesMissing } : {}),
  };
}

/**
 * Why the module `moduleId` cannot be activated for `subscription` (`null`: none), in the
 * contract's order: `plan_required` (no subscription, or a plan it is not offered on),
 * `module_required` (a module it needs is not in effect), `not_for_sale` (not sold on its
 * own, or not at the subscription's interval). None for a module already in effect.
 */
export function unavailableReasons(catalog: PolicyCatalog, subscription: PolicySubscription | null, moduleId: string): UnavailableReason[] {
  const module = moduleOf(catalog, moduleId);
  if (subscription?.activeModuleIds.includes(moduleId)) return [];
  const reasons: UnavailableReason[] = [];
  const missing = missingRequirements(module, subscription?.planId ?? null, subscription?.activeModuleIds ?? []);
  if (subscription === null || missing?.anyOfPlans) reasons.push('plan_required');
  if (missing?.allOfModules) reasons.push('module_required');
  const sold = module.forSale !== false && (subscription === null ? module.intervals.length > 0 : module.intervals.includes(subscription.interval));
  if (!sold) reasons.push('not_for_sale');
  return reasons;
}

/**
 * The modules in effect that need `moduleId` (`Module.dependentModuleIds`), in catalog order:
 * what deactivating it would take along.
 */
export function dependentModuleIds(catalog: PolicyCatalog, subscription: PolicySubscription | null, moduleId: string): string[] {
  if (subscription === null) return [];
  return catalog.modules
    .filter((other) => subscription.activeModuleIds.includes(other.id) && (other.requires?.allOfModules?.includes(moduleId) ?? false))
    .map((other) => other.id);
}

/**
 * When a module may start or stop: a module the plan includes comes and goes with the plan
 * (no timing); a paid one starts and stops at the engine's timings, except that a
 * deactivation already scheduled for the period end can only be brought forward to now.
 */
export function moduleTimings(included: boolean, deactivationScheduled: boolean, timings: EngineTimings): Module['allowedTimings'] {
  if (included) return { activate: [], deactivate: [] };
  return {
    activate: [...timings.activate],
    deactivate: deactivationScheduled ? timings.deactivate.filter((timing) => timing !== 'period_end') : [...timings.deactivate],
  };
}

/** Whether the subscription's plan includes `moduleId`. */
export function isIncluded(catalog: PolicyCatalog, subscription: PolicySubscription | null, moduleId: string): boolean {
  if (subscription === null) return false;
  return indexOf(catalog).plans.get(subscription.planId)?.includedModuleIds?.includes(moduleId) ?? false;
}

/** Whether a deactivation of `moduleId` is scheduled for the period end. */
export function deactivationScheduled(subscription: PolicySubscription | null, moduleId: string): boolean {
  return subscription?.scheduledChanges?.some((change) => change.kind === 'module_deactivation' && change.moduleId === moduleId) ?? false;
}

/** What the policy says of one module for a subscription: the parts of `Module` that are not the engine's facts. */
export type ModulePolicy = Pick<Module, 'requires' | 'available' | 'unavailableReasons' | 'dependentModuleIds' | 'allowedTimings'>;

/**
 * The module `moduleId` for `subscription` (`null`: none): its requirements as the contract
 * shows them, whether anything stands in the way of holding it (`available`: no reason), why,
 * the modules in effect that need it, and its timings. Throws a `RangeError` for a module the
 * catalog does not have.
 */
export function modulePolicy(
  catalog: PolicyCatalog,
  subscription: PolicySubscription | null,
  moduleId: string,
  timings: EngineTimings,
): ModulePolicy {
  const module = moduleOf(catalog, moduleId);
  const { anyOfPlans = [], allOfModules = [] } = module.requires ?? {};
  const reasons = unavailableReasons(catalog, subscription, moduleId);
  return {
    requires: {
      ...(anyOfPlans.length > 0 ? { anyOfPlans: [...anyOfPlans] } : {}),
      ...(allOfModules.length > 0 ? { allOfModules: [...allOfModules] } : {}),
    },
    available: reasons.length === 0,
    unavailableReasons: reasons,
    dependentModuleIds: dependentModuleIds(catalog, subscription, moduleId),
    allowedTimings: moduleTimings(isIncluded(catalog, subscription, moduleId), deactivationScheduled(subscription, moduleId), timings),
  };
}
