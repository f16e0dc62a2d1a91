/**
 * `billing-elements stripe-setup`: creates a catalog's Products and Prices in a Stripe account
 * (finding what a previous run created) and prints or writes the `StripeCatalog` naming them.
 */
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isMissingPeer, PEERS } from '../server/peer.js';
import { makeDirectory } from './directories.js';
import { firstLine, StartError, UsageError } from './errors.js';
import { readJson } from './options.js';
import { load } from './peers.js';
import { stripeClient, stripeProblem } from './stripe-client.js';

export async function runStripeSetup(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      catalog: { type: 'string' },
      language: { type: 'string' },
      out: { type: 'string' },
      live: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  if (values['dry-run'] && values.out !== undefined) throw new UsageError('--dry-run writes nothing: leave out --out.');
  if (values.catalog !== undefined && values.language !== undefined) throw new UsageError('--language is for the demo catalog: a --catalog file has its own names.');
  const { parseSetupCatalog } = await import('../stripe/setup/source.js');
  let source: ReturnType<typeof parseSetupCatalog>;
  if (values.catalog !== undefined) {
    try {
      source = parseSetupCatalog(readJson(values.catalog, '--catalog'));
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`--catalog ${values.catalog}: ${(error as Error).message}`);
    }
  }
  const { stripe, mode } = await stripeClient(values.live, 'set up');
  if (values.catalog === undefined) {
    const { demoSetupCatalog } = await load(() => import('../stripe/setup/demo-source.js'));
    try {
      source = await demoSetupCatalog(values.language === undefined ? [] : [values.language]);
    } catch (error) {
      if (isMissingPeer(error)) throw new StartError(`the demo catalog needs ${error.peer}, an optional peer dependency: npm install ${PEERS[error.peer]} (or pass --catalog FILE)`);
      throw error;
    }
  }
  const { setupStripeCatalog } = await import('../stripe/setup/setup.js');
  let result: Awaited<ReturnType<typeof setupStripeCatalog>>;
  try {
    result = await setupStripeCatalog({ stripe, catalog: source!, log: (line) => console.error(line), dryRun: values['dry-run'] });
  } catch (error) {
    throw new StartError(`stripe-setup (${mode} mode): ${stripeProblem(error)}`);
  }
  if (values['dry-run']) {
    const changes = result.updated.products.length + result.updated.prices.length;
    console.error(
      `billing-elements: ${mode} mode, dry run: would create ${result.created.products.length} Products and ${result.created.prices.length} Prices, update ${changes}; nothing was written`,
    );
    return;
  }
  const json = `${JSON.stringify(result.catalog, null, 2)}\n`;
  const summary = `${mode} mode: created ${result.created.products.length} Products and ${result.created.prices.length} Prices, updated ${result.updated.products.length + result.updated.prices.length}`;
  if (values.out !== undefined) {
    const out = resolve(values.out);
    try {
      makeDirectory(dirname(out));
      writeFileSync(out, json);
    } catch (error) {
      throw new StartError(`cannot write ${out}: ${firstLine((error as Error).message)}`);
    }
    console.error(`billing-elements: ${summary}; the StripeCatalog is in ${out}`);
  } else {
    console.error(`billing-elements: ${summary}`);
    process.stdout.write(json);
  }
}
