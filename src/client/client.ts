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
import { TransportFailure, send, type TransportOptions } from './transport.js';

export interface BillingClientOptions {
  /** Where the endpoint is mounted, e.g. `/api/billing` or `https://app.example/api/billing`. */
  baseUrl: string;
  /** Extra headers (e.g. `Authorization`), or a function returning them for each request. */
  headers?: HeadersInit | (() => HeadersInit | Promise<HeadersInit>);
  /** Default `same-origin`, so the host's session cookie identifies the customer. */
  credentials?: RequestCredentials;
  fetch?: typeof globalThis.fetch;
  /** Per attempt, in ms. Default 15 000. */
  timeout?: number;
  /** Retries of safe (GET) requests after a network error, 408, 429 or 5xx, with backoff. Default 2. */
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
  #transport: TransportOptions;
  #version: string | null = null;

  constructor(options: BillingClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.locale = options.locale;
    this.#transport = {
      baseUrl: this.baseUrl,
      ...(options.headers ? { headers: options.headers } : {}),
      credentials: options.credentials ?? 'same-origin',
      // Bound, so a host passing `window.fetch` does not lose its `this`.
      fetch: (input, init) => (options.fetch ?? globalThis.fetch)(input, init),
      timeout: options.timeout ?? 15_000,
      retries: options.retries ?? 2,
    };
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
    const path = endpoint.path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(call.params?.[name] ?? ''));
    const query = Object.entries(call.query ?? {})
      .filter(([, value]) => value !== undefined && value !== '')
      .map(([name, value]): [string, string] => [name, String(value)]);
    let response: Response;
    try {
      const headers = this.locale ? { 'Accept-Language': this.locale, ...call.headers } : call.headers;
      response = await send(this.#transport, { ...call, ...(headers ? { headers } : {}), method: endpoint.method, path, query });
    } catch (error) {
      throw transportError(operation, error);
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
}

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

function transportError(operation: string, error: unknown): BillingError {
  const reason = error instanceof TransportFailure ? error.reason : 'network';
  const messages = {
    aborted: `${operation} was aborted.`,
    timeout: `The billing endpoint did not answer ${operation} in time.`,
    network: `The billing endpoint could not be reached for ${operation}.`,
  };
  return new BillingError({
    code: reason,
    status: 0,
    operation,
    retryable: reason !== 'aborted',
    message: messages[reason],
    cause: error,
  });
}
