/**
 * Every failure of the client is a `BillingError` with a code the elements can switch on:
 * the server's problem documents, responses that break the contract, no answer at all, a
 * timeout, an abort. Faults are injected by a thin HTTP front before the real handler.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BillingError, createBillingClient, isBillingError } from '../../src/client/index.js';
import { billingFailure, waitFor } from '../support/node/assertions.js';
import {
  deadUrl,
  editJson,
  neverAnswer,
  startBillingServer,
  type BillingTestServer,
} from '../support/node/billing-server.js';

/** Headers and the start of a JSON body, then nothing, ever (until the client hangs up). */
const stalledBody = () =>
  new Response(
    new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"data":['));
      },
    }),
    { status: 200, headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'req_stalled' } },
  );

describe('BillingClient errors', () => {
  let server: BillingTestServer;
  before(async () => {
    server = await startBillingServer();
  });
  after(() => server.close());
  const demo = (options: { timeout?: number; retries?: number } = {}) =>
    createBillingClient({ baseUrl: server.url('demo'), ...options });
  const lastRequest = () => {
    const request = server.requests.at(-1);
    assert.ok(request, 'the server saw no request');
    return request;
  };

  describe('problem documents from the server', () => {
    it('an unknown invoice is a 404 not_found with the request id of the response', async () => {
      const error = await billingFailure(demo().getInvoice('inv_does_not_exist'));
      assert.equal(error.code, 'not_found');
      assert.equal(error.status, 404);
      assert.equal(error.operation, 'getInvoice');
      assert.equal(error.retryable, false);
      assert.match(error.requestId ?? '', /^req_/);
      assert.equal(error.requestId, lastRequest().responseRequestId);
      assert.equal(error.problem?.code, 'not_found');
      assert.equal(error.name, 'BillingError');
      assert.ok(isBillingError(error));
      assert.equal(lastRequest().path, '/v1/invoices/inv_does_not_exist');
    });

    it('a limit over the maximum is a 400 validation_failed naming query.limit', async () => {
      const error = await billingFailure(demo().listInvoices({ limit: 500 }));
      assert.equal(error.code, 'validation_failed');
      assert.equal(error.status, 400);
      assert.equal(error.operation, 'listInvoices');
      assert.deepEqual(error.fieldErrors.map((e) => e.field), ['query.limit']);
      assert.match(error.fieldErrors[0]?.message ?? '', /100/);
      assert.equal(lastRequest().query.get('limit'), '500');
      assert.equal(error.requestId, lastRequest().responseRequestId);
    });

    it('nobody signed in is a 401 unauthenticated', async () => {
      const client = createBillingClient({ baseUrl: server.url('stranger') });
      const error = await billingFailure(client.listUsage());
      assert.equal(error.code, 'unauthenticated');
      assert.equal(error.status, 401);
      assert.equal(error.requestId, lastRequest().responseRequestId);
      assert.deepEqual(error.fieldErrors, []);
    });

    it('a customer without a subscription is a 404 no_subscription, and no version is remembered', async () => {
      const client = createBillingClient({ baseUrl: server.url('nosub') });
      const error = await billingFailure(client.getSubscription());
      assert.equal(error.code, 'no_subscription');
      assert.equal(error.status, 404);
      assert.equal(error.operation, 'getSubscription');
      assert.equal(client.lastVersion, null);
    });

    it('takes the request id from X-Request-Id, else from the problem document', async () => {
      const body = { type: 'about:blank', title: 'Gone', status: 404, code: 'not_found', requestId: 'req_in_body', retryable: false };
      const problemHeaders = { 'Content-Type': 'application/problem+json' };
      server.front = () => Response.json(body, { status: 404, headers: { ...problemHeaders, 'X-Request-Id': 'req_in_header' } });
      try {
        assert.equal((await billingFailure(demo().getInvoice('inv_1'))).requestId, 'req_in_header');
        server.front = () => Response.json(body, { status: 404, headers: problemHeaders });
        assert.equal((await billingFailure(demo().getInvoice('inv_1'))).requestId, 'req_in_body');
      } finally {
        server.front = null;
      }
    });

    it('keeps the request id the host sent in X-Request-Id', async () => {
      const client = createBillingClient({ baseUrl: server.url('demo'), headers: { 'X-Request-Id': 'host-trace-0001' } });
      const error = await billingFailure(client.getInvoice('inv_does_not_exist'));
      assert.equal(error.requestId, 'host-trace-0001');
    });
  });

  describe('responses that break the contract', () => {
    it('a body that breaks the schema is invalid_response, naming where', async () => {
      server.front = async (request, forward) =>
        editJson(await forward(request), (body) => JSON.parse(JSON.stringify(body).replace(/"used":\d+/g, '"used":"lots"')));
      try {
        const error = await billingFailure(demo().listUsage());
        assert.equal(error.code, 'invalid_response');
        assert.equal(error.status, 200);
        assert.equal(error.operation, 'listUsage');
        assert.match(error.message, /data\.0\.used/);
        assert.equal(error.requestId, lastRequest().responseRequestId);
        assert.ok(error.requestId, 'the request id of the broken response was lost');
        assert.ok(error.cause, 'the schema issues are not kept as the cause');
      } finally {
        server.front = null;
      }
    });

    it('an HTML page where JSON was expected is invalid_response', async () => {
      server.front = () =>
        new Response('<!doctype html><title>Welcome</title><p>Sign in', {
          status: 200,
          headers: { 'Content-Type': 'text/html', 'X-Request-Id': 'req_html_page' },
        });
      try {
        const error = await billingFailure(demo().getSubscription());
        assert.equal(error.code, 'invalid_response');
        assert.equal(error.status, 200);
        assert.match(error.message, /not JSON/);
        assert.equal(error.requestId, 'req_html_page');
      } finally {
        server.front = null;
      }
    });

    it("a proxy's HTML error page is coded from its status", async () => {
      server.front = () => new Response('<html><body>Bad gateway</body></html>', { status: 502, headers: { 'Content-Type': 'text/html' } });
      try {
        const error = await billingFailure(demo({ retries: 0 }).listPlans());
        assert.equal(error.code, 'engine_unavailable');
        assert.equal(error.status, 502);
        assert.equal(error.retryable, true);
        assert.equal(error.problem, null);
        assert.equal(error.requestId, null);
      } finally {
        server.front = null;
      }
    });

    it('an empty 200 is invalid_response', async () => {
      server.front = () => new Response(null, { status: 200 });
      try {
        const error = await billingFailure(demo().listModules());
        assert.equal(error.code, 'invalid_response');
      } finally {
        server.front = null;
      }
    });
  });

  describe('no answer', () => {
    it('nothing listening is network, retryable (retries: ./retries.test.ts)', async () => {
      let attempts = 0;
      const client = createBillingClient({
        baseUrl: await deadUrl(),
        retries: 0,
        // The real fetch, counted.
        fetch: (input, init) => {
          attempts++;
          return fetch(input, init);
        },
      });
      const error = await billingFailure(client.listUsage());
      assert.equal(error.code, 'network');
      assert.equal(error.status, 0);
      assert.equal(error.retryable, true);
      assert.equal(error.requestId, null);
      assert.ok(error.cause instanceof TypeError, `the cause is ${String(error.cause)}`);
      assert.equal(attempts, 1);
    });

    it('a server that never answers is a timeout, after the timeout and without retrying', { timeout: 5_000 }, async () => {
      server.front = neverAnswer;
      try {
        const before = server.requests.length;
        const start = Date.now();
        const error = await billingFailure(demo({ timeout: 200, retries: 2 }).getSubscription());
        const elapsed = Date.now() - start;
        assert.equal(error.code, 'timeout');
        assert.equal(error.status, 0);
        assert.equal(error.retryable, true);
        assert.ok(elapsed >= 190, `gave up after ${elapsed} ms, before the timeout`);
        assert.ok(elapsed < 1_500, `took ${elapsed} ms for a 200 ms timeout`);
        // A timed-out request may still be running on the server: it is not sent again.
        assert.equal(server.requests.length - before, 1);
        const request = lastRequest();
        await waitFor(() => request.aborted, 'the server to see the client hang up');
      } finally {
        server.front = null;
      }
    });

    // A call that never settles would hang the suite: these fail after 5 s instead.
    it('a body that stops half-way is a timeout too', { timeout: 5_000 }, async () => {
      server.front = stalledBody;
      try {
        const start = Date.now();
        const error = await billingFailure(demo({ timeout: 200, retries: 0 }).listUsage());
        assert.equal(error.code, 'timeout');
        assert.ok(Date.now() - start < 1_500, `took ${Date.now() - start} ms for a 200 ms timeout`);
      } finally {
        server.front = null;
      }
    });

    it('an AbortSignal that fires while the body is arriving is aborted', { timeout: 5_000 }, async () => {
      server.front = stalledBody;
      try {
        const controller = new AbortController();
        const pending = demo().listUsage({ signal: controller.signal });
        await waitFor(() => server.requests.at(-1)?.status === 200, 'the response headers');
        await new Promise((resolve) => setTimeout(resolve, 20));
        controller.abort();
        const start = Date.now();
        const error = await billingFailure(pending);
        assert.equal(error.code, 'aborted');
        assert.ok(Date.now() - start < 500, `the abort took ${Date.now() - start} ms to land`);
      } finally {
        server.front = null;
      }
    });

    it('an AbortSignal that fires is aborted, not retryable', { timeout: 5_000 }, async () => {
      server.front = neverAnswer;
      try {
        const controller = new AbortController();
        const pending = demo().getSubscription({ signal: controller.signal });
        await waitFor(() => server.requests.at(-1)?.path === '/v1/subscription' && !server.requests.at(-1)?.status, 'the request');
        controller.abort();
        const error = await billingFailure(pending);
        assert.equal(error.code, 'aborted');
        assert.equal(error.status, 0);
        assert.equal(error.retryable, false);
        const request = lastRequest();
        await waitFor(() => request.aborted, 'the server to see the client hang up');
      } finally {
        server.front = null;
      }
    });

    it('an AbortSignal already fired sends nothing', async () => {
      const before = server.requests.length;
      const error = await billingFailure(demo().listUsage({ signal: AbortSignal.abort() }));
      assert.equal(error.code, 'aborted');
      assert.equal(server.requests.length, before);
    });
  });

  describe('requests that cannot be sent: invalid_request, never retried', () => {
    /** The real fetch, counted. */
    const counted = () => {
      const seen = { attempts: 0 };
      const fetchOption: typeof fetch = (input, init) => {
        seen.attempts++;
        return fetch(input, init);
      };
      return { seen, fetch: fetchOption };
    };
    const isConfigurationError = (error: BillingError) => {
      assert.equal(error.code, 'invalid_request');
      assert.equal(error.status, 0);
      assert.equal(error.retryable, false);
      assert.equal(error.requestId, null);
      assert.ok(error.cause, 'the original error is not kept as the cause');
    };

    it('a base URL that does not parse (a relative one, with no page to resolve it against)', async () => {
      const { seen, fetch } = counted();
      const error = await billingFailure(createBillingClient({ baseUrl: '/api/billing', retries: 2, fetch }).listUsage());
      isConfigurationError(error);
      assert.ok(error.cause instanceof TypeError);
      assert.match(error.message, /listUsage/);
      assert.equal(seen.attempts, 0);
    });

    it('a fetch option that throws at once is not taken for the network', async () => {
      let attempts = 0;
      const cause = new Error('fetch is not set up yet');
      const client = createBillingClient({
        baseUrl: server.url('demo'),
        retries: 2,
        fetch: () => {
          attempts++;
          throw cause;
        },
      });
      const error = await billingFailure(client.getSubscription());
      isConfigurationError(error);
      assert.equal(error.cause, cause);
      assert.equal(attempts, 1);
    });

    it('a headers function that throws', async () => {
      const { seen, fetch } = counted();
      const client = createBillingClient({
        baseUrl: server.url('demo'),
        fetch,
        headers: () => {
          throw new Error('no session token');
        },
      });
      const error = await billingFailure(client.listPlans());
      isConfigurationError(error);
      assert.match(error.message, /no session token/);
      assert.equal(seen.attempts, 0);
    });

    it('a header value that Headers refuses', async () => {
      const { seen, fetch } = counted();
      const client = createBillingClient({ baseUrl: server.url('demo'), fetch, headers: { Authorization: 'Bearer a\nb' } });
      isConfigurationError(await billingFailure(client.listModules()));
      assert.equal(seen.attempts, 0);
    });

    it('a mutation too: sent never, not retried', async () => {
      const { seen, fetch } = counted();
      const client = createBillingClient({ baseUrl: 'billing.example/api', retries: 2, fetch });
      isConfigurationError(await billingFailure(client.setDefaultPaymentMethod('pm_demo_sepa')));
      assert.equal(seen.attempts, 0);
    });
  });

  describe('diagnostic()', () => {
    it('gives support the operation, the code, the request id and an ISO time', async () => {
      const before = Date.now();
      const error = await billingFailure(demo().getInvoice('inv_does_not_exist'));
      const text = error.diagnostic();
      assert.match(text, /^operation: getInvoice$/m);
      assert.match(text, /^code: not_found$/m);
      assert.match(text, /^status: 404$/m);
      assert.ok(error.requestId);
      assert.ok(text.includes(`request id: ${error.requestId}`), text);
      const time = /^time: (\S+)$/m.exec(text)?.[1] ?? '';
      assert.match(time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const at = Date.parse(time);
      assert.ok(at >= before - 1 && at <= Date.now() + 1, `time ${time} is not now`);
    });

    it('says "none" when no response came', async () => {
      const client = createBillingClient({ baseUrl: await deadUrl(), retries: 0 });
      const error = await billingFailure(client.listPlans());
      assert.match(error.diagnostic(), /^request id: none$/m);
      assert.match(error.diagnostic(), /^code: network$/m);
    });
  });

  it('is an Error with a message', () => {
    const error = new BillingError({ code: 'internal', status: 500, operation: 'listUsage', message: 'boom' });
    assert.ok(error instanceof Error);
    assert.equal(error.message, 'boom');
    assert.equal(error.retryable, false);
  });
});
