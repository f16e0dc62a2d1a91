/**
 * The catalog to set a Stripe account up from (`billing-elements stripe-setup`): plans and
 * modules as the contract describes them — names, prices in ISO 4217 minor units, rank, limits,
 * included and required modules — before Stripe has ids for them. Read from a JSON file, or
 * from the reference engine's demo (demo-source.ts).
 *
 * ```json
 * {
 *   "currency": "EUR",
 *   "plans": [
 *     { "id": "starter", "name": "Starter", "rank": 1, "prices": { "month": 900, "year": 9000 },
 *       "limits": [{ "metricKey": "seats", "limit": 5 }] },
 *     { "id": "team", "name": "Team", "rank": 2, "prices": { "month": 2900 }, "includedModuleIds": ["reports"] }
 *   ],
 *   "modules": [
 *     { "id": "reports", "name": "Reports", "prices": {} },
 *     { "id": "sso", "name": "Single sign-on", "prices": { "month": 1500 }, "requires": { "anyOfPlans": ["team"] } }
 *   ]
 * }
 * ```
 */
import * as z from 'zod/mini';
import { BillingEngineError } from '../../server/errors.js';
import { parseInput } from '../../server/validation.js';

const id = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1 to 64 letters, digits, ".", "_" or "-"'));
const amount = z.number().check(z.refine((value) => Number.isInteger(value) && value >= 0, 'must be a whole number of minor units, 0 or more'));
const prices = z.object({ month: z.optional(amount), year: z.optional(amount) });
const text = z.string().check(z.minLength(1));

const SetupPlan = z.object({
  id,
  name: text,
  description: z.optional(text),
  rank: z.number(),
  /** Minor units (ISO 4217) per interval. */
  prices,
  limits: z.optional(z.array(z.object({ metricKey: id, limit: z.nullable(z.number()) }))),
  includedModuleIds: z.optional(z.array(id)),
});

const SetupModule = z.object({
  id,
  name: text,
  description: z.optional(text),
  /** Minor units (ISO 4217) per interval; none for a module only ever included in plans. */
  prices,
  requires: z.optional(z.object({ anyOfPlans: z.optional(z.array(id)), allOfModules: z.optional(z.array(id)) })),
  forSale: z.optional(z.boolean()),
});

export const SetupCatalog = z.object({
  /** ISO 4217, e.g. `EUR`: every Price is in this currency. */
  currency: z.string().check(z.regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code such as EUR')),
  plans: z.array(SetupPlan),
  modules: z.array(SetupModule),
});

/** The catalog to create in Stripe: what the contract says of plans and modules, amounts in minor units. */
export type SetupCatalog = z.infer<typeof SetupCatalog>;
export type SetupPlan = z.infer<typeof SetupPlan>;
export type SetupModule = z.infer<typeof SetupModule>;

/**
 * Checks `input` (parsed JSON) as a setup catalog: its shape, then that ids are unique, that
 * every plan is sold at some interval, and that included and required modules and plans exist.
 * Throws an `Error` with a one-line message naming what is wrong.
 */
export function parseSetupCatalog(input: unknown): SetupCatalog {
  let catalog: SetupCatalog;
  try {
    catalog = parseInput(SetupCatalog, input, 'catalog');
  } catch (error) {
    if (error instanceof BillingEngineError) throw new Error(`the catalog is not valid: ${error.detail ?? error.message}`);
    throw error;
  }
  const problems: string[] = [];
  const planIds = new Set<string>();
  const moduleIds = new Set<string>();
  for (const plan of catalog.plans) {
    if (planIds.has(plan.id)) problems.push(`plan ${plan.id} is listed twice`);
    planIds.add(plan.id);
    if (plan.prices.month === undefined && plan.prices.year === undefined) problems.push(`plan ${plan.id} has no price`);
  }
  for (const module of catalog.modules) {
    if (moduleIds.has(module.id)) problems.push(`module ${module.id} is listed twice`);
    moduleIds.add(module.id);
  }
  for (const plan of catalog.plans) {
    for (const included of plan.includedModuleIds ?? []) {
      if (!moduleIds.has(included)) problems.push(`plan ${plan.id} includes ${included}, which is not a module of the catalog`);
    }
  }
  for (const module of catalog.modules) {
    for (const plan of module.requires?.anyOfPlans ?? []) {
      if (!planIds.has(plan)) problems.push(`module ${module.id} requires plan ${plan}, which is not in the catalog`);
    }
    for (const other of module.requires?.allOfModules ?? []) {
      if (!moduleIds.has(other)) problems.push(`module ${module.id} requires module ${other}, which is not in the catalog`);
    }
  }
  if (catalog.plans.length === 0) problems.push('it has no plan');
  if (problems.length > 0) throw new Error(`the catalog is not valid: ${problems.join('; ')}`);
  return { ...catalog, currency: catalog.currency.toUpperCase() };
}
