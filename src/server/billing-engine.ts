/**
 * The adapter boundary between the HTTP handler and a billing engine. The reference
 * engine (SQLite) implements it; a host can implement it over Stripe, Lago, Chargebee…
 * Every method receives the customer id resolved by the host from the request — the
 * browser never sends one. What the user may do is the host's too (`resolveCustomer`,
 * identity.ts): the handler checks it before calling a method, so an engine never sees a
 * request the user was not allowed to make, and reports facts, not permissions.
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
  SetupSession,
  Subscription,
  UsageMetric,
} from '../contract/index.js';

export type CustomerId = string;

/**
 * A subscription as an engine reports it: the contract's `Subscription` without `permissions`,
 * which are the host's (identity.ts: `resolveCustomer` answers them, the handler adds them),
 * and with a `version` only if the engine keeps one — otherwise the handler derives it from
 * the subscription's facts (subscription-version.ts says what that guarantees).
 */
export type EngineSubscription = Omit<Subscription, 'permissions' | 'version'> & { version?: string };

/** A change preview as an engine reports it: `basedOnVersion` only if the engine keeps versions. */
export type EngineChangePreview = Omit<ChangePreview, 'basedOnVersion'> & { basedOnVersion?: string };

/** What the handler knows of a commit besides its body. */
export interface CommitContext {
  /**
   * The request's `Idempotency-Key` (the handler requires one and replays its stored answer).
   * An engine over a provider with idempotency keys of its own (Stripe) may pass it on, scoped
   * to the customer, so a retry the handler could not replay (its process died mid-commit) is
   * still applied once by the provider.
   */
  idempotencyKey: string;
}

/** What a committed change gives back, the subscription as an engine reports it. */
export type EngineChangeResult = Omit<ChangeResult, 'subscription'> & { subscription: EngineSubscription };

/**
 * The languages the reader asked for, best first (from `Accept-Language`; the elements send
 * their locale). Texts the engine writes — invoice and proration lines, catalog names and
 * descriptions — follow the first it has, else the customer's own language, else English.
 * Engines that write no text ignore it.
 */
export type Languages = readonly string[];

/** Parsed, validated invoice list query (numbers are numbers, defaults applied). */
export interface InvoiceQuery {
  limit: number;
  cursor?: string;
  status?: NonNullable<InvoiceListQuery['status']>;
  from?: string;
  to?: string;
}

/** What `createSetupSession` is asked for; `returnUrl` is absolute and was checked by the handler. */
export interface SetupSessionRequest {
  returnUrl: string;
  /** The language the provider's hosted page should speak, when the element said. */
  locale?: string;
}

/** What a test card leaves behind: display data only, never the number or the CVC. */
export interface TestCard {
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  /** Test mode: a card accepted now that declines every charge after (4000 0000 0000 0341). */
  declinesCharges?: boolean;
}

/**
 * An invoice's PDF: its bytes, or where the engine's provider keeps it (Stripe's
 * `invoice_pdf`). The handler serves either behind its own signed link: bytes as the file, a
 * URL as a redirect, so the browser never holds the engine's credentials.
 */
export type InvoicePdf = Uint8Array | { url: string };

/**
 * Results may be shared between calls if they are deeply frozen (`Object.freeze` all the way
 * down): the handler then keeps the checked JSON of a frozen result for as long as the engine
 * hands out that same object. Never freeze only the top of an object that changes inside.
 */
export interface BillingEngine {
  getSubscription(customer: CustomerId, languages?: Languages): Promise<EngineSubscription | null>;
  listPlans(customer: CustomerId, languages?: Languages): Promise<Plan[]>;
  listModules(customer: CustomerId, languages?: Languages): Promise<Module[]>;
  listUsage(customer: CustomerId, languages?: Languages): Promise<UsageMetric[]>;
  listInvoices(customer: CustomerId, query: InvoiceQuery): Promise<InvoicePage>;
  /** With `lines`; `null` when the invoice does not exist or belongs to someone else. */
  getInvoice(customer: CustomerId, invoiceId: string, languages?: Languages): Promise<Invoice | null>;
  /**
   * The invoice as a PDF document (bytes, or an `https:` URL where it can be fetched); `null`
   * when it does not exist, belongs to someone else or has none (`hasPdf: false`, e.g. a
   * draft). The handler serves it behind a short-lived signed link, so this is only called
   * for the customer the link was signed for.
   */
  renderInvoicePdf(customer: CustomerId, invoiceId: string, languages?: Languages): Promise<InvoicePdf | null>;
  listPaymentMethods(customer: CustomerId): Promise<PaymentMethod[]>;
  /**
   * Starts adding a payment method. An engine over a payment provider returns the provider's
   * session (a redirect to its hosted page that comes back to `returnUrl` with
   * `billing_setup=succeeded` or `canceled`, or a client secret). `null` means "use the
   * handler's hosted test page", which then records the card with `addTestCard`.
   */
  createSetupSession(customer: CustomerId, request: SetupSessionRequest): Promise<SetupSession | null>;
  /** Makes a payment method the default; the customer's methods after it, or `null` if it is not theirs. */
  setDefaultPaymentMethod(customer: CustomerId, paymentMethodId: string): Promise<PaymentMethod[] | null>;
  /**
   * Removes a payment method; the customer's methods after it, or `null` if it is not theirs.
   * Throws `change_not_allowed` for the default method while a subscription renews on it.
   */
  removePaymentMethod(customer: CustomerId, paymentMethodId: string): Promise<PaymentMethod[] | null>;
  /**
   * Test environments only (the hosted test page): records a test card as the customer's new
   * default payment method, and charges the open invoices to it. Engines over a real
   * provider leave it out.
   */
  addTestCard?(customer: CustomerId, card: TestCard): Promise<PaymentMethod[]>;
  /**
   * Test environments only (the hosted test pay page): pays an open invoice with a test card;
   * `paid`, `declined` (nothing changes), or `null` when the invoice is not the customer's or
   * not open. Engines over a real provider leave it out: their invoices have a `hostedUrl`.
   */
  payInvoiceWithTestCard?(customer: CustomerId, invoiceId: string, card: TestCard): Promise<'paid' | 'declined' | null>;
  /**
   * Test mode only: moves the engine's clock to the end of the customer's current period and
   * renews it, so a failed renewal can be tried in a demo. Engines over a real provider leave it out.
   */
  advanceToPeriodEnd?(customer: CustomerId): Promise<void>;
  /** What `request` would cost and change; no side effect. */
  previewChange(customer: CustomerId, request: ChangeRequest, languages?: Languages): Promise<EngineChangePreview>;
  /**
   * Applies or schedules `request`. `ifMatch` is the subscription version the customer decided
   * on (quotes removed), already checked by the handler: an engine with versions compares it
   * again inside the same transaction as the change and throws `version_conflict` when they
   * differ — the handler's check cannot see a change committed in between (the handler then
   * answers with the subscription as it now is). An engine without versions gets the derived
   * one (subscription-version.ts) and may ignore it.
   */
  commitChange(
    customer: CustomerId,
    request: CommitChangeRequest,
    ifMatch: string,
    languages?: Languages,
    context?: CommitContext,
  ): Promise<EngineChangeResult>;
  /** Takes back a scheduled change (`not_found` if it is not this customer's); same `ifMatch` rule. */
  cancelScheduledChange(
    customer: CustomerId,
    scheduledChangeId: string,
    ifMatch: string,
    languages?: Languages,
  ): Promise<EngineSubscription>;
}
