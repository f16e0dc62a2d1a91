/** `billing-elements serve --engine stripe`: the contract served from a Stripe account. */
import { cookie } from './demo-customer.js';
import { StartError, UsageError } from './errors.js';
import { lineLogger, listen } from './listen.js';
import { readJson, type ServeOptions } from './options.js';
import { load } from './peers.js';
import { stripeClient, stripeProblem } from './stripe-client.js';

export async function runStripeServe(options: Extract<ServeOptions, { engine: 'stripe' }>): Promise<void> {
  const { parseStripeCatalog } = await import('../stripe/setup/catalog-file.js');
  let catalog: ReturnType<typeof parseStripeCatalog>;
  try {
    catalog = parseStripeCatalog(readJson(options.stripeCatalog, '--stripe-catalog'));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--stripe-catalog ${options.stripeCatalog}: ${(error as Error).message}`);
  }
  const { stripe, mode } = await stripeClient(options.live, 'serve');
  const { createBillingHandler } = await load(() => import('../server/handler.js'));
  const { createNodeServer } = await load(() => import('../server/node-server.js'));
  const { createStripeEngine } = await import('../stripe/engine.js');
  const { loadCatalog } = await import('../stripe/catalog.js');
  const { EVERY_PERMISSION } = await import('../server/identity.js');
  const { orNull } = await import('../stripe/errors.js');

  // Read the catalog now, so that a wrong key or a Price the account does not have stops the
  // start rather than the first request (the engine reads it again, once, for itself).
  try {
    await loadCatalog(stripe, catalog);
  } catch (error) {
    throw new StartError(`cannot use the Stripe catalog ${options.stripeCatalog}: ${stripeProblem(error)}`);
  }
  const engine = createStripeEngine({ stripe, catalog });

  // Demo only, as for the reference engine: the cookie names the customer; here any customer
  // of the Stripe account (retrieved once, then remembered), else --customer, else nobody.
  const known = new Set<string>();
  const exists = async (customer: string) => {
    if (known.has(customer)) return true;
    // Stripe out of reach is 503 engine_unavailable for the request, as from the engine.
    const found = await orNull(() => stripe.customers.retrieve(customer));
    if (found === null || ('deleted' in found && found.deleted)) return false;
    known.add(customer);
    return true;
  };
  if (options.customer !== undefined) {
    let found: boolean;
    try {
      found = await exists(options.customer);
    } catch (error) {
      throw new StartError(`cannot check --customer ${options.customer}: ${stripeProblem(error)}`);
    }
    if (!found) throw new StartError(`--customer ${options.customer}: no such customer in this Stripe account (${mode} mode).`);
  }
  const resolveCustomer = async (request: Request) => {
    const named = cookie(request, 'billing_customer');
    const customer = named ?? options.customer;
    if (customer === undefined || customer === '' || !(await exists(customer))) return null;
    return { customerId: customer, permissions: EVERY_PERMISSION };
  };

  const handler = createBillingHandler({
    engine,
    resolveCustomer,
    basePath: options.basePath,
    logger: lineLogger,
    ...(options.publicOrigin ? { publicOrigin: options.publicOrigin } : {}),
  });
  const who = options.customer === undefined ? 'no --customer: requests need a billing_customer cookie' : `as ${options.customer}`;
  listen(createNodeServer, handler, options, `from Stripe (${mode} mode, ${catalog.plans.length} plans, ${catalog.modules.length} modules; ${who})`, () => {});
}
