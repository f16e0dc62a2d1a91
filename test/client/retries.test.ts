/**
 * Retries: safe requests (GET) are retried with backoff after a network error, 408, 429 or
 * 5xx; anything else, and every POST or DELETE, is sent once. Counted at a front before the
 * real handler.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createBillingClient } from '../../src/client/index.js';
import { billingFailure, settled, waitFor } from '../support/node/assertions.js';
import {
  deadUrl,
  problemResponse,
  startBillingServer,
  type BillingTestServer,
  type Front,
} from '../support/node/billing-server.js';

/** Answers `response()` to the first `times` requests that `matches`, then forwards. */
function failFirst(times: number, response: () => Response, matches: (request: Request) => boolean = () => true): Front {
  let failed = 0;
  return (request, forward) => {
    if (matches(request) && failed < times) {
      failed++;
      return response();
    }
    return forward(request);
  };
}

describe('BillingClient retries', () => {
  let server: BillingTestServer;
  before(async () => {
    server = await startBillingServer();
  });
  after(() => server.close());
  beforeEach(() => {
    server.front = null;
    server.requests.length = 0;
  });

  it('retries a GET answered 503 twice, and succeeds with the third answer', async () => {
    server.front = failFirst(2, () => problemResponse(503, 'engine_unavailable'));
    const client = createBillingClient({ baseUrl: server.url('demo'), retries: 2 });
    const start = Date.now();
    const { data } = await client.listUsage();
    assert.equal(data.find((metric) => metric.metricKey === 'documents')?.used, 870);
    assert.equal(server.count('GET', '/v1/usage'), 3);
    assert.deepEqual(server.requests.map((r) => r.status), [503, 503, 200]);
    // Backoff is 0–300 ms then 0–600 ms (full jitter): bounded, never a pause of seconds.
    assert.ok(Date.now() - start < 2_000, `the retries took ${Date.now() - start} ms`);
  });

  it('gives up after the configured retries with the last answer', async () => {
    server.front = () => problemResponse(503, 'engine_unavailable');
    const client = createBillingClient({ baseUrl: server.url('demo'), retries: 1 });
    const error = await billingFailure(client.listPlans());
    assert.equal(error.code, 'engine_unavailable');
    assert.equal(error.status, 503);
    assert.equal(error.retryable, true);
    assert.equal(server.count('GET', '/v1/plans'), 2);
  });

  it('does not retry with retries: 0', async () => {
    server.front = () => problemResponse(500, 'internal');
    const client = createBillingClient({ baseUrl: server.url('demo'), retries: 0 });
    const error = await billingFailure(client.listModules());
    assert.equal(error.code, 'internal');
    assert.equal(server.count('GET', '/v1/modules'), 1);
  });

  it('retries a 429 after the Retry-After the server asks for', async () => {
    server.front = failFirst(1, () =>
      Response.json(
        { type: 'about:blank', title: 'Too many requests', status: 429, code: 'rate_limited', requestId: 'req_429', retryable: true },
        { status: 429, headers: { 'Content-Type': 'application/problem+json', 'Retry-After': '1' } },
      ),
    );
    const client = createBillingClient({ baseUrl: server.url('demo'), retries: 2 });
    const start = Date.now();
    const subscription = await client.getSubscription();
    const waited = Date.now() - start;
    assert.equal(subscription.plan.id, 'pro');
    assert.equal(server.count('GET', '/v1/subscription'), 2);
    assert.ok(waited >= 950, `retried after ${waited} ms, before the Retry-After of 1 s`);
    assert.ok(waited < 2_500, `retried after ${waited} ms`);
  });

  it('never retries an answer that will not change: a 404 or a 400', async () => {
    const client = createBillingClient({ baseUrl: server.url('demo'), retries: 2 });
    await billingFailure(client.getInvoice('inv_does_not_exist'));
    await billingFailure(client.listInvoices({ limit: 0 }));
    assert.equal(server.requests.length, 2);
  });

  it('sends a POST once, even when answered 503', async () => {
    server.front = () => problemResponse(503, 'engine_unavailable');
    const client = createBillingClient({ baseUrl: server.url('demo'), retries: 2 });
    const error = await billingFailure(
      client.previewChange({ timing: 'period_end', change: { type: 'plan', planId: 'essentiel' } }),
    );
    assert.equal(error.code, 'engine_unavailable');
    assert.equal(server.count('POST', '/v1/subscription/changes/preview'), 1);
    assert.equal(server.requests.length, 1);
  });

  it('sends each mutation once, even when answered 503', async () => {
    server.front = failFirst(Infinity, () => problemResponse(503, 'engine_unavailable'), (request) => request.method !== 'GET');
    const client = createBillingClient({ baseUrl: server.url('demo'), retries: 2 });
    await settled(client.setDefaultPaymentMethod('pm_demo_sepa'));
    await settled(client.setupPaymentMethod('https://app.example/billing'));
    await settled(client.commitChange({ timing: 'now', change: { type: 'plan', planId: 'entreprise' } }));
    await settled(client.cancelScheduledChange('sch_1'));
    assert.equal(server.count('POST', '/v1/payment-methods/pm_demo_sepa/default'), 1);
    assert.equal(server.count('POST', '/v1/payment-methods/setup'), 1);
    assert.equal(server.count('POST', '/v1/subscription/changes'), 1);
    assert.equal(server.count('DELETE', '/v1/subscription/scheduled-changes/sch_1'), 1);
    // commitChange first fetched the version it needs for If-Match (a GET, answered).
    assert.equal(server.count('GET', '/v1/subscription'), 1);
  });

  it('sends a POST once when nothing listens', async () => {
    let attempts = 0;
    const client = createBillingClient({
      baseUrl: await deadUrl(),
      retries: 2,
      fetch: (input, init) => {
        attempts++;
        return fetch(input, init);
      },
    });
    const error = await billingFailure(client.setDefaultPaymentMethod('pm_demo_sepa'));
    assert.equal(error.code, 'network');
    assert.equal(attempts, 1);
  });

  it('stops waiting and retrying as soon as the caller aborts during the backoff', async () => {
    // Retry-After: 2 puts the client in a 2 s backoff after the first answer.
    server.front = () => {
      const response = problemResponse(503, 'engine_unavailable');
      response.headers.set('Retry-After', '2');
      return response;
    };
    const client = createBillingClient({ baseUrl: server.url('demo'), retries: 5 });
    const controller = new AbortController();
    const pending = client.listUsage({ signal: controller.signal });
    await waitFor(() => server.requests[0]?.status === 503, 'the first answer');
    const abortedAt = Date.now();
    controller.abort();
    const error = await billingFailure(pending);
    assert.equal(error.code, 'aborted');
    assert.ok(Date.now() - abortedAt < 500, `the abort took ${Date.now() - abortedAt} ms to land`);
    assert.equal(server.requests.length, 1);
  });
});
