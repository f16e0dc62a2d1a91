/**
 * `createBillingHandler`: the contract served over a `BillingEngine`, as a Fetch-API function
 * `(Request) => Promise<Response>` that any host can mount (Hono, Express via an adapter,
 * Next.js route handlers, Fastify, Bun, Deno, workers). Routes, query schemas and response
 * schemas all come from the `endpoints` table of the contract.
 */
import type { HonoRequest } from 'hono';
import { endpoints, type Endpoint, type Invoice, type Permissions } from '../contract/index.js';
import { preferredLanguages } from './accept-language.js';
import { JSON_BODY_LIMIT, readBody, RequestBodyError } from './body.js';
import { changeOperations, type ChangeEndpoint } from './change-operations.js';
import { compiled } from './compiled-schemas.js';
import type { BillingEngine, CustomerId } from './billing-engine.js';
import { createCors, type CorsOptions } from './cors.js';
import { resolveIdentity, type CustomerResolver, type ResolvedCustomer } from './identity.js';
import { BillingEngineError } from './errors.js';
import {
  createMemoryIdempotencyStore,
  idempotencyKeyOf,
  requestFingerprint,
  runIdempotently,
  type IdempotencyStore,
} from './idempotency.js';
import { importPeer, isMissingPeer } from './peer.js';
import { createPdfLinks } from './pdf-links.js';
import type { Call, Operations } from './operation.js';
import { createPayPage } from './pay-page.js';
import { isLoopbackHost, normaliseOrigin, originResolver, PublicOriginMissing } from './origin.js';
import { paymentMethodOperations, type PaymentMethodEndpoint } from './payment-method-operations.js';
import { problemDocument, problemResponse } from './problem.js';
import { readOperations, requireInvoiceAccess, type ReadEndpoint } from './read-operations.js';
import { representationOf, representationResponse, untagged, versionOfTag, type Representation } from './representation.js';
import { requestIdFor } from './request-id.js';
import { createSetupPage } from './setup-page.js';
import { createMemorySetupSessionStore, type SetupSessionStore } from './setup-sessions.js';
import { createSigner } from './signing.js';

// hono is an optional peer dependency (peer.ts): without it, importing this module throws one
// line saying what to install, not a module resolution error.
const { Hono } = await importPeer('hono', 'the billing handler (billing-elements/handler.js and /server.js)', () => import('hono'));

export interface Logger {
  error(message: string, details: Record<string, unknown>): void;
}

export interface BillingHandlerOptions {
  engine: BillingEngine;
  /**
   * Who is asking, from the request (session cookie, bearer token…): the customer and what
   * this user may do, `{ customerId, permissions }` — a customer id alone grants every
   * permission — or `null`, answered 401. The browser never sends a customer id: this is the
   * only place one comes from, and permissions are the host's, never the engine's (identity.ts).
   */
  resolveCustomer: CustomerResolver;
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
  /**
   * The key invoice PDF links are signed with (HMAC-SHA256), at least 32 bytes. Default: a
   * random key per handler, right for a single process (links die with it); hosts running
   * several pass a shared one, e.g. the reference engine's `signingSecret`.
   */
  signingSecret?: string | Uint8Array;
  /**
   * Where the hosted test page keeps its sessions (see setup-page.ts). Default: this
   * process's memory; the reference engine has `setupSessionStore` in its database.
   */
  setupSessionStore?: SetupSessionStore;
  /**
   * Origins besides the handler's own that `returnUrl` may point at after a payment method
   * setup, e.g. `['https://app.example.com']` when the billing endpoint is on another origin.
   */
  allowedReturnOrigins?: readonly string[];
  /**
   * The origin browsers reach the handler at, e.g. `https://app.example.com`. Links the
   * handler makes (PDFs, the hosted pages, pay links) and its same-origin checks (a setup
   * `returnUrl`, the hosted pages' `Origin` check) use it; the request's `Host` never counts.
   * Without it, the request's own origin is taken on loopback hosts only (`localhost`,
   * `127.0.0.1`, `[::1]`: development, tests); elsewhere what needs an origin answers 500
   * `internal` and the logger says to set this (see origin.ts). Set it in every deployment.
   */
  publicOrigin?: string;
  /**
   * Pages on other origins that may call the handler (see cors.ts), e.g.
   * `{ origins: ['https://app.example.com'], credentials: true }`. Default: none.
   */
  cors?: CorsOptions;
  /** The clock of signed links and setup sessions (milliseconds since the epoch); for tests. Default `Date.now`. */
  now?: () => number;
  /**
   * Test mode, for demos and test environments only (default `false`): the hosted test pages
   * take `4000 0000 0000 0341` as a card that declines every charge after it is added, and
   * `POST /v1/test/period-end` moves the engine's clock to the end of the customer's period
   * and renews it (engines with `advanceToPeriodEnd`), so a failed renewal can be tried.
   */
  testMode?: boolean;
}

export type BillingHandler = (request: Request) => Promise<Response>;

type Env = {
  Bindings: {
    requestId: string;
    /** Headers every response to this request carries besides the request id (CORS). */
    headers: Readonly<Record<string, string>>;
  };
};

type HandledEndpoint = ReadEndpoint | ChangeEndpoint | PaymentMethodEndpoint | 'getInvoicePdf';

/**
 * What an operation gets of its request. A class rather than an object literal with getters:
 * the URLs and the query are only built when an operation asks (PDF links, setup sessions,
 * invoice filters), and a literal's accessors would cost every read more than they save.
 */
class RouteCall implements Call {
  readonly customer: CustomerId;
  readonly permissions: Permissions;

  constructor(
    identity: ResolvedCustomer,
    private readonly request: HonoRequest,
    /** The route's path, e.g. `/v1/invoices/:id`: what `base` strips off the URL. */
    private readonly routePath: string,
    readonly params: Record<string, string>,
    readonly languages: readonly string[],
    readonly body: string,
    private readonly publicUrl: (request: Request) => URL,
  ) {
    this.customer = identity.customerId;
    this.permissions = identity.permissions;
  }

  get url(): URL {
    return this.publicUrl(this.request.raw);
  }

  get base(): URL {
    // The endpoint's path is the last segments of the URL (parameters never hold a '/').
    const url = this.publicUrl(this.request.raw);
    const segments = url.pathname.split('/');
    url.pathname = segments.slice(0, segments.length - (this.routePath.split('/').length - 1)).join('/');
    url.search = '';
    return url;
  }

  get query(): Record<string, string> {
    return this.request.query();
  }

  get headers(): Headers {
    return this.request.raw.headers;
  }
}

const NO_PARAMS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** Marks responses built with every header the handler adds, so it need not touch them again. */
const COMPLETE = Symbol('billing-elements.complete');

function jsonResponse(text: string, requestId: string, headers: Readonly<Record<string, string>> = {}): Response {
  // A plain object of headers, never read back: @hono/node-server then writes it as it is.
  const response = new Response(text, {
    status: 200,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'X-Request-Id': requestId, ...headers },
  });
  return complete(response);
}

/** Marks a response whose headers are all set (request id, cache, CORS): sent as it is. */
function complete(response: Response): Response {
  (response as Response & { [COMPLETE]?: true })[COMPLETE] = true;
  return response;
}

export function createBillingHandler(options: BillingHandlerOptions): BillingHandler {
  const { engine, resolveCustomer, validateResponses = true, logger = console, testMode = false } = options;
  const now = options.now ?? Date.now;
  const idempotencyStore = options.idempotencyStore ?? createMemoryIdempotencyStore();
  const sessions = options.setupSessionStore ?? createMemorySetupSessionStore({ now });
  const signer = createSigner(options.signingSecret);
  const originOf = originResolver(options.publicOrigin);
  const cors = createCors(options.cors);
  const allowedReturnOrigins = new Set((options.allowedReturnOrigins ?? []).map(normaliseOrigin));
  const pdfLinks = createPdfLinks(engine, signer, now);
  /** The customer id alone, where only who it is matters (the hosted page, test mode). */
  const customerOf = async (request: Request) => (await resolveIdentity(resolveCustomer, request))?.customerId ?? null;
  const setupPage = createSetupPage({
    engine,
    sessions,
    signer,
    now,
    resolveCustomer: customerOf,
    onError: (error) => logger.error('billing-elements: a test card could not be recorded', { error }),
    testMode,
  });
  // Engines without hosted invoice pages (the reference engine) get the hosted test pay page.
  const payPage = engine.payInvoiceWithTestCard
    ? createPayPage({
        engine,
        signer,
        now,
        testMode,
        mayReturnTo: (url, ownOrigin) =>
          (url.protocol === 'https:' || url.protocol === 'http:') && (url.origin === ownOrigin || allowedReturnOrigins.has(url.origin)),
      })
    : null;
  /** An open invoice with no `hostedUrl` of the engine's gets the test pay page's, in the reader's language. */
  const withPayLink = async (invoice: Invoice, call: Call): Promise<Invoice> =>
    payPage && invoice.status === 'open' && invoice.hostedUrl === null && invoice.amountDue.amountMinor > 0
      ? { ...invoice, hostedUrl: await payPage.link(call.base, call.customer, invoice.id, call.languages[0]) }
      : invoice;
  /** The request's URL as the browser sees it: its path and query on the public origin (origin.ts). */
  const publicUrl = (request: Request): URL => {
    const url = new URL(request.url);
    return new URL(url.pathname + url.search, originOf(request));
  };
  const app = new Hono<Env>();

  const languagesOf = (request: Request) => preferredLanguages(request.headers.get('Accept-Language'));
  app.notFound((c) =>
    problemResponse(
      problemDocument('not_found', c.env.requestId, `No route for ${c.req.method} ${c.req.path}.`, {}, languagesOf(c.req.raw)),
    ),
  );
  app.onError((error, c) => {
    const requestId = c.env.requestId;
    const languages = languagesOf(c.req.raw);
    if (error instanceof BillingEngineError && error.code !== 'internal') {
      return problemResponse(problemDocument(error.code, requestId, error.detail, error.extras, languages));
    }
    if (error instanceof RequestBodyError) {
      if (error.reason === 'too_large') {
        // The contract has no code of its own for this: validation_failed on `body`, as 413.
        const fieldErrors = error.fieldErrors;
        return problemResponse({ ...problemDocument('validation_failed', requestId, error.message, { fieldErrors }, languages), status: 413 });
      }
      // The client went away mid-upload: one line, no stack (nobody is left to read the answer).
      logger.error('billing-elements: the request body could not be read (the client went away?)', {
        requestId,
        method: c.req.method,
        path: c.req.path,
      });
      return problemResponse(problemDocument('validation_failed', requestId, error.message, {}, languages));
    }
    if (error instanceof PublicOriginMissing) {
      logger.error(error.message, { requestId, method: c.req.method, path: c.req.path });
      return problemResponse(problemDocument('internal', requestId, undefined, {}, languages));
    }
    // An optional peer the engine needs for this request only (pdf-lib for an invoice PDF):
    // the line that says what to install goes to the log, the customer gets a 503.
    if (isMissingPeer(error)) {
      logger.error(error.message, { requestId, method: c.req.method, path: c.req.path });
      const detail = 'This server cannot do that yet: a package it needs is not installed.';
      return problemResponse(problemDocument('engine_unavailable', requestId, detail, {}, languages));
    }
    logger.error('billing-elements: request failed', { requestId, method: c.req.method, path: c.req.path, error });
    return problemResponse(problemDocument('internal', requestId, undefined, {}, languages));
  });

  const api = app.basePath((options.basePath ?? '').replace(/\/+$/, '') || '/');
  // Routes outside the contract, authenticated by what they carry rather than by
  // resolveCustomer: the signed PDF link, and the hosted test page by its session id.
  // The file route only reads the link's query: no origin needed.
  api.get('/v1/invoices/:id/pdf/file', (c) => pdfLinks.serve(new URL(c.req.url), c.req.param('id')));
  api.get('/v1/payment-methods/setup/:session', (c) =>
    setupPage.show(c.req.raw, publicUrl(c.req.raw), c.req.param('session')),
  );
  api.post('/v1/payment-methods/setup/:session', (c) =>
    setupPage.submit(c.req.raw, publicUrl(c.req.raw), c.req.param('session')),
  );
  if (payPage) {
    api.get('/v1/invoices/:id/pay', (c) => payPage.show(c.req.raw, publicUrl(c.req.raw), c.req.param('id')));
    api.post('/v1/invoices/:id/pay', (c) => payPage.submit(c.req.raw, publicUrl(c.req.raw), c.req.param('id')));
  }
  // Test mode only, authenticated like the contract's endpoints; answers 204.
  if (testMode && engine.advanceToPeriodEnd) {
    const advance = engine.advanceToPeriodEnd.bind(engine);
    api.post('/v1/test/period-end', async (c) => {
      const customer = await customerOf(c.req.raw);
      if (!customer) throw new BillingEngineError('unauthenticated');
      await advance(customer);
      return new Response(null, { status: 204 });
    });
  }

  const operations: Operations<HandledEndpoint> = {
    ...readOperations(engine, withPayLink),
    async getInvoicePdf(call) {
      requireInvoiceAccess(call);
      return { body: await pdfLinks.link(call.url, call.customer, call.params['id'] ?? '', call.languages) };
    },
    ...changeOperations(engine, withPayLink),
    ...paymentMethodOperations(engine, { sessions, now, allowedReturnOrigins }),
  };
  for (const name of Object.keys(operations) as HandledEndpoint[]) {
    const endpoint: Endpoint = endpoints[name];
    const operation = operations[name] as (call: Call) => Promise<{ body: unknown; headers?: Record<string, string> }>;
    // A frozen body cannot change: its checked JSON, entity tag and gzipped bytes are kept as
    // long as the engine keeps it (the reference engine freezes what it caches until its
    // database changes).
    const kept = new WeakMap<object, Representation>();
    /** The body as JSON, checked against the contract when asked; `null` if it breaks the contract. */
    const representationFor = (body: unknown, headers: Record<string, string> | undefined, requestId: string): Representation | null => {
      const frozen = typeof body === 'object' && body !== null && Object.isFrozen(body);
      const known = frozen ? kept.get(body) : undefined;
      if (known !== undefined) return known;
      let text: string;
      if (validateResponses) {
        const checked = compiled(endpoint.response).safeParse(body);
        if (!checked.success) {
          logger.error(`billing-elements: the engine's ${name} response breaks the contract`, {
            requestId,
            issues: checked.error.issues,
          });
          return null;
        }
        text = JSON.stringify(checked.data);
      } else {
        text = JSON.stringify(body);
      }
      // Only a GET is tagged; the subscription's tag starts with its version (representation.ts).
      const version = headers?.['ETag'] === undefined ? undefined : versionOfTag(headers['ETag']);
      const representation = endpoint.method === 'GET' ? representationOf(text, version) : untagged(text);
      if (frozen) kept.set(body, representation);
      return representation;
    };
    const hasParams = endpoint.path.includes('/:');
    api.on(endpoint.method, endpoint.path, async (c) => {
      const identity = await resolveIdentity(resolveCustomer, c.req.raw);
      if (!identity) throw new BillingEngineError('unauthenticated');
      const customer = identity.customerId;
      const params = hasParams ? (c.req.param() as Record<string, string>) : NO_PARAMS;
      const body = endpoint.method === 'GET' ? '' : await readBody(c.req.raw, JSON_BODY_LIMIT);
      const call = new RouteCall(identity, c.req, endpoint.path, params, languagesOf(c.req.raw), body, publicUrl);
      const respond = async () => {
        const reply = await operation(call);
        const representation = representationFor(reply.body, reply.headers, c.env.requestId);
        if (representation === null) {
          return problemResponse(problemDocument('internal', c.env.requestId, undefined, {}, call.languages));
        }
        if (endpoint.method === 'GET') {
          const response = representationResponse(c.req.raw, representation, c.env.requestId, c.env.headers);
          return response instanceof Response ? complete(response) : response.then(complete);
        }
        return jsonResponse(representation.text, c.env.requestId, { ...c.env.headers, ...reply.headers });
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

  // Said once per handler, at the first request that would need it: better at the first
  // deployment's first request than at the first link made.
  let toldOrigin = options.publicOrigin !== undefined;
  // Loopback hosts already seen: a URL parsed a request would cost more than the GET's routing.
  const loopbackSeen = new Set<string>();
  const tellOrigin = (request: Request, requestId: string) => {
    const authority = /^[a-z]+:\/\/([^/?#]*)/i.exec(request.url)?.[1] ?? '';
    if (loopbackSeen.has(authority)) return;
    const { hostname, host } = new URL(request.url);
    if (isLoopbackHost(hostname)) {
      if (loopbackSeen.size < 16) loopbackSeen.add(authority);
      return;
    }
    toldOrigin = true;
    logger.error(new PublicOriginMissing(host).message, { requestId });
  };

  return async (request) => {
    const requestId = requestIdFor(request);
    if (!toldOrigin) tellOrigin(request, requestId);
    if (cors.isPreflight(request)) return preflight(request, requestId);
    const headers = cors.responseHeaders(request);
    const response = await app.fetch(request, { requestId, headers });
    if (COMPLETE in response) return response;
    response.headers.set('X-Request-Id', requestId);
    if (!response.headers.has('Cache-Control')) response.headers.set('Cache-Control', 'no-store');
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    return response;
  };

  /** A CORS preflight: 204 for an allowed origin, 403 with no CORS header for any other. */
  function preflight(request: Request, requestId: string): Response {
    const granted = cors.preflightHeaders(request);
    if (granted) {
      return new Response(null, { status: 204, headers: { ...granted, 'X-Request-Id': requestId, 'Cache-Control': 'no-store' } });
    }
    const origin = (request.headers.get('Origin') ?? '').slice(0, 200);
    const detail = `Cross-origin requests from ${origin} are not allowed (see the handler's cors option).`;
    const response = problemResponse(problemDocument('forbidden', requestId, detail, {}, languagesOf(request)));
    response.headers.set('X-Request-Id', requestId);
    response.headers.set('Cache-Control', 'no-store');
    response.headers.set('Vary', 'Origin');
    return response;
  }
}
