/**
 * Plans and modules, each described relative to the customer's current plan and modules: the
 * rows come from the database, what they mean for the subscription from the core
 * (core/timings.ts, core/module-standing.ts).
 */
import type { Database } from 'better-sqlite3';
import type { Interval, Module, Plan } from '../../contract/index.js';
import type { Account } from './account.js';
import type { Clock } from './clock.js';
import { DAY_MS, toInstant } from './core/dates.js';
import { moduleOf, moduleStandings } from './core/module-standing.js';
import type { Wording } from './core/texts.js';
import { offeredPlanChange } from './core/timings.js';

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

  const modules = db.prepare<[], ModuleRow>('SELECT id, name, description FROM modules');
  const moduleUse = db.prepare<[number, string], ModuleUseRow>(`
    SELECT module_id, MAX(used_at) AS last_used_at, SUM(used_at >= ?) AS recent
    FROM module_usage_events WHERE customer_id = ? GROUP BY module_id`);

  return {
    listPlans({ customer, subscription, offer, holding, scheduled }, wording) {
      const prices = groupBy(planPrices.all(customer.currency), (r) => ({
        interval: r.interval,
        price: { amountMinor: r.amount_minor, currency: customer.currency },
      }));
      const limits = groupBy(planLimits.all(), (r) => ({ metricKey: r.other_id, limit: r.limit_value }));
      const included = groupBy(planModules.all(), (r) => r.other_id);
      return plans.all(subscription?.plan_id ?? null).map((row) => {
        const description = wording.description('plan', row.id, row.description);
        return {
          id: row.id,
          name: wording.name('plan', row.id, row.name),
          ...(description === null ? {} : { description }),
          rank: row.rank,
          prices: prices.get(row.id) ?? [],
          limits: limits.get(row.id) ?? [],
          includedModuleIds: included.get(row.id) ?? [],
          change: offeredPlanChange(offer, holding, scheduled, row.id),
        };
      });
    },

    listModules({ customer, offer, holding, scheduled }, wording) {
      const rows = new Map(modules.all().map((row) => [row.id, row]));
      const now = clock.now().getTime();
      const use = new Map(moduleUse.all(now - 30 * DAY_MS, customer.id).map((r) => [r.module_id, r]));

      return moduleStandings(offer, holding, scheduled).map((standing) => {
        const row = rows.get(standing.id);
        const used = use.get(standing.id);
        const words = {
          name: wording.name('module', standing.id, row?.name ?? standing.id),
          description: wording.description('module', standing.id, row?.description ?? null),
        };
        return moduleOf(standing, customer.currency, words, {
          lastUsedAt: used ? toInstant(used.last_used_at) : null,
          usageCount30d: used?.recent ?? 0,
        });
      });
    },
  };
}
