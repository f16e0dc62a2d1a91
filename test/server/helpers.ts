/**
 * The real handler over the real reference engine, on an in-memory database seeded with the
 * demo at a fixed instant. Customers authenticate with `Authorization: Bearer <customer id>`.
 */
import assert from 'node:assert/strict';
import { Problem } from '../../src/contract/index.js';
import type { BillingHandlerOptions, Clock, IdempotencyStore } from '../../src/server/index.js';
import { createBillingHandler, createReferenceEngine, demoIdentity, seedDemo, type BillingEngine, type ResolvedCustomer } from '../../src/server/index.js';

/** Twelve days into the demo's current period: it started 2026-03-03, its anchor is 2025-02-03. */
export const NOW = new Date('2026-03-15T10:00:00.000Z');
export const fixedClock: Clock = { now: () => new Date(NOW) };
export const BASE = 'http://billing.test/api/billing';

/** A clock tests move by hand. */
export interface MovableClock extends Clock {
  set(instant: string | number): void;
  advance(ms: number): void;
}

export function movableClock(start: Date = NOW): MovableClock {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    set: (instant) => void (now = typeof instant === 'number' ? instant : Date.parse(instant)),
    advance: (ms) => void (now += ms),
  };
}

/** The bearer token names the customer; the demo's read-only user (`cus_readonly`) may only look (demoIdentity). */
export function bearer(request: Request): ResolvedCustomer | null {
  const customer = request.headers.get('Authorization')?.replace(/^Bearer /, '');
  return customer ? demoIdentity(customer) : null;
}

/** The bearer token names the customer, whose user may do everything (what a host without roles says). */
export function bearerOwner(request: Request): string | null {
  return request.headers.get('Authorization')?.replace(/^Bearer /, '') || null;
}

export function demoEngine(clock: Clock = fixedClock) {
  const engine = createReferenceEngine({ db: ':memory:', clock });
  seedDemo(engine);
  return engine;
}

export interface SendOptions {
  customer?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Harness {
  handler: (request: Request) => Promise<Response>;
  logged: { message: string; details: Record<string, unknown> }[];
  /** GET `path` (relative to the base path) as `customer`; `null` sends no credentials. */
  get(path: string, customer?: string | null, headers?: Record<string, string>): Promise<Response>;
  /** Any request; a `body` that is not a string is sent as JSON. */
  send(method: string, path: string, options?: SendOptions): Promise<Response>;
}

/**
 * `idempotencyStore`: by default the reference engine's (SQLite); `null` passes none, so the
 * handler uses its in-memory default. The handler's clock is the engine's, when it has one.
 * `options` are passed on to the handler as they are.
 */
export function harness(
  engine: BillingEngine = demoEngine(),
  validateResponses = true,
  idempotencyStore: IdempotencyStore | null = 'idempotencyStore' in engine ? (engine.idempotencyStore as IdempotencyStore) : null,
  options: Partial<BillingHandlerOptions> = {},
): Harness {
  const logged: Harness['logged'] = [];
  const clock = 'clock' in engine ? (engine.clock as Clock) : null;
  const handler = createBillingHandler({
    engine,
    resolveCustomer: bearer,
    basePath: '/api/billing',
    validateResponses,
    logger: { error: (message, details) => logged.push({ message, details }) },
    ...(idempotencyStore ? { idempotencyStore } : {}),
    ...(clock ? { now: () => clock.now().getTime() } : {}),
    // Where browsers reach it (not a loopback host, so it must be said).
    publicOrigin: new URL(BASE).origin,
    ...options,
  });
  const send: Harness['send'] = (method, path, { customer = 'cus_demo', body, headers = {} } = {}) =>
    handler(
      new Request(BASE + path, {
        method,
        headers: {
          ...(customer === null ? {} : { Authorization: `Bearer ${customer}` }),
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
    );
  return {
    handler,
    logged,
    get: (path, customer = 'cus_demo', headers = {}) => send('GET', path, { customer, headers }),
    send,
  };
}

export const PREVIEW = '/v1/subscription/changes/preview';
export const CHANGES = '/v1/subscription/changes';
export const scheduledChangePath = (id: string) => `/v1/subscription/scheduled-changes/${id}`;

export interface MutationOptions {
  /** Default: a new key per call. */
  key?: string;
  /** Default: the current version, read first; `null` sends no If-Match. */
  ifMatch?: string | null;
}

/**
 * The change endpoints as a browser would call them, as `customer`, with `headers` on every
 * request (e.g. `Accept-Language`). Returns raw responses.
 */
export function changeCalls(h: Harness, customer = 'cus_demo', headers: Record<string, string> = {}) {
  let keys = 0;
  const headersFor = async ({ key = `key-${customer}-${++keys}`, ifMatch }: MutationOptions) => {
    const version =
      ifMatch === undefined ? `"${((await (await h.get('/v1/subscription', customer)).json()) as { version: string }).version}"` : ifMatch;
    return { ...headers, 'Idempotency-Key': key, ...(version === null ? {} : { 'If-Match': version }) };
  };
  return {
    preview: (body: unknown) => h.send('POST', PREVIEW, { customer, body, headers }),
    commit: async (body: unknown, options: MutationOptions = {}) =>
      h.send('POST', CHANGES, { customer, body, headers: await headersFor(options) }),
    cancel: async (id: string, options: MutationOptions = {}) =>
      h.send('DELETE', scheduledChangePath(id), { customer, headers: await headersFor(options) }),
  };
}

/** The body of a 200 response, parsed with its contract schema. */
export async function ok<T>(response: Response, schema: { parse(value: unknown): T }): Promise<T> {
  const text = await response.text();
  if (response.status !== 200) throw new Error(`expected 200, got ${response.status}: ${text}`);
  return schema.parse(JSON.parse(text));
}

/** Checks a problem document: status, code, type, request id; returns it. */
export async function problem(response: Response, status: number, code: string): Promise<Problem> {
  const text = await response.text();
  assert.equal(response.status, status, text);
  assert.equal(response.headers.get('Content-Type'), 'application/problem+json');
  const body = Problem.parse(JSON.parse(text));
  assert.equal(body.code, code);
  assert.equal(body.status, status);
  assert.equal(body.type, `https://billing-elements.dev/problems/${code}`);
  assert.equal(body.requestId, response.headers.get('X-Request-Id'));
  return body;
}
