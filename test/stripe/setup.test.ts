/**
 * Setting a Stripe account up from a catalog (`src/stripe/setup/`, `billing-elements
 * stripe-setup`), against the stand-in of the Stripe API: what it creates from an empty
 * account, that a second run creates nothing, what it does when the account and the catalog
 * disagree, and that the `StripeCatalog` it answers drives the engine through the whole
 * conformance suite.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { runConformanceSuite } from '../../src/server/testing/index.js';
import { loadCatalog } from '../../src/stripe/catalog.js';
import { createStripeEngine } from '../../src/stripe/index.js';
import { parseStripeCatalog } from '../../src/stripe/setup/catalog-file.js';
import { demoSetupCatalog } from '../../src/stripe/setup/demo-source.js';
import { checkStripeKey, stripeApiBase, stripeKeyMode } from '../../src/stripe/setup/key.js';
import { amountToStripe, SETUP_METADATA, setupLookupKey, setupStripeCatalog } from '../../src/stripe/setup/setup.js';
import { parseSetupCatalog, type SetupCatalog } from '../../src/stripe/setup/source.js';
import { standInClient } from './fixture.js';
import { SETUP_NONE, SETUP_NOW, SETUP_OTHER, SETUP_SUBSCRIBED, seedSetupCustomers } from './setup-fixture.js';
import { startStandIn, type StandIn } from './stand-in.js';

const nowSeconds = SETUP_NOW.getTime() / 1000;
/** Only the calls that write. */
const writes = (standIn: StandIn) => standIn.calls.filter((call) => call.startsWith('POST'));

/** Runs `test` against a fresh stand-in on the setup's clock, closed whatever happens. */
async function withStandIn(test: (standIn: StandIn) => Promise<void>): Promise<void> {
  const standIn = await startStandIn({ now: nowSeconds });
  try {
    await test(standIn);
  } finally {
    await standIn.close();
  }
}

let demo: SetupCatalog;
before(async () => {
  demo = await demoSetupCatalog();
});

describe('the demo catalog as a setup source', () => {
  it('is the reference demo: three plans and six modules in EUR, a year costing ten months, names in French', () => {
    assert.equal(demo.currency, 'EUR');
    assert.deepEqual(demo.plans.map((plan) => [plan.id, plan.rank, plan.prices.month, plan.prices.year]), [
      ['essentiel', 1, 1900, 19000],
      ['pro', 2, 4900, 49000],
      ['entreprise', 3, 14900, 149000],
    ]);
    assert.deepEqual(demo.plans[1]?.includedModuleIds, ['e-invoicing']);
    assert.deepEqual(demo.plans[2]?.limits?.find((limit) => limit.metricKey === 'clients'), { metricKey: 'clients', limit: null });
    const invoicing = demo.modules.find((module) => module.id === 'e-invoicing');
    assert.deepEqual(invoicing?.prices, {}, 'only ever included: no price');
    assert.equal(invoicing?.name, 'Facturation électronique');
    assert.deepEqual(demo.modules.find((module) => module.id === 'multi-currency')?.requires, { anyOfPlans: ['entreprise'] });
    assert.deepEqual(demo.modules.find((module) => module.id === 'e-signature')?.prices, { month: 900, year: 9000 });
    assert.deepEqual(parseSetupCatalog(demo), demo, 'a valid setup catalog');
  });

  it('speaks English when asked', async () => {
    const english = await demoSetupCatalog(['en']);
    assert.equal(english.modules.find((module) => module.id === 'e-invoicing')?.name, 'E-invoicing');
  });
});

describe('setting up an empty Stripe account', () => {
  it('creates one Product per plan and module and one Price per interval, with metadata and lookup keys, then nothing on a second run', () =>
    withStandIn(async (standIn) => {
      const stripe = standInClient(standIn);
      const first = await setupStripeCatalog({ stripe, catalog: demo });
      assert.equal(first.created.products.length, 9);
      assert.equal(first.created.prices.length, 16, '3 plans and 5 priced modules, monthly and yearly');
      assert.deepEqual(first.updated, { products: [], prices: [] });
      assert.equal(standIn.products.size, 9);
      assert.equal(standIn.prices.size, 16);

      const pro = first.catalog.plans.find((plan) => plan.id === 'pro')!;
      assert.deepEqual(Object.keys(pro.prices), ['month', 'year']);
      const proMonth = standIn.prices.get(pro.prices.month!)!;
      assert.equal(proMonth.unit_amount, 4900);
      assert.equal(proMonth.currency, 'eur');
      assert.deepEqual(proMonth.recurring && [proMonth.recurring.interval, proMonth.recurring.interval_count], ['month', 1]);
      assert.equal(proMonth.lookup_key, 'billing_elements:plan:pro:month:eur');
      const proProduct = standIn.products.get(proMonth.product as string)!;
      assert.equal(proProduct.name, 'Pro');
      assert.deepEqual(proProduct.metadata, {
        [SETUP_METADATA.kind]: 'plan',
        [SETUP_METADATA.id]: 'pro',
        [SETUP_METADATA.rank]: '2',
        [SETUP_METADATA.limits]: 'clients=500,documents=1000,orders=300',
        [SETUP_METADATA.includedModules]: 'e-invoicing',
      });
      const reminders = first.catalog.modules.find((module) => module.id === 'auto-reminders')!;
      assert.deepEqual(reminders.requires, { allOfModules: ['e-invoicing'] });
      assert.equal(standIn.products.get(reminders.product!)?.metadata[SETUP_METADATA.requiresModules], 'e-invoicing');
      const invoicing = first.catalog.modules.find((module) => module.id === 'e-invoicing')!;
      assert.deepEqual(invoicing.prices, {});
      assert.equal(standIn.products.get(invoicing.product!)?.name, 'Facturation électronique');

      const writesBefore = writes(standIn).length;
      const second = await setupStripeCatalog({ stripe, catalog: demo });
      assert.deepEqual(second.created, { products: [], prices: [] });
      assert.deepEqual(second.updated, { products: [], prices: [] });
      assert.deepEqual(second.catalog, first.catalog, 'the same ids');
      assert.equal(writes(standIn).length, writesBefore, 'no write at all');
      assert.equal(standIn.products.size, 9);
      assert.equal(standIn.prices.size, 16);

      // The catalog it answers is one the engine can load, with the source's names and amounts.
      const loaded = await loadCatalog(stripe, parseStripeCatalog(JSON.parse(JSON.stringify(first.catalog))));
      assert.deepEqual(
        [...loaded.plans.values()].map((plan) => [plan.id, plan.name, plan.prices.map((price) => price.money.amountMinor)]),
        [
          ['essentiel', 'Essentiel', [1900, 19000]],
          ['pro', 'Pro', [4900, 49000]],
          ['entreprise', 'Entreprise', [14900, 149000]],
        ],
      );
    }));

  it('a dry run only reads: it says what it would create, then what it would change', () =>
    withStandIn(async (standIn) => {
      const stripe = standInClient(standIn);
      const lines: string[] = [];
      const dry = await setupStripeCatalog({ stripe, catalog: demo, dryRun: true, log: (line) => lines.push(line) });
      assert.deepEqual(writes(standIn), [], 'no write');
      assert.equal(dry.created.products.length, 9);
      assert.equal(dry.created.prices.length, 16);
      assert.equal(dry.catalog.plans.find((plan) => plan.id === 'pro')?.prices.month, 'new:plan:pro:month');
      assert.ok(lines.includes('would create Price new:plan:pro:month (billing_elements:plan:pro:month:eur)'), lines.join('\n'));

      const real = await setupStripeCatalog({ stripe, catalog: demo });
      const essentiel = standIn.prices.get(real.catalog.plans[0]!.prices.month!)!;
      standIn.products.get(essentiel.product as string)!.name = 'Renamed in the Dashboard';
      const writesBefore = writes(standIn).length;
      const again = await setupStripeCatalog({ stripe, catalog: demo, dryRun: true });
      assert.deepEqual(again.created, { products: [], prices: [] });
      assert.deepEqual(again.updated, { products: [essentiel.product], prices: [] });
      assert.equal(writes(standIn).length, writesBefore, 'still no write');
      assert.equal(standIn.products.get(essentiel.product as string)?.name, 'Renamed in the Dashboard');
    }));

  it('leaves Products and Prices of the account that are not its own alone', () =>
    withStandIn(async (standIn) => {
      standIn.addProduct({ id: 'prod_other', name: 'Pro', metadata: { team: 'growth' } });
      standIn.addPrice({ id: 'price_other', product: 'prod_other', currency: 'eur', unitAmount: 4900, interval: 'month', lookupKey: 'pro_monthly' });
      const result = await setupStripeCatalog({ stripe: standInClient(standIn), catalog: demo });
      assert.notEqual(result.catalog.plans.find((plan) => plan.id === 'pro')?.prices.month, 'price_other');
      assert.equal(standIn.products.get('prod_other')?.name, 'Pro');
      assert.deepEqual(standIn.products.get('prod_other')?.metadata, { team: 'growth' });
      assert.equal(standIn.prices.get('price_other')?.lookup_key, 'pro_monthly');
    }));

  it('brings a Product up to date (name, description, metadata, archived) and takes an archived Price back', () =>
    withStandIn(async (standIn) => {
      const stripe = standInClient(standIn);
      const first = await setupStripeCatalog({ stripe, catalog: demo });
      const essentiel = first.catalog.plans.find((plan) => plan.id === 'essentiel')!;
      const product = standIn.products.get(standIn.prices.get(essentiel.prices.month!)!.product as string)!;
      product.name = 'Old name';
      product.active = false;
      product.metadata[SETUP_METADATA.rank] = '9';
      standIn.prices.get(essentiel.prices.year!)!.active = false;

      const renamed: SetupCatalog = { ...demo, plans: demo.plans.map((plan) => (plan.id === 'essentiel' ? { ...plan, description: undefined } : plan)) };
      const second = await setupStripeCatalog({ stripe, catalog: JSON.parse(JSON.stringify(renamed)) });
      assert.deepEqual(second.created, { products: [], prices: [] });
      assert.deepEqual(second.updated, { products: [product.id], prices: [essentiel.prices.year] });
      assert.equal(product.name, 'Essentiel');
      assert.equal(product.description, null);
      assert.equal(product.active, true);
      assert.equal(product.metadata[SETUP_METADATA.rank], '1');
      assert.equal(standIn.prices.get(essentiel.prices.year!)?.active, true);
      assert.deepEqual(second.catalog, first.catalog);
    }));

  it('stops on an active Price that disagrees with the catalog, and replaces an archived one, moving its lookup key', () =>
    withStandIn(async (standIn) => {
      const stripe = standInClient(standIn);
      const first = await setupStripeCatalog({ stripe, catalog: demo });
      const dearer: SetupCatalog = { ...demo, plans: demo.plans.map((plan) => (plan.id === 'pro' ? { ...plan, prices: { ...plan.prices, month: 5900 } } : plan)) };
      const oldPrice = first.catalog.plans.find((plan) => plan.id === 'pro')!.prices.month!;
      const pricesBefore = standIn.prices.size;

      await assert.rejects(setupStripeCatalog({ stripe, catalog: dearer }), (error: Error) => {
        assert.match(error.message, new RegExp(`plan pro: the Price ${oldPrice} \\(lookup key billing_elements:plan:pro:month:eur\\) is not 5900 EUR per month`));
        assert.match(error.message, /archive it in the Stripe Dashboard and run again/);
        return true;
      });
      assert.equal(standIn.prices.size, pricesBefore, 'nothing created');

      standIn.prices.get(oldPrice)!.active = false; // archived in the Dashboard
      const third = await setupStripeCatalog({ stripe, catalog: dearer });
      const newPrice = third.catalog.plans.find((plan) => plan.id === 'pro')!.prices.month!;
      assert.deepEqual(third.created, { products: [], prices: [newPrice] });
      assert.notEqual(newPrice, oldPrice);
      assert.equal(standIn.prices.get(newPrice)?.unit_amount, 5900);
      assert.equal(standIn.prices.get(newPrice)?.lookup_key, setupLookupKey('plan', 'pro', 'month', 'EUR'));
      assert.equal(standIn.prices.get(oldPrice)?.lookup_key, null, 'the lookup key moved');
    }));

  it('converts amounts to the units Stripe counts in: ISK in hundredths, MGA in whole units, JPY as it is', () => {
    assert.equal(amountToStripe(1900, 'EUR'), 1900);
    assert.equal(amountToStripe(1200, 'JPY'), 1200);
    assert.equal(amountToStripe(1500, 'ISK'), 150000);
    assert.equal(amountToStripe(500000, 'MGA'), 5000);
    assert.throws(() => amountToStripe(50050, 'MGA'), /cannot be charged by Stripe/);
  });
});

describe('catalog files', () => {
  it('a setup catalog names what is wrong with it, in one line', () => {
    assert.throws(() => parseSetupCatalog({ currency: 'EUR', plans: [{ id: 'a', name: 'A', rank: 1, prices: { month: 9.5 } }], modules: [] }), /catalog\.plans\.0\.prices\.month/);
    assert.throws(
      () =>
        parseSetupCatalog({
          currency: 'EUR',
          plans: [{ id: 'a', name: 'A', rank: 1, prices: {}, includedModuleIds: ['nope'] }],
          modules: [{ id: 'm', name: 'M', prices: { month: 100 }, requires: { anyOfPlans: ['b'] } }],
        }),
      (error: Error) => {
        assert.equal(
          error.message,
          'the catalog is not valid: plan a has no price; plan a includes nope, which is not a module of the catalog; module m requires plan b, which is not in the catalog',
        );
        return true;
      },
    );
  });

  it('a Stripe catalog file is checked before Stripe is asked', () => {
    assert.throws(() => parseStripeCatalog({ plans: [{ id: 'a', rank: '1', prices: {} }], modules: [] }), /not a Stripe catalog: catalog\.plans\.0\.rank/);
    assert.throws(() => parseStripeCatalog({ plans: [], modules: [] }), /it has no plan/);
    assert.throws(() => parseStripeCatalog({ plans: [{ id: 'a', rank: 1, prices: {}, includedModuleIds: ['x'] }], modules: [{ id: 'y', prices: {} }] }), /plan a includes x.*module y has neither a price nor a product/);
  });
});

describe('Stripe keys', () => {
  it('tells test keys from live keys and from what is not a secret key', () => {
    assert.equal(stripeKeyMode('sk_test_51Abc'), 'test');
    assert.equal(stripeKeyMode('rk_test_51Abc'), 'test');
    assert.equal(stripeKeyMode('sk_live_51Abc'), 'live');
    assert.equal(stripeKeyMode('pk_test_51Abc'), null);
    assert.equal(stripeKeyMode('sk_test_'), null);
  });

  it('refuses a missing key, a publishable key and a live key unless allowed, never echoing the key', () => {
    const missing = checkStripeKey(undefined, { allowLive: false });
    assert.equal(missing.ok, false);
    assert.match(!missing.ok ? missing.message : '', /STRIPE_SECRET_KEY is not set/);
    const publishable = checkStripeKey('pk_test_123abc', { allowLive: false });
    assert.match(!publishable.ok ? publishable.message : '', /a publishable key/);
    const live = checkStripeKey('sk_live_secretvalue', { allowLive: false, liveHint: 'pass --live.' });
    assert.equal(live.ok, false);
    assert.equal(!live.ok ? live.message : '', 'STRIPE_SECRET_KEY is a live-mode key: pass --live.');
    assert.ok(!JSON.stringify([missing, publishable, live]).includes('secretvalue'));
    assert.deepEqual(checkStripeKey('sk_live_secretvalue', { allowLive: true }), { ok: true, key: 'sk_live_secretvalue', mode: 'live' });
    assert.deepEqual(checkStripeKey(' sk_test_abc\n', { allowLive: false }), { ok: true, key: 'sk_test_abc', mode: 'test' });
  });

  it('reads STRIPE_API_BASE as the SDK host, port and protocol', () => {
    assert.equal(stripeApiBase(undefined), undefined);
    assert.deepEqual(stripeApiBase('http://127.0.0.1:12111'), { host: '127.0.0.1', port: 12111, protocol: 'http' });
    assert.deepEqual(stripeApiBase('https://stripe.internal'), { host: 'stripe.internal', port: 443, protocol: 'https' });
    assert.throws(() => stripeApiBase('http://127.0.0.1:1/v1'), /scheme, host and port only/);
    assert.throws(() => stripeApiBase('nope'), /not a URL/);
  });
});

// The catalog setup answers, from an empty account, drives the engine through every check.
runConformanceSuite({
  name: 'the Stripe engine over the catalog stripe-setup created (stand-in)',
  setup: async () => {
    const standIn = await startStandIn({ now: nowSeconds });
    const stripe = standInClient(standIn);
    const { catalog } = await setupStripeCatalog({ stripe, catalog: demo });
    seedSetupCustomers(standIn, catalog);
    return {
      engine: createStripeEngine({ stripe, catalog, now: () => SETUP_NOW }),
      customers: { subscribed: SETUP_SUBSCRIBED, other: SETUP_OTHER, withoutSubscription: SETUP_NONE },
      now: SETUP_NOW,
      teardown: () => standIn.close(),
    };
  },
});
