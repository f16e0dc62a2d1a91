/**
 * The reference engine's demo catalog (seed.ts) as a setup catalog, so that
 * `billing-elements stripe-setup` with no `--catalog` gives a Stripe account the same plans,
 * modules and prices as `billing-elements serve --seed demo`. Read from a demo database in
 * memory, through the engine's own `listPlans`/`listModules` (names in the language asked
 * for: the catalog's own, French, by default) and, for what those answer only relative to a
 * subscription — a module's price at each interval and whether it is sold at all — its
 * tables. Needs better-sqlite3, like the reference engine.
 */
import type { Interval } from '../../contract/index.js';
import { createReferenceEngine } from '../../server/reference/reference-engine.js';
import { NO_SUBSCRIPTION_CUSTOMER_ID, seedDemo } from '../../server/reference/seed.js';
import type { SetupCatalog } from './source.js';

export async function demoSetupCatalog(languages: readonly string[] = []): Promise<SetupCatalog> {
  const engine = createReferenceEngine({ db: ':memory:' });
  try {
    seedDemo(engine);
    const customer = NO_SUBSCRIPTION_CUSTOMER_ID;
    const plans = await engine.listPlans(customer, languages);
    const modules = await engine.listModules(customer, languages);
    const currency = plans[0]?.prices[0]?.price.currency ?? 'EUR';
    const modulePrices = engine.db
      .prepare<[string], { module_id: string; interval: Interval; amount_minor: number }>(
        'SELECT module_id, interval, amount_minor FROM module_prices WHERE currency = ?',
      )
      .all(currency);
    const forSale = new Map(
      engine.db
        .prepare<[], { id: string; for_sale: number }>('SELECT id, for_sale FROM modules')
        .all()
        .map((row) => [row.id, row.for_sale === 1]),
    );
    return {
      currency,
      plans: plans.map((plan) => ({
        id: plan.id,
        name: plan.name,
        ...(plan.description === undefined ? {} : { description: plan.description }),
        rank: plan.rank,
        prices: Object.fromEntries(plan.prices.map((entry) => [entry.interval, entry.price.amountMinor])),
        limits: plan.limits,
        includedModuleIds: plan.includedModuleIds,
      })),
      modules: modules.map((module) => {
        const prices = Object.fromEntries(modulePrices.filter((row) => row.module_id === module.id).map((row) => [row.interval, row.amount_minor]));
        const requires = {
          ...(module.requires.anyOfPlans?.length ? { anyOfPlans: module.requires.anyOfPlans } : {}),
          ...(module.requires.allOfModules?.length ? { allOfModules: module.requires.allOfModules } : {}),
        };
        return {
          id: module.id,
          name: module.name,
          ...(module.description === undefined ? {} : { description: module.description }),
          prices,
          ...(Object.keys(requires).length > 0 ? { requires } : {}),
          // Priced but not sold: shown as not_for_sale. Without a price it is only ever included.
          ...(forSale.get(module.id) === false && Object.keys(prices).length > 0 ? { forSale: false } : {}),
        };
      }),
    };
  } finally {
    engine.close();
  }
}
