/**
 * Sets a Stripe account up for the Stripe engine from a catalog (source.ts): one Product per
 * plan and module, one recurring Price per interval it is sold at, and answers the
 * `StripeCatalog` that names them, for `createStripeEngine`.
 *
 * Idempotent: what exists is found and reused, so running it again creates nothing.
 * - A Product is found by its metadata (`billing_elements_kind` and `billing_elements_id`),
 *   among every Product of the account (`products.list`, all pages — not `products.search`,
 *   whose index lags writes by up to a minute, so two runs in a row would create twice). Its
 *   name, description and metadata are brought up to date (`products.update`); an archived one
 *   is made active again.
 * - A Price is found by its `lookup_key`, `billing_elements:<plan|module>:<id>:<interval>:<currency>`
 *   (`prices.list({ lookup_keys })`). Stripe never changes a Price's amount: when the one found
 *   differs from the catalog and is active, setup stops and says so (archive it in the
 *   Dashboard and run again); when it is archived, a new Price takes over its lookup key
 *   (`transfer_lookup_key`), and subscriptions on the old one keep it.
 *
 * The metadata hold what Stripe has no field for — rank, limits, included and required
 * modules — for people reading the Dashboard; the engine reads them from the `StripeCatalog`.
 */
import type Stripe from 'stripe';
import type { Interval } from '../../contract/index.js';
import type { StripeCatalog, StripeCatalogModule, StripeCatalogPlan } from '../catalog.js';
import { moneyFromStripe } from '../money.js';
import type { SetupCatalog, SetupModule, SetupPlan } from './source.js';

/** Metadata keys on the Products and Prices setup creates. */
export const SETUP_METADATA = {
  kind: 'billing_elements_kind',
  id: 'billing_elements_id',
  rank: 'billing_elements_rank',
  limits: 'billing_elements_limits',
  includedModules: 'billing_elements_included_modules',
  requiresPlans: 'billing_elements_requires_plans',
  requiresModules: 'billing_elements_requires_modules',
  forSale: 'billing_elements_for_sale',
} as const;

const INTERVALS: readonly Interval[] = ['month', 'year'];

/** The lookup key of the Price of a plan or module at an interval in a currency. */
export function setupLookupKey(kind: 'plan' | 'module', id: string, interval: Interval, currency: string): string {
  return `billing_elements:${kind}:${id}:${interval}:${currency.toLowerCase()}`;
}

/**
 * An amount in ISO 4217 minor units as Stripe counts it (`unit_amount`): the same number except
 * where Stripe's decimals differ (money.ts) — ISK ×100; MGA ÷100, which must then be whole.
 */
export function amountToStripe(amountMinor: number, currency: string): number {
  const perHundred = moneyFromStripe(100, currency).amountMinor;
  const amount = (amountMinor * 100) / perHundred;
  if (!Number.isInteger(amount) || moneyFromStripe(amount, currency).amountMinor !== amountMinor) {
    throw new Error(`${amountMinor} minor units of ${currency.toUpperCase()} cannot be charged by Stripe (it counts ${currency.toUpperCase()} in other units)`);
  }
  return amount;
}

export interface StripeSetupOptions {
  /** The host's client, with a key of the account to set up. */
  stripe: Stripe;
  catalog: SetupCatalog;
  /** One line per Product or Price created, updated or found (default: nothing). */
  log?: (line: string) => void;
  /**
   * Only read the account and say what a run would do: `created` and `updated` list what it
   * would create (as `new:<kind>:<id>[:<interval>]`) or change, and the answered catalog names
   * those placeholders instead of Stripe ids.
   */
  dryRun?: boolean;
}

export interface StripeSetupResult {
  /** For `createStripeEngine({ catalog })`, and what `stripe-setup` prints. */
  catalog: StripeCatalog;
  /** Ids of what this run created or changed: empty on a second run with the same catalog. */
  created: { products: string[]; prices: string[] };
  updated: { products: string[]; prices: string[] };
}

type Kind = 'plan' | 'module';

function productMetadata(kind: Kind, entry: SetupPlan | SetupModule): Record<string, string> {
  const metadata: Record<string, string> = {
    [SETUP_METADATA.kind]: kind,
    [SETUP_METADATA.id]: entry.id,
    [SETUP_METADATA.rank]: '',
    [SETUP_METADATA.limits]: '',
    [SETUP_METADATA.includedModules]: '',
    [SETUP_METADATA.requiresPlans]: '',
    [SETUP_METADATA.requiresModules]: '',
    [SETUP_METADATA.forSale]: '',
  };
  if (kind === 'plan') {
    const plan = entry as SetupPlan;
    metadata[SETUP_METADATA.rank] = String(plan.rank);
    metadata[SETUP_METADATA.limits] = (plan.limits ?? []).map((limit) => `${limit.metricKey}=${limit.limit ?? 'unlimited'}`).join(',');
    metadata[SETUP_METADATA.includedModules] = (plan.includedModuleIds ?? []).join(',');
  } else {
    const module = entry as SetupModule;
    metadata[SETUP_METADATA.requiresPlans] = (module.requires?.anyOfPlans ?? []).join(',');
    metadata[SETUP_METADATA.requiresModules] = (module.requires?.allOfModules ?? []).join(',');
    if (module.forSale === false) metadata[SETUP_METADATA.forSale] = 'false';
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (value.length > 500) throw new Error(`${kind} ${entry.id}: metadata ${key} is longer than Stripe's 500 characters`);
  }
  return metadata;
}

/** The metadata without the keys left empty (Stripe stores none for them). */
const stored = (metadata: Record<string, string>) => Object.fromEntries(Object.entries(metadata).filter(([, value]) => value !== ''));

function sameMetadata(product: Stripe.Product, wanted: Record<string, string>): boolean {
  return Object.entries(wanted).every(([key, value]) => (product.metadata[key] ?? '') === value);
}

/** Creates what is missing of `catalog` in the Stripe account, and answers the `StripeCatalog` naming it. */
export async function setupStripeCatalog(options: StripeSetupOptions): Promise<StripeSetupResult> {
  const { stripe, catalog, dryRun = false } = options;
  const log = options.log ?? (() => {});
  const verb = (present: string, past: string) => (dryRun ? `would ${present}` : past);
  const currency = catalog.currency.toLowerCase();
  const result: StripeSetupResult = {
    catalog: { plans: [], modules: [] },
    created: { products: [], prices: [] },
    updated: { products: [], prices: [] },
  };

  // Every Product setup made before, by kind and id (the first found wins if there are two).
  const existing = new Map<string, Stripe.Product>();
  for await (const product of stripe.products.list({ limit: 100 })) {
    const kind = product.metadata[SETUP_METADATA.kind];
    const entryId = product.metadata[SETUP_METADATA.id];
    if ((kind === 'plan' || kind === 'module') && entryId && !existing.has(`${kind}:${entryId}`)) existing.set(`${kind}:${entryId}`, product);
  }

  // Every Price named by a lookup key the catalog needs, 10 keys a request (Stripe's limit).
  const wantedKeys: string[] = [];
  for (const [kind, entries] of [['plan', catalog.plans], ['module', catalog.modules]] as const) {
    for (const entry of entries) {
      for (const interval of INTERVALS) if (entry.prices[interval] !== undefined) wantedKeys.push(setupLookupKey(kind, entry.id, interval, currency));
    }
  }
  const byLookupKey = new Map<string, Stripe.Price>();
  for (let start = 0; start < wantedKeys.length; start += 10) {
    for await (const price of stripe.prices.list({ lookup_keys: wantedKeys.slice(start, start + 10), limit: 100 })) {
      if (price.lookup_key !== null) byLookupKey.set(price.lookup_key, price);
    }
  }

  /** The id of the entry's Product, found, updated or created. */
  const ensureProduct = async (kind: Kind, entry: SetupPlan | SetupModule): Promise<string> => {
    const metadata = productMetadata(kind, entry);
    const found = existing.get(`${kind}:${entry.id}`);
    if (!found) {
      const id = dryRun
        ? `new:${kind}:${entry.id}`
        : (
            await stripe.products.create({
              name: entry.name,
              ...(entry.description === undefined ? {} : { description: entry.description }),
              metadata: stored(metadata),
            })
          ).id;
      result.created.products.push(id);
      log(`${verb('create', 'created')} Product ${id} for ${kind} ${entry.id}`);
      return id;
    }
    const upToDate =
      found.active && found.name === entry.name && (found.description ?? undefined) === entry.description && sameMetadata(found, metadata);
    if (upToDate) {
      log(`found Product ${found.id} for ${kind} ${entry.id}`);
      return found.id;
    }
    if (!dryRun) await stripe.products.update(found.id, { name: entry.name, description: entry.description ?? '', metadata, active: true });
    result.updated.products.push(found.id);
    log(`${verb('update', 'updated')} Product ${found.id} for ${kind} ${entry.id}`);
    return found.id;
  };

  const ensurePrices = async (kind: Kind, entry: SetupPlan | SetupModule, productId: string): Promise<Partial<Record<Interval, string>>> => {
    const ids: Partial<Record<Interval, string>> = {};
    for (const interval of INTERVALS) {
      const amountMinor = entry.prices[interval];
      if (amountMinor === undefined) continue;
      const unitAmount = amountToStripe(amountMinor, catalog.currency);
      const lookupKey = setupLookupKey(kind, entry.id, interval, currency);
      const found = byLookupKey.get(lookupKey);
      const matches =
        found !== undefined &&
        (typeof found.product === 'string' ? found.product : found.product.id) === productId &&
        found.currency === currency &&
        found.unit_amount === unitAmount &&
        found.type === 'recurring' &&
        found.billing_scheme === 'per_unit' &&
        found.recurring?.interval === interval &&
        found.recurring.interval_count === 1 &&
        found.recurring.usage_type === 'licensed';
      if (found && matches) {
        if (!found.active) {
          if (!dryRun) await stripe.prices.update(found.id, { active: true });
          result.updated.prices.push(found.id);
          log(`${verb('reactivate', 'reactivated')} Price ${found.id} (${lookupKey})`);
        } else {
          log(`found Price ${found.id} (${lookupKey})`);
        }
        ids[interval] = found.id;
        continue;
      }
      if (found?.active) {
        throw new Error(
          `${kind} ${entry.id}: the Price ${found.id} (lookup key ${lookupKey}) is not ${amountMinor} ${catalog.currency} per ${interval} of Product ${productId}, and Stripe never changes a Price: archive it in the Stripe Dashboard and run again (a new Price takes over its lookup key; subscriptions on it keep it)`,
        );
      }
      const id = dryRun
        ? `new:${kind}:${entry.id}:${interval}`
        : (
            await stripe.prices.create({
              product: productId,
              currency,
              unit_amount: unitAmount,
              recurring: { interval },
              lookup_key: lookupKey,
              ...(found ? { transfer_lookup_key: true } : {}),
              metadata: { [SETUP_METADATA.kind]: kind, [SETUP_METADATA.id]: entry.id },
            })
          ).id;
      result.created.prices.push(id);
      log(`${verb('create', 'created')} Price ${id} (${lookupKey})`);
      ids[interval] = id;
    }
    return ids;
  };

  for (const plan of catalog.plans) {
    const productId = await ensureProduct('plan', plan);
    const entry: StripeCatalogPlan = {
      id: plan.id,
      rank: plan.rank,
      prices: await ensurePrices('plan', plan, productId),
      limits: plan.limits ?? [],
      includedModuleIds: plan.includedModuleIds ?? [],
    };
    result.catalog.plans.push(entry);
  }
  for (const module of catalog.modules) {
    const productId = await ensureProduct('module', module);
    const entry: StripeCatalogModule = { id: module.id, prices: await ensurePrices('module', module, productId), product: productId };
    if (module.requires && (module.requires.anyOfPlans?.length || module.requires.allOfModules?.length)) {
      entry.requires = {
        ...(module.requires.anyOfPlans?.length ? { anyOfPlans: module.requires.anyOfPlans } : {}),
        ...(module.requires.allOfModules?.length ? { allOfModules: module.requires.allOfModules } : {}),
      };
    }
    if (module.forSale === false) entry.forSale = false;
    result.catalog.modules.push(entry);
  }
  return result;
}
