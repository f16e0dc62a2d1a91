/**
 * Plans and modules, each described relative to the customer's current plan and modules.
 */
import type { Database } from 'better-sqlite3';
import type { Interval, Module, Plan, Timing } from '../../contract/index.js';
import { projectedHolding, type Account } from './account.js';
import { DAY_MS, toInstant } from './dates.js';
import type { Clock } from './clock.js';
import { modulesInEffect } from './holding.js';
import type { Wording } from './texts.js';

interface PlanRow {
  id: string;
  name: string;
  description: string | null;
  rank: number;
}
interface ModuleRow {
  id: string;
  name: string;
  description: string | null;
  for_sale: 0 | 1;
}
interface PriceRow {
  owner_id: string;
  interval: Interval;
  amount_minor: number;
}
interface PairRow {
  owner_id: string;
  other_id: string;
}
interface ModuleUseRow {
  module_id: string;
  last_used_at: number;
  recent: number;
}

const BOTH_TIMINGS: Timing[] = ['now', 'period_end'];

/** Groups `rows` by `owner_id`, keeping their order. */
function groupBy<R extends { owner_id: string }, V>(rows: R[], value: (row: R) => V): Map<string, V[]> {
  const groups = new Map<string, V[]>();
  for (const row of rows) {
    const group = groups.get(row.owner_id);
    if (group) group.push(value(row));
    else groups.set(row.owner_id, [value(row)]);
  }
  return groups;
}

/**
 * Upgrades take effect now by default (the customer wants the bigger plan), downgrades at
 * the end of the paid period (they keep what they paid for); both timings are offered.
 * Without a subscription every plan is a start, and a start happens now.
 */
function planChange(target: { id: string; rank: number }, current: { id: string; rank: number } | null): Plan['change'] {
  if (current === null) return { direction: 'upgrade', allowedTimings: ['now'], defaultTiming: 'now' };
  if (target.id === current.id) return { direction: 'current', allowedTimings: [], defaultTiming: null };
  if (target.rank > current.rank) return { direction: 'upgrade', allowedTimings: BOTH_TIMINGS, defaultTiming: 'now' };
  if (target.rank < current.rank) {
    return { direction: 'downgrade', allowedTimings: BOTH_TIMINGS, defaultTiming: 'period_end' };
  }
  return { direction: 'lateral', allowedTimings: BOTH_TIMINGS, defaultTiming: 'now' };
}

/** `change` once its period-end timing is taken (by a change already scheduled). */
function withoutPeriodEnd(change: Plan['change']): Plan['change'] {
  const allowedTimings = change.allowedTimings.filter((timing) => timing !== 'period_end');
  return { ...change, allowedTimings, defaultTiming: allowedTimings[0] ?? null };
}

/**
 * Timings of a plan change, the switch between monthly and yearly on the same plan included
 * (its `Plan.change` says `current`, with no timing, as it describes the plan, not the interval).
 */
export function planChangeTimings(target: { id: string; rank: number }, current: { id: string; rank: number }): Timing[] {
  return target.id === current.id ? BOTH_TIMINGS : planChange(target, current).allowedTimings;
}

/**
 * A paid module starts now (there is nothing to wait for) and may stop now or at the end of
 * the paid period; a module the plan includes comes and goes with the plan.
 */
export function moduleTimings(included: boolean, deactivationScheduled: boolean): Module['allowedTimings'] {
  if (included) return { activate: [], deactivate: [] };
  return { activate: ['now'], deactivate: deactivationScheduled ? ['now'] : BOTH_TIMINGS };
}

export interface Catalog {
  /** Names and descriptions in `wording`'s language. */
  listPlans(account: Account, wording: Wording): Plan[];
  listModules(account: Account, wording: Wording): Module[];
}

export function createCatalog(db: Database, clock: Clock): Catalog {
  const plans = db.prepare<[string | null], PlanRow>(
    'SELECT id, name, description, rank FROM plans WHERE for_sale = 1 OR id = ? ORDER BY rank, id',
  );
  const planPrices = db.prepare<[string], PriceRow>(
    'SELECT plan_id AS owner_id, interval, amount_minor FROM plan_prices WHERE currency = ? ORDER BY interval',
  );
  const planLimits = db.prepare<[], PairRow & { limit_value: number | null }>(`
    SELECT l.plan_id AS owner_id, l.metric_key AS other_id, l.limit_value
    FROM plan_limits l JOIN metrics m ON m.key = l.metric_key ORDER BY m.position`);
  const planModules = db.prepare<[], PairRow>(`
    SELECT pim.plan_id AS owner_id, pim.module_id AS other_id
    FROM plan_included_modules pim JOIN modules m ON m.id = pim.module_id ORDER BY m.position`);
  const currentRank = db.prepare<[string], number>('SELECT rank FROM plans WHERE id = ?').pluck();

  const modules = db.prepare<[], ModuleRow>('SELECT id, name, description, for_sale FROM modules ORDER BY position, id');
  const modulePrices = db.prepare<[string, Interval], PriceRow>(
    'SELECT module_id AS owner_id, interval, amount_minor FROM module_prices WHERE currency = ? AND interval = ?',
  );
  const requiredPlans = db.prepare<[], PairRow>(`
    SELECT r.module_id AS owner_id, r.plan_id AS other_id
    FROM module_required_plans r JOIN plans p ON p.id = r.plan_id ORDER BY p.rank`);
  const requiredModules = db.prepare<[], PairRow>(`
    SELECT r.module_id AS owner_id, r.required_module_id AS other_id
    FROM module_required_modules r JOIN modules m ON m.id = r.required_module_id ORDER BY m.position`);
  const moduleUse = db.prepare<[number, string], ModuleUseRow>(`
    SELECT module_id, MAX(used_at) AS last_used_at, SUM(used_at >= ?) AS recent
    FROM module_usage_events WHERE customer_id = ? GROUP BY module_id`);

  return {
    listPlans({ customer, subscription, scheduled }, wording) {
      const prices = groupBy(planPrices.all(customer.currency), (r) => ({
        interval: r.interval,
        price: { amountMinor: r.amount_minor, currency: customer.currency },
      }));
      const limits = groupBy(planLimits.all(), (r) => ({ metricKey: r.other_id, limit: r.limit_value }));
      const included = groupBy(planModules.all(), (r) => r.other_id);
      const current = subscription
        ? { id: subscription.plan_id, rank: currentRank.get(subscription.plan_id) ?? 0 }
        : null;
      // Choosing again, for the period end, the plan change already scheduled is no change:
      // that timing is not offered (changes.ts refuses it too).
      const pending = scheduled.find((row) => row.kind === 'plan_change' && row.to_interval === subscription?.interval);
      return plans.all(subscription?.plan_id ?? null).map((row) => {
        const change = planChange(row, current);
        const description = wording.description('plan', row.id, row.description);
        return {
          id: row.id,
          name: wording.name('plan', row.id, row.name),
          ...(description === null ? {} : { description }),
          rank: row.rank,
          prices: prices.get(row.id) ?? [],
          limits: limits.get(row.id) ?? [],
          includedModuleIds: included.get(row.id) ?? [],
          change: pending?.to_plan_id === row.id ? withoutPeriodEnd(change) : change,
        };
      });
    },

    listModules(account, wording) {
      const { customer, subscription, subscribedModuleIds, includedModuleIds, moduleIdsInEffect } = account;
      const projected = projectedHolding(account);
      const atPeriodEnd = new Set(projected ? modulesInEffect(account.offer, projected) : []);
      const deactivating = new Set(account.scheduled.map((row) => row.module_id));
      const interval = subscription?.interval ?? 'month';
      const prices = new Map(modulePrices.all(customer.currency, interval).map((r) => [r.owner_id, r.amount_minor]));
      const anyOfPlans = groupBy(requiredPlans.all(), (r) => r.other_id);
      const allOfModules = groupBy(requiredModules.all(), (r) => r.other_id);
      const now = clock.now().getTime();
      const use = new Map(moduleUse.all(now - 30 * DAY_MS, customer.id).map((r) => [r.module_id, r]));
      const inEffect = new Set(moduleIdsInEffect);

      return modules.all().map((row): Module => {
        const included = includedModuleIds.includes(row.id);
        const held = included ? 'included' : subscribedModuleIds.includes(row.id) ? 'active' : 'inactive';
        // What the scheduled changes will do at the end of the period shows through.
        const state: Module['state'] =
          inEffect.has(row.id) && !atPeriodEnd.has(row.id)
            ? 'deactivation_scheduled'
            : !inEffect.has(row.id) && atPeriodEnd.has(row.id)
              ? 'activation_scheduled'
              : held;
        const plansNeeded = anyOfPlans.get(row.id);
        const modulesNeeded = allOfModules.get(row.id);
        const reasons: Module['unavailableReasons'] = [];
        if (subscription === null || (plansNeeded && !plansNeeded.includes(subscription.plan_id))) {
          reasons.push('plan_required');
        }
        if (modulesNeeded?.some((id) => !inEffect.has(id))) reasons.push('module_required');
        if (row.for_sale === 0 && held === 'inactive') reasons.push('not_for_sale');
        const amount = prices.get(row.id);
        const used = use.get(row.id);
        const description = wording.description('module', row.id, row.description);
        return {
          id: row.id,
          name: wording.name('module', row.id, row.name),
          ...(description === null ? {} : { description }),
          price: amount === undefined ? null : { amountMinor: amount, currency: customer.currency },
          ...(amount === undefined ? {} : { interval }),
          state,
          requires: {
            ...(plansNeeded ? { anyOfPlans: plansNeeded } : {}),
            ...(modulesNeeded ? { allOfModules: modulesNeeded } : {}),
          },
          available: reasons.length === 0,
          unavailableReasons: reasons,
          dependentModuleIds: moduleIdsInEffect.filter((id) => allOfModules.get(id)?.includes(row.id)),
          lastUsedAt: used ? toInstant(used.last_used_at) : null,
          usageCount30d: used?.recent ?? 0,
          allowedTimings: moduleTimings(included, deactivating.has(row.id)),
        };
      });
    },
  };
}
