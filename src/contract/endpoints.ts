/**
 * The endpoints of the contract: one entry per operation, naming its method, path and
 * response schema. The client, the server and the OpenAPI generator all read this table,
 * so a path or a schema is written once. Request schemas live in `requests.ts`: only the
 * server validates requests, so browsers never download them.
 */
import * as z from 'zod/mini';
import {
  ChangePreview,
  Instant,
  Invoice,
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

export type PlanList = z.infer<typeof PlanList>;
export type ModuleList = z.infer<typeof ModuleList>;
export type UsageList = z.infer<typeof UsageList>;
export type PaymentMethodList = z.infer<typeof PaymentMethodList>;
export type InvoicePage = z.infer<typeof InvoicePage>;
export type ChangeResult = z.infer<typeof ChangeResult>;
export type InvoicePdfLink = z.infer<typeof InvoicePdfLink>;

type Method = 'GET' | 'POST' | 'DELETE';
export interface Endpoint {
  method: Method;
  /** Hono-style path with `:param` segments. */
  path: string;
  response: z.ZodMiniType;
  /** Needs `Idempotency-Key`. */
  idempotent?: boolean;
  /** Needs `If-Match` with the subscription version. */
  versioned?: boolean;
}

export const endpoints = {
  getSubscription: { method: 'GET', path: '/v1/subscription', response: Subscription },
  listPlans: { method: 'GET', path: '/v1/plans', response: PlanList },
  listModules: { method: 'GET', path: '/v1/modules', response: ModuleList },
  listUsage: { method: 'GET', path: '/v1/usage', response: UsageList },
  previewChange: {
    method: 'POST',
    path: '/v1/subscription/changes/preview',
    response: ChangePreview,
  },
  commitChange: {
    method: 'POST',
    path: '/v1/subscription/changes',
    response: ChangeResult,
    idempotent: true,
    versioned: true,
  },
  cancelScheduledChange: {
    method: 'DELETE',
    path: '/v1/subscription/scheduled-changes/:id',
    response: Subscription,
    idempotent: true,
    versioned: true,
  },
  listInvoices: {
    method: 'GET',
    path: '/v1/invoices',
    response: InvoicePage,
  },
  getInvoice: { method: 'GET', path: '/v1/invoices/:id', response: Invoice },
  getInvoicePdf: {
    method: 'GET',
    path: '/v1/invoices/:id/pdf',
    response: InvoicePdfLink,
  },
  listPaymentMethods: {
    method: 'GET',
    path: '/v1/payment-methods',
    response: PaymentMethodList,
  },
  setupPaymentMethod: {
    method: 'POST',
    path: '/v1/payment-methods/setup',
    response: SetupSession,
    idempotent: true,
  },
  removePaymentMethod: {
    method: 'DELETE',
    path: '/v1/payment-methods/:id',
    response: PaymentMethodList,
    idempotent: true,
  },
  setDefaultPaymentMethod: {
    method: 'POST',
    path: '/v1/payment-methods/:id/default',
    response: PaymentMethodList,
    idempotent: true,
  },
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof endpoints;
