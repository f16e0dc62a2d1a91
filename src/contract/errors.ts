/**
 * Errors of the contract: RFC 9457 problem documents with a stable `code`.
 */
import * as z from 'zod/mini';
import { Subscription } from './resources.js';

/** Every error code the endpoint may send, with its HTTP status. */
export const errorStatus = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  no_subscription: 404,
  validation_failed: 400,
  plan_not_available: 422,
  module_requirements_not_met: 422,
  timing_not_supported: 422,
  change_not_allowed: 422,
  preview_expired: 409,
  preview_stale: 409,
  version_conflict: 412,
  precondition_required: 428,
  idempotency_key_reused: 422,
  idempotency_in_progress: 409,
  payment_failed: 402,
  rate_limited: 429,
  engine_unavailable: 503,
  internal: 500,
} as const;

export type ServerErrorCode = keyof typeof errorStatus;

export const FieldError = z.object({
  /** Where the bad value is, e.g. `query.limit` or `body.change.planId`. */
  field: z.string(),
  message: z.string(),
});

export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  /** A `ServerErrorCode`; unknown codes from newer servers are tolerated. */
  code: z.string(),
  detail: z.optional(z.string()),
  requestId: z.string(),
  retryable: z.boolean(),
  fieldErrors: z.optional(z.array(FieldError)),
  /** For `module_requirements_not_met`: what is missing. */
  missing: z.optional(
    z.object({ anyOfPlans: z.optional(z.array(z.string())), allOfModules: z.optional(z.array(z.string())) }),
  ),
  /** For `version_conflict`: the subscription as it is now. */
  current: z.optional(Subscription),
});

export type FieldError = z.infer<typeof FieldError>;
export type Problem = z.infer<typeof Problem>;

/** Codes worth retrying as they are (the server says so too, in `retryable`). */
export const retryableCodes: ReadonlySet<string> = new Set<ServerErrorCode>([
  'rate_limited',
  'engine_unavailable',
  'idempotency_in_progress',
]);
