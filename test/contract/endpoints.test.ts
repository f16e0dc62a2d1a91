/**
 * The `endpoints` table: the one place where each operation's method, path and response
 * schema are written, read by the client, the server and the OpenAPI generator.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { endpoints, errorStatus, retryableCodes, type Endpoint } from '../../src/contract/index.js';

const entries = Object.entries(endpoints) as [string, Endpoint][];

/** The endpoints of CONTRACT.md (v1), as `METHOD path` with Hono-style parameters. */
const CONTRACT_ENDPOINTS = [
  'GET /v1/subscription',
  'GET /v1/plans',
  'GET /v1/modules',
  'GET /v1/usage',
  'POST /v1/subscription/changes/preview',
  'POST /v1/subscription/changes',
  'DELETE /v1/subscription/scheduled-changes/:id',
  'GET /v1/invoices',
  'GET /v1/invoices/:id',
  'GET /v1/invoices/:id/pdf',
  'GET /v1/payment-methods',
  'DELETE /v1/payment-methods/:id',
  'POST /v1/payment-methods/setup',
  'POST /v1/payment-methods/:id/default',
];

describe('the endpoints table', () => {
  it('lists exactly the endpoints of the contract, each once', () => {
    const routes = entries.map(([, endpoint]) => `${endpoint.method} ${endpoint.path}`);
    assert.deepEqual([...routes].sort(), [...CONTRACT_ENDPOINTS].sort());
    assert.equal(new Set(routes).size, routes.length, 'two operations share a method and path');
  });

  for (const [name, endpoint] of entries) {
    it(`${name}: has a method, a /v1 path and a response schema that rejects an empty object`, () => {
      assert.ok(['GET', 'POST', 'DELETE'].includes(endpoint.method), `${name}: method ${endpoint.method}`);
      assert.match(endpoint.path, /^\/v1(\/([a-z-]+|:[a-zA-Z]+))+$/, `${name}: path ${endpoint.path}`);
      assert.ok(endpoint.response, `${name} has no response schema`);
      assert.equal(typeof endpoint.response.safeParse, 'function', `${name}: the response is not a zod schema`);
      // Every response of the contract has required members: a schema accepting {} checks nothing.
      assert.equal(endpoint.response.safeParse({}).success, false, `${name}: the response schema accepts {}`);
    });
  }

  it('marks every mutation idempotent, never a read or the side-effect-free preview', () => {
    const idempotent = entries.filter(([, e]) => e.idempotent).map(([name]) => name).sort();
    assert.deepEqual(idempotent, [
      'cancelScheduledChange',
      'commitChange',
      'removePaymentMethod',
      'setDefaultPaymentMethod',
      'setupPaymentMethod',
    ]);
    for (const [name, endpoint] of entries) {
      if (endpoint.method === 'GET') assert.ok(!endpoint.idempotent && !endpoint.versioned, `${name} is a GET`);
    }
  });

  it('asks for If-Match exactly on the changes to the subscription', () => {
    const versioned = entries.filter(([, e]) => e.versioned).map(([name]) => name).sort();
    assert.deepEqual(versioned, ['cancelScheduledChange', 'commitChange']);
  });
});

describe('the error codes', () => {
  it('have the statuses of the contract', () => {
    assert.deepEqual(
      { ...errorStatus },
      {
        unauthenticated: 401,
        forbidden: 403,
        not_found: 404,
        no_subscription: 404,
        validation_failed: 400,
        plan_not_available: 422,
        module_requirements_not_met: 422,
        timing_not_supported: 422,
        change_not_allowed: 422,
        preview_expired: 409,
        preview_stale: 409,
        version_conflict: 412,
        precondition_required: 428,
        idempotency_key_reused: 422,
        idempotency_in_progress: 409,
        payment_failed: 402,
        rate_limited: 429,
        engine_unavailable: 503,
        internal: 500,
      },
    );
  });

  it('call only transient failures retryable', () => {
    assert.deepEqual([...retryableCodes].sort(), ['engine_unavailable', 'idempotency_in_progress', 'rate_limited']);
  });
});
