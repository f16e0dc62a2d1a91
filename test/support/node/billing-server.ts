/**
 * The real reference handler over real HTTP (`@hono/node-server` on 127.0.0.1, a free port),
 * on a fresh in-memory SQLite engine seeded with the demo at a fixed instant.
 *
 * The customer is chosen by URL, as in the browser tests: the handler is mounted at
 * `/api/:customer`, so `server.url('demo')` is the demo customer, `url('readonly')` the
 * read-only one, `url('nosub')` the one without a subscription, and any other name is
 * nobody (`resolveCustomer` returns null → 401). A `~tag` suffix (`url('demo~a')`) is the
 * same customer at another URL.
 *
 * Every request goes through a thin recording layer, and through an optional `front`: a
 * `(request, forward) => Response` that may answer instead of the handler (faults, delays,
 * broken bodies) or alter what the handler answered. The front is mutable, so a test can
 * switch faults on and off. Nothing of ours is mocked: `forward` is the real handler.
 */
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import {
  DEMO_CUSTOMER_ID,
  NO_SUBSCRIPTION_CUSTOMER_ID,
  READ_ONLY_CUSTOMER_ID,
  createBillingHandler,
  createReferenceEngine,
  seedDemo,
  demoIdentity,
  type ReferenceEngine,
} from '../../../src/server/index.js';

/** The moment every Node test happens (the same as the browser tests). */
export const TEST_NOW = new Date('2026-11-26T10:00:00Z');
export const testClock = { now: () => new Date(TEST_NOW) };

/** The demo's users as its host would say (demoIdentity): `readonly` may only look. */
const identityOf = (customer: string | undefined) => (customer ? demoIdentity(customer) : null);

const customers: Record<string, string> = {
  demo: DEMO_CUSTOMER_ID,
  readonly: READ_ONLY_CUSTOMER_ID,
  nosub: NO_SUBSCRIPTION_CUSTOMER_ID,
};

export type Forward = (request: Request) => Promise<Response>;
export type Front = (request: Request, forward: Forward) => Response | Promise<Response>;

/** One request as it reached the server. */
export interface RecordedRequest {
  method: string;
  /** The customer segment of the URL, e.g. `demo` or `demo~a`. */
  customer: string;
  /** Relative to the customer's base URL, e.g. `/v1/usage`. */
  path: string;
  /** `URLSearchParams` of the request. */
  query: URLSearchParams;
  headers: Headers;
  /** The request body as text (`''` when there is none). */
  body: string;
  /** Filled when the response leaves (undefined while in flight or if it never left). */
  status?: number;
  responseRequestId?: string | null;
  /** The client went away before the response was sent. */
  aborted: boolean;
}

export interface BillingTestServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** The base URL of a customer (see above); default `demo`. */
  url(customer?: string): string;
  readonly requests: RecordedRequest[];
  /** Requests matching `method` and `path` (exact, relative to the base URL). */
  count(method: string, path: string): number;
  front: Front | null;
  readonly engine: ReferenceEngine;
  close(): Promise<void>;
}

export interface StartOptions {
  front?: Front;
}

export async function startBillingServer(options: StartOptions = {}): Promise<BillingTestServer> {
  const engine = createReferenceEngine({ db: ':memory:', clock: testClock });
  seedDemo(engine, testClock);
  const handler = createBillingHandler({
    engine,
    basePath: '/api/:customer',
    resolveCustomer: (request) => identityOf(customers[customerSegment(request).split('~')[0] ?? '']),
    logger: { error: () => {} },
  });

  const requests: RecordedRequest[] = [];
  let front: Front | null = options.front ?? null;

  const fetchCallback = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const customer = customerSegment(request);
    const recorded: RecordedRequest = {
      method: request.method,
      customer,
      path: url.pathname.slice(`/api/${customer}`.length) || '/',
      query: url.searchParams,
      headers: new Headers(request.headers),
      body: request.body ? await request.clone().text() : '',
      aborted: false,
    };
    requests.push(recorded);
    // Reading `signal` makes @hono/node-server abort it when the client disconnects.
    request.signal.addEventListener('abort', () => (recorded.aborted = true), { once: true });
    const response = front ? await front(request, handler) : await handler(request);
    recorded.status = response.status;
    recorded.responseRequestId = response.headers.get('X-Request-Id');
    return response;
  };

  const server: ServerType = await new Promise((resolve) => {
    const started: ServerType = serve({ fetch: fetchCallback, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    url: (name = 'demo') => `${origin}/api/${name}`,
    requests,
    count: (method, path) => requests.filter((r) => r.method === method && r.path === path).length,
    get front() {
      return front;
    },
    set front(value) {
      front = value;
    },
    engine,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          engine.close();
          if (error) reject(error);
          else resolve();
        });
        // Hanging requests would hold close() forever; cutting them aborts their fronts too.
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}

function customerSegment(request: Request): string {
  return new URL(request.url).pathname.split('/')[2] ?? '';
}

/**
 * A front that never answers: the returned promise settles only when the client goes away
 * (or the server closes and cuts the connection), with a 504 nobody reads.
 */
export function neverAnswer(request: Request): Promise<Response> {
  return new Promise((resolve) => {
    const release = () => resolve(new Response(null, { status: 504 }));
    if (request.signal.aborted) release();
    request.signal.addEventListener('abort', release, { once: true });
  });
}

/** Waits `ms`, or less if the client goes away meanwhile. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** A problem+json response as a misbehaving engine or proxy might send it. */
export function problemResponse(status: number, code: string, extra: Record<string, unknown> = {}): Response {
  const requestId = `req_front_${code}`;
  return Response.json(
    { type: `https://billing-elements.dev/problems/${code}`, title: code, status, code, requestId, retryable: status >= 500, ...extra },
    { status, headers: { 'Content-Type': 'application/problem+json', 'X-Request-Id': requestId } },
  );
}

/** The same response with its JSON body rewritten by `edit`. */
export async function editJson(response: Response, edit: (body: unknown) => unknown): Promise<Response> {
  // Headers first: @hono/node-server's Response forgets headers set after construction
  // (X-Request-Id) once its body is read.
  const headers = new Headers(response.headers);
  headers.delete('Content-Length');
  // The handler gzips JSON of 1 KiB and more for clients that accept it (representation.ts):
  // the edited body goes out as plain JSON, with no entity tag of bytes it no longer has.
  const gzipped = headers.get('Content-Encoding') === 'gzip';
  headers.delete('Content-Encoding');
  headers.delete('ETag');
  const text = gzipped
    ? await new Response(response.body!.pipeThrough(new DecompressionStream('gzip'))).text()
    : await response.text();
  const body: unknown = JSON.parse(text);
  return new Response(JSON.stringify(edit(body)), { status: response.status, headers });
}

/** A base URL on which nothing listens (a port that was free a moment ago). */
export async function deadUrl(): Promise<string> {
  const port = await new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as AddressInfo;
      probe.close(() => resolve(free));
    });
  });
  return `http://127.0.0.1:${port}/api/demo`;
}
