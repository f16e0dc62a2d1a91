/**
 * The caller's AbortSignal is followed only while a call runs: a host may pass one signal
 * (a page's, a component's) to every call for hours, and no call may leave anything behind
 * on it — no listener, and no entry in its list of dependent signals (Node 20 keeps one per
 * `AbortSignal.any` for as long as the source lives, nodejs/node#55351).
 */
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createBillingClient } from '../../src/client/index.js';
import { billingFailure, settled, waitFor } from '../support/node/assertions.js';
import { deadUrl, neverAnswer, startBillingServer, type BillingTestServer } from '../support/node/billing-server.js';

/** What a signal holds on to: its abort listeners, and (Node internals) the signals that follow it. */
function holds(signal: AbortSignal): { listeners: number; dependants: number } {
  const key = Object.getOwnPropertySymbols(signal).find((symbol) => symbol.description === 'kDependantSignals');
  const dependants = key ? ((signal as unknown as Record<symbol, Set<unknown> | undefined>)[key]?.size ?? 0) : 0;
  return { listeners: getEventListeners(signal, 'abort').length, dependants };
}

describe('BillingClient and the caller’s AbortSignal', () => {
  let server: BillingTestServer;
  before(async () => {
    server = await startBillingServer();
  });
  after(() => server.close());
  beforeEach(() => {
    server.front = null;
  });

  it('a long-lived signal keeps nothing of the calls made with it, whatever their outcome', async () => {
    const page = new AbortController();
    const { signal } = page;
    const client = createBillingClient({ baseUrl: server.url('demo') });
    for (let i = 0; i < 50; i++) await client.listPlans({ signal });
    await billingFailure(client.getInvoice('inv_does_not_exist', { signal }));
    await settled(client.setDefaultPaymentMethod('pm_demo_sepa', { signal }));
    // A retry after a backoff (Retry-After: 0, so no wait).
    let failed = false;
    server.front = (request, forward) => {
      if (failed) return forward(request);
      failed = true;
      return Response.json({}, { status: 503, headers: { 'Retry-After': '0' } });
    };
    await client.listUsage({ signal });
    assert.equal(server.requests.filter((r) => r.path === '/v1/usage').length, 2);
    const offline = createBillingClient({ baseUrl: await deadUrl(), retries: 1 });
    assert.equal((await billingFailure(offline.listModules({ signal }))).code, 'network');
    assert.deepEqual(holds(signal), { listeners: 0, dependants: 0 });
    // Aborting it later touches no call.
    page.abort();
  });

  it('is followed while the call runs, and let go when it ends: answered, timed out or aborted', { timeout: 5_000 }, async () => {
    const client = createBillingClient({ baseUrl: server.url('demo'), timeout: 200, retries: 0 });
    const controller = new AbortController();
    const { signal } = controller;

    server.front = neverAnswer;
    const timedOut = billingFailure(client.listUsage({ signal }));
    await waitFor(() => server.requests.at(-1)?.path === '/v1/usage', 'the request');
    assert.equal(holds(signal).listeners, 1, 'the call does not follow the caller’s signal');
    assert.equal((await timedOut).code, 'timeout');
    assert.deepEqual(holds(signal), { listeners: 0, dependants: 0 });

    const aborted = billingFailure(client.listPlans({ signal }));
    await waitFor(() => server.requests.at(-1)?.path === '/v1/plans', 'the request');
    controller.abort();
    assert.equal((await aborted).code, 'aborted');
    assert.equal(holds(signal).listeners, 0);
  });
});
