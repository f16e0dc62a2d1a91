/**
 * What the client sends on mutations: an `Idempotency-Key` per user action (the same one
 * when the caller passes it again), and `If-Match` with the subscription version it last
 * saw on changes to the subscription. Asserted on what a recording front saw, not on the
 * outcome: the reference server may not implement every mutation yet.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createBillingClient, type Subscription } from '../../src/client/index.js';
import { billingFailure, settled } from '../support/node/assertions.js';
import { startBillingServer, type BillingTestServer, type RecordedRequest } from '../support/node/billing-server.js';

describe('BillingClient mutations', () => {
  let server: BillingTestServer;
  /** The subscription as the server sends it, for fronts that answer a mutation. */
  let served: Subscription;
  // A fresh engine for each test: once the server applies changes, one test's change must
  // not move the version another test expects.
  beforeEach(async () => {
    server = await startBillingServer();
    served = (await (await fetch(`${server.url('demo')}/v1/subscription`)).json()) as Subscription;
    server.requests.length = 0;
  });
  afterEach(() => server.close());
  const client = () => createBillingClient({ baseUrl: server.url('demo') });
  const sent = (method: string, path: string): RecordedRequest[] =>
    server.requests.filter((r) => r.method === method && r.path === path);
  const only = (method: string, path: string): RecordedRequest => {
    const requests = sent(method, path);
    assert.equal(requests.length, 1, `${method} ${path} was sent ${requests.length} times`);
    return requests[0] as RecordedRequest;
  };

  describe('Idempotency-Key', () => {
    it('is sent by setDefaultPaymentMethod, a new one for each action', async () => {
      const billing = client();
      await settled(billing.setDefaultPaymentMethod('pm_demo_sepa'));
      await settled(billing.setDefaultPaymentMethod('pm_demo_sepa'));
      const keys = sent('POST', '/v1/payment-methods/pm_demo_sepa/default').map((r) => r.headers.get('idempotency-key'));
      assert.equal(keys.length, 2);
      assert.ok(keys.every((key) => typeof key === 'string' && key.length >= 16), `keys: ${keys.join(', ')}`);
      assert.notEqual(keys[0], keys[1]);
    });

    it('is the one the caller passes, the same on a retry of the same action', async () => {
      const billing = client();
      await settled(billing.setDefaultPaymentMethod('pm_demo_sepa', { idempotencyKey: 'action-7f3a' }));
      await settled(billing.setDefaultPaymentMethod('pm_demo_sepa', { idempotencyKey: 'action-7f3a' }));
      const keys = sent('POST', '/v1/payment-methods/pm_demo_sepa/default').map((r) => r.headers.get('idempotency-key'));
      assert.deepEqual(keys, ['action-7f3a', 'action-7f3a']);
    });

    it('is sent by commitChange: the caller’s key twice, then a new one', async () => {
      const billing = client();
      const change = { timing: 'period_end', change: { type: 'plan', planId: 'essentiel' } } as const;
      await settled(billing.commitChange(change, { idempotencyKey: 'change-1' }));
      await settled(billing.commitChange(change, { idempotencyKey: 'change-1' }));
      await settled(billing.commitChange(change));
      const keys = sent('POST', '/v1/subscription/changes').map((r) => r.headers.get('idempotency-key'));
      assert.equal(keys.length, 3);
      assert.equal(keys[0], 'change-1');
      assert.equal(keys[1], 'change-1');
      assert.ok(keys[2] && keys[2] !== 'change-1', `the third key: ${keys[2]}`);
    });

    it('is sent by setupPaymentMethod and cancelScheduledChange, with the body as JSON', async () => {
      const billing = client();
      await settled(billing.setupPaymentMethod('https://app.example/billing?added=1'));
      const setup = only('POST', '/v1/payment-methods/setup');
      assert.ok(setup.headers.get('idempotency-key'));
      assert.equal(setup.headers.get('if-match'), null, 'setting up a payment method does not depend on the version');
      assert.equal(setup.headers.get('content-type'), 'application/json');
      assert.deepEqual(JSON.parse(setup.body), { returnUrl: 'https://app.example/billing?added=1' });

      await settled(billing.cancelScheduledChange('sch_42'));
      assert.ok(only('DELETE', '/v1/subscription/scheduled-changes/sch_42').headers.get('idempotency-key'));
    });

    it('is not sent by previewChange, which has no side effect', async () => {
      await settled(client().previewChange({ timing: 'now', change: { type: 'module', moduleId: 'multi-currency', action: 'activate' } }));
      const preview = only('POST', '/v1/subscription/changes/preview');
      assert.equal(preview.headers.get('idempotency-key'), null);
      assert.equal(preview.headers.get('if-match'), null);
      assert.deepEqual(JSON.parse(preview.body), {
        timing: 'now',
        change: { type: 'module', moduleId: 'multi-currency', action: 'activate' },
      });
    });
  });

  it('calls the fetch option as fetch(url, init), with the body as a JSON string', async () => {
    const calls: { input: unknown; init: RequestInit | undefined }[] = [];
    const billing = createBillingClient({
      baseUrl: server.url('demo'),
      credentials: 'include',
      fetch: (input, init) => {
        calls.push({ input, init });
        return fetch(input, init);
      },
    });
    const change = { timing: 'now', change: { type: 'module', moduleId: 'multi-currency', action: 'activate' } } as const;
    await settled(billing.previewChange(change));
    assert.equal(calls.length, 1);
    const [{ input, init } = { input: null, init: undefined }] = calls;
    assert.equal(input, `${server.url('demo')}/v1/subscription/changes/preview`);
    assert.equal(init?.method, 'POST');
    assert.equal(typeof init?.body, 'string');
    assert.deepEqual(JSON.parse(init?.body as string), change);
    assert.equal(new Headers(init?.headers).get('content-type'), 'application/json');
    assert.equal(new Headers(init?.headers).get('accept'), 'application/json');
    assert.equal(init?.credentials, 'include');
    assert.ok(init?.signal instanceof AbortSignal, 'no signal to abort the request with');
  });

  describe('If-Match', () => {
    it('commitChange sends the version last seen, quoted, without fetching it again', async () => {
      const billing = client();
      await billing.getSubscription();
      assert.equal(billing.lastVersion, '3');
      await settled(billing.commitChange({ timing: 'now', change: { type: 'plan', planId: 'entreprise' }, previewToken: 'pt_1' }));
      assert.equal(sent('GET', '/v1/subscription').length, 1, 'the subscription was fetched again');
      const commit = only('POST', '/v1/subscription/changes');
      assert.equal(commit.headers.get('if-match'), '"3"');
      assert.deepEqual(JSON.parse(commit.body), {
        timing: 'now',
        change: { type: 'plan', planId: 'entreprise' },
        previewToken: 'pt_1',
      });
    });

    it('commitChange with no version seen fetches the subscription first', async () => {
      const billing = client();
      await settled(billing.commitChange({ timing: 'now', change: { type: 'plan', planId: 'entreprise' } }));
      assert.deepEqual(
        server.requests.map((r) => `${r.method} ${r.path}`),
        ['GET /v1/subscription', 'POST /v1/subscription/changes'],
      );
      assert.equal(only('POST', '/v1/subscription/changes').headers.get('if-match'), '"3"');
      assert.notEqual(billing.lastVersion, null);
    });

    it('cancelScheduledChange sends it too, and encodes the id in the path', async () => {
      const billing = client();
      await settled(billing.cancelScheduledChange('sch/1 a'));
      assert.deepEqual(
        server.requests.map((r) => `${r.method} ${r.path}`),
        ['GET /v1/subscription', 'DELETE /v1/subscription/scheduled-changes/sch%2F1%20a'],
      );
      assert.equal(server.requests[1]?.headers.get('if-match'), '"3"');
    });

    it('is not sent by setDefaultPaymentMethod', async () => {
      const billing = client();
      await billing.getSubscription();
      await settled(billing.setDefaultPaymentMethod('pm_demo_sepa'));
      assert.equal(only('POST', '/v1/payment-methods/pm_demo_sepa/default').headers.get('if-match'), null);
    });

    it('after a 412 version_conflict, the next attempt uses the version of `current`', async () => {
      server.front = (request, forward) => {
        if (request.method !== 'POST') return forward(request);
        return Response.json(
          {
            type: 'https://billing-elements.dev/problems/version_conflict',
            title: 'Subscription changed meanwhile',
            status: 412,
            code: 'version_conflict',
            requestId: 'req_conflict',
            retryable: false,
            current: { ...served, version: '7' },
          },
          { status: 412, headers: { 'Content-Type': 'application/problem+json' } },
        );
      };
      const billing = client();
      await billing.getSubscription();
      const change = { timing: 'now', change: { type: 'plan', planId: 'entreprise' } } as const;
      const error = await billingFailure(billing.commitChange(change));
      assert.equal(error.code, 'version_conflict');
      assert.equal(error.status, 412);
      assert.equal(error.problem?.current?.version, '7');
      assert.equal(billing.lastVersion, '7');
      await settled(billing.commitChange(change));
      const ifMatch = sent('POST', '/v1/subscription/changes').map((r) => r.headers.get('if-match'));
      assert.deepEqual(ifMatch, ['"3"', '"7"']);
    });

    it('after a successful change, the next one uses the version it returned', async () => {
      server.front = (request, forward) => {
        if (request.method === 'GET') return forward(request);
        const after = { ...served, version: request.method === 'POST' ? '4' : '5' };
        return Response.json(request.method === 'POST' ? { subscription: after, invoice: null } : after);
      };
      const billing = client();
      const result = await billing.commitChange({ timing: 'period_end', change: { type: 'plan', planId: 'essentiel' } });
      assert.equal(result.subscription.version, '4');
      assert.equal(billing.lastVersion, '4');
      const subscription = await billing.cancelScheduledChange('sch_1');
      assert.equal(subscription.version, '5');
      assert.equal(billing.lastVersion, '5');
      assert.deepEqual(
        server.requests.map((r) => `${r.method} ${r.path} ${r.headers.get('if-match') ?? '-'}`),
        ['GET /v1/subscription -', 'POST /v1/subscription/changes "3"', 'DELETE /v1/subscription/scheduled-changes/sch_1 "4"'],
      );
    });
  });
});
