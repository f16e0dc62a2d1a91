/**
 * The catalog: which Stripe Prices are the plans and modules of the contract. Stripe has
 * Products and Prices but no notion of a plan's rank, its limits, the modules it includes or
 * a module's requirements, so the host says them here; names and descriptions come from the
 * Products, amounts, currencies and intervals from the Prices.
 */
import type Stripe from 'stripe';
import type { Interval, Money } from '../contract/index.js';
import { stripeCall } from './errors.js';
import { moneyFromStripe } from './money.js';

/** A plan: a Stripe Product with one recurring Price per interval it is sold at. */
export interface StripeCatalogPlan {
  /** The plan's id in the contract. */
  id: string;
  /** Orders plans from low to high: a higher rank is an upgrade. */
  rank: number;
  /** Stripe Price ids (`price_…`) by billing interval. */
  prices: Partial<Record<Interval, string>>;
  limits?: { metricKey: string; limit: number | null }[];
  /** Modules the plan includes at no extra charge. */
  includedModuleIds?: string[];
}

/** A module: a Stripe Product with one recurring Price per interval, added to the subscription as an item. */
export interface StripeCatalogModule {
  /** The module's id in the contract. */
  id: string;
  /** Stripe Price ids by billing interval; none for a module that is only ever included in plans. */
  prices: Partial<Record<Interval, string>>;
  /** Only needed for a module that has no Price: the Stripe Product its name and description come from. */
  product?: string;
  requires?: { anyOfPlans?: string[]; allOfModules?: string[] };
  /** `false`: shown but not sold (`not_for_sale`). Default `true`. */
  forSale?: boolean;
}

export interface StripeCatalog {
  plans: StripeCatalogPlan[];
  modules: StripeCatalogModule[];
}

export interface CatalogPrice {
  priceId: string;
  interval: Interval;
  money: Money;
}

export interface CatalogEntry {
  kind: 'plan' | 'module';
  id: string;
  name: string;
  description?: string;
  prices: CatalogPrice[];
}

/** The catalog with what Stripe knows of it: names, amounts, and which Price is what. */
export interface LoadedCatalog {
  config: StripeCatalog;
  plans: Map<string, CatalogEntry>;
  modules: Map<string, CatalogEntry>;
  /** Every Price of the catalog by its Stripe id. */
  byPrice: Map<string, { kind: 'plan' | 'module'; id: string; price: CatalogPrice }>;
  /** Plan or module id by Stripe Product id. */
  byProduct: Map<string, { kind: 'plan' | 'module'; id: string }>;
}

const INTERVALS: readonly Interval[] = ['month', 'year'];

/**
 * Reads the catalog's Prices (with their Products, `expand[]=data.product`) from Stripe:
 * `prices.list` walked page by page, then `products.retrieve` for modules without a Price.
 * Throws when the config names a Price Stripe does not have, or one that is not recurring at
 * the interval it is listed under: a wrong catalog is a setup error, not a customer's.
 */
export async function loadCatalog(stripe: Stripe, config: StripeCatalog): Promise<LoadedCatalog> {
  const wanted = new Set<string>();
  for (const entry of [...config.plans, ...config.modules]) {
    for (const interval of INTERVALS) {
      const priceId = entry.prices[interval];
      if (priceId !== undefined) wanted.add(priceId);
    }
  }
  const prices = new Map<string, Stripe.Price>();
  await stripeCall(async () => {
    for await (const price of stripe.prices.list({ limit: 100, expand: ['data.product'] })) {
      if (wanted.has(price.id)) prices.set(price.id, price);
    }
  });

  const loaded: LoadedCatalog = { config, plans: new Map(), modules: new Map(), byPrice: new Map(), byProduct: new Map() };
  const build = async (kind: 'plan' | 'module', entry: StripeCatalogPlan | StripeCatalogModule, productId?: string): Promise<CatalogEntry> => {
    const catalogPrices: CatalogPrice[] = [];
    let product: Stripe.Product | null = null;
    for (const interval of INTERVALS) {
      const priceId = entry.prices[interval];
      if (priceId === undefined) continue;
      const price = prices.get(priceId);
      if (!price) throw new Error(`Stripe catalog: ${kind} ${entry.id}: no Price ${priceId} in this Stripe account`);
      if (price.recurring?.interval !== interval || price.recurring.interval_count !== 1 || price.unit_amount === null) {
        throw new Error(`Stripe catalog: ${kind} ${entry.id}: Price ${priceId} is not a fixed price per ${interval}`);
      }
      if (typeof price.product === 'object' && !('deleted' in price.product && price.product.deleted)) product = price.product as Stripe.Product;
      catalogPrices.push({ priceId, interval, money: moneyFromStripe(price.unit_amount, price.currency) });
    }
    if (!product && productId !== undefined) product = await stripeCall(() => stripe.products.retrieve(productId));
    if (!product) throw new Error(`Stripe catalog: ${kind} ${entry.id}: no Price and no Product to name it`);
    const result: CatalogEntry = { kind, id: entry.id, name: product.name, prices: catalogPrices };
    if (product.description) result.description = product.description;
    for (const price of catalogPrices) loaded.byPrice.set(price.priceId, { kind, id: entry.id, price });
    loaded.byProduct.set(product.id, { kind, id: entry.id });
    return result;
  };
  for (const plan of config.plans) loaded.plans.set(plan.id, await build('plan', plan));
  for (const module of config.modules) loaded.modules.set(module.id, await build('module', module, module.product));
  return loaded;
}

/** The price of a plan or module at an interval, if it is sold at it. */
export function priceAt(entry: CatalogEntry, interval: Interval): CatalogPrice | undefined {
  return entry.prices.find((price) => price.interval === interval);
}
