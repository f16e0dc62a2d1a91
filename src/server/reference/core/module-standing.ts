/**
 * A module as it stands for one subscription: its state (scheduled changes show through),
 * its price for the subscription's interval, whether it can be activated and why not, which
 * active modules need it, and when it may start or stop. Names, descriptions and use figures
 * are the caller's to add.
 */
import type { Interval, Module } from '../../../contract/index.js';
import { modulesInEffect, projectedHolding, type Holding, type PendingChange } from './holding.js';
import type { Offer } from './offer.js';
import { moduleTimings } from './timings.js';

export type ModuleStanding = Pick<
  Module,
  'id' | 'state' | 'requires' | 'available' | 'unavailableReasons' | 'dependentModuleIds' | 'allowedTimings'
> & {
  /** In minor units, for `interval`; `null` when the module is not sold for it. */
  priceMinor: number | null;
  interval: Interval;
};

/**
 * Every module of `offer`, in catalog order, for a subscription that holds `holding` (`null`:
 * none, so every module needs a plan) with `pending` changes.
 */
export function moduleStandings(offer: Offer, holding: Holding | null, pending: readonly PendingChange[]): ModuleStanding[] {
  const inEffect = holding ? modulesInEffect(offer, holding) : [];
  const held = new Set(inEffect);
  const atPeriodEnd = new Set(holding ? modulesInEffect(offer, projectedHolding(offer, holding, pending)) : []);
  const included = (holding && offer.plans.get(holding.planId)?.includedModuleIds) ?? [];
  const stopping = new Set(pending.flatMap((p) => (p.change.type === 'module' ? [p.change.moduleId] : [])));
  const interval = holding?.interval ?? 'month';

  return [...offer.modules.values()].map((module): ModuleStanding => {
    const isIncluded = included.includes(module.id);
    const now = isIncluded ? 'included' : holding?.paidModuleIds.includes(module.id) ? 'active' : 'inactive';
    // What the scheduled changes will do at the end of the period shows through.
    const state: Module['state'] =
      held.has(module.id) && !atPeriodEnd.has(module.id)
        ? 'deactivation_scheduled'
        : !held.has(module.id) && atPeriodEnd.has(module.id)
          ? 'activation_scheduled'
          : now;
    const reasons: Module['unavailableReasons'] = [];
    if (holding === null || (module.anyOfPlans.length > 0 && !module.anyOfPlans.includes(holding.planId))) {
      reasons.push('plan_required');
    }
    if (module.allOfModules.some((id) => !held.has(id))) reasons.push('module_required');
    if (!module.forSale && now === 'inactive') reasons.push('not_for_sale');
    return {
      id: module.id,
      priceMinor: module.prices[interval] ?? null,
      interval,
      state,
      requires: {
        ...(module.anyOfPlans.length > 0 ? { anyOfPlans: [...module.anyOfPlans] } : {}),
        ...(module.allOfModules.length > 0 ? { allOfModules: [...module.allOfModules] } : {}),
      },
      available: reasons.length === 0,
      unavailableReasons: reasons,
      dependentModuleIds: inEffect.filter((id) => offer.modules.get(id)?.allOfModules.includes(module.id)),
      allowedTimings: moduleTimings(isIncluded, stopping.has(module.id)),
    };
  });
}

/**
 * The contract's `Module` from its standing: with its words in the reader's language, its
 * price in `currency` and what the caller knows of its use.
 */
export function moduleOf(
  { priceMinor, interval, ...standing }: ModuleStanding,
  currency: string,
  words: { name: string; description: string | null },
  use: Pick<Module, 'lastUsedAt' | 'usageCount30d'>,
): Module {
  return {
    id: standing.id,
    name: words.name,
    ...(words.description === null ? {} : { description: words.description }),
    price: priceMinor === null ? null : { amountMinor: priceMinor, currency },
    ...(priceMinor === null ? {} : { interval }),
    state: standing.state,
    requires: standing.requires,
    available: standing.available,
    unavailableReasons: standing.unavailableReasons,
    dependentModuleIds: standing.dependentModuleIds,
    ...use,
    allowedTimings: standing.allowedTimings,
  };
}
