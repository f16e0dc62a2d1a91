export { BillingClient, createBillingClient, type BillingClientOptions, type CallOptions, type MutationOptions } from './client.js';
export { BillingError, isBillingError, type BillingErrorInit, type ClientErrorCode } from './billing-error.js';
export { newIdempotencyKey } from './idempotency-key.js';
export type * from '../contract/resources.js';
export type * from '../contract/endpoints.js';
export type { Problem, FieldError, ServerErrorCode } from '../contract/errors.js';
