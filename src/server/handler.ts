/**
 * `createBillingHandler`: the contract served over a `BillingEngine`, as a Fetch-API function
 * `(Request) => Promise<Response>` that any host can mount (Hono, Express via an adapter,
 * Next.js route handlers, Fastify, Bun, Deno, workers). Routes, query schemas and response
 * schemas all come from the `endpoints` table of the contract.
 */
import { Hono } from 'hono';
import { endpoints, type Endpoint } from '../contract/index.js';
import { changeOperations, type ChangeEndpoint } from './change-operations.js';
import type { BillingEngine, CustomerId } from './engine.js';
import { BillingEngineError } from './errors.js';
import {
  createMemoryIdempotencyStore,
  idempotencyKeyOf,
  requestFingerprint,
  runIdempotently,
  type IdempotencyStore,
} from './idempotency.js';
import type { Call, Operations } from './operation.js';
import { problemDocument, problemResponse } from './problem.js';
import { readOperations, type ReadEndpoint } from './read-operations.js';
import { requestIdFor } from './request-id.js';

export interface Logger {
  error(message: string, details: Record<string, unknown>): void;
}

export interface BillingHandlerOptions {
  engine: BillingEngine;
  /**
   * Who is asking, from the request (session cookie, bearer token…); `null` answers 401.
   * The browser never sends a customer id: this is the only place one comes from.
   */
  resolveCustomer: (request: Request) => CustomerId | null | Promise<CustomerId | null>;
  /** Where the handler is mounted, e.g. `/api/billing`. Default: the root. */
  basePath?: string;
  /**
   * Parse every response with its contract schema before sending it (default `true`).
   * A mismatch is an engine bug: it is logged and answered with a 500 `internal`.
   */
  validateResponses?: boolean;
  /** Where unexpected errors go (default `console`). Never sent to the client. */
  logger?: Logger;
  /**
   * Where `Idempotency-Key`s and the responses they replay are kept for 24 h (see
   * idempotency.ts). Default: this process's memory, right for a single process; hosts
   * running several pass a shared store, e.g. the reference engine's `idempotencyStore`.
   */
  idempotencyStore?: IdempotencyStore;
}

export type BillingHandler = (request: Request) => Promise<Response>;

type Env = { Bindings: { requestId: string } };

type HandledEndpoint = ReadEndpoint | ChangeEndpoint;

function jsonResponse(body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status: 200,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export function createBillingHandler(options: BillingHandlerOptions): BillingHandler {
  const { engine, resolveCustomer, validateResponses = true, logger = console } = options;
  const idempotencyStore = options.idempotencyStore ?? createMemoryIdempotencyStore();
  const app = new Hono<Env>();

  app.notFound((c) =>
    problemResponse(problemDocument('not_found', c.env.requestId, `No route for ${c.req.method} ${c.req.path}.`)),
  );
  app.onError((error, c) => {
    const requestId = c.env.requestId;
    if (error instanceof BillingEngineError && error.code !== 'internal') {
      return problemResponse(problemDocument(error.code, requestId, error.detail, error.extras));
    }
    logger.error('billing-elements: request failed', { requestId, method: c.req.method, path: c.req.path, error });
    return problemResponse(problemDocument('internal', requestId));
  });

  const api = app.basePath((options.basePath ?? '').replace(/\/+$/, '') || '/');
  const operations: Operations<HandledEndpoint> = { ...readOperations(engine), ...changeOperations(engine) };
  for (const name of Object.keys(operations) as HandledEndpoint[]) {
    const endpoint: Endpoint = endpoints[name];
    const operation = operations[name] as (call: Call) => Promise<{ body: unknown; headers?: Record<string, string> }>;
    api.on(endpoint.method, endpoint.path, async (c) => {
      const customer = await resolveCustomer(c.req.raw);
      if (!customer) throw new BillingEngineError('unauthenticated');
      const params = c.req.param() as Record<string, string>;
      const body = endpoint.method === 'GET' ? '' : await c.req.text();
      const call: Call = { customer, params, query: c.req.query(), headers: c.req.raw.headers, body };
      const respond = async () => {
        const reply = await operation(call);
        if (!validateResponses) return jsonResponse(reply.body, reply.headers);
        const checked = endpoint.response.safeParse(reply.body);
        if (checked.success) return jsonResponse(checked.data, reply.headers);
        logger.error(`billing-elements: the engine's ${name} response breaks the contract`, {
          requestId: c.env.requestId,
          issues: checked.error.issues,
        });
        return problemResponse(problemDocument('internal', c.env.requestId));
      };
      if (!endpoint.idempotent) return respond();
      // The key is looked up before anything else is checked (CONTRACT.md, "Order on a mutation").
      const key = idempotencyKeyOf(c.req.raw);
      const target = endpoint.path.replace(/:(\w+)/g, (_, param: string) => encodeURIComponent(params[param] ?? ''));
      const fingerprint = await requestFingerprint(endpoint.method, target, call.body);
      return runIdempotently(idempotencyStore, { scope: customer, key, fingerprint }, respond, (error) =>
        logger.error('billing-elements: a response could not be stored for its Idempotency-Key', {
          requestId: c.env.requestId,
          error,
        }),
      );
    });
  }

  return async (request) => {
    const requestId = requestIdFor(request);
    const response = await app.fetch(request, { requestId });
    response.headers.set('X-Request-Id', requestId);
    if (!response.headers.has('Cache-Control')) response.headers.set('Cache-Control', 'no-store');
    return response;
  };
}
