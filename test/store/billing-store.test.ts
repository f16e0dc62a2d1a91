/**
 * BillingStore over a real client and the real reference handler over HTTP: one request per
 * resource however many callers, notifications, revalidation, and what a mutation's
 * subscription refreshes. Requests are counted at a recording front.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createBillingClient, type Subscription } from '../../src/client/index.js';
import { BillingStore, type ResourceKey } from '../../src/store/index.js';
import { waitFor } from '../support/node/assertions.js';
import {
  delay,
  problemResponse,
  startBillingServer,
  type BillingTestServer,
  type Front,
} from '../support/node/billing-server.js';

const paths: Record<ResourceKey, string> = {
  subscription: '/v1/subscription',
  plans: '/v1/plans',
  modules: '/v1/modules',
  usage: '/v1/usage',
  paymentMethods: '/v1/payment-methods',
  invoices: '/v1/invoices',
};

/** Holds the answer to GETs of `path` for `ms` (less if the client hangs up). */
const slow = (path: string, ms: number): Front => async (request, forward) => {
  if (new URL(request.url).pathname.endsWith(path)) await delay(ms, request.signal);
  return forward(request);
};

describe('BillingStore', () => {
  let server: BillingTestServer;
  let store: BillingStore;
  beforeEach(async () => {
    server = await startBillingServer();
    store = new BillingStore(createBillingClient({ baseUrl: server.url('demo'), retries: 0 }));
  });
  afterEach(() => server.close());
  const count = (key: ResourceKey) => server.count('GET', paths[key]);
  const documentsUsed = () => store.get('usage').data?.find((metric) => metric.metricKey === 'documents')?.used;

  it('runs in Node, without window or document', () => {
    assert.equal(typeof window, 'undefined');
    assert.equal(typeof document, 'undefined');
    const unsubscribe = store.subscribe('usage', () => {});
    unsubscribe();
    assert.doesNotThrow(() => store.revalidate());
  });

  it('starts empty and idle', () => {
    assert.deepEqual(store.get('usage'), { loading: false });
  });

  it('shares one request between two concurrent loads, then serves the cache', async () => {
    const first = store.load('usage');
    const second = store.load('usage');
    assert.equal(store.get('usage').loading, true);
    await Promise.all([first, second]);
    assert.equal(count('usage'), 1);
    assert.equal(documentsUsed(), 870);
    assert.equal(store.get('usage').loading, false);
    assert.equal(typeof store.get('usage').updatedAt, 'number');

    await store.load('usage');
    assert.equal(count('usage'), 1, 'a cached resource was fetched again');
    await store.load('usage', { force: true });
    assert.equal(count('usage'), 2);
  });

  it('shares one request between two subscribers, and notifies both', async () => {
    let a = 0;
    let b = 0;
    const stopA = store.subscribe('usage', () => a++);
    const stopB = store.subscribe('usage', () => b++);
    await waitFor(() => store.get('usage').data, 'the usage');
    assert.equal(count('usage'), 1);
    assert.ok(a >= 1 && b >= 1, `notified ${a} and ${b} times`);
    assert.equal(documentsUsed(), 870);
    stopA();
    stopB();
  });

  it('loads on subscribe and notifies: loading, then the data', async () => {
    const seen: { loading: boolean; hasData: boolean }[] = [];
    const stop = store.subscribe('plans', () => {
      const state = store.get('plans');
      seen.push({ loading: state.loading, hasData: state.data !== undefined });
    });
    await waitFor(() => store.get('plans').data, 'the plans');
    stop();
    assert.deepEqual(seen, [
      { loading: true, hasData: false },
      { loading: false, hasData: true },
    ]);
    assert.deepEqual(store.get('plans').data?.map((plan) => plan.id), ['essentiel', 'pro', 'entreprise']);
    assert.equal(count('plans'), 1);
  });

  it('notifies only the subscribers of the resource that changed', async () => {
    let usageCalls = 0;
    const stop = store.subscribe('usage', () => usageCalls++);
    await waitFor(() => store.get('usage').data, 'the usage');
    const before = usageCalls;
    await store.load('plans');
    assert.equal(usageCalls, before);
    stop();
  });

  it('never rejects a load: the failure lands in `error`', async () => {
    const nosub = new BillingStore(createBillingClient({ baseUrl: server.url('nosub'), retries: 0 }));
    await nosub.load('subscription');
    const state = nosub.get('subscription');
    assert.equal(state.error?.code, 'no_subscription');
    assert.equal(state.error?.status, 404);
    assert.equal(state.data, undefined);
    assert.equal(state.loading, false);
  });

  it('keeps the previous data when a revalidation fails, sets `error`, and clears it on success', async () => {
    await store.load('usage');
    const { data, updatedAt } = store.get('usage');
    assert.equal(documentsUsed(), 870);

    server.front = () => problemResponse(503, 'engine_unavailable');
    await store.load('usage', { force: true });
    const failed = store.get('usage');
    assert.equal(failed.data, data, 'the data was dropped');
    assert.equal(failed.updatedAt, updatedAt);
    assert.equal(failed.error?.code, 'engine_unavailable');
    assert.equal(failed.error?.operation, 'listUsage');
    assert.equal(failed.loading, false);

    server.front = null;
    await store.load('usage', { force: true });
    assert.equal(store.get('usage').error, undefined);
    assert.equal(documentsUsed(), 870);
    assert.equal(count('usage'), 3);
  });

  describe('applySubscription', () => {
    it('takes the subscription as it is and refetches what was loaded and depends on it', async () => {
      await Promise.all([store.load('subscription'), store.load('plans'), store.load('usage'), store.load('paymentMethods')]);
      const current = store.get('subscription').data;
      assert.ok(current);
      const counts = () => Object.fromEntries((Object.keys(paths) as ResourceKey[]).map((key) => [key, count(key)]));
      assert.deepEqual(counts(), { subscription: 1, plans: 1, modules: 0, usage: 1, paymentMethods: 1, invoices: 0 });

      const changed: Subscription = { ...current, plan: { id: 'entreprise', name: 'Entreprise' }, version: '4' };
      const seen: ResourceKey[] = [];
      for (const key of Object.keys(paths) as ResourceKey[]) store.subscribe(key, () => seen.push(key));
      await waitFor(() => !(Object.keys(paths) as ResourceKey[]).some((key) => store.get(key).loading), 'the modules');
      server.requests.length = 0;

      await store.applySubscription(changed);
      assert.deepEqual(store.get('subscription').data, changed);
      // Plans, modules, usage and the latest invoices (a change now may issue one) change with
      // the subscription; the subscription itself is not fetched again, payment methods do not
      // depend on it.
      assert.deepEqual(counts(), { subscription: 0, plans: 1, modules: 1, usage: 1, paymentMethods: 0, invoices: 1 });
      assert.ok(seen.includes('subscription'), 'the subscription subscribers were not told');
      assert.equal(store.get('subscription').data?.version, '4');
    });

    it('does not fetch what nobody is subscribed to: forgets it, and the next to ask loads it afresh', async () => {
      await store.load('usage');
      const stop = store.subscribe('plans', () => {});
      await waitFor(() => store.get('plans').data, 'the plans');
      const subscription = (await createBillingClient({ baseUrl: server.url('demo') }).getSubscription()) as Subscription;
      server.requests.length = 0;
      await store.applySubscription(subscription);
      assert.deepEqual(
        server.requests.map((r) => r.path),
        ['/v1/plans'],
      );
      assert.deepEqual(store.get('usage'), { loading: false });
      await store.load('usage');
      assert.equal(documentsUsed(), 870);
      assert.equal(count('usage'), 1);
      stop();
    });

    it('wins over a subscription request still in flight', async () => {
      server.front = slow('/v1/subscription', 300);
      const loading = store.load('subscription');
      await waitFor(() => server.count('GET', '/v1/subscription') === 1, 'the request');
      const served = (await (await fetch(`${server.url('demo')}/v1/subscription`)).json()) as Subscription;
      const changed = { ...served, version: '9' };
      await store.applySubscription(changed);
      await loading;
      assert.equal(store.get('subscription').data?.version, '9', 'the older response overwrote the mutation’s');
      assert.equal(store.get('subscription').error, undefined);
    });
  });

  describe('unsubscribing', () => {
    it('the last subscriber leaving aborts the request in flight, and leaves no error', { timeout: 5_000 }, async () => {
      server.front = slow('/v1/usage', 2_000);
      const stop = store.subscribe('usage', () => {});
      await waitFor(() => count('usage') === 1, 'the request');
      const request = server.requests.at(-1);
      assert.ok(request);
      const stoppedAt = Date.now();
      stop();
      await waitFor(() => request.aborted, 'the server to see the request aborted');
      await waitFor(() => !store.get('usage').loading, 'the store to settle');
      assert.ok(Date.now() - stoppedAt < 1_000, 'the store waited for the answer');
      // Whatever the aborted request settles with, it leaves no trace.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const state = store.get('usage');
      assert.equal(state.error, undefined);
      assert.equal(state.data, undefined);
      assert.equal(state.loading, false);
    });

    it('one subscriber of two leaving does not abort it', async () => {
      server.front = slow('/v1/usage', 150);
      const stopA = store.subscribe('usage', () => {});
      const stopB = store.subscribe('usage', () => {});
      await waitFor(() => count('usage') === 1, 'the request');
      stopA();
      await waitFor(() => store.get('usage').data, 'the usage');
      assert.equal(server.requests.at(-1)?.aborted, false);
      assert.equal(count('usage'), 1);
      stopB();
    });

    it('calling the unsubscribe function twice counts once', async () => {
      server.front = slow('/v1/usage', 150);
      const stopA = store.subscribe('usage', () => {});
      const stopB = store.subscribe('usage', () => {});
      stopA();
      stopA();
      await waitFor(() => store.get('usage').data, 'the usage');
      assert.equal(store.get('usage').error, undefined);
      stopB();
    });

    it('subscribing again at once (an element moved in the page) still gets the data', { timeout: 5_000 }, async () => {
      server.front = slow('/v1/usage', 100);
      const stop = store.subscribe('usage', () => {});
      stop();
      let notified = 0;
      const again = store.subscribe('usage', () => notified++);
      await waitFor(() => !store.get('usage').loading, 'the store to settle');
      assert.equal(documentsUsed(), 870, `no data after subscribing again: ${JSON.stringify(store.get('usage'))}`);
      assert.equal(store.get('usage').error, undefined);
      assert.ok(notified > 0);
      // The first request was aborted (before or after it left), the second one answered.
      assert.ok(count('usage') >= 1 && count('usage') <= 2, `${count('usage')} requests`);
      again();
    });
  });

  describe('revalidate', () => {
    it('reloads only the resources someone is subscribed to', async () => {
      await store.load('plans');
      const stop = store.subscribe('usage', () => {});
      await waitFor(() => store.get('usage').data, 'the usage');
      assert.equal(count('usage'), 1);
      assert.equal(count('plans'), 1);

      await store.revalidate();
      assert.equal(count('usage'), 2);
      assert.equal(count('plans'), 1, 'a resource nobody subscribes to was reloaded');

      stop();
      await store.revalidate();
      assert.equal(count('usage'), 2, 'reloaded after the last subscriber left');
    });

    it('skips data younger than olderThanMs', async () => {
      const stop = store.subscribe('modules', () => {});
      await waitFor(() => store.get('modules').data, 'the modules');
      await store.revalidate({ olderThanMs: 60_000 });
      assert.equal(count('modules'), 1);
      await store.revalidate({ olderThanMs: 0 });
      assert.equal(count('modules'), 2);
      stop();
    });
  });
});
