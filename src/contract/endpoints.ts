/**
 * The endpoints of the contract: one entry per operation, naming its method, path,
 * request schemas and response schema. The client, the server and the OpenAPI generator
 * all read this table, so a path or a schema is written once.
 */
import * as z from 'zod/mini';
import {
  ChangePreview,
  ChangeRequest,
  CommitChangeRequest,
  Instant,
  Invoice,
  InvoiceStatus,
  Module,
  PaymentMethod,
  Plan,
  SetupSession,
  Subscription,
  UsageMetric,
} from './resources.js';

export const PlanList = z.object({ data: z.array(Plan) });
export const ModuleList = z.object({ data: z.array(Module) });
export const UsageList = z.object({ data: z.array(UsageMetric) });
export const PaymentMethodList = z.object({ data: z.array(PaymentMethod) });
export const InvoicePage = z.object({ data: z.array(Invoice), nextCursor: z.nullable(z.string()) });
export const ChangeResult = z.object({ subscription: Subscription, invoice: z.nullable(Invoice) });
export const InvoicePdfLink = z.object({ url: z.string(), expiresAt: Instant });
export const SetupRequest = z.object({ returnUrl: z.string().check(z.minLength(1)) });

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
  from: z.optional(Instant),
  to: z.optional(Instant),
});

export type PlanList = z.infer<typeof PlanList>;
export type ModuleList = z.infer<typeof ModuleList>;
export type UsageList = z.infer<typeof UsageList>;
export type PaymentMethodList = z.infer<typeof PaymentMethodList>;
export type InvoicePage = z.infer<typeof InvoicePage>;
export type ChangeResult = z.infer<typeof ChangeResult>;
export type InvoicePdfLink = z.infer<typeof InvoicePdfLink>;
export type SetupRequest = z.infer<typeof SetupRequest>;
export type InvoiceListQuery = z.output<typeof InvoiceListQuery>;

type Method = 'GET' | 'POST' | 'DELETE';
export interface Endpoint {
  method: Method;
  /** Hono-style path with `:param` segments. */
  path: string;
  summary: string;
  query?: z.ZodMiniType;
  body?: z.ZodMiniType;
  response: z.ZodMiniType;
  /** Needs `Idempotency-Key`. */
  idempotent?: boolean;
  /** Needs `If-Match` with the subscription version. */
  versioned?: boolean;
}

export const endpoints = {
  getSubscription: { method: 'GET', path: '/v1/subscription', summary: 'The current subscription', response: Subscription },
  listPlans: { method: 'GET', path: '/v1/plans', summary: 'Plans, relative to the current one', response: PlanList },
  listModules: { method: 'GET', path: '/v1/modules', summary: 'Modules with their state and availability', response: ModuleList },
  listUsage: { method: 'GET', path: '/v1/usage', summary: 'Usage of every metered resource', response: UsageList },
  previewChange: {
    method: 'POST',
    path: '/v1/subscription/changes/preview',
    summary: 'What a change would cost (no side effect)',
    body: ChangeRequest,
    response: ChangePreview,
  },
  commitChange: {
    method: 'POST',
    path: '/v1/subscription/changes',
    summary: 'Apply or schedule a change',
    body: CommitChangeRequest,
    response: ChangeResult,
    idempotent: true,
    versioned: true,
  },
  cancelScheduledChange: {
    method: 'DELETE',
    path: '/v1/subscription/scheduled-changes/:id',
    summary: 'Cancel a scheduled change',
    response: Subscription,
    idempotent: true,
    versioned: true,
  },
  listInvoices: {
    method: 'GET',
    path: '/v1/invoices',
    summary: 'Invoices, newest first, cursor-paginated',
    query: InvoiceListQuery,
    response: InvoicePage,
  },
  getInvoice: { method: 'GET', path: '/v1/invoices/:id', summary: 'One invoice with its lines', response: Invoice },
  getInvoicePdf: {
    method: 'GET',
    path: '/v1/invoices/:id/pdf',
    summary: 'A short-lived signed URL to the invoice PDF',
    response: InvoicePdfLink,
  },
  listPaymentMethods: {
    method: 'GET',
    path: '/v1/payment-methods',
    summary: 'Payment methods',
    response: PaymentMethodList,
  },
  setupPaymentMethod: {
    method: 'POST',
    path: '/v1/payment-methods/setup',
    summary: 'Start adding a payment method',
    body: SetupRequest,
    response: SetupSession,
    idempotent: true,
  },
  setDefaultPaymentMethod: {
    method: 'POST',
    path: '/v1/payment-methods/:id/default',
    summary: 'Make a payment method the default',
    response: PaymentMethodList,
    idempotent: true,
  },
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof endpoints;
