import { createBillingClient, type BillingClient, type Problem, type UsageMetric } from '../../src/index.js';
import { seededUsage } from './fixtures.js';

export interface FakeEndpointOptions {
  /** What `GET /v1/usage` lists (default: the seeded French business). `[]` for the empty state. */
  usage?: UsageMetric[];
  /**
   * Milliseconds before each answer (default 300, so the loading skeleton shows briefly), or
   * `'forever'` for a request that never completes (the loading state).
   */
  delay?: number | 'forever';
  /**
   * `'server-error'`: a 500 problem+json with a request id. `'invalid-response'`: a 200 whose
   * body breaks the contract schema.
   */
  fail?: 'server-error' | 'invalid-response';
}

/** The request id of the fake 500, shown in the error state's diagnostic. */
export const FAKE_REQUEST_ID = 'req_7f3c9a12b4e84d0f9e6a5b1c2d3e4f50';

/** The longest timeout `setTimeout` accepts; `Infinity` would fire at once. */
const NO_TIMEOUT = 2 ** 31 - 1;

/**
 * A `BillingClient` for stories: no server (Storybook is a static build), its `fetch` answers
 * from fixture data. It goes through the real client, so responses are validated and errors
 * become `BillingError`s exactly as in production.
 */
export function fakeBillingClient(options: FakeEndpointOptions = {}): BillingClient {
  const { usage = seededUsage, delay = 300, fail } = options;
  return createBillingClient({
    baseUrl: '/story',
    fetch: async (input, init) => {
      await wait(delay, init?.signal ?? undefined);
      const url = new URL(input instanceof Request ? input.url : String(input), 'http://story.invalid');
      const method = init?.method ?? 'GET';
      if (method !== 'GET' || url.pathname !== '/story/v1/usage') {
        return problem(404, 'not_found', 'Not found', `This story's endpoint only answers GET /v1/usage.`);
      }
      if (fail === 'server-error') {
        return problem(500, 'internal', 'Internal error', 'The billing engine failed to read usage.');
      }
      if (fail === 'invalid-response') {
        // `used` as a string and `limit` missing: what a misconfigured proxy or an old server might send.
        return json(200, { data: [{ metricKey: 'documents', name: 'Documents', unit: 'document', used: '870' }] });
      }
      return json(200, { data: usage });
    },
    // A story shows its state at once: no retries, and a pending request never times out.
    retries: 0,
    ...(delay === 'forever' ? { timeout: NO_TIMEOUT } : {}),
  });
}

function wait(delay: number | 'forever', signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    // Like a real fetch, give up when the caller aborts (e.g. the story is left).
    const abort = () => reject(signal?.reason ?? new DOMException('Aborted', 'AbortError'));
    if (signal?.aborted) return abort();
    signal?.addEventListener('abort', abort, { once: true });
    if (delay !== 'forever') setTimeout(resolve, delay);
  });
}

function json(status: number, body: unknown, contentType = 'application/json'): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': contentType, 'X-Request-Id': FAKE_REQUEST_ID },
  });
}

function problem(status: number, code: string, title: string, detail: string): Response {
  const body: Problem = {
    type: `https://billing-elements.dev/problems/${code}`,
    title,
    status,
    code,
    detail,
    requestId: FAKE_REQUEST_ID,
    retryable: false,
  };
  return json(status, body, 'application/problem+json');
}
