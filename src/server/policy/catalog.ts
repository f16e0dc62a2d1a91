/**
 * What the policy helpers read: a description of the catalog (plans with their rank, limits,
 * included modules and the intervals they are sold at; modules with their requirements,
 * whether they are sold and the intervals they have a price at), the facts of one
 * subscription, and the timings an engine can carry out. Every engine has these facts in its
 * own shape (SQLite rows, Stripe Prices and metadata…); it describes them once in this one,
 * and the helpers answer the policy from it.
 *
 * A catalog handed to the helpers is read, never changed: they index it on first use.
 */
import type { Interval, ScheduledChange, Timing } from '../../contract/index.js';

/** A plan's limit of one metric; `null`: unlimited. */
export interface PolicyLimit {
  metricKey: string;
  limit: number | null;
}

export interface PolicyPlan {
  id: string;
  /** Orders plans from low to high: a higher rank is an upgrade. */
  rank: number;
  /** The billing intervals the plan is sold at. */
  intervals: readonly Interval[];
  /** Limits by metric; a metric the plan does not list is unlimited on it. */
  limits?: readonly PolicyLimit[];
  /** Modules the plan includes at no extra charge (they come and go with the plan). */
  includedModuleIds?: readonly string[];
}

export interface PolicyModule {
  id: string;
  /** What the module needs: one of these plans, every one of these modules. */
  requires?: { anyOfPlans?: readonly string[]; allOfModules?: readonly string[] };
  /** `false`: shown but not sold on its own. Default `true`. */
  forSale?: boolean;
  /** The billing intervals the module has a price at; none for a module only ever included in plans. */
  intervals: readonly Interval[];
}

export interface PolicyCatalog {
  plans: readonly PolicyPlan[];
  /** In the order the engine lists modules: dependents come back in this order. */
  modules: readonly PolicyModule[];
}

/** A change scheduled for the end of the period, as `Subscription.scheduledChanges` reports it. */
export type PolicyScheduledChange = Pick<ScheduledChange, 'kind' | 'toPlanId' | 'toInterval' | 'moduleId'>;

/** The facts of a subscription the policy depends on. */
export interface PolicySubscription {
  planId: string;
  interval: Interval;
  /** Modules in effect now, paid or included by the plan (`Subscription.activeModuleIds`). */
  activeModuleIds: readonly string[];
  /** Changes waiting for the end of the period. Default: none. */
  scheduledChanges?: readonly PolicyScheduledChange[];
}

/**
 * The timings an engine can carry out, per kind of change. The reference engine changes plans
 * now or at the period end, activates modules now and deactivates them either way; an engine
 * over a provider that schedules every change (Stripe's Subscription Schedules) can do both
 * for each.
 */
export interface EngineTimings {
  /** A plan change (to another plan, or the same plan at another interval). */
  plan: readonly Timing[];
  /** A paid module's activation. */
  activate: readonly Timing[];
  /** A paid module's deactivation. */
  deactivate: readonly Timing[];
}

interface CatalogIndex {
  plans: Map<string, PolicyPlan>;
  modules: Map<string, PolicyModule>;
}

const indexes = new WeakMap<PolicyCatalog, CatalogIndex>();

/** The catalog's plans and modules by id, made once per catalog object. */
export function indexOf(catalog: PolicyCatalog): CatalogIndex {
  let index = indexes.get(catalog);
  if (!index) {
    index = {
      plans: new Map(catalog.plans.map((plan) => [plan.id, plan])),
      modules: new Map(catalog.modules.map((module) => [module.id, module])),
    };
    indexes.set(catalog, index);
  }
  return index;
}

/** The plan `id` of `catalog`; throws a `RangeError` for an id it does not have. */
export function planOf(catalog: PolicyCatalog, id: string): PolicyPlan {
  const plan = indexOf(catalog).plans.get(id);
  if (!plan) throw new RangeError(`Unknown plan "${id}".`);
  return plan;
}

/** The module `id` of `catalog`; throws a `RangeError` for an id it does not have. */
export function moduleOf(catalog: PolicyCatalog, id: string): PolicyModule {
  const module = indexOf(catalog).modules.get(id);
  if (!module) throw new RangeError(`Unknown module "${id}".`);
  return module;
}
