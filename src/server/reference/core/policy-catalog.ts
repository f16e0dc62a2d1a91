/**
 * The reference engine in the terms of the shared policy helpers (src/server/policy/): its
 * offer as a `PolicyCatalog`, a holding and its pending changes as a `PolicySubscription`, and
 * the timings it carries out. The offer's description is made once per offer (offers are
 * shared and never change).
 */
import type { Interval } from '../../../contract/index.js';
import type { EngineTimings, PolicyCatalog, PolicySubscription } from '../../policy/catalog.js';
import type { Holding, PendingChange } from './holding.js';
import type { Offer, Prices } from './offer.js';

/** Plans change now or at the period end; a paid module starts now and stops either way. */
export const REFERENCE_TIMINGS: EngineTimings = {
  plan: ['now', 'period_end'],
  activate: ['now'],
  deactivate: ['now', 'period_end'],
};

const described = new WeakMap<Offer, PolicyCatalog>();

const intervalsOf = (prices: Prices): Interval[] => (['month', 'year'] as const).filter((interval) => prices[interval] !== undefined);

/** `offer` as the policy helpers read it. */
export function policyCatalogOf(offer: Offer): PolicyCatalog {
  let catalog = described.get(offer);
  if (!catalog) {
    catalog = {
      plans: [...offer.plans.values()].map((plan) => ({
        id: plan.id,
        rank: plan.rank,
        intervals: intervalsOf(plan.prices),
        limits: [...plan.limits].map(([metricKey, limit]) => ({ metricKey, limit })),
        includedModuleIds: plan.includedModuleIds,
      })),
      modules: [...offer.modules.values()].map((module) => ({
        id: module.id,
        requires: { anyOfPlans: module.anyOfPlans, allOfModules: module.allOfModules },
        forSale: module.forSale,
        intervals: intervalsOf(module.prices),
      })),
    };
    described.set(offer, catalog);
  }
  return catalog;
}

/** A holding with `activeModuleIds` in effect and `pending` changes, as the policy helpers read it. */
export function policySubscriptionOf(holding: Holding, activeModuleIds: readonly string[], pending: readonly PendingChange[]): PolicySubscription {
  return {
    planId: holding.planId,
    interval: holding.interval,
    activeModuleIds,
    scheduledChanges: pending.map(({ change }) =>
      change.type === 'plan'
        ? { kind: 'plan_change', toPlanId: change.planId, toInterval: change.interval }
        : { kind: change.action === 'activate' ? 'module_activation' : 'module_deactivation', moduleId: change.moduleId },
    ),
  };
}
