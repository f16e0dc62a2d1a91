/**
 * A module as it stands for one subscription: its state (scheduled changes show through),
 * its price for the subscription's interval, whether it can be activated and why not, which
 * active modules need it, and when it may start or stop. Names, descriptions and use figures
 * are the caller's to add.
 */
import type { Interval, Module } from '../../../contract/index.js';
import { modulePolicy } from '../../policy/modules.js';
import { modulesInEffect, projectedHolding, type Holding, type PendingChange } from './holding.js';
import type { Offer } from './offer.js';
import { policyCatalogOf, policySubscriptionOf, REFERENCE_TIMINGS } from './policy-catalog.js';

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
  const interval = holding?.interval ?? 'month';
  // Requirements, availability, dependents and timings: the shared policy's.
  const catalog = policyCatalogOf(offer);
  const subscription = holding && policySubscriptionOf(holding, inEffect, pending);

  return [...offer.modules.values()].map((module): ModuleStanding => {
    const now = included.includes(module.id) ? 'included' : holding?.paidModuleIds.includes(module.id) ? 'active' : 'inactive';
    // What the scheduled changes will do at the end of the period shows through.
    const state: Module['state'] =
      held.has(module.id) && !atPeriodEnd.has(module.id)
        ? 'deactivation_scheduled'
        : !held.has(module.id) && atPeriodEnd.has(module.id)
          ? 'activation_scheduled'
          : now;
    return {
      id: module.id,
      priceMinor: module.prices[interval] ?? null,
      interval,
      state,
      ...modulePolicy(catalog, subscription, module.id, REFERENCE_TIMINGS),
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
