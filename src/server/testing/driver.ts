/**
 * How the conformance suite talks to an engine: through the real handler, with Fetch API
 * `Request`s as a browser would send them, every answer checked against the contract.
 */
import assert from 'node:assert/strict';
import { Problem, Subscription, InvoicePage, type Invoice } from '../../contract/index.js';
import type { BillingEngine, CustomerId } from '../billing-engine.js';
import { createBillingHandler, type BillingHandler, type BillingHandlerOptions } from '../handler.js';

/** The customers a fixture provides, by the part they play in the checks. */
export interface ConformanceCustomers {
  /**
   * A customer with a renewing subscription they may change (owner permissions), with at least
   * one plan that is an upgrade, one module they can activate, and three invoices or more,
   * one of them paid.
   */
  subscribed: CustomerId;
  /** Another customer with a subscription they may change, and at least one invoice and one payment method: the isolation checks. */
  other: CustomerId;
  /** A customer the engine knows who has no subscription (optional: checks the 404 `no_subscription`). */
  withoutSubscription?: CustomerId;
}

/** What `setup` hands the suite: a fresh engine in a known state. */
export interface ConformanceFixture {
  engine: BillingEngine;
  customers: ConformanceCustomers;
  /**
   * The instant the engine believes it is, when its clock is fixed: the handler's own clock
   * (signed PDF links) is then pinned to it. Default: the system clock.
   */
  now?: Date;
  /** Called after the check, whether it passed or not. */
  teardown?(): void | Promise<void>;
}

/** The base URL the handler is mounted at in the checks. */
export const CONFORMANCE_BASE = 'http://billing.conformance.test/api/billing';

/** The header that says, in the checks' requests, which fixture customer is asking. */
export const CUSTOMER_HEADER = 'X-Conformance-Customer';

/**
 * Who is asking: the one place the suite depends on the shape of `resolveCustomer`. The checks
 * name the customer in a header; only the fixture's customers are recognised.
 */
export function fixtureCustomerResolver(customers: ConformanceCustomers): BillingHandlerOptions['resolveCustomer'] {
  const known = new Set(Object.values(customers).filter((id): id is CustomerId => typeof id === 'string'));
  return (request) => {
    const id = request.headers.get(CUSTOMER_HEADER);
    return id !== null && known.has(id) ? id : null;
  };
}

export interface SendOptions {
  /** Default: the subscribed customer; `null` sends no credentials. */
  as?: CustomerId | null;
  /** Sent as JSON, or as it is when a string. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** The handler over the fixture's engine, and the requests the checks send it. */
export interface Driver {
  readonly fixture: ConformanceFixture;
  readonly handler: BillingHandler;
  /** What the handler logged as unexpected: an engine that breaks the contract shows up here. */
  readonly logged: { message: string; details: Record<string, unknown> }[];
  send(method: string, path: string, options?: SendOptions): Promise<Response>;
  /** An absolute URL the handler made (a PDF link), fetched as a plain link: no credentials. */
  follow(url: string): Promise<Response>;
  /** GET `path` and parse its 200 body with `schema`. */
  read<T>(path: string, schema: Schema<T>, as?: CustomerId): Promise<T>;
  subscription(as?: CustomerId): Promise<Subscription>;
  /** Every invoice of the customer, walked page by page (newest first). */
  allInvoices(as?: CustomerId): Promise<Invoice[]>;
}

export interface Schema<T> {
  parse(value: unknown): T;
}

export function createDriver(fixture: ConformanceFixture): Driver {
  const logged: Driver['logged'] = [];
  const now = fixture.now;
  const handler = createBillingHandler({
    engine: fixture.engine,
    resolveCustomer: fixtureCustomerResolver(fixture.customers),
    basePath: new URL(CONFORMANCE_BASE).pathname,
    publicOrigin: new URL(CONFORMANCE_BASE).origin,
    validateResponses: true,
    logger: { error: (message, details) => void logged.push({ message, details }) },
    ...(now ? { now: () => now.getTime() } : {}),
  });
  const send: Driver['send'] = (method, path, { as = fixture.customers.subscribed, body, headers = {} } = {}) =>
    handler(
      new Request(CONFORMANCE_BASE + path, {
        method,
        headers: {
          ...(as === null ? {} : { [CUSTOMER_HEADER]: as }),
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
    );
  const read: Driver['read'] = async (path, schema, as) => ok(await send('GET', path, { as }), schema, `GET ${path}`);
  return {
    fixture,
    handler,
    logged,
    send,
    follow: (url) => handler(new Request(url)),
    read,
    subscription: (as) => read('/v1/subscription', Subscription, as),
    async allInvoices(as) {
      const seen: Invoice[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 1000; pages++) {
        const query: string = cursor === null ? 'limit=100' : `limit=100&cursor=${encodeURIComponent(cursor)}`;
        const page = await read(`/v1/invoices?${query}`, InvoicePage, as);
        seen.push(...page.data);
        cursor = page.nextCursor;
        if (cursor === null) return seen;
      }
      throw new assert.AssertionError({ message: 'GET /v1/invoices: still a next page after 1,000 pages' });
    },
  };
}

/** The body of a 200 answer, parsed with its contract schema. */
export async function ok<T>(response: Response, schema: Schema<T>, what: string): Promise<T> {
  const text = await response.text();
  assert.equal(response.status, 200, `${what}: expected 200, got ${response.status}: ${text}`);
  return parseWith(schema, JSON.parse(text), what);
}

export function parseWith<T>(schema: Schema<T>, value: unknown, what: string): T {
  try {
    return schema.parse(value);
  } catch (error) {
    throw new assert.AssertionError({ message: `${what}: the answer does not match the contract's schema: ${String(error)}` });
  }
}

/**
 * A problem document: its status (one of `statuses`), `application/problem+json`, the
 * contract's schema, a `requestId` equal to `X-Request-Id`, and `code` when given.
 */
export async function expectProblem(response: Response, statuses: number | number[], what: string, code?: string): Promise<Problem> {
  const text = await response.text();
  const allowed = Array.isArray(statuses) ? statuses : [statuses];
  assert.ok(allowed.includes(response.status), `${what}: expected ${allowed.join(' or ')}, got ${response.status}: ${text}`);
  assert.equal(response.headers.get('Content-Type'), 'application/problem+json', `${what}: Content-Type`);
  const body = parseWith(Problem, JSON.parse(text), what);
  assert.equal(body.status, response.status, `${what}: the problem's status`);
  assert.equal(body.requestId, response.headers.get('X-Request-Id'), `${what}: requestId is X-Request-Id`);
  if (code !== undefined) assert.equal(body.code, code, `${what}: code`);
  return body;
}
