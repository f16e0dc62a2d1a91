/**
 * Invoices in the store, over a real client and the real reference handler over HTTP: pages
 * keyed by their query and cursor, invoices by id, one request per key however many ask,
 * aborted when nobody wants them any more, and loaded again after what may have changed them
 * (a new subscription version, a new default payment method). Requests are counted at a
 * recording front.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createBillingClient, type BillingClient } from '../../src/client/index.js';
import type { Invoice, Subscription } from '../../src/contract/index.js';
import { BillingStore, RECENT_INVOICES, invoiceKey, invoicePageKey } from '../../src/store/index.js';
import { waitFor } from '../support/node/assertions.js';
import { delay, startBillingServer, type BillingTestServer, type Front } from '../support/node/billing-server.js';

/** Holds the answer to the first `times` GETs of the invoice list for `ms` (less if the client hangs up). */
const slowPages = (ms: number, times = Infinity): Front => {
  let held = 0;
  return async (request, forward) => {
    if (new URL(request.url).pathname.endsWith('/v1/invoices') && held++ < times) await delay(ms, request.signal);
    return forward(request);
  };
};

describe('invoices in the store', () => {
  let server: BillingTestServer;
  let store: BillingStore;
  /** Another tab of the same customer: what it does, this store hears of only from the endpoint. */
  let other: BillingClient;
  const stops: (() => void)[] = [];
  beforeEach(async () => {
    server = await startBillingServer();
    store = new BillingStore(createBillingClient({ baseUrl: server.url('demo'), retries: 0 }));
    other = createBillingClient({ baseUrl: server.url('demo~other'), retries: 0 });
  });
  afterEach(async () => {
    stops.splice(0).forEach((stop) => stop());
    await server.close();
  });
  const subscribe = (...keys: Parameters<BillingStore['subscribe']>[0][]) => {
    for (const key of keys) stops.push(store.subscribe(key, () => {}));
  };
  /** The invoice-list requests this store made, as their query. */
  const pageRequests = () =>
    server.requests.filter((r) => r.customer === 'demo' && r.method === 'GET' && r.path === '/v1/invoices').map((r) => Object.fromEntries(r.query));
  const detailRequests = (id: string) => server.requests.filter((r) => r.customer === 'demo' && r.path === `/v1/invoices/${id}`).length;
  const ids = (invoices: Invoice[] | undefined) => invoices?.map((invoice) => invoice.id);

  it('keys a page by its filters, page size and cursor; the latest invoices are the unfiltered first page', () => {
    assert.equal(invoicePageKey({}), 'invoices');
    assert.equal(invoicePageKey({ limit: RECENT_INVOICES }, null), 'invoices');
    assert.equal(invoicePageKey({ limit: 5 }), 'invoices?limit=5');
    // The same query written in another order is the same page.
    assert.equal(
      invoicePageKey({ to: '2026-07-01T00:00:00.000Z', status: 'paid', limit: 5, from: '2026-03-01T00:00:00.000Z' }, 'c1'),
      invoicePageKey({ limit: 5, status: 'paid', from: '2026-03-01T00:00:00.000Z', to: '2026-07-01T00:00:00.000Z' }, 'c1'),
    );
    const keys = [
      invoicePageKey({}),
      invoicePageKey({}, 'c1'),
      invoicePageKey({}, 'c2'),
      invoicePageKey({ status: 'paid' }),
      invoicePageKey({ status: 'void' }),
      invoicePageKey({ from: '2026-03-01T00:00:00.000Z' }),
      invoicePageKey({ to: '2026-03-01T00:00:00.000Z' }),
      invoicePageKey({ limit: 13 }),
    ];
    assert.equal(new Set(keys).size, keys.length, keys.join(' '));
    assert.equal(invoiceKey('inv_1'), 'invoice/inv_1');
  });

  it('shares one request per page among loads and subscribers, page by page, then serves the cache', async () => {
    const first = invoicePageKey({ limit: 5, status: 'paid' });
    let notified = 0;
    stops.push(store.subscribe(first, () => notified++));
    await Promise.all([store.load(first), store.load(first)]);
    assert.deepEqual(pageRequests(), [{ limit: '5', status: 'paid' }]);
    assert.ok(notified >= 1);
    const page = store.get(first).data;
    assert.ok(page?.nextCursor);
    assert.equal(page.data.length, 5);
    assert.ok(page.data.every((invoice) => invoice.status === 'paid'));

    // The next page is another key, with its own request: the invoices after the first page's.
    const second = invoicePageKey({ limit: 5, status: 'paid' }, page.nextCursor);
    assert.notEqual(second, first);
    await Promise.all([store.load(second), store.load(second)]);
    assert.deepEqual(pageRequests(), [{ limit: '5', status: 'paid' }, { limit: '5', status: 'paid', cursor: page.nextCursor }]);
    const all = (await other.listInvoices({ limit: 100, status: 'paid' })).data;
    assert.deepEqual([...ids(page.data)!, ...ids(store.get(second).data?.data)!], ids(all.slice(0, 10)));

    await Promise.all([store.load(first), store.load(second)]);
    assert.equal(pageRequests().length, 2, 'a cached page was fetched again');
  });

  it('is one page for whoever asks for the latest invoices: one request', async () => {
    subscribe('invoices', invoicePageKey({ limit: RECENT_INVOICES }));
    await store.load(invoicePageKey({}));
    assert.deepEqual(pageRequests(), [{ limit: String(RECENT_INVOICES) }]);
    assert.equal(store.get('invoices'), store.get(invoicePageKey({})));
    assert.equal(store.get('invoices').data?.data.length, RECENT_INVOICES);
  });

  it('caches an invoice with its lines: one request however many ask', async () => {
    const [newest, older] = (await other.listInvoices({ limit: 2 })).data;
    assert.ok(newest && older);
    await Promise.all([store.load(invoiceKey(newest.id)), store.load(invoiceKey(newest.id))]);
    subscribe(invoiceKey(newest.id));
    await store.load(invoiceKey(newest.id));
    assert.equal(detailRequests(newest.id), 1);
    const detail = store.get(invoiceKey(newest.id)).data;
    assert.equal(detail?.id, newest.id);
    assert.ok((detail?.lines?.length ?? 0) > 1, 'no lines');
    assert.equal(
      detail?.lines?.reduce((sum, line) => sum + line.amount.amountMinor, 0),
      newest.total.amountMinor,
    );
    await store.load(invoiceKey(older.id));
    assert.equal(detailRequests(older.id), 1);
    assert.equal(store.get(invoiceKey(older.id)).data?.id, older.id);
  });

  it('aborts a page nobody wants any more, and leaves no error', { timeout: 5_000 }, async () => {
    server.front = slowPages(2_000);
    const key = invoicePageKey({ status: 'paid' });
    const stop = store.subscribe(key, () => {});
    await waitFor(() => pageRequests().length === 1, 'the request');
    stop();
    await waitFor(() => server.requests.at(-1)?.aborted, 'the server to see the request aborted');
    await waitFor(() => !store.get(key).loading, 'the store to settle');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(store.get(key), { loading: false });
  });

  describe('after what may have changed them', () => {
    it('applySubscription reloads the pages and invoices someone shows, and forgets the others', async () => {
      const shown = invoicePageKey({ limit: 5 });
      const hidden = invoicePageKey({ status: 'paid' });
      const newest = (await other.listInvoices({ limit: 1 })).data[0]!;
      subscribe('subscription', shown, invoiceKey(newest.id));
      await store.load(hidden);
      await waitFor(() => store.get(shown).data && store.get(invoiceKey(newest.id)).data && store.get('subscription').data, 'all loaded');
      const current = store.get('subscription').data!;
      server.requests.length = 0;

      await store.applySubscription({ ...current, version: String(Number(current.version) + 1) });
      await waitFor(() => !store.get(shown).loading && !store.get(invoiceKey(newest.id)).loading, 'reloads done');
      assert.deepEqual(pageRequests(), [{ limit: '5' }]);
      assert.equal(detailRequests(newest.id), 1);
      assert.ok(store.get(shown).data);
      // Nobody shows it: gone, and the next to ask loads it afresh.
      assert.deepEqual(store.get(hidden), { loading: false });
      await store.load(hidden);
      assert.deepEqual(pageRequests(), [{ limit: '5' }, { limit: '12', status: 'paid' }]);
    });

    it('a change now: the invoice it issued is on the first page at once', async () => {
      subscribe('subscription', 'modules', 'invoices');
      await waitFor(() => store.get('invoices').data && store.get('modules').data, 'loaded');
      const newestBefore = store.get('invoices').data!.data[0]!.id;
      const module = store.get('modules').data!.find((candidate) => candidate.state === 'inactive' && candidate.available && candidate.price);
      assert.ok(module);
      const { subscription, invoice } = await store.client.commitChange({ timing: 'now', change: { type: 'module', moduleId: module.id, action: 'activate' } });
      assert.ok(invoice);
      await store.applySubscription(subscription);
      const latest = ids(store.get('invoices').data?.data);
      assert.deepEqual(latest?.slice(0, 2), [invoice.id, newestBefore]);
      assert.equal(latest?.length, RECENT_INVOICES);
    });

    it('a new subscription version, however it came, reloads them; the same version does not', async () => {
      subscribe('subscription', 'invoices');
      await waitFor(() => store.get('invoices').data && store.get('subscription').data, 'loaded');
      server.requests.length = 0;
      await store.load('subscription', { force: true });
      assert.deepEqual(pageRequests(), [], 'the same version reloaded the invoices');

      // Another tab changes the subscription; this one only reloads it.
      const module = (await other.listModules()).data.find((candidate) => candidate.state === 'inactive' && candidate.available && candidate.price)!;
      const { invoice } = await other.commitChange({ timing: 'now', change: { type: 'module', moduleId: module.id, action: 'activate' } });
      assert.ok(invoice);
      await store.load('subscription', { force: true });
      await waitFor(() => store.get('invoices').data?.data[0]?.id === invoice.id, 'the new invoice first');
      assert.deepEqual(pageRequests(), [{ limit: String(RECENT_INVOICES) }]);
    });

    it('a new default payment method (charged at once for what is open) reloads them', async () => {
      const shown = invoicePageKey({ status: 'open' });
      subscribe('paymentMethods', shown);
      await waitFor(() => store.get(shown).data && store.get('paymentMethods').data, 'loaded');
      server.requests.length = 0;
      store.applyPaymentMethods(store.get('paymentMethods').data!.map((method) => ({ ...method })));
      await waitFor(() => pageRequests().length === 1 && !store.get(shown).loading, 'the page reloaded');
      assert.deepEqual(pageRequests(), [{ limit: '12', status: 'open' }]);
    });

    it('a page in flight when the subscription changed is aborted and asked again', { timeout: 5_000 }, async () => {
      subscribe('subscription');
      await waitFor(() => store.get('subscription').data, 'the subscription');
      server.front = slowPages(2_000, 1);
      subscribe('invoices');
      await waitFor(() => pageRequests().length === 1, 'the first request');
      const stale = server.requests.at(-1)!;
      const current = store.get('subscription').data as Subscription;
      void store.applySubscription({ ...current, version: String(Number(current.version) + 1) });
      await waitFor(() => stale.aborted, 'the request made before the change aborted');
      await waitFor(() => store.get('invoices').data, 'the page, asked again');
      assert.equal(pageRequests().length, 2);
      assert.equal(store.get('invoices').error, undefined);
      assert.equal(store.get('invoices').loading, false);
    });
  });
});
