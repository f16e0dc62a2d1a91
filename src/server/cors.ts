/**
 * Cross-origin hosts: when the elements run on one origin and the billing endpoint on another
 * (`<billing-provider base-url="https://billing.example.com/api/billing">` on
 * `https://app.example.com`), the browser asks first (a preflight `OPTIONS`), then sends the
 * request and shows the response to the page only if the endpoint says that origin may read it.
 *
 * `createBillingHandler({ cors: { origins: ['https://app.example.com'], credentials: true } })`:
 *
 * - a preflight from a listed origin is answered 204 with that origin (never `*`), the methods
 *   of the contract, the request headers the client sends, and, with `credentials`,
 *   `Access-Control-Allow-Credentials: true` (cookies sent cross-origin: the client's
 *   `credentials: 'include'`); a preflight from any other origin is answered 403 with no
 *   CORS header, so the browser refuses the request;
 * - every response to a listed origin carries `Access-Control-Allow-Origin: <origin>`, the
 *   credentials flag, and exposes `ETag`, `X-Request-Id`, `Idempotent-Replayed` and
 *   `Retry-After` (the client reads them); `Vary: Origin` on every response.
 *
 * CORS only decides what a page may read. It is not authentication: `resolveCustomer` still
 * decides who is asking, and the hosted pages keep their own `Origin` checks.
 */
import { normaliseOrigin } from './origin.js';

export interface CorsOptions {
  /** Origins whose pages may call the handler, e.g. `['https://app.example.com']`. No `*`. */
  origins: readonly string[];
  /** Let those pages send cookies (`Access-Control-Allow-Credentials: true`). Default `false`. */
  credentials?: boolean;
  /** How long a browser may keep a preflight's answer, in seconds (default 600). */
  maxAge?: number;
}

export const CORS_ALLOWED_METHODS = ['GET', 'POST', 'DELETE'] as const;
/** The request headers the client sends (and `X-Request-Id`, which callers may set). */
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Accept-Language', 'Idempotency-Key', 'If-Match', 'X-Request-Id'] as const;
/** The response headers the client reads. */
export const CORS_EXPOSED_HEADERS = ['ETag', 'X-Request-Id', 'Idempotent-Replayed', 'Retry-After'] as const;

export interface Cors {
  /** Whether `request` is a preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`). */
  isPreflight(request: Request): boolean;
  /** The headers a preflight is answered with, or `null` when its origin is not allowed. */
  preflightHeaders(request: Request): Record<string, string> | null;
  /** The CORS headers of an actual response to `request` (none for an origin not allowed). */
  responseHeaders(request: Request): Readonly<Record<string, string>>;
}

// Shared by every response that adds no header of its own: read, never changed.
const NONE: Readonly<Record<string, string>> = Object.freeze({});
const VARY_ORIGIN: Readonly<Record<string, string>> = Object.freeze({ Vary: 'Origin' });

export function createCors(options: CorsOptions | undefined): Cors {
  const origins = new Set(
    (options?.origins ?? []).map((origin) => {
      if (origin.trim() === '*') throw new RangeError('cors.origins: list the origins; "*" is not accepted.');
      return normaliseOrigin(origin);
    }),
  );
  const credentials = options?.credentials === true;
  const maxAge = options?.maxAge ?? 600;
  if (!Number.isInteger(maxAge) || maxAge < 0) throw new RangeError('cors.maxAge must be a whole number of seconds.');
  const allowedOrigin = (request: Request): string | null => {
    const origin = request.headers.get('Origin');
    return origin !== null && origins.has(origin) ? origin : null;
  };
  const granted = (origin: string): Record<string, string> => ({
    'Access-Control-Allow-Origin': origin,
    ...(credentials ? { 'Access-Control-Allow-Credentials': 'true' } : {}),
  });
  const exposed = CORS_EXPOSED_HEADERS.join(', ');

  return {
    isPreflight: (request) =>
      request.method === 'OPTIONS' && request.headers.has('Origin') && request.headers.has('Access-Control-Request-Method'),

    preflightHeaders(request) {
      const origin = allowedOrigin(request);
      if (origin === null) return null;
      return {
        ...granted(origin),
        'Access-Control-Allow-Methods': CORS_ALLOWED_METHODS.join(', '),
        'Access-Control-Allow-Headers': CORS_ALLOWED_HEADERS.join(', '),
        'Access-Control-Max-Age': String(maxAge),
        Vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
      };
    },

    responseHeaders(request): Readonly<Record<string, string>> {
      if (origins.size === 0) return NONE;
      const origin = allowedOrigin(request);
      return origin === null ? VARY_ORIGIN : { ...granted(origin), 'Access-Control-Expose-Headers': exposed, Vary: 'Origin' };
    },
  };
}
