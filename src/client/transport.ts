/**
 * The HTTP layer under the client: fetch with a timeout per attempt, the caller's
 * AbortSignal, and retries with exponential backoff and jitter for safe requests.
 *
 * Written on fetch rather than on ky: ky 1.x alone is ~5.5 KiB min+gzip, and with Lit,
 * @lit/context and zod/mini it would leave no room under the 18 KiB budget of one element
 * with its provider (DESIGN.md). This file is the part of ky we use, in ~1 KiB.
 */

export interface TransportOptions {
  baseUrl: string;
  headers?: HeadersInit | (() => HeadersInit | Promise<HeadersInit>);
  credentials: RequestCredentials;
  fetch: typeof globalThis.fetch;
  /** Per attempt, in ms. */
  timeout: number;
  /** Retries of safe requests. */
  retries: number;
}

export interface TransportRequest {
  method: string;
  /** Relative to the base URL, starting with `/`. */
  path: string;
  query?: [string, string][];
  json?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
}

/** Why no response came back. */
export class TransportFailure extends Error {
  constructor(readonly reason: 'network' | 'timeout' | 'aborted', cause: unknown) {
    super(reason, { cause });
  }
}

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const SAFE_METHODS = new Set(['GET', 'HEAD']);
/** Statuses a `Response` cannot be built with a body for. */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);
const MAX_DELAY_MS = 4_000;

/** 300 ms, 600 ms, 1.2 s… capped, with full jitter; a server's `Retry-After` (seconds) wins. */
function retryDelay(attempt: number, response?: Response): number {
  const retryAfter = Number(response?.headers.get('Retry-After'));
  if (retryAfter > 0) return Math.min(retryAfter * 1000, MAX_DELAY_MS * 2);
  return Math.random() * Math.min(300 * 2 ** attempt, MAX_DELAY_MS);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new TransportFailure('aborted', signal.reason));
    }, { once: true });
  });
}

/** One attempt: the caller's signal and a timeout both abort it. */
async function attempt(options: TransportOptions, url: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeout);
  const forward = () => controller.abort(signal?.reason);
  if (signal?.aborted) forward();
  signal?.addEventListener('abort', forward, { once: true });
  try {
    const response = await options.fetch(url, { ...init, signal: controller.signal });
    // The body arrives under the same timeout and signal: a body that stalls half-way is a
    // timeout, and an abort while it arrives is an abort, not a call that never settles.
    const body = NULL_BODY_STATUSES.has(response.status) ? null : await response.arrayBuffer();
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  } catch (error) {
    throw new TransportFailure(signal?.aborted ? 'aborted' : timedOut ? 'timeout' : 'network', error);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', forward);
  }
}

/** Sends a request; resolves with whatever response came last (2xx or not), rejects with `TransportFailure`. */
export async function send(options: TransportOptions, request: TransportRequest): Promise<Response> {
  const url = new URL(options.baseUrl + request.path, globalThis.location?.href);
  for (const [name, value] of request.query ?? []) url.searchParams.append(name, value);
  const extra = typeof options.headers === 'function' ? await options.headers() : options.headers;
  const headers = new Headers(extra);
  headers.set('Accept', 'application/json');
  for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name, value);
  if (request.json !== undefined) headers.set('Content-Type', 'application/json');
  const init: RequestInit = {
    method: request.method,
    headers,
    credentials: options.credentials,
    ...(request.json === undefined ? {} : { body: JSON.stringify(request.json) }),
  };
  const retries = SAFE_METHODS.has(request.method) ? options.retries : 0;

  for (let tries = 0; ; tries++) {
    let response: Response | undefined;
    try {
      response = await attempt(options, url.href, init, request.signal);
      if (!RETRY_STATUSES.has(response.status) || tries >= retries) return response;
    } catch (error) {
      // A timeout is not retried: a server that slow is unlikely to answer the next attempt in time either.
      if (!(error instanceof TransportFailure) || error.reason !== 'network' || tries >= retries) throw error;
    }
    void response?.body?.cancel();
    await sleep(retryDelay(tries, response), request.signal);
  }
}
