/**
 * The CLI's HTTP server: a Fetch-API handler on `node:http` through `@hono/node-server`'s
 * request listener, hardened for a server anyone on the network might reach:
 *
 * - limits: headers (request line included) up to 16 KiB (431), complete headers within 10 s
 *   and the whole request within 30 s (408), idle keep-alive connections closed after 5 s,
 *   at most 256 connections at once (more are closed as they open);
 * - only the hosts it serves: a request whose `Host` (or absolute request target) is not one
 *   of `allowedHosts` is refused with 421 before the handler sees it — DNS rebinding
 *   protection, since a browser reaching 127.0.0.1 through an attacker's name sends that name;
 * - every answer is problem+json with `X-Request-Id`, its own too: requests Node cannot parse
 *   (400), headers too large (431), too slow (408), requests `@hono/node-server` cannot turn
 *   into a `Request` (a backslash in the path, a bad `Host`: 400), a handler that throws (500).
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { FieldError, ServerErrorCode } from '../contract/index.js';
import { handOverBody, JSON_BODY_LIMIT } from './body.js';
import { problemDocument } from './problem.js';
import { newRequestId, requestIdFor } from './request-id.js';

export interface NodeServerLimits {
  /** Bytes of the request line and headers together (Node's `maxHeaderSize`). */
  maxHeaderSize: number;
  /** Milliseconds to receive the complete headers. */
  headersTimeout: number;
  /** Milliseconds to receive the whole request, body included. */
  requestTimeout: number;
  /** Milliseconds an idle keep-alive connection is kept. */
  keepAliveTimeout: number;
  /** Connections open at once; more are closed as they open. */
  maxConnections: number;
  /** How often the timeouts above are checked, in milliseconds. */
  connectionsCheckingInterval: number;
}

export const DEFAULT_LIMITS: NodeServerLimits = {
  maxHeaderSize: 16 * 1024,
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
  maxConnections: 256,
  connectionsCheckingInterval: 1_000,
};

export interface NodeServerOptions {
  fetch: (request: Request) => Promise<Response>;
  /**
   * The `host[:port]`s served, lower case (e.g. `127.0.0.1:8787`); asked on every request,
   * so it can follow the port picked at listen time. Omitted: every host.
   */
  allowedHosts?: () => ReadonlySet<string>;
  limits?: Partial<NodeServerLimits>;
  /** One line per event worth a look (a handler that threw); default `console.error`. */
  log?: (line: string, error?: unknown) => void;
}

interface Refusal {
  status: number;
  code: ServerErrorCode;
  detail: string;
  fieldErrors?: FieldError[];
}

function problemText(refusal: Refusal, requestId: string): string {
  const extras = refusal.fieldErrors ? { fieldErrors: refusal.fieldErrors } : {};
  return JSON.stringify({ ...problemDocument(refusal.code, requestId, refusal.detail, extras), status: refusal.status });
}

function problemResponse(refusal: Refusal, requestId: string): Response {
  return new Response(problemText(refusal, requestId), {
    status: refusal.status,
    headers: { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store', 'X-Request-Id': requestId },
  });
}

/** What Node's parser reports, as the answer a client gets. */
function clientErrorRefusal(code: string | undefined, limits: NodeServerLimits): Refusal {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return {
      status: 431,
      code: 'validation_failed',
      detail: `The request line and headers are larger than ${limits.maxHeaderSize} bytes.`,
      fieldErrors: [{ field: 'header', message: `request line and headers must be at most ${limits.maxHeaderSize} bytes` }],
    };
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, code: 'validation_failed', detail: 'The request did not arrive in time.' };
  }
  return { status: 400, code: 'validation_failed', detail: 'The request is not valid HTTP.' };
}

/** Whether `incoming` declares a body short enough to read whole at once (Node enforces the length). */
function smallBody(incoming: IncomingMessage): boolean {
  if (incoming.method === 'GET' || incoming.method === 'HEAD') return false;
  const length = incoming.headers['content-length'];
  return length !== undefined && /^\d+$/.test(length) && Number(length) <= JSON_BODY_LIMIT;
}

export function createNodeServer(options: NodeServerOptions): Server {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const log = options.log ?? ((line: string, error?: unknown) => console.error(line, ...(error === undefined ? [] : [error])));

  const misdirected = (request: Request): Response | null => {
    const allowed = options.allowedHosts?.();
    if (!allowed) return null;
    const header = request.headers.get('Host')?.toLowerCase() ?? '';
    const target = new URL(request.url).host.toLowerCase();
    if (allowed.has(header) && allowed.has(target)) return null;
    return problemResponse(
      {
        status: 421,
        code: 'validation_failed',
        detail: `This server does not serve the host "${header.slice(0, 100)}".`,
        fieldErrors: [{ field: 'header.Host', message: 'must be a host this server serves' }],
      },
      requestIdFor(request),
    );
  };

  const fetch = async (request: Request, env: unknown): Promise<Response> => {
    const refused = misdirected(request);
    if (refused) return refused;
    // `env` is what @hono/node-server passes its fetch callback: the Node request and response.
    const { rawBody } = (env as { incoming: IncomingMessage & { rawBody?: Buffer } }).incoming;
    if (rawBody) handOverBody(request, rawBody);
    return options.fetch(request);
  };
  const listener = getRequestListener(fetch, {
    // Requests @hono/node-server cannot build (a backslash in the path, a bad Host), and a
    // handler that throws: problem documents too, never Node's bare answers.
    errorHandler: (error) => {
      const requestId = newRequestId();
      if (error instanceof Error && error.name === 'RequestError') {
        return problemResponse({ status: 400, code: 'validation_failed', detail: `The request could not be read: ${error.message}.` }, requestId);
      }
      log(`billing-elements: request failed (${requestId})`, error);
      return problemResponse({ status: 500, code: 'internal', detail: 'Internal error.' }, requestId);
    },
  });

  const server = createServer(
    {
      maxHeaderSize: limits.maxHeaderSize,
      headersTimeout: limits.headersTimeout,
      requestTimeout: limits.requestTimeout,
      keepAliveTimeout: limits.keepAliveTimeout,
      connectionsCheckingInterval: limits.connectionsCheckingInterval,
      // A request without Host is answered by the host check (421), as a problem document;
      // Node's own check would answer a bare 400.
      requireHostHeader: false,
    },
    (incoming: IncomingMessage, outgoing: ServerResponse) => {
      if (!smallBody(incoming)) return void listener(incoming, outgoing);
      // A small body of declared length is read here, in one buffer handed over to the
      // handler (body.ts) and to @hono/node-server (`rawBody`, should anything else read the
      // request): a web stream of the socket costs a change preview more than its own
      // pricing. Longer or chunked bodies stream, limited (body.ts).
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.once('end', () => {
        Object.assign(incoming, { rawBody: Buffer.concat(chunks) });
        void listener(incoming, outgoing);
      });
      incoming.once('error', () => {
        log('billing-elements: a request body could not be read (the client went away?)');
        incoming.socket.destroy();
      });
    },
  );
  server.maxConnections = limits.maxConnections;

  // Node's answers to what it cannot parse (400), too-large headers (431) and slow requests
  // (408) are bare status lines: answer them as problem documents instead.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    // Nothing can be said once a response has started, nor to a client that is gone.
    if (error.code === 'ECONNRESET' || !socket.writable || socket.bytesWritten > 0) {
      socket.destroy();
      return;
    }
    const refusal = clientErrorRefusal(error.code, limits);
    const requestId = newRequestId();
    const body = problemText(refusal, requestId);
    socket.end(
      `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? ''}\r\n` +
        'Content-Type: application/problem+json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Cache-Control: no-store\r\n' +
        `X-Request-Id: ${requestId}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
  return server;
}
