/**
 * The reference engine against the conformance suite (`billing-elements/server/testing.js`),
 * and the suite against engines broken on purpose: a check must be able to fail.
 *
 * Fixture: the demo seed at a fixed instant. `cus_demo` is the subscribed customer;
 * `cus_readonly`, made an owner here, is the other one (the seed's only other subscription;
 * as a read-only user it could not schedule the change the isolation check needs).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BillingEngine } from '../../src/server/index.js';
import {
  DEMO_CUSTOMER_ID,
  NO_SUBSCRIPTION_CUSTOMER_ID,
  READ_ONLY_CUSTOMER_ID,
  createReferenceEngine,
  seedDemo,
  type ReferenceEngine,
} from '../../src/server/index.js';
import { conformanceChecks, runConformanceSuite, type ConformanceFixture } from '../../src/server/testing/index.js';
import { NOW, fixedClock } from './helpers.js';

function referenceEngine(): ReferenceEngine {
  const engine = createReferenceEngine({ db: ':memory:', clock: fixedClock });
  seedDemo(engine);
  return engine;
}

function fixture(engine: BillingEngine & { close?(): void } = referenceEngine()): ConformanceFixture {
  return {
    engine,
    customers: { subscribed: DEMO_CUSTOMER_ID, other: READ_ONLY_CUSTOMER_ID, withoutSubscription: NO_SUBSCRIPTION_CUSTOMER_ID },
    now: NOW,
    teardown: () => engine.close?.(),
  };
}

runConformanceSuite({ name: 'the reference engine (SQLite)', setup: () => fixture() });

/** A reference engine with some of its methods replaced by `overrides`, made from the engine itself. */
function broken(overrides: (engine: ReferenceEngine) => Partial<BillingEngine>): BillingEngine & { close(): void } {
  const engine = referenceEngine();
  const replaced = overrides(engine);
  return new Proxy(engine, {
    get(target, property, receiver) {
      if (property in replaced) return replaced[property as keyof BillingEngine];
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('the conformance suite fails engines that break the contract', () => {
  it('a preview whose dueNow is not the sum of its lines', async () => {
    const wrong = broken((engine) => ({
      previewChange: async (...args) => {
        const preview = await engine.previewChange(...args);
        return { ...preview, dueNow: { ...preview.dueNow, amountMinor: preview.dueNow.amountMinor + 1 } };
      },
    }));
    await assert.rejects(conformanceChecks.previewsSumUp(fixture(wrong)), { name: 'AssertionError', message: /the lines add up to dueNow/ });
    wrong.close();
  });

  it('invoice pages that ignore the cursor', async () => {
    const wrong = broken((engine) => ({
      listInvoices: (customer, { cursor: _ignored, ...query }) => engine.listInvoices(customer, query),
    }));
    await assert.rejects(conformanceChecks.invoicePaging(fixture(wrong)), { name: 'AssertionError', message: /the cursor leads to the next invoice/ });
    wrong.close();
  });

  it('an invoice of another customer served by its id', async () => {
    const wrong = broken((engine) => ({
      getInvoice: async (customer, id, languages) =>
        (await engine.getInvoice(customer, id, languages)) ?? (await engine.getInvoice(READ_ONLY_CUSTOMER_ID, id, languages)),
    }));
    await assert.rejects(conformanceChecks.isolation(fixture(wrong)), { name: 'AssertionError', message: /another customer's invoice/ });
    wrong.close();
  });

  it('a commit answered as made but not made', async () => {
    const wrong = broken((engine) => ({
      commitChange: async (customer, _request, _ifMatch, languages) => {
        const subscription = await engine.getSubscription(customer, languages);
        assert.ok(subscription);
        return { subscription, invoice: null };
      },
    }));
    await assert.rejects(conformanceChecks.idempotentCommits(fixture(wrong)), { name: 'AssertionError', message: /the version moves/ });
    wrong.close();
  });
});
