/**
 * RFC 9457 problem documents, as the contract shapes them.
 */
import { errorStatus, retryableCodes, type Problem, type ServerErrorCode } from '../contract/index.js';
import type { ProblemExtras } from './errors.js';

const titles: Record<ServerErrorCode, string> = {
  unauthenticated: 'Authentication required',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  no_subscription: 'No subscription',
  validation_failed: 'Invalid request',
  plan_not_available: 'Plan not available',
  module_requirements_not_met: 'Module requirements not met',
  timing_not_supported: 'Timing not supported',
  change_not_allowed: 'Change not allowed',
  preview_expired: 'Preview expired',
  preview_stale: 'Preview out of date',
  version_conflict: 'Subscription changed meanwhile',
  precondition_required: 'If-Match required',
  idempotency_key_reused: 'Idempotency key reused',
  idempotency_in_progress: 'Request still in progress',
  payment_failed: 'Payment failed',
  rate_limited: 'Too many requests',
  engine_unavailable: 'Billing engine unavailable',
  internal: 'Internal error',
};

const PROBLEM_TYPE_BASE = 'https://billing-elements.dev/problems/';

export function problemDocument(
  code: ServerErrorCode,
  requestId: string,
  detail?: string,
  extras: ProblemExtras = {},
): Problem {
  return {
    type: PROBLEM_TYPE_BASE + code,
    title: titles[code],
    status: errorStatus[code],
    code,
    ...(detail === undefined ? {} : { detail }),
    requestId,
    retryable: retryableCodes.has(code),
    ...extras,
  };
}

export function problemResponse(problem: Problem): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { 'Content-Type': 'application/problem+json' },
  });
}
