/**
 * What the `BillingEngine` interface makes an engine decide that is not the provider's data:
 * the subscription's version, how a plan relates to the current one, which timings a change
 * may have, why a module cannot be activated, and the rules of a change. Kept in this one
 * module so that it can move to helpers shared by every engine when the engine boundary
 * changes. (Permissions are the host's: `resolveCustomer` answers them, the handler enforces
 * them.)
 */
import { createHash } from 'node:crypto';
import type { ChangeRequest, Interval, Module, Plan, Timing } from '../contract/index.js';
import { BillingEngineError } from '../server/errors.js';
import type { StripeCatalog, StripeCatalogModule, StripeCatalogPlan } from './catalog.js';

/** The timings this engine offers for plan and module changes: now, or at the end of the period (a Subscription Schedule). */
export const CHANGE_TIMINGS: readonly Timing[] = ['now', 'period_end'];

/**
 * The subscription's version: a digest of everything a change depends on (items and their
 * prices, status, period, schedule, cancellation). Any change made in Stripe — here or in the
 * Dashboard — moves it.
 */
export function subscriptionVersion(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
}

/** How moving to `plan` relates to the current plan. */
export function planChange(plan: StripeCatalogPlan, current: StripeCatalogPlan | undefined): Plan['change'] {
  const direction =
    current === undefined
      ? 'upgrade'
      : plan.id === current.id
        ? 'current'
        : plan.rank > current.rank
          ? 'upgrade'
          : plan.rank < current.rank
            ? 'downgrade'
            : 'lateral';
  const allowedTimings = direction === 'current' ? [] : [...CHANGE_TIMINGS];
  // As the reference engine: a downgrade waits for the period end by default, so the customer
  // keeps what they paid for; anything else happens now.
  const preferred = direction === 'downgrade' ? 'period_end' : 'now';
  const defaultTiming = allowedTimings.includes(preferred) ? preferred : (allowedTimings[0] ?? null);
  return { direction, allowedTimings, defaultTiming };
}

/** Why `module` cannot be activated now, on `planId` with `activeModuleIds` active (included ones count). */
export function unavailableReasons(
  module: StripeCatalogModule,
  hasPrice: boolean,
  planId: string | undefined,
  activeModuleIds: readonly string[],
): Module['unavailableReasons'] {
  const reasons: Module['unavailableReasons'] = [];
  const { anyOfPlans, allOfModules } = module.requires ?? {};
  if (anyOfPlans && anyOfPlans.length > 0 && (planId === undefined || !anyOfPlans.includes(planId))) reasons.push('plan_required');
  if (allOfModules && allOfModules.some((id) => !activeModuleIds.includes(id))) reasons.push('module_required');
  if (module.forSale === false || !hasPrice) reasons.push('not_for_sale');
  return reasons;
}

/** The timings of a module's activation (when it is available) and deactivation (when it is active). */
export function moduleTimings(state: Module['state'], available: boolean): Module['allowedTimings'] {
  return {
    activate: state === 'inactive' && available ? [...CHANGE_TIMINGS] : [],
    deactivate: state === 'active' ? [...CHANGE_TIMINGS] : [],
  };
}

/** The subscription a change starts from, as far as the rules look at it. */
export interface ChangeStart {
  planId: string;
  interval: Interval;
  /** Paid module items. */
  moduleIds: string[];
}

/** What a change makes of the subscription, once the rules allow it. */
export interface ChangeDecision {
  planId: string;
  interval: Interval;
  /** Paid module items after the change. */
  moduleIds: string[];
  /** Paid modules the change takes away (now included, or no longer allowed on the new plan). */
  removedModuleIds: string[];
}

/**
 * The rules of a change: unknown plan → 422 `plan_not_available`, unknown module → 404
 * `not_found`, a timing other than now → 422 `timing_not_supported`, nothing to change or a
 * module that cannot go → 422 `change_not_allowed`, a module whose requirements are not met →
 * 422 `module_requirements_not_met` with what is missing.
 */
export function validateChange(config: StripeCatalog, start: ChangeStart, request: ChangeRequest): ChangeDecision {
  const { change } = request;
  const notNow = () => {
    if (!CHANGE_TIMINGS.includes(request.timing)) {
      throw new BillingEngineError('timing_not_supported', { detail: `Changes cannot take effect ${request.timing}.` });
    }
  };
  const plan = (id: string) => config.plans.find((entry) => entry.id === id);
  const current = plan(start.planId);
  const included = current?.includedModuleIds ?? [];
  if (change.type === 'plan') {
    const target = plan(change.planId);
    if (!target) throw new BillingEngineError('plan_not_available', { detail: `There is no plan ${change.planId}.` });
    notNow();
    const interval = change.interval ?? start.interval;
    if (target.prices[interval] === undefined) throw new BillingEngineError('plan_not_available', { detail: `This plan is not sold per ${interval}.` });
    if (target.id === start.planId && interval === start.interval) throw new BillingEngineError('change_not_allowed', { detail: 'This is the current plan.' });
    const nowIncluded = target.includedModuleIds ?? [];
    const kept: string[] = [];
    const removed: string[] = [];
    for (const id of start.moduleIds) {
      const module = config.modules.find((entry) => entry.id === id);
      const plans = module?.requires?.anyOfPlans;
      const allowed = !plans || plans.length === 0 || plans.includes(target.id);
      (allowed && !nowIncluded.includes(id) && module?.prices[interval] !== undefined ? kept : removed).push(id);
    }
    return { planId: target.id, interval, moduleIds: kept, removedModuleIds: removed.filter((id) => !nowIncluded.includes(id)) };
  }
  const module = config.modules.find((entry) => entry.id === change.moduleId);
  if (!module) throw new BillingEngineError('not_found', { detail: `There is no module ${change.moduleId}.` });
  notNow();
  const active = [...new Set([...included, ...start.moduleIds])];
  if (change.action === 'activate') {
    if (active.includes(module.id)) throw new BillingEngineError('change_not_allowed', { detail: 'This module is already active.' });
    const reasons = unavailableReasons(module, module.prices[start.interval] !== undefined, start.planId, active);
    if (reasons.includes('not_for_sale')) throw new BillingEngineError('change_not_allowed', { detail: 'This module is not for sale.' });
    if (reasons.length > 0) {
      const missing: { anyOfPlans?: string[]; allOfModules?: string[] } = {};
      if (reasons.includes('plan_required')) missing.anyOfPlans = module.requires?.anyOfPlans ?? [];
      if (reasons.includes('module_required')) missing.allOfModules = (module.requires?.allOfModules ?? []).filter((id) => !active.includes(id));
      throw new BillingEngineError('module_requirements_not_met', { extras: { missing } });
    }
    return { planId: start.planId, interval: start.interval, moduleIds: [...start.moduleIds, module.id], removedModuleIds: [] };
  }
  if (included.includes(module.id)) throw new BillingEngineError('change_not_allowed', { detail: 'This module is included in your plan.' });
  if (!start.moduleIds.includes(module.id)) throw new BillingEngineError('change_not_allowed', { detail: 'This module is not active.' });
  const dependents = config.modules.filter((other) => start.moduleIds.includes(other.id) && other.requires?.allOfModules?.includes(module.id));
  if (dependents.length > 0) {
    throw new BillingEngineError('change_not_allowed', { detail: `Other modules need this one: ${dependents.map((other) => other.id).join(', ')}.` });
  }
  return { planId: start.planId, interval: start.interval, moduleIds: start.moduleIds.filter((id) => id !== module.id), removedModuleIds: [] };
}
