/**
 * A `StripeCatalog` read from JSON — the file `billing-elements stripe-setup --out` writes and
 * `billing-elements serve --engine stripe --stripe-catalog` reads — checked for its shape and
 * for references between its plans and modules before anything asks Stripe.
 */
import * as z from 'zod/mini';
import { BillingEngineError } from '../../server/errors.js';
import { parseInput } from '../../server/validation.js';
import type { StripeCatalog } from '../catalog.js';

const id = z.string().check(z.minLength(1));
const prices = z.object({ month: z.optional(id), year: z.optional(id) });

const StripeCatalogSchema = z.object({
  plans: z.array(
    z.object({
      id,
      rank: z.number(),
      prices,
      limits: z.optional(z.array(z.object({ metricKey: id, limit: z.nullable(z.number()) }))),
      includedModuleIds: z.optional(z.array(id)),
    }),
  ),
  modules: z.array(
    z.object({
      id,
      prices,
      product: z.optional(id),
      requires: z.optional(z.object({ anyOfPlans: z.optional(z.array(id)), allOfModules: z.optional(z.array(id)) })),
      forSale: z.optional(z.boolean()),
    }),
  ),
});

/** `input` (parsed JSON) as a `StripeCatalog`; throws an `Error` with a one-line message otherwise. */
export function parseStripeCatalog(input: unknown): StripeCatalog {
  let catalog: StripeCatalog;
  try {
    catalog = parseInput(StripeCatalogSchema, input, 'catalog');
  } catch (error) {
    if (error instanceof BillingEngineError) throw new Error(`not a Stripe catalog: ${error.detail ?? error.message}`);
    throw error;
  }
  const moduleIds = new Set(catalog.modules.map((module) => module.id));
  const problems: string[] = [];
  if (catalog.plans.length === 0) problems.push('it has no plan');
  for (const plan of catalog.plans) {
    for (const included of plan.includedModuleIds ?? []) {
      if (!moduleIds.has(included)) problems.push(`plan ${plan.id} includes ${included}, which is not a module of the catalog`);
    }
  }
  for (const module of catalog.modules) {
    if (module.prices.month === undefined && module.prices.year === undefined && module.product === undefined) {
      problems.push(`module ${module.id} has neither a price nor a product`);
    }
  }
  if (problems.length > 0) throw new Error(`not a Stripe catalog: ${problems.join('; ')}`);
  return catalog;
}
