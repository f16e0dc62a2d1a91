/**
 * What clients send: request bodies and query strings, validated by the server (and
 * described in the OpenAPI document). Kept apart from the response schemas so that no
 * browser bundle carries them — the client is typed by these, not checked against them.
 */
import * as z from 'zod/mini';
import type { EndpointName } from './endpoints.js';
import { Interval, InvoiceStatus, Timing } from './resources.js';

const id = z.string().check(z.minLength(1));

export const INVOICE_PAGE_DEFAULT = 25;
export const INVOICE_PAGE_MAX = 100;

export const InvoiceListQuery = z.object({
  limit: z.optional(
    z.coerce.number().check(
      z.gte(1),
      z.lte(INVOICE_PAGE_MAX),
      z.refine((n) => Number.isInteger(n), { message: 'must be a whole number' }),
    ),
  ),
  cursor: z.optional(z.string().check(z.minLength(1))),
  status: z.optional(InvoiceStatus),
  // The full ISO check here: requests are validated on the server only, where size is free.
  from: z.optional(z.iso.datetime()),
  to: z.optional(z.iso.datetime()),
});

export const ChangeRequest = z.object({
  timing: Timing,
  change: z.discriminatedUnion('type', [
    z.object({ type: z.literal('plan'), planId: id, interval: z.optional(Interval) }),
    z.object({ type: z.literal('module'), moduleId: id, action: z.enum(['activate', 'deactivate']) }),
  ]),
});

export const CommitChangeRequest = z.extend(ChangeRequest, {
  previewToken: z.optional(z.string()),
});

export const SetupRequest = z.object({
  returnUrl: z.string().check(z.minLength(1)),
  /** The language a hosted page should speak (BCP 47, e.g. `fr`); the request's `Accept-Language` otherwise. */
  locale: z.optional(z.string().check(z.minLength(2), z.maxLength(35), z.regex(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/))),
});

/** The request schemas of each endpoint that takes input. */
export const requestSchemas = {
  listInvoices: { query: InvoiceListQuery },
  previewChange: { body: ChangeRequest },
  commitChange: { body: CommitChangeRequest },
  setupPaymentMethod: { body: SetupRequest },
} as const satisfies Partial<Record<EndpointName, { query?: z.ZodMiniType; body?: z.ZodMiniType }>>;

export type InvoiceListQuery = z.output<typeof InvoiceListQuery>;
export type ChangeRequest = z.infer<typeof ChangeRequest>;
export type CommitChangeRequest = z.infer<typeof CommitChangeRequest>;
export type SetupRequest = z.infer<typeof SetupRequest>;
