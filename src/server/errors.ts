/**
 * The one error type the handler turns into a problem document with a stable `code`.
 * Engines throw it for business outcomes (`not_found`, `plan_not_available`…); anything
 * else that escapes an engine is treated as a bug and answered with a bare 500 `internal`.
 */
import type { Problem, ServerErrorCode } from '../contract/index.js';

/** Extra members a problem document may carry, depending on its code. */
export type ProblemExtras = Pick<Problem, 'fieldErrors' | 'missing' | 'current'>;

export interface BillingEngineErrorOptions {
  /** Human-readable, safe to show to the customer; sent as `detail`. */
  detail?: string;
  extras?: ProblemExtras;
  cause?: unknown;
}

export class BillingEngineError extends Error {
  readonly code: ServerErrorCode;
  readonly detail?: string;
  readonly extras?: ProblemExtras;

  constructor(code: ServerErrorCode, options: BillingEngineErrorOptions = {}) {
    super(options.detail ?? code, { cause: options.cause });
    this.name = 'BillingEngineError';
    this.code = code;
    this.detail = options.detail;
    this.extras = options.extras;
  }
}
