import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as z from 'zod/mini';
import {
  Invoice,
  InvoicePage,
  ModuleList,
  PaymentMethodList,
  PlanList,
  Subscription,
  UsageList,
} from '../../src/contract/index.js';
import { BillingEngineError } from '../../src/server/index.js';
import { demoEngine, harness, problem } from './helpers.js';

const readEndpoints: [string, z.ZodMiniType][] = [
  ['/v1/subscription', Subscription],
  ['/v1/plans', PlanList],
  ['/v1/modules', ModuleList],
  ['/v1/usage', UsageList],
  ['/v1/invoices', InvoicePage],
  ['/v1/invoices/inv_2026_0005', Invoice],
  ['/v1/payment-methods', PaymentMethodList],
];

describe('read endpoints', () => {
  const { get } = harness();

  for (const [path, schema] of readEndpoints) {
    it(`GET ${path} answers 200 with a body that parses with its contract schema`, async () => {
      const response = await get(path);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('Content-Type'), 'application/json');
      // Kept by the browser, always revalidated (representation.test.ts).
      assert.equal(response.headers.get('Cache-Control'), 'private, no-cache');
      assert.match(response.headers.get('X-Request-Id') ?? '', /^req_[0-9a-f]{32}$/);
      const parsed = schema.safeParse(await response.json());
      assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
    });

    it(`GET ${path} without credentials answers 401 unauthenticated`, async () => {
      await problem(await get(path, null), 401, 'unauthenticated');
    });
  }

  it('sends the subscription version at the head of a strong ETag', async () => {
    const response = await get('/v1/subscription');
    const body = Subscription.parse(await response.json());
    assert.equal(body.version, '3');
    assert.match(response.headers.get('ETag') ?? '', /^"3\+[0-9a-f]{16}"$/);
  });

  it('answers 404 no_subscription for a customer without one, and still serves the rest', async () => {
    await problem(await get('/v1/subscription', 'cus_nosub'), 404, 'no_subscription');
    const plans = PlanList.parse(await (await get('/v1/plans', 'cus_nosub')).json());
    assert.deepEqual(
      plans.data.map((p) => p.change),
      [1, 2, 3].map(() => ({ direction: 'upgrade', allowedTimings: ['now'], defaultTiming: 'now' })),
    );
    assert.deepEqual(UsageList.parse(await (await get('/v1/usage', 'cus_nosub')).json()).data, []);
  });

  it('shows a read-only user everything but lets them change nothing', async () => {
    const body = Subscription.parse(await (await get('/v1/subscription', 'cus_readonly')).json());
    assert.deepEqual(body.permissions, {
      changePlan: false,
      manageModules: false,
      managePaymentMethods: false,
      viewInvoices: true,
    });
    const owner = Subscription.parse(await (await get('/v1/subscription')).json());
    assert.deepEqual(Object.values(owner.permissions), [true, true, true, true]);
  });

  it('answers 403 forbidden when the host resolves a customer the engine does not know', async () => {
    await problem(await get('/v1/plans', 'cus_ghost'), 403, 'forbidden');
  });
});

describe('not found', () => {
  const { get, handler } = harness();

  it('answers 404 not_found for an unknown path, a wrong method and a path outside the base path', async () => {
    await problem(await get('/v1/nothing-here'), 404, 'not_found');
    await problem(await get('/v1/invoices/inv_2026_0005/pdf/nothing'), 404, 'not_found');
    await problem(await handler(new Request('http://billing.test/elsewhere')), 404, 'not_found');
    const post = await handler(
      new Request('http://billing.test/api/billing/v1/plans', { method: 'POST', headers: { Authorization: 'Bearer cus_demo' } }),
    );
    await problem(post, 404, 'not_found');
  });

  it('answers 404 for an unknown invoice and for another customer’s invoice', async () => {
    await problem(await get('/v1/invoices/inv_nope'), 404, 'not_found');
    // inv_2026_0002 is Boulangerie Martin's (cus_readonly).
    assert.equal((await get('/v1/invoices/inv_2026_0002', 'cus_readonly')).status, 200);
    await problem(await get('/v1/invoices/inv_2026_0002'), 404, 'not_found');
  });
});

describe('query validation', () => {
  const { get } = harness();
  const cases: [string, string, RegExp][] = [
    ['limit=0', 'query.limit', /at least 1/],
    ['limit=101', 'query.limit', /at most 100/],
    ['limit=abc', 'query.limit', /must be a number/],
    ['limit=2.5', 'query.limit', /whole number/],
    ['status=nope', 'query.status', /one of draft, open, paid, void, uncollectible/],
    ['from=yesterday', 'query.from', /RFC 3339/],
    ['to=2026-01-01', 'query.to', /RFC 3339/],
    ['cursor=', 'query.cursor', /not be empty/],
    ['cursor=bm90LWEtY3Vyc29y', 'query.cursor', /not a cursor/],
  ];

  for (const [query, field, message] of cases) {
    it(`rejects ${query} with 400 validation_failed naming ${field}`, async () => {
      const body = await problem(await get(`/v1/invoices?${query}`), 400, 'validation_failed');
      assert.equal(body.retryable, false);
      assert.equal(body.fieldErrors?.length, 1);
      assert.equal(body.fieldErrors?.[0]?.field, field);
      assert.match(body.fieldErrors?.[0]?.message ?? '', message);
    });
  }

  it('reports every bad field at once', async () => {
    const body = await problem(await get('/v1/invoices?limit=0&status=nope&from=yesterday'), 400, 'validation_failed');
    assert.deepEqual(body.fieldErrors?.map((e) => e.field), ['query.limit', 'query.status', 'query.from']);
  });

  it('checks credentials before the query', async () => {
    await problem(await get('/v1/invoices?limit=0', null), 401, 'unauthenticated');
  });
});

describe('X-Request-Id', () => {
  const { get } = harness();

  it('keeps a sane incoming id, in the header and in problem documents', async () => {
    const ok = await get('/v1/plans', 'cus_demo', { 'X-Request-Id': 'trace-1234:abcd' });
    assert.equal(ok.headers.get('X-Request-Id'), 'trace-1234:abcd');
    const bad = await get('/v1/nope', 'cus_demo', { 'X-Request-Id': 'trace-1234:abcd' });
    assert.equal((await problem(bad, 404, 'not_found')).requestId, 'trace-1234:abcd');
  });

  it('replaces an id that is too short, too long or has odd characters', async () => {
    for (const incoming of ['abc', 'x'.repeat(129), 'has spaces in it', '<script>alert(1)</script>']) {
      const response = await get('/v1/plans', 'cus_demo', { 'X-Request-Id': incoming });
      assert.match(response.headers.get('X-Request-Id') ?? '', /^req_[0-9a-f]{32}$/, incoming);
    }
  });

  it('generates a different id for every request', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, async () => (await get('/v1/plans')).headers.get('X-Request-Id')));
    assert.equal(new Set(ids).size, 20);
  });
});

describe('engine failures', () => {
  it('maps a BillingEngineError to its status, retryable when the contract says so', async () => {
    const engine = demoEngine();
    const { get } = harness({
      ...engine,
      listPlans: async () => {
        throw new BillingEngineError('engine_unavailable', { detail: 'Billing is down for maintenance.' });
      },
    });
    const body = await problem(await get('/v1/plans'), 503, 'engine_unavailable');
    assert.equal(body.retryable, true);
    assert.equal(body.detail, 'Billing is down for maintenance.');
  });

  it('answers any other error with a bare 500 internal, logged with the request id', async () => {
    const engine = demoEngine();
    const { get, logged } = harness({
      ...engine,
      listUsage: async () => {
        throw new Error('SQLITE_CORRUPT at /srv/secret/billing.db');
      },
    });
    const response = await get('/v1/usage');
    const text = await response.clone().text();
    const body = await problem(response, 500, 'internal');
    assert.doesNotMatch(text, /SQLITE|secret|at /);
    assert.equal(body.detail, undefined);
    assert.equal(logged.length, 1);
    assert.equal(logged[0]?.details['requestId'], body.requestId);
    assert.match(String(logged[0]?.details['error']), /SQLITE_CORRUPT/);
  });

  it('refuses to send a response that breaks the contract, unless validation is off', async () => {
    const engine = demoEngine();
    const broken = {
      ...engine,
      // A card number where the last four digits belong, and a thirteenth month.
      listPaymentMethods: async () => [
        {
          id: 'pm_1',
          type: 'card' as const,
          isDefault: true,
          card: { brand: 'visa', last4: '4242424242424242', expMonth: 13, expYear: 2030 },
        },
      ],
    };
    const strict = harness(broken);
    await problem(await strict.get('/v1/payment-methods'), 500, 'internal');
    assert.match(strict.logged[0]?.message ?? '', /listPaymentMethods response breaks the contract/);

    const lax = harness(broken, false);
    assert.equal((await lax.get('/v1/payment-methods')).status, 200);
  });

  it('drops fields the contract does not know when validating', async () => {
    const engine = demoEngine();
    const leaky = {
      ...engine,
      getSubscription: async (customer: string) => {
        const subscription = await engine.getSubscription(customer);
        return subscription && { ...subscription, internalNote: 'do not send' };
      },
    };
    const body = (await (await harness(leaky).get('/v1/subscription')).json()) as Record<string, unknown>;
    assert.equal(body['internalNote'], undefined);
    assert.equal(body['id'], 'sub_demo');
  });
});
