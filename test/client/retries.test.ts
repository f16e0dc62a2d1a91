/**
 * Retries (ky's, configured by the client): GETs after a network error, 408, 429, 500, 502,
 * 503, 504; mutations, which all carry an `Idempotency-Key`, after a network error, 408,
 * 409 `idempotency_in_progress`, 429, 502, 503, 504, with the same key and the same body;
 * anything else, a timeout, and a POST without a key, once. Counted at a front before the
 * real handler; the clock is mocked (./clock.ts), the network is not.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it, mock } from 'node:test';
import { createBillingClient, type BillingClientOptions } from '../../src/client/index.js';
import { billingFailure, settled } from '../support/node/assertions.js';
import {
  deadUrl,
  neverAnswer,
  startBillingServer,
  type BillingTestServer,
  type Front,
} from '../support/node/billing-server.js';
import { answered, countedFetch, finish, flush, mockClock, type Clock, type CountedFetch } from './clock.js';

/** A problem+json answer, with extra headers (`Retry-After`) set at construction. */
function problem(status: number, code: string, headers: Record<string, string> = {}): Response {
  const requestId = `req_front_${code}_${status}`;
  return Response.json(
    { type: `https://billing-elements.dev/problems/${code}`, title: code, status, code, requestId, retryable: status >= 500 },
    { status, headers: { 'Content-Type': 'application/problem+json', 'X-Request-Id': requestId, ...headers } },
  );
}

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

const mutation = (request: Request) => request.method !== 'GET';

describe('BillingClient retries', () => {
  let server: BillingTestServer;
  let clock: Clock;
  before(async () => {
    server = await startBillingServer();
    clock = mockClock(mock.timers);
  });
  after(async () => {
    mock.timers.reset();
    await server.close();
  });
  beforeEach(() => {
    server.front = null;
    server.requests.length = 0;
  });
  const client = (fetch: CountedFetch, options: Partial<BillingClientOptions> = {}) =>
    createBillingClient({ baseUrl: server.url('demo'), fetch: fetch.fetch, ...options });

  describe('GET', () => {
    it('backs off 300 ms then 600 ms with full jitter, and succeeds with the third answer', async (t) => {
      // Full jitter draws within [0, delay): at 0.5 the delays are 150 ms and 300 ms.
      t.mock.method(Math, 'random', () => 0.5);
      server.front = failFirst(2, () => problem(503, 'engine_unavailable'));
      const fetch = countedFetch();
      const pending = client(fetch, { retries: 2 }).listUsage();
      await answered(fetch, 1);
      await clock.advance(149);
      assert.equal(fetch.calls, 1, 'retried before its backoff');
      await clock.advance(1);
      await answered(fetch, 2);
      await clock.advance(299);
      assert.equal(fetch.calls, 2, 'retried before its backoff');
      await clock.advance(1);
      const { data } = await pending;
      assert.equal(data.find((metric) => metric.metricKey === 'documents')?.used, 870);
      assert.deepEqual(server.requests.map((r) => r.status), [503, 503, 200]);
    });

    it('never waits more than 4 s between attempts, whatever the attempt', async (t) => {
      t.mock.method(Math, 'random', () => 0.999);
      server.front = () => problem(503, 'engine_unavailable');
      const fetch = countedFetch();
      const pending = client(fetch, { retries: 6 }).listPlans();
      // 300, 600, 1200, 2400, then 4000 (not 4800) and 4000 (not 9600), each a hair shorter
      // (the jitter): in steps of 100 ms, the clock moves by those sums.
      const moved = await finish(clock, fetch, pending, 100);
      assert.equal(fetch.calls, 7);
      assert.equal(moved, 300 + 600 + 1_200 + 2_400 + 4_000 + 4_000);
    });

    it('asks the host for its headers again before each attempt', async () => {
      server.front = failFirst(1, () => problem(503, 'engine_unavailable'));
      let calls = 0;
      const fetch = countedFetch();
      const pending = client(fetch, { headers: async () => ({ Authorization: `Bearer token-${++calls}` }) }).listUsage();
      await finish(clock, fetch, pending);
      await pending;
      assert.deepEqual(server.requests.map((r) => r.headers.get('authorization')), ['Bearer token-1', 'Bearer token-2']);
    });

    it('gives up after the configured retries with the last answer', async () => {
      server.front = () => problem(503, 'engine_unavailable');
      const fetch = countedFetch();
      const pending = client(fetch, { retries: 1 }).listPlans();
      await finish(clock, fetch, pending);
      const error = await billingFailure(pending);
      assert.equal(error.code, 'engine_unavailable');
      assert.equal(error.status, 503);
      assert.equal(error.retryable, true);
      assert.equal(error.requestId, 'req_front_engine_unavailable_503');
      assert.equal(server.count('GET', '/v1/plans'), 2);
    });

    it('does not retry with retries: 0', async () => {
      server.front = () => problem(500, 'internal');
      const error = await billingFailure(client(countedFetch(), { retries: 0 }).listModules());
      assert.equal(error.code, 'internal');
      assert.equal(server.count('GET', '/v1/modules'), 1);
    });

    for (const status of [408, 429, 500, 502, 503, 504]) {
      it(`retries a ${status}`, async () => {
          server.front = failFirst(1, () => problem(status, 'engine_unavailable'));
        const fetch = countedFetch();
        const pending = client(fetch).getSubscription();
        await finish(clock, fetch, pending);
        assert.equal((await pending).plan.id, 'pro');
        assert.equal(server.count('GET', '/v1/subscription'), 2);
      });
    }

    for (const status of [400, 401, 403, 404, 409, 412, 422]) {
      it(`never retries a ${status}: the answer will not change`, async () => {
        server.front = () => problem(status, 'change_not_allowed');
        const error = await billingFailure(client(countedFetch(), { retries: 2 }).listUsage());
        assert.equal(error.status, status);
        assert.equal(server.requests.length, 1);
      });
    }

    it('retries after a network error: nothing listening', async () => {
      const fetch = countedFetch();
      const pending = createBillingClient({ baseUrl: await deadUrl(), retries: 2, fetch: fetch.fetch }).listUsage();
      await finish(clock, fetch, pending);
      const error = await billingFailure(pending);
      assert.equal(error.code, 'network');
      assert.equal(error.retryable, true);
      assert.equal(fetch.calls, 3);
    });
  });

  describe('Retry-After', () => {
    it('in seconds, on a 429: waits exactly that long instead of the backoff', async () => {
      server.front = failFirst(1, () => problem(429, 'rate_limited', { 'Retry-After': '1' }));
      const fetch = countedFetch();
      const pending = client(fetch).getSubscription();
      await answered(fetch, 1);
      await clock.advance(999);
      assert.equal(fetch.calls, 1, 'retried before the Retry-After');
      await clock.advance(1);
      assert.equal(fetch.calls, 2);
      assert.equal((await pending).plan.id, 'pro');
    });

    it('as an HTTP date, on a 503', async () => {
      await clock.toWholeSecond();
      const retryAt = new Date(Date.now() + 2_000).toUTCString();
      server.front = failFirst(1, () => problem(503, 'engine_unavailable', { 'Retry-After': retryAt }));
      const fetch = countedFetch();
      const pending = client(fetch).listUsage();
      await answered(fetch, 1);
      await clock.advance(1_999);
      assert.equal(fetch.calls, 1, `retried before ${retryAt}`);
      await clock.advance(1);
      assert.equal(fetch.calls, 2);
      await pending;
    });

    it('is honoured up to 8 s: a longer one is cut to 8 s', async () => {
      server.front = failFirst(1, () => problem(503, 'engine_unavailable', { 'Retry-After': '120' }));
      const fetch = countedFetch();
      const pending = client(fetch).listUsage();
      await answered(fetch, 1);
      await clock.advance(7_999);
      assert.equal(fetch.calls, 1);
      await clock.advance(1);
      assert.equal(fetch.calls, 2);
      await pending;
    });
  });

  describe('mutations (each carries an Idempotency-Key)', () => {
    it('retries each one on a 503 with the same key and the same body', async () => {
      const failedOnce = new Set<string>();
      server.front = (request, forward) => {
        const route = `${request.method} ${new URL(request.url).pathname}`;
        if (!mutation(request) || failedOnce.has(route)) return forward(request);
        failedOnce.add(route);
        return problem(503, 'engine_unavailable');
      };
      const fetch = countedFetch();
      const billing = client(fetch);
      const calls = [
        () => billing.setDefaultPaymentMethod('pm_demo_sepa'),
        () => billing.setupPaymentMethod('https://app.example/billing'),
        () => billing.commitChange({ timing: 'period_end', change: { type: 'plan', planId: 'essentiel' } }),
        () => billing.cancelScheduledChange('sch_1'),
        () => billing.removePaymentMethod('pm_demo_visa'),
      ];
      for (const call of calls) {
        const pending = call();
        await finish(clock, fetch, pending);
        await settled(pending);
      }
      const routes = [
        'POST /v1/payment-methods/pm_demo_sepa/default',
        'POST /v1/payment-methods/setup',
        'POST /v1/subscription/changes',
        'DELETE /v1/subscription/scheduled-changes/sch_1',
        'DELETE /v1/payment-methods/pm_demo_visa',
      ];
      for (const route of routes) {
        const sent = server.requests.filter((r) => `${r.method} ${r.path}` === route);
        assert.equal(sent.length, 2, `${route} was sent ${sent.length} times`);
        const [first, second] = sent;
        assert.ok(first?.headers.get('idempotency-key'), `${route} carried no key`);
        assert.equal(second?.headers.get('idempotency-key'), first?.headers.get('idempotency-key'), `${route} changed its key`);
        assert.equal(second?.body, first?.body, `${route} changed its body`);
        assert.equal(second?.headers.get('if-match'), first?.headers.get('if-match'), `${route} changed its If-Match`);
        assert.equal(first?.status, 503);
      }
    });

    it('retries after its answer was lost on the way back, and gets the first outcome replayed, not a second change', async () => {
      const replayed: (string | null)[] = [];
      server.front = async (request, forward) => {
        const response = await forward(request);
        if (mutation(request)) replayed.push(response.headers.get('Idempotent-Replayed'));
        return response;
      };
      // The server commits the change, then the connection drops before the answer is read.
      let lost = 0;
      const fetch = countedFetch(async (input, init) => {
        const method = input instanceof Request ? input.method : init?.method;
        const response = await globalThis.fetch(input, init);
        if (method === 'POST' && lost++ === 0) {
          await response.arrayBuffer();
          throw new TypeError('fetch failed', { cause: new Error('other side closed') });
        }
        return response;
      });
      const billing = client(fetch);
      const before = await billing.getSubscription();
      const pending = billing.commitChange({ timing: 'now', change: { type: 'plan', planId: 'entreprise' } }, { idempotencyKey: 'upgrade-1' });
      await finish(clock, fetch, pending);
      const result = await pending;
      assert.equal(result.subscription.plan.id, 'entreprise');
      assert.notEqual(result.subscription.version, before.version);
      assert.equal(billing.lastVersion, result.subscription.version);
      const commits = server.requests.filter((r) => r.method === 'POST' && r.path === '/v1/subscription/changes');
      assert.deepEqual(commits.map((r) => r.headers.get('idempotency-key')), ['upgrade-1', 'upgrade-1']);
      // The same If-Match: without the key, the second attempt would be a 412 (the version moved).
      assert.deepEqual(commits.map((r) => r.headers.get('if-match')), [`"${before.version}"`, `"${before.version}"`]);
      assert.deepEqual(commits.map((r) => r.status), [200, 200]);
      assert.deepEqual(replayed, [null, 'true']);
    });

    it('retries after a network error: nothing listening', async () => {
      const fetch = countedFetch();
      const pending = createBillingClient({ baseUrl: await deadUrl(), retries: 2, fetch: fetch.fetch }).setDefaultPaymentMethod(
        'pm_demo_sepa',
      );
      await finish(clock, fetch, pending);
      const error = await billingFailure(pending);
      assert.equal(error.code, 'network');
      assert.equal(fetch.calls, 3);
    });

    it('retries a 409 idempotency_in_progress until the first request has finished', async () => {
      server.front = failFirst(2, () => problem(409, 'idempotency_in_progress'), mutation);
      const fetch = countedFetch();
      const pending = client(fetch).setDefaultPaymentMethod('pm_demo_sepa', { idempotencyKey: 'default-sepa' });
      await finish(clock, fetch, pending);
      const methods = await pending;
      assert.deepEqual(methods.data.filter((method) => method.isDefault).map((method) => method.id), ['pm_demo_sepa']);
      assert.deepEqual(
        server.requests.map((r) => `${r.status} ${r.headers.get('idempotency-key')}`),
        ['409 default-sepa', '409 default-sepa', '200 default-sepa'],
      );
    });

    for (const status of [408, 429, 502, 504]) {
      it(`retries a ${status}`, async () => {
          server.front = failFirst(1, () => problem(status, 'engine_unavailable'), mutation);
        const fetch = countedFetch();
        const pending = client(fetch).setDefaultPaymentMethod('pm_demo_sepa');
        await finish(clock, fetch, pending);
        await pending;
        assert.equal(server.count('POST', '/v1/payment-methods/pm_demo_sepa/default'), 2);
      });
    }

    const once: [number, string][] = [
      [500, 'internal'],
      [409, 'preview_stale'],
      [409, 'preview_expired'],
      [412, 'version_conflict'],
      [422, 'idempotency_key_reused'],
      [422, 'change_not_allowed'],
      [400, 'validation_failed'],
      [402, 'payment_failed'],
    ];
    for (const [status, code] of once) {
      it(`sends it once when answered ${status} ${code}`, async () => {
        server.front = () => problem(status, code);
        const error = await billingFailure(client(countedFetch()).setDefaultPaymentMethod('pm_demo_sepa'));
        assert.equal(error.code, code);
        assert.equal(server.count('POST', '/v1/payment-methods/pm_demo_sepa/default'), 1);
      });
    }

    it('does not retry a timeout: it is retryable for the caller, with the same key', async () => {
      server.front = (request, forward) => (mutation(request) ? neverAnswer(request) : forward(request));
      const fetch = countedFetch();
      const failed = billingFailure(client(fetch, { timeout: 200 }).setDefaultPaymentMethod('pm_demo_sepa', { idempotencyKey: 'slow-1' }));
      while (server.requests.length === 0) await flush(1);
      await clock.advance(199);
      assert.equal(fetch.settled, 0, 'gave up before the timeout');
      await clock.advance(1);
      const error = await failed;
      assert.equal(error.code, 'timeout');
      assert.equal(error.retryable, true);
      assert.equal(server.count('POST', '/v1/payment-methods/pm_demo_sepa/default'), 1);
    });
  });

  it('sends previewChange (a POST without a key) once, even when answered 503', async () => {
    server.front = () => problem(503, 'engine_unavailable');
    const error = await billingFailure(
      client(countedFetch()).previewChange({ timing: 'period_end', change: { type: 'plan', planId: 'essentiel' } }),
    );
    assert.equal(error.code, 'engine_unavailable');
    assert.equal(server.count('POST', '/v1/subscription/changes/preview'), 1);
    assert.equal(server.requests.length, 1);
  });

  it('stops waiting and retrying as soon as the caller aborts during the backoff', async () => {
    server.front = () => problem(503, 'engine_unavailable', { 'Retry-After': '2' });
    const fetch = countedFetch();
    const controller = new AbortController();
    const pending = client(fetch, { retries: 5 }).listUsage({ signal: controller.signal });
    await answered(fetch, 1);
    controller.abort();
    // Settles with the clock stopped: the abort does not wait for the backoff.
    const error = await billingFailure(pending);
    assert.equal(error.code, 'aborted');
    assert.equal(error.retryable, false);
    await clock.advance(10_000);
    assert.equal(fetch.calls, 1);
    assert.equal(server.requests.length, 1);
  });
});
