/**
 * The reference engine against the conformance suite (`billing-elements/server/testing.js`),
 * and the suite against engines broken on purpose: a check must be able to fail.
 *
 * Fixture: the demo seed at a fixed instant. `cus_demo` is the subscribed customer;
 * `cus_readonly` is the other one (the seed's only other subscription; its user is an owner
 * here, since the suite's resolver names customers alone).
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

/**
 * The reference engine as an engine without versions would be: no `version` on its
 * subscriptions, no `basedOnVersion` on its previews, and a commit that trusts the handler's
 * `If-Match` check (it is given its own version, read just before). The handler derives the
 * versions (subscription-version.ts): the whole suite must still pass.
 */
function withoutVersions(engine: ReferenceEngine): BillingEngine & { close(): void } {
  const strip = <T extends { version?: string }>(subscription: T): T => {
    const { version: _version, ...facts } = subscription;
    return facts as T;
  };
  const ownVersion = async (customer: string) => (await engine.getSubscription(customer))?.version ?? '';
  return {
    ...engine,
    close: () => engine.close(),
    getSubscription: async (customer, languages) => {
      const subscription = await engine.getSubscription(customer, languages);
      return subscription && strip(subscription);
    },
    previewChange: async (customer, request, languages) => {
      const { basedOnVersion: _version, ...preview } = await engine.previewChange(customer, request, languages);
      return preview;
    },
    commitChange: async (customer, request, _ifMatch, languages, context) => {
      const result = await engine.commitChange(customer, request, await ownVersion(customer), languages, context);
      return { ...result, subscription: strip(result.subscription) };
    },
    cancelScheduledChange: async (customer, id, _ifMatch, languages) =>
      strip(await engine.cancelScheduledChange(customer, id, await ownVersion(customer), languages)),
  };
}

runConformanceSuite({ name: 'an engine without versions (the handler derives them)', setup: () => fixture(withoutVersions(referenceEngine())) });

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
