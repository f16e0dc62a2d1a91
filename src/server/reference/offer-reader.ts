/**
 * The offer (core/offer.ts) read from the database. Kept between calls (eight queries
 * otherwise, on every request) until the database changes (change-stamp.ts), so a catalog
 * edited in the database still takes effect at once. The offers handed out are shared: read
 * them, never change them.
 */
import type { Database } from 'better-sqlite3';
import type { Interval } from '../../contract/index.js';
import type { ChangeStamp } from './change-stamp.js';
import type { Offer } from './core/offer.js';

export type OfferReader = (currency: string) => Offer;

export function createOfferReader(db: Database, stamp: ChangeStamp): OfferReader {
  const plans = db.prepare<[], { id: string; name: string; rank: number; for_sale: 0 | 1 }>(
    'SELECT id, name, rank, for_sale FROM plans ORDER BY rank, id',
  );
  const modules = db.prepare<[], { id: string; name: string; for_sale: 0 | 1 }>(
    'SELECT id, name, for_sale FROM modules ORDER BY position, id',
  );
  const planPrices = db.prepare<[string], { owner: string; interval: Interval; amount: number }>(
    'SELECT plan_id AS owner, interval, amount_minor AS amount FROM plan_prices WHERE currency = ?',
  );
  const modulePrices = db.prepare<[string], { owner: string; interval: Interval; amount: number }>(
    'SELECT module_id AS owner, interval, amount_minor AS amount FROM module_prices WHERE currency = ?',
  );
  const limits = db.prepare<[], { owner: string; metric: string; value: number | null }>(
    'SELECT plan_id AS owner, metric_key AS metric, limit_value AS value FROM plan_limits',
  );
  const pairs = (sql: string) => db.prepare<[], { owner: string; other: string }>(sql);
  const included = pairs(`
    SELECT pim.plan_id AS owner, pim.module_id AS other
    FROM plan_included_modules pim JOIN modules m ON m.id = pim.module_id ORDER BY m.position, m.id`);
  const requiredPlans = pairs(`
    SELECT r.module_id AS owner, r.plan_id AS other
    FROM module_required_plans r JOIN plans p ON p.id = r.plan_id ORDER BY p.rank, p.id`);
  const requiredModules = pairs(`
    SELECT r.module_id AS owner, r.required_module_id AS other
    FROM module_required_modules r JOIN modules m ON m.id = r.required_module_id ORDER BY m.position, m.id`);

  const texts = db.prepare<[], { entity: string; id: string; language: string; name: string | null; description: string | null }>(
    'SELECT entity, id, language, name, description FROM catalog_texts',
  );

  let cache = { stamp: '', offers: new Map<string, Offer>() };

  const read = (currency: string): Offer => {
    const offer: Offer = {
      currency,
      plans: new Map(),
      modules: new Map(),
      texts: new Map(texts.all().map((row) => [`${row.language}|${row.entity}|${row.id}`, row])),
    };
    for (const row of plans.all()) {
      offer.plans.set(row.id, {
        id: row.id,
        name: row.name,
        rank: row.rank,
        forSale: row.for_sale === 1,
        prices: {},
        limits: new Map(),
        includedModuleIds: [],
      });
    }
    for (const row of modules.all()) {
      offer.modules.set(row.id, {
        id: row.id,
        name: row.name,
        forSale: row.for_sale === 1,
        prices: {},
        anyOfPlans: [],
        allOfModules: [],
      });
    }
    for (const row of planPrices.all(currency)) offer.plans.get(row.owner)!.prices[row.interval] = row.amount;
    for (const row of modulePrices.all(currency)) offer.modules.get(row.owner)!.prices[row.interval] = row.amount;
    for (const row of limits.all()) offer.plans.get(row.owner)!.limits.set(row.metric, row.value);
    for (const row of included.all()) offer.plans.get(row.owner)!.includedModuleIds.push(row.other);
    for (const row of requiredPlans.all()) offer.modules.get(row.owner)!.anyOfPlans.push(row.other);
    for (const row of requiredModules.all()) offer.modules.get(row.owner)!.allOfModules.push(row.other);
    return offer;
  };

  return (currency) => {
    const now = stamp();
    if (cache.stamp !== now) cache = { stamp: now, offers: new Map() };
    let offer = cache.offers.get(currency);
    if (!offer) {
      offer = read(currency);
      cache.offers.set(currency, offer);
    }
    return offer;
  };
}
