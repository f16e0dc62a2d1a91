/**
 * Faults the browser test server injects in front of the reference handler, per endpoint base
 * URL and per operation of the contract, until they are lifted; each faulted answer is
 * counted. A fault that persists lets a test see what a client that retries ends with, and
 * lifting it lets the test see the element's own retry work. (Browser side: the server side
 * is `fault-injection.ts`.)
 *
 * ```ts
 * const baseUrl = freshBaseUrl();
 * await setFaults(baseUrl, { listUsage: '503' });  // GET /v1/usage answers 503, every time
 * …
 * await faultHits(baseUrl);                         // { listUsage: 1 }
 * await liftFaults(baseUrl);                        // the real handler again
 * ```
 */
import type { EndpointName } from '../../src/contract/endpoints.js';

/**
 * - `500` a problem+json `internal` (retryable)
 * - `502` an HTML page from a proxy, no problem document
 * - `503` a problem+json `engine_unavailable` (retryable)
 * - `429` a problem+json `rate_limited` with `Retry-After: 1`
 * - `timeout` no answer until the client gives up (the connection is then dropped)
 * - `malformed` a 200 `application/json` whose JSON is cut off
 * - `schema` a 200 with valid JSON that breaks the contract: for a read, the real answer
 *   with its first `id` (or `metricKey`) a number; for a mutation, an object of the wrong shape
 * - `401`, `403`, `404` problem+json `unauthenticated`, `forbidden`, `not_found`
 * - `offline` the connection is dropped before any answer (a network error in the browser)
 *
 * A faulted mutation never reaches the engine: the server is as it was.
 */
export const FAULTS = ['500', '502', '503', '429', 'timeout', 'malformed', 'schema', '401', '403', '404', 'offline'] as const;
export type Fault = (typeof FAULTS)[number];

/** The error code the client reports for each fault. */
export const FAULT_CODES: Record<Fault, string> = {
  '500': 'internal',
  '502': 'engine_unavailable',
  '503': 'engine_unavailable',
  '429': 'rate_limited',
  timeout: 'timeout',
  malformed: 'invalid_response',
  schema: 'invalid_response',
  '401': 'unauthenticated',
  '403': 'forbidden',
  '404': 'not_found',
  offline: 'network',
};

export type FaultPlan = Partial<Record<EndpointName, Fault>>;

/** `/api/demo~page3` → `demo~page3`: the base's segment, which the server keys faults by. */
const segmentOf = (baseUrl: string): string => {
  const segment = new URL(baseUrl, location.href).pathname.split('/')[2];
  if (!segment) throw new Error(`${baseUrl} is not a base URL of the test server (/api/<customer>)`);
  return segment;
};

/** Sets the faults of `baseUrl` (replacing any it had): each operation named answers with its fault until lifted. */
export async function setFaults(baseUrl: string, plan: FaultPlan): Promise<void> {
  const response = await fetch(`/api/test/faults/${encodeURIComponent(segmentOf(baseUrl))}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(plan),
  });
  if (!response.ok) throw new Error(`setting faults failed: ${response.status} ${await response.text()}`);
}

/** Lifts every fault of `baseUrl`: the real handler answers again. */
export const liftFaults = (baseUrl: string): Promise<void> => setFaults(baseUrl, {});

/** How many requests each operation's fault has answered at `baseUrl` since its faults were first set. */
export async function faultHits(baseUrl: string): Promise<Partial<Record<EndpointName, number>>> {
  const response = await fetch(`/api/test/faults/${encodeURIComponent(segmentOf(baseUrl))}`);
  return ((await response.json()) as { hits: Partial<Record<EndpointName, number>> }).hits;
}
