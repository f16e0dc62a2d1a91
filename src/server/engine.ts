/**
 * The adapter boundary between the HTTP handler and a billing engine. The reference
 * engine (SQLite) implements it; a host can implement it over Stripe, Lago, Chargebee…
 * Every method receives the customer id resolved by the host from the request — the
 * browser never sends one.
 */
import type {
  ChangePreview,
  ChangeRequest,
  ChangeResult,
  CommitChangeRequest,
  Invoice,
  InvoiceListQuery,
  InvoicePage,
  Module,
  PaymentMethod,
  Plan,
  Subscription,
  UsageMetric,
} from '../contract/index.js';

export type CustomerId = string;

/** Parsed, validated invoice list query (numbers are numbers, defaults applied). */
export interface InvoiceQuery {
  limit: number;
  cursor?: string;
  status?: NonNullable<InvoiceListQuery['status']>;
  from?: string;
  to?: string;
}

export interface BillingEngine {
  getSubscription(customer: CustomerId): Promise<Subscription | null>;
  listPlans(customer: CustomerId): Promise<Plan[]>;
  listModules(customer: CustomerId): Promise<Module[]>;
  listUsage(customer: CustomerId): Promise<UsageMetric[]>;
  listInvoices(customer: CustomerId, query: InvoiceQuery): Promise<InvoicePage>;
  /** With `lines`; `null` when the invoice does not exist or belongs to someone else. */
  getInvoice(customer: CustomerId, invoiceId: string): Promise<Invoice | null>;
  listPaymentMethods(customer: CustomerId): Promise<PaymentMethod[]>;
  /** What `request` would cost and change; no side effect. */
  previewChange(customer: CustomerId, request: ChangeRequest): Promise<ChangePreview>;
  /**
   * Applies or schedules `request`. `ifMatch` is the subscription version the customer decided
   * on (quotes removed): the engine compares it with the version inside the same transaction
   * as the change and throws `version_conflict` with `current` when they differ — the
   * handler's earlier check cannot see a change committed in between.
   */
  commitChange(customer: CustomerId, request: CommitChangeRequest, ifMatch: string): Promise<ChangeResult>;
  /** Takes back a scheduled change (`not_found` if it is not this customer's); same `ifMatch` rule. */
  cancelScheduledChange(customer: CustomerId, scheduledChangeId: string, ifMatch: string): Promise<Subscription>;
}
