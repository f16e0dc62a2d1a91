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
  /** Optional until the engine supports changes. */
  previewChange?(customer: CustomerId, request: ChangeRequest): Promise<ChangePreview>;
  commitChange?(customer: CustomerId, request: CommitChangeRequest, ifMatch: string): Promise<ChangeResult>;
}
