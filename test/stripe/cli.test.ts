/**
 * `billing-elements stripe-setup` and `billing-elements serve --engine stripe` as processes,
 * with the SDK sent to the stand-in of the Stripe API (`STRIPE_API_BASE`, for tests): the
 * catalog written, a second run creating nothing, the handler served in front of the Stripe
 * engine, and the one-line refusals (no key, a live key, no catalog, the reference engine's
 * options). Every process started is killed after the suite.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Plan, Problem, Subscription } from '../../src/contract/index.js';
import { parseStripeCatalog } from '../../src/stripe/setup/catalog-file.js';
import { hidePeers } from '../server/hide-peers.js';
import { killCliProcesses, startCli, type CliProcess } from '../support/node/cli-process.js';
import { SETUP_NOW, SETUP_SUBSCRIBED, seedSetupCustomers } from './setup-fixture.js';
import { startStandIn, type StandIn } from './stand-in.js';

const dir = mkdtempSync(join(tmpdir(), 'billing-elements-stripe-cli-'));
let standIn: StandIn;

before(async () => {
  standIn = await startStandIn({ now: SETUP_NOW.getTime() / 1000 });
});
after(async () => {
  killCliProcesses();
  rmSync(dir, { recursive: true, force: true });
  await standIn.close();
});

/** The CLI with the SDK sent to the stand-in and a test key, unless `env` says otherwise (`undefined` removes a variable). */
function cli(args: string[], env: Record<string, string | undefined> = {}, nodeArgs: string[] = []): CliProcess {
  const { STRIPE_SECRET_KEY: _key, STRIPE_API_BASE: _base, ...inherited } = process.env;
  const environment: Record<string, string | undefined> = { ...inherited, STRIPE_SECRET_KEY: 'sk_test_cli', STRIPE_API_BASE: standIn.url, ...env };
  for (const [name, value] of Object.entries(environment)) if (value === undefined) delete environment[name];
  return startCli(args, { nodeArgs, spawnOptions: { env: environment } });
}

/** The exit code, or `'still running'` (then killed) after 30 s: a refusal that regressed would serve forever. */
async function settled(run: CliProcess): Promise<number | null | 'still running'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'still running'>((resolve) => (timer = setTimeout(() => resolve('still running'), 30_000)));
  const result = await Promise.race([run.exited, timeout]);
  clearTimeout(timer);
  if (result === 'still running') run.child.kill('SIGKILL');
  return result;
}

const catalogFile = join(dir, 'stripe-catalog.json');

describe('billing-elements stripe-setup', () => {
  it('creates the demo catalog in an empty account and writes the StripeCatalog; a second run creates nothing and prints the same', async () => {
    const dry = cli(['stripe-setup', '--dry-run']);
    assert.equal(await dry.exited, 0, dry.output().stderr);
    assert.match(dry.output().stderr, /test mode, dry run: would create 9 Products and 16 Prices, update 0; nothing was written/);
    assert.equal(dry.output().stdout, '');
    assert.equal(standIn.products.size, 0, 'a dry run writes nothing');

    const first = cli(['stripe-setup', '--out', catalogFile]);
    assert.equal(await first.exited, 0, first.output().stderr);
    assert.match(first.output().stderr, /test mode: created 9 Products and 16 Prices, updated 0; the StripeCatalog is in /);
    const written = parseStripeCatalog(JSON.parse(readFileSync(catalogFile, 'utf8')));
    assert.deepEqual(written.plans.map((plan) => plan.id), ['essentiel', 'pro', 'entreprise']);
    assert.equal(standIn.prices.size, 16);

    const second = cli(['stripe-setup']);
    assert.equal(await second.exited, 0, second.output().stderr);
    assert.match(second.output().stderr, /created 0 Products and 0 Prices, updated 0/);
    assert.deepEqual(JSON.parse(second.output().stdout), written, 'stdout is the StripeCatalog, the same ids');
    assert.equal(standIn.prices.size, 16);
  });

  it('reads a catalog file instead of the demo', async () => {
    const file = join(dir, 'source.json');
    writeFileSync(file, JSON.stringify({ currency: 'JPY', plans: [{ id: 'basic', name: 'Basic', rank: 1, prices: { month: 1200 } }], modules: [] }));
    const run = cli(['stripe-setup', '--catalog', file]);
    assert.equal(await run.exited, 0, run.output().stderr);
    const catalog = parseStripeCatalog(JSON.parse(run.output().stdout));
    const price = standIn.prices.get(catalog.plans[0]!.prices.month!);
    assert.deepEqual([price?.currency, price?.unit_amount, price?.lookup_key], ['jpy', 1200, 'billing_elements:plan:basic:month:jpy']);
  });

  it('refuses in one line, exit code 2: no key, a live key without --live, a bad catalog file', async () => {
    const cases: [string[], Record<string, string | undefined>, RegExp][] = [
      [['stripe-setup'], { STRIPE_SECRET_KEY: undefined }, /^billing-elements: STRIPE_SECRET_KEY is not set/],
      [['stripe-setup'], { STRIPE_SECRET_KEY: 'sk_live_abc' }, /^billing-elements: STRIPE_SECRET_KEY is a live-mode key: pass --live to set up in live mode/],
      [['stripe-setup', '--catalog', join(dir, 'missing.json')], {}, /--catalog .*missing\.json: no such file\./],
      [['stripe-setup', '--catalog', catalogFile], {}, /--catalog .*: the catalog is not valid: catalog\.currency/],
    ];
    const runs = cases.map(([args, env, message]) => ({ args, message, run: cli(args, env) }));
    for (const { args, message, run } of runs) {
      assert.equal(await settled(run), 2, `${args.join(' ')}: ${run.output().stderr}`);
      assert.match(run.output().stderr, message);
      assert.ok(!run.output().stderr.includes('sk_live_abc'), 'the key is never printed');
    }
  });
});

describe('billing-elements serve --engine stripe', () => {
  it('serves the handler in front of the Stripe engine: the subscription and the plans of the --customer', async () => {
    const catalog = parseStripeCatalog(JSON.parse(readFileSync(catalogFile, 'utf8')));
    seedSetupCustomers(standIn, catalog);
    const run = cli(['serve', '--engine', 'stripe', '--stripe-catalog', catalogFile, '--customer', SETUP_SUBSCRIBED, '--port', '0']);
    const url = await run.url;
    assert.match(run.output().stdout, /from Stripe \(test mode, 3 plans, 6 modules; as cus_setup_subscribed\)/);

    const subscription = Subscription.parse(await (await fetch(`${url}/v1/subscription`)).json());
    assert.equal(subscription.plan.id, 'pro');
    assert.deepEqual(subscription.activeModuleIds, ['e-invoicing', 'e-signature'], 'Pro includes e-invoicing');
    const plans = (await (await fetch(`${url}/v1/plans`)).json()) as { data: unknown[] };
    const parsed = plans.data.map((plan) => Plan.parse(plan));
    assert.deepEqual(
      parsed.map((plan) => [plan.id, plan.change.direction, plan.prices[0]?.price.amountMinor]),
      [
        ['essentiel', 'downgrade', 1900],
        ['pro', 'current', 4900],
        ['entreprise', 'upgrade', 14900],
      ],
    );

    // The cookie names another customer of the account; one Stripe does not know is 401.
    const other = await fetch(`${url}/v1/subscription`, { headers: { Cookie: 'billing_customer=cus_setup_other' } });
    assert.equal(Subscription.parse(await other.json()).plan.id, 'essentiel');
    const stranger = await fetch(`${url}/v1/subscription`, { headers: { Cookie: 'billing_customer=cus_nobody' } });
    assert.equal(stranger.status, 401);
    assert.equal(Problem.parse(await stranger.json()).code, 'unauthenticated');

    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 0);
  });

  it('refuses in one line, exit code 2: no key, a live key without --live, no catalog, the reference engine options', async () => {
    const serve = ['serve', '--engine', 'stripe', '--port', '0'];
    const cases: [string[], Record<string, string | undefined>, RegExp][] = [
      [[...serve, '--stripe-catalog', catalogFile], { STRIPE_SECRET_KEY: undefined }, /STRIPE_SECRET_KEY is not set/],
      [[...serve, '--stripe-catalog', catalogFile], { STRIPE_SECRET_KEY: 'sk_live_abc' }, /STRIPE_SECRET_KEY is a live-mode key: pass --live to serve in live mode/],
      [[...serve, '--stripe-catalog', catalogFile], { STRIPE_SECRET_KEY: 'pk_test_abc' }, /STRIPE_SECRET_KEY is a publishable key/],
      [serve, {}, /--engine stripe needs --stripe-catalog FILE/],
      [[...serve, '--stripe-catalog', join(dir, 'missing.json')], {}, /--stripe-catalog .*missing\.json: no such file\./],
      [[...serve, '--stripe-catalog', catalogFile, '--db', join(dir, 'x.db')], {}, /--db is for the reference engine: with --engine stripe, Stripe holds the data\./],
      [['serve', '--db', join(dir, 'x.db'), '--customer', 'cus_x'], {}, /--customer is for --engine stripe\./],
      [['serve', '--engine', 'chargebee', '--db', join(dir, 'x.db')], {}, /--engine chargebee: only "reference" and "stripe" exist\./],
    ];
    const runs = cases.map(([args, env, message]) => ({ args, message, run: cli(args, env) }));
    for (const { args, message, run } of runs) {
      assert.equal(await settled(run), 2, `${args.join(' ')}: ${run.output().stderr}`);
      assert.match(run.output().stderr, message);
      assert.equal(run.output().stderr.trim().split('\n').length, 2, 'one line, and the --help hint');
    }
  });

  it('says in one line, exit code 1, that it needs the stripe package when it is not installed', async () => {
    for (const args of [['serve', '--engine', 'stripe', '--stripe-catalog', catalogFile, '--port', '0'], ['stripe-setup']]) {
      const run = cli(args, {}, hidePeers(['stripe'], dir));
      assert.equal(await settled(run), 1, run.output().stderr);
      assert.equal(
        run.output().stderr.trim(),
        'billing-elements: the CLI needs stripe for --engine stripe and stripe-setup, an optional peer dependency: npm install stripe@23',
      );
    }
  });

  it('does not start (exit code 1) when --customer is not a customer of the account', async () => {
    const run = cli(['serve', '--engine', 'stripe', '--stripe-catalog', catalogFile, '--customer', 'cus_nobody', '--port', '0']);
    assert.equal(await settled(run), 1);
    assert.equal(run.output().stderr.trim(), 'billing-elements: --customer cus_nobody: no such customer in this Stripe account (test mode).');
  });

  it('does not start (exit code 1) when the account does not have the catalog’s Prices', async () => {
    const file = join(dir, 'wrong-catalog.json');
    writeFileSync(file, JSON.stringify({ plans: [{ id: 'ghost', rank: 1, prices: { month: 'price_ghost' } }], modules: [] }));
    const run = cli(['serve', '--engine', 'stripe', '--stripe-catalog', file, '--port', '0']);
    assert.equal(await settled(run), 1);
    assert.equal(run.output().stderr.trim(), `billing-elements: cannot use the Stripe catalog ${file}: Stripe catalog: plan ghost: no Price price_ghost in this Stripe account`);
  });
});
