/**
 * `Idempotency-Key` on mutations (draft-ietf-httpapi-idempotency-key-header), in the handler,
 * so it works the same over any engine. The handler asks an `IdempotencyStore` to claim the
 * key before anything else is checked:
 *
 * - the key is required: missing or malformed → 400 `validation_failed` naming
 *   `header.Idempotency-Key`, as the draft says (428 is the contract's answer to a missing
 *   `If-Match`, a precondition on the resource rather than on the request);
 * - the key is scoped to the customer, and bound to a fingerprint of the request (method,
 *   path with its parameters, canonical JSON body — not `If-Match`);
 * - a key already answered for the same fingerprint replays the stored response (status,
 *   `Content-Type`, `ETag`, body) with `Idempotent-Replayed: true`, whatever `If-Match` says
 *   now; for another fingerprint → 422 `idempotency_key_reused`; still running → 409
 *   `idempotency_in_progress` (retryable);
 * - only successful (2xx) responses are stored, for 24 hours. A failed mutation changed
 *   nothing, so the key is released and the same request may run again — after the client
 *   fixed `If-Match` or added a payment method, say, without minting a new key; a 5xx is
 *   never replayed;
 * - a claim whose request never finished (the process died) lapses after a minute. Should a
 *   change then have been committed after all, the retry carries the old `If-Match` and gets
 *   412: the subscription version is the second line of defence against applying twice.
 *
 * `createMemoryIdempotencyStore` is the default: right for one process. Hosts running several
 * pass a shared store (the reference engine has one in its SQLite database).
 */
import { canonicalJson } from './canonical-json.js';
import { BillingEngineError } from './errors.js';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60_000;
export const IN_FLIGHT_LEASE_MS = 60_000;

/** A response as stored for replay. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type IdempotencyClaim =
  | { state: 'started' }
  | { state: 'replay'; response: StoredResponse }
  | { state: 'mismatch' }
  | { state: 'in_progress' };

export interface IdempotencyStore {
  /** Atomically claims `key` within `scope` for a request with `fingerprint`, or says what holds it. */
  begin(scope: string, key: string, fingerprint: string): Promise<IdempotencyClaim>;
  /** Stores the claimed request's response, kept for replay for 24 hours. */
  complete(scope: string, key: string, response: StoredResponse): Promise<void>;
  /** Gives up the claim: the request failed and changed nothing. */
  release(scope: string, key: string): Promise<void>;
}

/** What a key already held (and not expired) means for a request with `fingerprint`. */
export function claimOf(held: { fingerprint: string; response: StoredResponse | null }, fingerprint: string): IdempotencyClaim {
  if (held.fingerprint !== fingerprint) return { state: 'mismatch' };
  return held.response ? { state: 'replay', response: held.response } : { state: 'in_progress' };
}

interface MemoryEntry {
  fingerprint: string;
  response: StoredResponse | null;
  expiresAt: number;
}

/** Keys in this process's memory; `now` is for tests that move time. */
export function createMemoryIdempotencyStore(options: { now?: () => number } = {}): IdempotencyStore {
  const now = options.now ?? Date.now;
  const entries = new Map<string, MemoryEntry>();
  const id = (scope: string, key: string) => JSON.stringify([scope, key]);
  let sweptAt = 0;
  const sweep = (at: number) => {
    if (at - sweptAt < IN_FLIGHT_LEASE_MS) return;
    sweptAt = at;
    for (const [name, entry] of entries) if (entry.expiresAt <= at) entries.delete(name);
  };

  return {
    async begin(scope, key, fingerprint) {
      const at = now();
      sweep(at);
      const held = entries.get(id(scope, key));
      if (held && held.expiresAt > at) return claimOf(held, fingerprint);
      entries.set(id(scope, key), { fingerprint, response: null, expiresAt: at + IN_FLIGHT_LEASE_MS });
      return { state: 'started' };
    },
    async complete(scope, key, response) {
      const held = entries.get(id(scope, key));
      if (held) Object.assign(held, { response, expiresAt: now() + IDEMPOTENCY_TTL_MS });
    },
    async release(scope, key) {
      entries.delete(id(scope, key));
    },
  };
}

const KEY = /^[\x21-\x7E]{1,255}$/;

/** The key of a request: a bare token or a quoted string (as the draft writes it), 1–255 visible ASCII characters. */
export function idempotencyKeyOf(request: Request): string {
  const raw = request.headers.get('Idempotency-Key')?.trim() ?? '';
  const key = /^".*"$/.test(raw) ? raw.slice(1, -1) : raw;
  if (KEY.test(key)) return key;
  const message = raw === '' ? 'is required on this request' : 'must be 1 to 255 visible ASCII characters';
  throw new BillingEngineError('validation_failed', {
    detail: `Idempotency-Key ${message}.`,
    extras: { fieldErrors: [{ field: 'header.Idempotency-Key', message }] },
  });
}

/** SHA-256 (Web Crypto, so any runtime) of what makes two requests the same. */
export async function requestFingerprint(method: string, target: string, body: string): Promise<string> {
  let canonicalBody = body;
  try {
    canonicalBody = canonicalJson(JSON.parse(body));
  } catch {
    // Not JSON: compared as sent (the request fails validation anyway, and is not stored).
  }
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${method} ${target}\n${canonicalBody}`));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

const REPLAYED_HEADERS = ['Content-Type', 'ETag'];

/**
 * Runs a mutation under its idempotency key: replays, refuses, or runs it and stores a
 * successful response. `onStoreError` hears of a response that could not be stored (the
 * mutation happened: the response is sent all the same).
 */
export async function runIdempotently(
  store: IdempotencyStore,
  claim: { scope: string; key: string; fingerprint: string },
  run: () => Promise<Response>,
  onStoreError: (error: unknown) => void,
): Promise<Response> {
  const { scope, key, fingerprint } = claim;
  const held = await store.begin(scope, key, fingerprint);
  if (held.state === 'mismatch') {
    throw new BillingEngineError('idempotency_key_reused', {
      detail: 'This Idempotency-Key was used for another request; use a new key for a new action.',
    });
  }
  if (held.state === 'in_progress') {
    throw new BillingEngineError('idempotency_in_progress', { detail: 'The first request with this key is still running.' });
  }
  if (held.state === 'replay') {
    const { status, headers, body } = held.response;
    return new Response(body, { status, headers: { ...headers, 'Idempotent-Replayed': 'true' } });
  }

  let response: Response;
  try {
    response = await run();
  } catch (error) {
    await store.release(scope, key);
    throw error;
  }
  if (!response.ok) {
    await store.release(scope, key);
    return response;
  }
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  try {
    await store.complete(scope, key, { status: response.status, headers, body: await response.clone().text() });
  } catch (error) {
    onStoreError(error);
  }
  return response;
}
