import ky, { HTTPError, TimeoutError, type KyInstance, type RetryOptions } from 'ky';
import { endpoints, type EndpointName } from '../contract/endpoints.js';
import { Problem } from '../contract/errors.js';
import type {
  ChangePreview,
  ChangeRequest,
  ChangeResult,
  CommitChangeRequest,
  Invoice,
  InvoiceListQuery,
  InvoicePage,
  InvoicePdfLink,
  ModuleList,
  PaymentMethodList,
  PlanList,
  SetupSession,
  Subscription,
  UsageList,
} from '../contract/index.js';
import { BillingError } from './billing-error.js';
import { newIdempotencyKey } from './idempotency-key.js';
import { NetworkFailure, follow, kyFetch } from './transport.js';

export interface BillingClientOptions {
  /** Where the endpoint is mounted, e.g. `/api/billing` or `https://app.example/api/billing`. */
  baseUrl: string;
  /** Extra headers (e.g. `Authorization`), or a function returning them, called before each attempt. */
  headers?: HeadersInit | (() => HeadersInit | Promise<HeadersInit>);
  /** Default `same-origin`, so the host's session cookie identifies the customer. */
  credentials?: RequestCredentials;
  /**
   * Called for each attempt as `fetch(url, init)`: the URL as a string, and `init` with
   * `method`, `headers`, the JSON body as a string, `signal` and `credentials`.
   */
  fetch?: typeof globalThis.fetch;
  /** Per attempt, headers and body, in ms. Default 15 000. */
  timeout?: number;
  /**
   * Retries after a network error or a passing failure, with backoff. GETs: network errors,
   * 408, 429, 500, 502, 503, 504. Mutations (all carry an `Idempotency-Key`): network errors,
   * 408, 409 `idempotency_in_progress`, 429, 502, 503, 504. Default 2.
   */
  retries?: number;
  /**
   * The language texts written by the server should be in (invoice lines, catalog names,
   * problem titles), sent as `Accept-Language`. Elements set it from their locale.
   */
  locale?: string;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface MutationOptions extends CallOptions {
  /**
   * One key per user action: pass the same key when the user retries the same action so
   * the server replays instead of applying it twice. Generated when omitted.
   */
  idempotencyKey?: string;
}

interface Call {
  params?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
}

/**
 * The typed client of the billing endpoint: one method per operation of the contract,
 * every response validated, every failure a `BillingError`.
 */
export class BillingClient {
  readonly baseUrl: string;
  /** Sent as `Accept-Language` (see `BillingClientOptions.locale`); unset sends none of ours. */
  locale: string | undefined;
  #ky: KyInstance;
  #headers: BillingClientOptions['headers'];
  #retries: number;
  #version: string | null = null;

  constructor(options: BillingClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.locale = options.locale;
    this.#headers = options.headers;
    this.#retries = options.retries ?? 2;
    this.#ky = ky.create({
      // Paths are relative (`v1/usage`); ky joins them to the prefix.
      prefixUrl: `${this.baseUrl}/`,
      credentials: options.credentials ?? 'same-origin',
      // Looked up per call and called without a `this`, so a host passing `window.fetch` does
      // not lose its binding.
      fetch: kyFetch((input, init) => (options.fetch ?? globalThis.fetch)(input, init)),
      timeout: options.timeout ?? 15_000,
      // Error statuses reject with ky's HTTPError, which is what ky retries on; its response is
      // then read like any other.
      throwHttpErrors: true,
    });
  }

  /** The subscription version last seen, sent as `If-Match` on mutations. */
  get lastVersion(): string | null {
    return this.#version;
  }

  async getSubscription(options: CallOptions = {}): Promise<Subscription> {
    return this.#remember(await this.#call<Subscription>('getSubscription', { signal: options.signal }));
  }

  listPlans(options: CallOptions = {}): Promise<PlanList> {
    return this.#call('listPlans', { signal: options.signal });
  }

  listModules(options: CallOptions = {}): Promise<ModuleList> {
    return this.#call('listModules', { signal: options.signal });
  }

  listUsage(options: CallOptions = {}): Promise<UsageList> {
    return this.#call('listUsage', { signal: options.signal });
  }

  listInvoices(query: InvoiceListQuery = {}, options: CallOptions = {}): Promise<InvoicePage> {
    return this.#call('listInvoices', { query: { ...query }, signal: options.signal });
  }

  getInvoice(id: string, options: CallOptions = {}): Promise<Invoice> {
    return this.#call('getInvoice', { params: { id }, signal: options.signal });
  }

  getInvoicePdf(id: string, options: CallOptions = {}): Promise<InvoicePdfLink> {
    return this.#call('getInvoicePdf', { params: { id }, signal: options.signal });
  }

  listPaymentMethods(options: CallOptions = {}): Promise<PaymentMethodList> {
    return this.#call('listPaymentMethods', { signal: options.signal });
  }

  previewChange(request: ChangeRequest, options: CallOptions = {}): Promise<ChangePreview> {
    return this.#call('previewChange', { json: request, signal: options.signal });
  }

  async commitChange(request: CommitChangeRequest, options: MutationOptions = {}): Promise<ChangeResult> {
    const result = await this.#mutate<ChangeResult>('commitChange', { json: request }, options);
    this.#remember(result.subscription);
    return result;
  }

  async cancelScheduledChange(id: string, options: MutationOptions = {}): Promise<Subscription> {
    return this.#remember(await this.#mutate<Subscription>('cancelScheduledChange', { params: { id } }, options));
  }

  /** `locale` is the language the hosted page should speak (the client's `locale` when omitted). */
  setupPaymentMethod(returnUrl: string, options: MutationOptions & { locale?: string } = {}): Promise<SetupSession> {
    const locale = options.locale ?? this.locale;
    return this.#mutate('setupPaymentMethod', { json: { returnUrl, ...(locale ? { locale } : {}) } }, options);
  }

  /** Removes a payment method that is not the default; the customer's methods after it. */
  removePaymentMethod(id: string, options: MutationOptions = {}): Promise<PaymentMethodList> {
    return this.#mutate('removePaymentMethod', { params: { id } }, options);
  }

  setDefaultPaymentMethod(id: string, options: MutationOptions = {}): Promise<PaymentMethodList> {
    return this.#mutate('setDefaultPaymentMethod', { params: { id } }, options);
  }

  #remember(subscription: Subscription): Subscription {
    this.#version = subscription.version;
    return subscription;
  }

  async #mutate<T>(operation: EndpointName, call: Call, options: MutationOptions): Promise<T> {
    const headers: Record<string, string> = {
      'Idempotency-Key': options.idempotencyKey ?? newIdempotencyKey(),
    };
    if ('versioned' in endpoints[operation]) {
      const version = this.#version ?? (await this.getSubscription(options)).version;
      headers['If-Match'] = `"${version}"`;
    }
    try {
      return await this.#call<T>(operation, { ...call, headers, signal: options.signal });
    } catch (error) {
      // A conflict carries the subscription as it is now: the next attempt uses its version.
      const current = error instanceof BillingError ? error.problem?.current : undefined;
      if (current) this.#version = current.version;
      throw error;
    }
  }

  async #call<T>(operation: EndpointName, call: Call): Promise<T> {
    const endpoint = endpoints[operation];
    const path = endpoint.path.slice(1).replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(call.params?.[name] ?? ''));
    const searchParams = Object.fromEntries(
      Object.entries(call.query ?? {}).filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== ''),
    );
    // Ours win over the host's: set after them on every attempt.
    const headers: Record<string, string> = {
      Accept: 'application/json',
      ...(this.locale ? { 'Accept-Language': this.locale } : {}),
      ...(call.json === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...call.headers,
    };
    const signal = follow(call.signal);
    let response: Response;
    try {
      response = await this.#ky(path, {
        method: endpoint.method,
        searchParams,
        json: call.json,
        signal: signal.signal,
        retry: this.#retryPolicy(endpoint.method, 'Idempotency-Key' in headers, call.signal),
        hooks: {
          beforeRequest: [
            async (request) => {
              const host = typeof this.#headers === 'function' ? await this.#headers() : this.#headers;
              new Headers(host).forEach((value, name) => request.headers.set(name, value));
              for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
            },
          ],
        },
      });
    } catch (error) {
      if (!(error instanceof HTTPError)) throw failure(operation, error, call.signal);
      response = error.response;
    } finally {
      signal.release();
    }
    const requestId = response.headers.get('X-Request-Id');
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) throw httpError(operation, response.status, requestId, body);
    if (body === undefined) throw invalidResponse(operation, response.status, requestId, 'the response is not JSON');
    const parsed = endpoint.response.safeParse(body);
    if (!parsed.success) {
      const where = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
      throw invalidResponse(operation, response.status, requestId, `unexpected data at ${where}`, parsed.error);
    }
    return parsed.data as T;
  }

  /**
   * What is retried, by ky, with the same request (same body, same `Idempotency-Key`):
   *
   * - GETs are safe: after a network error, 408, 429, 500, 502, 503 or 504.
   * - Mutations carry an `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header), so
   *   sending one again cannot apply it twice: the server replays the first outcome, or
   *   answers 409 `idempotency_in_progress` while the first is still running. They are
   *   retried when the first attempt may not have reached the server or may not have ended
   *   there: a network error, 408, 409 `idempotency_in_progress`, 429, 502, 503, 504. Not on
   *   500 (the server ran it and failed; the same request fails the same way), nor on any
   *   other 4xx (the answer will not change: 409 `preview_stale`, 412, 422 …).
   * - A POST without a key (`previewChange`) is sent once.
   * - A timeout is not retried: the attempt already waited the whole timeout, and a server
   *   that slow is unlikely to answer the next one in time. It is `retryable` for the caller,
   *   who passes the same key again.
   * - Neither is an abort, nor a request that could not be built (`invalid_request`).
   *
   * Backoff: 300 ms, 600 ms, 1.2 s … at most 4 s, with full jitter; a `Retry-After` (seconds
   * or HTTP date) replaces it, up to 8 s.
   */
  #retryPolicy(method: string, keyed: boolean, signal: AbortSignal | undefined): RetryOptions {
    const statusCodes = method === 'GET' ? SAFE_RETRY_STATUSES : keyed ? KEYED_RETRY_STATUSES : [];
    return {
      limit: statusCodes.length ? this.#retries : 0,
      methods: ['get', 'post', 'delete'],
      statusCodes,
      afterStatusCodes: statusCodes,
      maxRetryAfter: 8_000,
      delay: (attempt) => 300 * 2 ** (attempt - 1),
      backoffLimit: 4_000,
      jitter: true,
      // `undefined` leaves the decision to the lists above (and `Retry-After` to ky).
      shouldRetry: async ({ error }) => {
        if (signal?.aborted) return false;
        if (!(error instanceof HTTPError)) return error instanceof NetworkFailure ? undefined : false;
        if (error.response.status !== 409) return undefined;
        const problem = (await error.response.clone().json().catch(() => null)) as { code?: unknown } | null;
        return problem?.code === 'idempotency_in_progress' ? undefined : false;
      },
    };
  }
}

const SAFE_RETRY_STATUSES = [408, 429, 500, 502, 503, 504];
const KEYED_RETRY_STATUSES = [408, 409, 429, 502, 503, 504];

export function createBillingClient(options: BillingClientOptions): BillingClient {
  return new BillingClient(options);
}

function invalidResponse(
  operation: string,
  status: number,
  requestId: string | null,
  why: string,
  cause?: unknown,
): BillingError {
  return new BillingError({
    code: 'invalid_response',
    status,
    operation,
    requestId,
    message: `The billing endpoint sent an invalid response to ${operation}: ${why}.`,
    cause,
  });
}

/** Codes for error responses that carry no problem document (a proxy's HTML page, say). */
function codeForStatus(status: number): string {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status === 502 || status === 503 || status === 504) return 'engine_unavailable';
  return status >= 500 ? 'internal' : 'invalid_response';
}

function httpError(operation: string, status: number, requestId: string | null, body: unknown): BillingError {
  const problem = Problem.safeParse(body);
  if (problem.success) {
    const { data } = problem;
    return new BillingError({ code: data.code, status, operation, requestId, problem: data, message: data.detail ?? data.title });
  }
  return new BillingError({
    code: codeForStatus(status),
    status,
    operation,
    requestId,
    retryable: status >= 500 || status === 429,
    message: `The billing endpoint answered ${operation} with HTTP ${status}.`,
  });
}

/** A failure without a response: aborted, timed out, the network, or a request that could not be sent. */
function failure(operation: string, error: unknown, signal: AbortSignal | undefined): BillingError {
  const code = signal?.aborted
    ? 'aborted'
    : error instanceof TimeoutError
      ? 'timeout'
      : error instanceof NetworkFailure
        ? 'network'
        : 'invalid_request';
  const messages = {
    aborted: `${operation} was aborted.`,
    timeout: `The billing endpoint did not answer ${operation} in time.`,
    network: `The billing endpoint could not be reached for ${operation}.`,
    invalid_request: `The billing client could not send ${operation} (check its baseUrl, headers and fetch): ${String(error)}`,
  };
  return new BillingError({
    code,
    status: 0,
    operation,
    retryable: code === 'timeout' || code === 'network',
    message: messages[code],
    cause: error instanceof NetworkFailure ? error.cause : error,
  });
}
