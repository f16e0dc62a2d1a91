import type { FieldError, Problem } from '../contract/index.js';

/**
 * Codes the client produces itself, on top of the server's `ServerErrorCode`s (all with
 * `status` 0 but `invalid_response`):
 * `invalid_response` — the endpoint answered something that breaks the contract;
 * `network` — no answer at all (retryable); `timeout` — no whole answer in time (retryable);
 * `aborted` — the caller's signal fired;
 * `invalid_request` — the request could not be built or handed to `fetch`: a base URL that
 * does not parse (a relative one outside a page), a header value `Headers` refuses, a
 * `headers` function that throws, a `fetch` option that throws at once. A mistake in the
 * host's configuration rather than a passing failure: never retried, not `retryable`, and
 * the original error is its `cause`.
 */
export type ClientErrorCode = 'invalid_response' | 'network' | 'timeout' | 'aborted' | 'invalid_request';

export interface BillingErrorInit {
  code: string;
  status: number;
  message: string;
  operation: string;
  requestId?: string | null;
  retryable?: boolean;
  problem?: Problem | null;
  cause?: unknown;
}

/**
 * Every failure of the client is one of these: elements switch on `code`, show
 * `fieldErrors`, and put `diagnostic()` in front of support.
 */
export class BillingError extends Error {
  override readonly name = 'BillingError';
  /** A `ServerErrorCode` from the problem document, or a `ClientErrorCode`. */
  readonly code: string;
  /** HTTP status; 0 when no response arrived. */
  readonly status: number;
  /** The operation attempted, e.g. `getSubscription`. */
  readonly operation: string;
  readonly requestId: string | null;
  readonly retryable: boolean;
  readonly fieldErrors: readonly FieldError[];
  /** The problem+json document, when the server sent one. */
  readonly problem: Problem | null;
  /** When the failure happened. */
  readonly at: Date;

  constructor(init: BillingErrorInit) {
    super(init.message, { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.operation = init.operation;
    this.requestId = init.requestId ?? init.problem?.requestId ?? null;
    this.retryable = init.retryable ?? init.problem?.retryable ?? false;
    this.fieldErrors = init.problem?.fieldErrors ?? [];
    this.problem = init.problem ?? null;
    this.at = new Date();
  }

  /** `error` itself if it is a BillingError, else an `internal` one wrapping it (a bug, not the endpoint). */
  static from(error: unknown, operation: string): BillingError {
    if (error instanceof BillingError) return error;
    return new BillingError({ code: 'internal', status: 0, operation, message: String(error), cause: error });
  }

  /** Plain text for a support request: what was attempted, the code, the request id, the time. */
  diagnostic(): string {
    return [
      `operation: ${this.operation}`,
      `code: ${this.code}`,
      `status: ${this.status}`,
      `request id: ${this.requestId ?? 'none'}`,
      `time: ${this.at.toISOString()}`,
    ].join('\n');
  }
}

export const isBillingError = (value: unknown): value is BillingError => value instanceof BillingError;
