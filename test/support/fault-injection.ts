/**
 * The server side of `faults.ts`: faults per endpoint base (the `/api/<segment>` of a request)
 * and per operation of the contract, held until lifted, each faulted answer counted.
 *
 *   PUT /api/test/faults/<segment>   body `{ "<operation>": "<fault>", … }` sets the faults of
 *                                    that base, replacing its former ones (`{}` lifts them)
 *   GET /api/test/faults/<segment>   `{ hits: { "<operation>": n } }`: the requests each fault answered
 *
 * A faulted request is answered here: it never reaches the engine, except a read faulted with
 * `schema`, whose real answer is bent.
 */
import type { Socket } from 'node:net';
import { endpoints, type EndpointName } from '../../src/contract/endpoints.js';
import { FAULTS, type Fault } from './faults.js';

/** Each operation's method and path as a pattern (`/v1/invoices/:id` → `/v1/invoices/[^/]+`). */
const routes = (Object.entries(endpoints) as [EndpointName, { method: string; path: string }][]).map(([name, endpoint]) => ({
  name,
  method: endpoint.method,
  pattern: new RegExp(`^${endpoint.path.replace(/:\w+/g, '[^/]+')}$`),
}));

/** The operation a request is (`path` relative to the base, e.g. `/v1/usage`), if any. */
export function operationOf(method: string, path: string): EndpointName | undefined {
  return routes.find((route) => route.method === method && route.pattern.test(path))?.name;
}

/** What a fault does to a request: an answer, or `drop` (the connection closed without one). */
export type FaultOutcome = Response | 'drop';

export class FaultInjector {
  #plans = new Map<string, Map<EndpointName, Fault>>();
  #hits = new Map<string, Map<EndpointName, number>>();

  /** Replaces the faults of the base `segment`; throws on an unknown operation or fault. */
  set(segment: string, plan: Record<string, unknown>): void {
    const faults = new Map<EndpointName, Fault>();
    for (const [operation, fault] of Object.entries(plan)) {
      if (!(operation in endpoints)) throw new Error(`unknown operation ${operation}`);
      if (!FAULTS.includes(fault as Fault)) throw new Error(`unknown fault ${String(fault)}`);
      faults.set(operation as EndpointName, fault as Fault);
    }
    this.#plans.set(segment, faults);
  }

  hits(segment: string): Record<string, number> {
    return Object.fromEntries(this.#hits.get(segment) ?? []);
  }

  /** Forgets every fault and count (a fresh server). */
  clear(): void {
    this.#plans.clear();
    this.#hits.clear();
  }

  /**
   * The fault for a request to `segment` (`path` relative to it), counted; `undefined` when
   * none applies.
   */
  take(segment: string, method: string, path: string): Fault | undefined {
    const operation = operationOf(method, path);
    const fault = operation && this.#plans.get(segment)?.get(operation);
    if (!operation || !fault) return undefined;
    const hits = this.#hits.get(segment) ?? new Map<EndpointName, number>();
    hits.set(operation, (hits.get(operation) ?? 0) + 1);
    this.#hits.set(segment, hits);
    return fault;
  }
}

/**
 * The answer of `fault` to `request`. `handler` is the real one (asked only to bend a read's
 * real answer); `socket` is the request's connection, which `timeout` waits on (the client
 * gives up and closes it) and `offline` closes.
 */
export async function answer(
  fault: Fault,
  request: Request,
  handler: (request: Request) => Promise<Response>,
  socket: Socket,
): Promise<FaultOutcome> {
  const method = request.method;
  switch (fault) {
    case '500':
      return problem(500, 'internal', true);
    case '502':
      return new Response('<html><body><h1>502 Bad Gateway</h1></body></html>', { status: 502, headers: { 'Content-Type': 'text/html' } });
    case '503':
      return problem(503, 'engine_unavailable', true);
    case '429':
      return problem(429, 'rate_limited', true, { 'Retry-After': '1' });
    case 'timeout':
      // Held until the client closes the connection (its timeout), or 10 s at most.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 10_000);
        socket.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      return 'drop';
    case 'malformed':
      return new Response('{"data":[{"id":"cut off', { status: 200, headers: { 'Content-Type': 'application/json' } });
    case 'schema': {
      if (method !== 'GET') return Response.json({ id: 42, unexpected: true }, { status: 200 });
      const real = await handler(plain(request));
      if (!real.ok) return real;
      const body = await real.text();
      // Its first id (or metric key) a number, else its first text field (a PDF link's `url`).
      const text = /"(id|metricKey)":"/.test(body) ? body.replace(/"(id|metricKey)":"[^"]*"/, '"$1":42') : body.replace(/"(\w+)":"[^"]*"/, '"$1":42');
      // Other bytes than the real answer's: not its length, encoding or entity tag, and not
      // kept by the browser (a revalidation must not bring them back once the fault is lifted).
      const headers = new Headers(real.headers);
      for (const name of ['Content-Length', 'Content-Encoding', 'ETag']) headers.delete(name);
      headers.set('Cache-Control', 'no-store');
      return new Response(text, { status: real.status, headers });
    }
    case '401':
      return problem(401, 'unauthenticated', false);
    case '403':
      return problem(403, 'forbidden', false);
    case '404':
      return problem(404, 'not_found', false);
    case 'offline':
      return 'drop';
  }
}

/** `request` asking for the full answer as plain text: not compressed, not a revalidation. */
export function plain(request: Request): Request {
  const headers = new Headers(request.headers);
  headers.set('Accept-Encoding', 'identity');
  headers.delete('If-None-Match');
  return new Request(request, { headers });
}

function problem(status: number, code: string, retryable: boolean, headers: Record<string, string> = {}): Response {
  const requestId = `req_fault_${code}`;
  return Response.json(
    { type: `https://billing-elements.dev/problems/${code}`, title: code, status, code, requestId, retryable },
    { status, headers: { 'Content-Type': 'application/problem+json', 'X-Request-Id': requestId, ...headers } },
  );
}
