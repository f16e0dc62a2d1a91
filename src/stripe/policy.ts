/**
 * What is the Stripe engine's own in deciding a change: the timings it carries out (now, or at
 * the end of the period as a Subscription Schedule), its catalog described for the shared
 * policy helpers (src/server/policy/, which answer plan directions, timings, module
 * availability, dependents and limit warnings for every engine), the subscription's version (a
 * digest: Stripe keeps none), and what a change makes of the subscription's items. Permissions
 * are the host's: `resolveCustomer` answers them, the handler enforces them.
 */
import { createHash } from 'node:crypto';
import type { ChangeRequest, Interval } from '../contract/index.js';
import { BillingEngineError } from '../server/errors.js';
import {
  dependentModuleIds,
  missingRequirements,
  moduleOf,
  unavailableReasons,
  type EngineTimings,
  type PolicyCatalog,
  type PolicyScheduledChange,
  type PolicySubscription,
} from '../server/policy/index.js';
import type { StripeCatalog } from './catalog.js';

/** Plan changes, module activations and deactivations: now, or at the end of the period (a Subscription Schedule). */
export const STRIPE_TIMINGS: EngineTimings = {
  plan: ['now', 'period_end'],
  activate: ['now', 'period_end'],
  deactivate: ['now', 'period_end'],
};

/**
 * The subscription's version: a digest of everything a change depends on (items and their
 * prices, status, period, schedule, cancellation). Any change made in Stripe — here or in the
 * Dashboard — moves it.
 */
export function subscriptionVersion(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
}

const INTERVALS: readonly Interval[] = ['month', 'year'];
const described = new WeakMap<StripeCatalog, PolicyCatalog>();

/** The catalog as the shared policy helpers read it (made once per catalog object). */
export function policyCatalogOf(config: StripeCatalog): PolicyCatalog {
  let catalog = described.get(config);
  if (!catalog) {
    const intervals = (prices: Partial<Record<Interval, string>>) => INTERVALS.filter((interval) => prices[interval] !== undefined);
    catalog = {
      plans: config.plans.map((plan) => ({
        id: plan.id,
        rank: plan.rank,
        intervals: intervals(plan.prices),
        limits: plan.limits ?? [],
        includedModuleIds: plan.includedModuleIds ?? [],
      })),
      modules: config.modules.map((module) => ({
        id: module.id,
        ...(module.requires ? { requires: module.requires } : {}),
        forSale: module.forSale !== false,
        intervals: intervals(module.prices),
      })),
    };
    described.set(config, catalog);
  }
  return catalog;
}

/** The subscription a change starts from, as far as the rules look at it. */
export interface ChangeStart {
  planId: string;
  interval: Interval;
  /** Paid module items. */
  moduleIds: string[];
  /** Paid and included modules. */
  activeModuleIds: string[];
}

/** The subscription's facts for the policy helpers. */
export function policySubscriptionOf(start: ChangeStart, scheduledChanges: readonly PolicyScheduledChange[] = []): PolicySubscription {
  return { planId: start.planId, interval: start.interval, activeModuleIds: start.activeModuleIds, scheduledChanges };
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
 * `not_found`, a timing this engine cannot do → 422 `timing_not_supported`, nothing to change
 * or a module that cannot go → 422 `change_not_allowed`, a module whose requirements are not
 * met → 422 `module_requirements_not_met` with what is missing. Requirements, reasons and
 * dependents are the shared policy's; which items stay on a new plan is this engine's.
 */
export function validateChange(config: StripeCatalog, start: ChangeStart, request: ChangeRequest): ChangeDecision {
  const { change } = request;
  const catalog = policyCatalogOf(config);
  const subscription = policySubscriptionOf(start);
  const timings = change.type === 'plan' ? STRIPE_TIMINGS.plan : STRIPE_TIMINGS[change.action];
  const checkTiming = () => {
    if (!timings.includes(request.timing)) {
      throw new BillingEngineError('timing_not_supported', { detail: `Changes cannot take effect ${request.timing}.` });
    }
  };
  const plan = (id: string) => config.plans.find((entry) => entry.id === id);
  const included = plan(start.planId)?.includedModuleIds ?? [];
  if (change.type === 'plan') {
    const target = plan(change.planId);
    if (!target) throw new BillingEngineError('plan_not_available', { detail: `There is no plan ${change.planId}.` });
    checkTiming();
    const interval = change.interval ?? start.interval;
    if (target.prices[interval] === undefined) throw new BillingEngineError('plan_not_available', { detail: `This plan is not sold per ${interval}.` });
    if (target.id === start.planId && interval === start.interval) throw new BillingEngineError('change_not_allowed', { detail: 'This is the current plan.' });
    const nowIncluded = target.includedModuleIds ?? [];
    const kept: string[] = [];
    const removed: string[] = [];
    for (const id of start.moduleIds) {
      const module = config.modules.find((entry) => entry.id === id);
      const allowed = module !== undefined && missingRequirements(moduleOf(catalog, id), target.id, [])?.anyOfPlans === undefined;
      (allowed && !nowIncluded.includes(id) && module.prices[interval] !== undefined ? kept : removed).push(id);
    }
    return { planId: target.id, interval, moduleIds: kept, removedModuleIds: removed.filter((id) => !nowIncluded.includes(id)) };
  }
  const module = config.modules.find((entry) => entry.id === change.moduleId);
  if (!module) throw new BillingEngineError('not_found', { detail: `There is no module ${change.moduleId}.` });
  checkTiming();
  if (change.action === 'activate') {
    if (start.activeModuleIds.includes(module.id)) throw new BillingEngineError('change_not_allowed', { detail: 'This module is already active.' });
    const reasons = unavailableReasons(catalog, subscription, module.id);
    if (reasons.includes('not_for_sale')) throw new BillingEngineError('change_not_allowed', { detail: 'This module is not for sale.' });
    const missing = missingRequirements(moduleOf(catalog, module.id), start.planId, start.activeModuleIds);
    if (missing) throw new BillingEngineError('module_requirements_not_met', { extras: { missing } });
    return { planId: start.planId, interval: start.interval, moduleIds: [...start.moduleIds, module.id], removedModuleIds: [] };
  }
  if (included.includes(module.id)) throw new BillingEngineError('change_not_allowed', { detail: 'This module is included in your plan.' });
  if (!start.moduleIds.includes(module.id)) throw new BillingEngineError('change_not_allowed', { detail: 'This module is not active.' });
  const dependents = dependentModuleIds(catalog, subscription, module.id);
  if (dependents.length > 0) {
    throw new BillingEngineError('change_not_allowed', { detail: `Other modules need this one: ${dependents.join(', ')}.` });
  }
  return { planId: start.planId, interval: start.interval, moduleIds: start.moduleIds.filter((id) => id !== module.id), removedModuleIds: [] };
}
