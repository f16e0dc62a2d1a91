/**
 * `createBillingHandler`: the contract served over a `BillingEngine`, as a Fetch-API function
 * `(Request) => Promise<Response>` that any host can mount (Hono, Express via an adapter,
 * Next.js route handlers, Fastify, Bun, Deno, workers). Routes, query schemas and response
 * schemas all come from the `endpoints` table of the contract.
 */
import { Hono } from 'hono';
import type * as z from 'zod/mini';
import { endpoints, INVOICE_PAGE_DEFAULT, requestSchemas, type EndpointName } from '../contract/index.js';
import type { BillingEngine, CustomerId } from './engine.js';
import { BillingEngineError } from './errors.js';
import { problemDocument, problemResponse } from './problem.js';
import { requestIdFor } from './request-id.js';
import { parseInput } from './validation.js';

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
}

export type BillingHandler = (request: Request) => Promise<Response>;

type Env = { Bindings: { requestId: string } };

interface Call {
  customer: CustomerId;
  params: Record<string, string>;
  query: Record<string, string>;
}
interface Reply<T> {
  body: T;
  headers?: Record<string, string>;
}
type ReadEndpoint =
  | 'getSubscription'
  | 'listPlans'
  | 'listModules'
  | 'listUsage'
  | 'listInvoices'
  | 'getInvoice'
  | 'listPaymentMethods';
type ResponseOf<N extends EndpointName> = z.output<(typeof endpoints)[N]['response']>;
type Operations = { [N in ReadEndpoint]: (call: Call) => Promise<Reply<ResponseOf<N>>> };

function readOperations(engine: BillingEngine): Operations {
  return {
    async getSubscription({ customer }) {
      const subscription = await engine.getSubscription(customer);
      if (subscription === null) throw new BillingEngineError('no_subscription');
      return { body: subscription, headers: { ETag: `"${subscription.version}"` } };
    },
    listPlans: async ({ customer }) => ({ body: { data: await engine.listPlans(customer) } }),
    listModules: async ({ customer }) => ({ body: { data: await engine.listModules(customer) } }),
    listUsage: async ({ customer }) => ({ body: { data: await engine.listUsage(customer) } }),
    async listInvoices({ customer, query }) {
      const parsed = parseInput(requestSchemas.listInvoices.query, query, 'query');
      const page = await engine.listInvoices(customer, { ...parsed, limit: parsed.limit ?? INVOICE_PAGE_DEFAULT });
      return { body: page };
    },
    async getInvoice({ customer, params }) {
      const invoice = params['id'] ? await engine.getInvoice(customer, params['id']) : null;
      if (invoice === null) throw new BillingEngineError('not_found', { detail: 'No such invoice.' });
      return { body: invoice };
    },
    listPaymentMethods: async ({ customer }) => ({ body: { data: await engine.listPaymentMethods(customer) } }),
  };
}

function jsonResponse(body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status: 200,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export function createBillingHandler(options: BillingHandlerOptions): BillingHandler {
  const { engine, resolveCustomer, validateResponses = true, logger = console } = options;
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
  const operations = readOperations(engine);
  for (const name of Object.keys(operations) as ReadEndpoint[]) {
    const endpoint = endpoints[name];
    const operation = operations[name];
    api.on(endpoint.method, endpoint.path, async (c) => {
      const customer = await resolveCustomer(c.req.raw);
      if (!customer) throw new BillingEngineError('unauthenticated');
      const reply = await operation({ customer, params: c.req.param(), query: c.req.query() });
      if (!validateResponses) return jsonResponse(reply.body, reply.headers);
      const checked = endpoint.response.safeParse(reply.body);
      if (checked.success) return jsonResponse(checked.data, reply.headers);
      logger.error(`billing-elements: the engine's ${name} response breaks the contract`, {
        requestId: c.env.requestId,
        issues: checked.error.issues,
      });
      return problemResponse(problemDocument('internal', c.env.requestId));
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
