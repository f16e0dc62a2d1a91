/**
 * One store per endpoint and per client, so every element on a page that names the same
 * endpoint shares a cache and its in-flight requests.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createBillingClient } from '../../src/client/index.js';
import { BillingStore, storeForBaseUrl, storeForClient } from '../../src/store/index.js';
import { waitFor } from '../support/node/assertions.js';
import { startBillingServer, type BillingTestServer } from '../support/node/billing-server.js';

describe('storeForBaseUrl', () => {
  let server: BillingTestServer;
  before(async () => {
    server = await startBillingServer();
  });
  after(() => server.close());

  it('returns the same store for the same URL, with or without a trailing slash', () => {
    const url = server.url('demo~same');
    const store = storeForBaseUrl(url);
    assert.ok(store instanceof BillingStore);
    assert.equal(storeForBaseUrl(url), store);
    assert.equal(storeForBaseUrl(`${url}/`), store);
    assert.equal(storeForBaseUrl(`${url}//`), store);
  });

  it('returns different stores for different URLs', () => {
    const a = storeForBaseUrl(server.url('demo~a'));
    const b = storeForBaseUrl(server.url('demo~b'));
    const otherHost = storeForBaseUrl(server.url('demo~a').replace('127.0.0.1', 'localhost'));
    assert.notEqual(a, b);
    assert.notEqual(a, otherHost);
    assert.notEqual(a.client, b.client);
  });

  it('gives its store a client of that URL, which talks to it', async () => {
    const store = storeForBaseUrl(`${server.url('demo~talk')}/`);
    assert.equal(store.client.baseUrl, server.url('demo~talk'));
    const elementA = storeForBaseUrl(server.url('demo~talk'));
    const stopA = elementA.subscribe('usage', () => {});
    const stopB = store.subscribe('usage', () => {});
    await waitFor(() => store.get('usage').data, 'the usage');
    assert.equal(elementA.get('usage').data?.find((m) => m.metricKey === 'documents')?.used, 870);
    const requests = server.requests.filter((r) => r.customer === 'demo~talk' && r.path === '/v1/usage');
    assert.equal(requests.length, 1, 'two elements of one endpoint sent two requests');
    stopA();
    stopB();
  });
});

describe('storeForBaseUrl with a relative URL, in Node (no window, no location)', () => {
  it('keys it against a placeholder origin, and its loads fail softly', async () => {
    assert.equal(typeof window, 'undefined');
    const store = storeForBaseUrl('/api/billing-relative');
    assert.equal(storeForBaseUrl('/api/billing-relative/'), store);
    assert.notEqual(storeForBaseUrl('/api/other-relative'), store);
    // No page to resolve the URL against: the load ends in an error (a request that cannot be
    // built, not a network failure), never a throw.
    await store.load('usage');
    assert.equal(store.get('usage').error?.code, 'invalid_request');
    assert.equal(store.get('usage').loading, false);
  });
});

describe('storeForClient', () => {
  it('returns the one store of a client, and another for another client', () => {
    const client = createBillingClient({ baseUrl: 'http://127.0.0.1:9/api/demo' });
    const store = storeForClient(client);
    assert.equal(storeForClient(client), store);
    assert.equal(store.client, client);
    assert.notEqual(storeForClient(createBillingClient({ baseUrl: 'http://127.0.0.1:9/api/demo' })), store);
  });
});
