import { errorStatus, type ServerErrorCode } from '../../src/contract/errors.js';
import {
  INVOICE_PAGE_DEFAULT,
  INVOICE_PAGE_MAX,
  type ChangeRequest,
  type CommitChangeRequest,
} from '../../src/contract/requests.js';
import {
  createBillingClient,
  type BillingClient,
  type ChangePreview,
  type Interval,
  type Invoice,
  type InvoiceLine,
  type InvoicePage,
  type InvoicePdfLink,
  type InvoiceStatus,
  type Module,
  type Money,
  type PaymentMethod,
  type Plan,
  type Problem,
  type SetupSession,
  type Subscription,
  type UsageMetric,
} from '../../src/index.js';
import { BillingEngineError } from '../../src/server/errors.js';
import {
  DAY_MS,
  PAYMENT_TERMS_MS,
  addMonths,
  changeLines,
  chargeOutcome,
  checkPayable,
  describedLine,
  evaluateChange,
  invoiceIdentity,
  invoiceTerms,
  moduleOf,
  moduleStandings,
  normalised,
  offeredPlanChange,
  periodEndFrom,
  previewFigures,
  recurringLines,
  subscriptionOf,
  toInstant,
  wordingFor,
  type ChargeOutcome,
  type Holding,
  type HoldingChange,
  type Offer,
  type PendingChange,
  type Settlement,
  type Span,
  type SubscriptionStanding,
  type Wording,
} from '../../src/server/reference/core/index.js';
// One specimen PDF for every invoice, served beside the stories (never inlined as a `data:`
// URL: the element only follows http(s) links, as a signed link from a real endpoint is).
import specimenPdfUrl from './specimen-invoice.pdf?url&no-inline';
import {
  AS_OF,
  PERIOD_START,
  catalogModules,
  catalogPlans,
  metricNamesFr,
  seededModuleIds,
  seededPaymentMethods,
  seededUsage,
  type CatalogLanguage,
  type CatalogModule,
  type CatalogPlan,
} from './fixtures.js';

/** A change scheduled for the end of the period when the story starts. */
export type ScheduledSeed =
  | { kind: 'plan_change'; toPlanId: string; toInterval?: Interval }
  | { kind: 'module_deactivation'; moduleId: string };

/** Pro → Essentiel at the end of the period. */
export const SCHEDULED_DOWNGRADE: ScheduledSeed = { kind: 'plan_change', toPlanId: 'essentiel' };
/** Accounting export (the unused module) stops at the end of the period. */
export const SCHEDULED_EXPORT_STOP: ScheduledSeed = { kind: 'module_deactivation', moduleId: 'accounting-export' };
/** Pro billed yearly from the end of the period: a switch of billing period, not of plan. */
export const SCHEDULED_YEARLY: ScheduledSeed = { kind: 'plan_change', toPlanId: 'pro', toInterval: 'year' };

export interface FakeEndpointOptions {
  /**
   * What `GET /v1/usage` lists (default: the seeded French business). `[]` for the empty
   * state. The limits given stand until a plan change; then every limit the new plan sets
   * replaces them. Without this option the limits always follow the plan.
   */
  usage?: UsageMetric[];
  /**
   * Milliseconds before each answer (default 300, so the loading skeleton shows briefly), or
   * `'forever'` for a request that never completes (the loading state).
   */
  delay?: number | 'forever';
  /**
   * `'server-error'`: a 500 problem+json with a request id, to every request.
   * `'invalid-response'`: a 200 whose body breaks the contract schema, to every read.
   * `'server-error-once'`: the same 500 to every read until a resource that failed is read
   * again (a retry), then the data: the error state, and the data after “Try again”.
   */
  fail?: 'server-error' | 'invalid-response' | 'server-error-once';
  /** Plan of the subscription (default `pro`). */
  planId?: string;
  /** Billing period of the subscription (default `month`). */
  interval?: Interval;
  /** Paid modules held (default: E-signature and Accounting export; modules the plan includes come with it). */
  moduleIds?: string[];
  /** Changes scheduled for the end of the period, e.g. `[SCHEDULED_DOWNGRADE]`. */
  scheduled?: ScheduledSeed[];
  /** A user who may look but not change anything (`permissions` all false but `viewInvoices`). */
  readOnly?: boolean;
  /**
   * The subscription changes elsewhere (another tab, a colleague) just before the first change
   * is committed: that commit answers 412 `version_conflict` with the current subscription.
   */
  changedElsewhere?: boolean;
  /** `false`: a user who may not see the invoices (`permissions.viewInvoices`); they are answered 403 `forbidden`. */
  viewInvoices?: boolean;
  /**
   * A customer without a subscription: `GET /v1/subscription` answers 404 `no_subscription`
   * (payment methods and invoices are still answered, as the reference server does).
   */
  noSubscription?: boolean;
  /** The plans offered (default: Essentiel, Pro, Entreprise). */
  plans?: CatalogPlan[];
  /** `false`: `GET /v1/plans` lists none (no plan on sale to this customer), whatever the subscription's plan. */
  listPlans?: boolean;
  /** The modules offered (default: the five of the demo business); `[]` for the empty list. */
  modules?: CatalogModule[];
  /** Language of names, descriptions and invoice lines, as the endpoint answers them (default `en`). */
  language?: CatalogLanguage;
  /**
   * How many monthly invoices the account has had, the newest for the current period
   * (default 14, as in the reference seed; `0` for none, e.g. `60` to page through). See
   * `invoiceHistory` for what they hold.
   */
  invoiceCount?: number;
  /** What `GET /v1/payment-methods` lists (default: a Visa card that expires this month, the default, and a SEPA mandate); `[]` for none. */
  paymentMethods?: PaymentMethod[];
  /**
   * The session `POST /v1/payment-methods/setup` opens (default `client_secret`, which the
   * element hands to the page in an event; a `redirect` would take the story's frame to a
   * hosted page that does not exist).
   */
  setupSession?: SetupSession['kind'];
  /**
   * Status of the subscription (default `active`). `past_due`: the renewal that opened the
   * current period could not be charged, so its invoice (the newest) is open with its amount
   * due, whatever `renewal` says. `trialing`: a trial that ends at `trialEnd`.
   */
  status?: 'active' | 'past_due' | 'trialing';
  /** End of the trial of a `trialing` subscription (default: the end of the current period, when the first invoice is due). */
  trialEnd?: string;
  /**
   * What became of the renewal invoice that opened the current period (the newest): `open`
   * (default), issued and not yet collected, with a pay link; `paid`, charged to the default
   * payment method when issued, as the reference engine does.
   */
  renewal?: 'open' | 'paid';
  /**
   * The pay link (`hostedUrl`) of the open renewal invoice (default
   * `https://billing.example.com/invoices/<id>/pay`, a page that does not exist). `'#pay'`
   * keeps a click inside the story's frame.
   */
  payUrl?: string;
  /** Credit balance in cents (default 0): taken off the next invoice and off what a change costs now. */
  creditBalance?: number;
}

/** The request id of the fake 500, shown in the error state's diagnostic. */
export const FAKE_REQUEST_ID = 'req_7f3c9a12b4e84d0f9e6a5b1c2d3e4f50';

/** The longest timeout `setTimeout` accepts; `Infinity` would fire at once. */
const NO_TIMEOUT = 2 ** 31 - 1;

/**
 * A `BillingClient` for stories: no server (Storybook is a static build), its `fetch` answers
 * from a small stateful fake of the endpoint (see `FakeEndpoint`). It goes through the real
 * client, so responses are validated and errors become `BillingError`s exactly as in
 * production. Each client has its own fake: changes made in one story stay in that story
 * (until the page reloads) and never leak into another.
 */
export function fakeBillingClient(options: FakeEndpointOptions = {}): BillingClient {
  const { delay = 300 } = options;
  const endpoint = new FakeEndpoint(options);
  return createBillingClient({
    baseUrl: '/story',
    fetch: async (input, init) => {
      await wait(delay, init?.signal ?? undefined);
      const url = new URL(input instanceof Request ? input.url : String(input), 'http://story.invalid');
      const method = init?.method ?? 'GET';
      const path = url.pathname.replace(/^\/story/, '');
      const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
      return endpoint.handle(method, path, new Headers(init?.headers), body, url.searchParams);
    },
    // A story shows its state at once: no retries, and a pending request never times out.
    retries: 0,
    ...(delay === 'forever' ? { timeout: NO_TIMEOUT } : {}),
  });
}

function wait(delay: number | 'forever', signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    // Like a real fetch, give up when the caller aborts (e.g. the story is left).
    const abort = () => reject(signal?.reason ?? new DOMException('Aborted', 'AbortError'));
    if (signal?.aborted) return abort();
    signal?.addEventListener('abort', abort, { once: true });
    if (delay !== 'forever') setTimeout(resolve, delay);
  });
}

function json(status: number, body: unknown, headers: Record<string, string> = {}, contentType = 'application/json'): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': contentType, 'X-Request-Id': FAKE_REQUEST_ID, ...headers },
  });
}

/** An RFC 9457 problem with a stable code, as the contract sends every error. */
class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail: string,
    readonly extras: Partial<Problem> = {},
  ) {
    super(detail);
  }

  toResponse(): Response {
    const body: Problem = {
      type: `https://billing-elements.dev/problems/${this.code}`,
      title: this.title,
      status: this.status,
      code: this.code,
      detail: this.detail,
      requestId: FAKE_REQUEST_ID,
      retryable: this.status >= 500,
      ...this.extras,
    };
    return json(this.status, body, {}, 'application/problem+json');
  }
}

const refuse = (code: string, detail: string) => new ProblemError(422, code, 'Change refused', detail);

const titles: Partial<Record<ServerErrorCode, string>> = {
  plan_not_available: 'Change refused',
  timing_not_supported: 'Change refused',
  change_not_allowed: 'Change refused',
  module_requirements_not_met: 'Requirements not met',
  payment_failed: 'Payment failed',
};

/** A refusal of the billing core (the same rules as the reference engine), as the endpoint sends it. */
const problemOf = (error: BillingEngineError) =>
  new ProblemError(errorStatus[error.code], error.code, titles[error.code] ?? 'Request refused', error.detail ?? error.code, error.extras);

// --- Money, time and the catalog -----------------------------------------------------------

const CURRENCY = 'EUR';
const money = (amountMinor: number): Money => ({ amountMinor, currency: CURRENCY });
/** The fake's clock stands still at the fixtures' now, so every preview and screenshot is the same. */
const NOW = Date.parse(AS_OF);
const PREVIEW_TTL_MS = 15 * 60_000;
/** How long a signed PDF link lasts. */
const PDF_LINK_TTL_MS = 5 * 60_000;

/**
 * The fixtures' catalog as the billing core sees it (the reference engine reads the same
 * shape from its database): names in `language`, prices in cents, a year ten months.
 */
export function catalogOffer(plans: CatalogPlan[], modules: CatalogModule[], language: CatalogLanguage): Offer {
  return {
    currency: CURRENCY,
    plans: new Map(
      [...plans]
        .sort((a, b) => a.rank - b.rank)
        .map((plan) => [
          plan.id,
          {
            id: plan.id,
            name: plan.name,
            rank: plan.rank,
            forSale: true,
            prices: { ...plan.prices },
            limits: new Map(Object.entries(plan.limits)),
            includedModuleIds: [...plan.includedModuleIds],
          },
        ]),
    ),
    modules: new Map(
      modules.map((module) => [
        module.id,
        {
          id: module.id,
          name: module.name[language],
          // A module only ever included in plans is not sold on its own.
          forSale: module.monthly !== null,
          prices: module.monthly === null ? {} : { month: module.monthly, year: module.monthly * 10 },
          anyOfPlans: [...(module.anyOfPlans ?? [])],
          allOfModules: [...(module.allOfModules ?? [])],
        },
      ]),
    ),
    texts: new Map(),
  };
}

/**
 * A small, stateful stand-in for the billing endpoint, in memory. What a change does and
 * costs, what the subscription holds, its next invoice and how plans and modules stand are
 * the billing core's (src/server/reference/core/), the very functions the reference engine
 * runs, on an offer built from the fixtures: a story shows the figures the server computes.
 * Around them it keeps its own state: versions with `If-Match` and preview tokens, scheduled
 * changes, invoices paged with an opaque cursor (an immediate change that costs money adds
 * one), and payment methods with idempotent mutations. Its clock stands still at the
 * fixtures' now.
 */
export class FakeEndpoint {
  readonly #options: FakeEndpointOptions;
  readonly #plans: CatalogPlan[];
  readonly #modules: CatalogModule[];
  readonly #language: CatalogLanguage;
  readonly #offer: Offer;
  readonly #wording: Wording;
  #holding: Holding;
  #period: Span;
  /** Where billing periods are counted from: the period start, until an interval switch starts a new one. */
  #anchor: number;
  /** Changes due at the end of the period, in the order they apply. */
  #pending: PendingChange[] = [];
  #version = 1;
  #creditBalance = 0;
  #usage: UsageMetric[];
  /** The given usage limits stand until the plan changes; then the plan's limits apply. */
  #limitsFromPlan: boolean;
  #previews = new Map<string, { version: string; request: string }>();
  #sequence = 0;
  /** Every invoice with its lines, newest first; an immediate change that costs money adds one. */
  #invoices: Invoice[];
  #paymentMethods: PaymentMethod[];
  /** Responses of payment-method mutations by `Idempotency-Key`, replayed for the same request. */
  #idempotent = new Map<string, { request: string; body: unknown }>();
  /** `fail: 'server-error-once'`: reads fail until one of the resources that failed is read again. */
  #failingOnce: boolean;
  /** `changedElsewhere`: whether the other change has happened yet. */
  #changedElsewhere = false;
  /** The resources that failed (`fail: 'server-error-once'`). */
  #failedOnce = new Set<string>();

  constructor(options: FakeEndpointOptions = {}) {
    this.#options = options;
    this.#failingOnce = options.fail === 'server-error-once';
    this.#plans = options.plans ?? catalogPlans;
    this.#modules = options.modules ?? catalogModules;
    this.#language = options.language ?? 'en';
    this.#offer = catalogOffer(this.#plans, this.#modules, this.#language);
    this.#wording = wordingFor(this.#offer, this.#language);
    const interval = options.interval ?? 'month';
    const planId = options.planId ?? 'pro';
    if (!this.#offer.plans.has(planId)) throw new Error(`The story's subscription is on plan "${planId}", which is not in its catalog.`);
    this.#holding = normalised(this.#offer, { planId, interval, paidModuleIds: options.moduleIds ?? seededModuleIds });
    this.#anchor = Date.parse(PERIOD_START);
    this.#period = { start: this.#anchor, end: periodEndFrom(this.#anchor, interval) };
    this.#usage = options.usage ?? seededUsage;
    this.#limitsFromPlan = options.usage === undefined;
    this.#invoices = invoiceHistory(options.invoiceCount ?? 14, this.#language, this.#plans, this.#modules);
    const renewal = this.#invoices[0];
    if (renewal?.status === 'open' && options.status !== 'past_due' && options.renewal === 'paid') {
      Object.assign(renewal, { status: 'paid', amountDue: money(0), hostedUrl: null });
    } else if (renewal?.status === 'open' && options.payUrl !== undefined) {
      renewal.hostedUrl = options.payUrl;
    }
    this.#creditBalance = options.creditBalance ?? 0;
    this.#paymentMethods = (options.paymentMethods ?? seededPaymentMethods).map(copyPaymentMethod);
    for (const seed of options.scheduled ?? []) {
      this.#schedule(
        seed.kind === 'plan_change'
          ? { type: 'plan', planId: seed.toPlanId, interval: seed.toInterval ?? interval }
          : { type: 'module', moduleId: seed.moduleId, action: 'deactivate' },
      );
    }
  }

  /** Answers one request. */
  handle(method: string, path: string, headers: Headers, body: unknown, query = new URLSearchParams()): Response {
    try {
      // Until a resource that failed is asked for again (a retry), every read fails.
      if (this.#failingOnce && method === 'GET') {
        if (this.#failedOnce.has(path)) this.#failingOnce = false;
        else this.#failedOnce.add(path);
      }
      const failOnce = this.#failingOnce && method === 'GET';
      if (this.#options.fail === 'server-error' || failOnce) {
        throw new ProblemError(500, 'internal', 'Internal error', 'The billing engine failed to answer.');
      }
      if (this.#options.fail === 'invalid-response' && method === 'GET') return json(200, invalidBody(path));
      const route = `${method} ${path}`;
      if (route === 'GET /v1/subscription') {
        if (this.#options.noSubscription) {
          throw new ProblemError(404, 'no_subscription', 'No subscription', 'This customer has no subscription.');
        }
        return json(200, this.subscription(), { ETag: `"${this.#version}"` });
      }
      if (route === 'GET /v1/plans') return json(200, { data: this.#options.listPlans === false ? [] : this.plans() });
      if (route === 'GET /v1/modules') return json(200, { data: this.modules() });
      if (route === 'GET /v1/usage') return json(200, { data: this.usage() });
      if (route === 'POST /v1/subscription/changes/preview') return json(200, this.preview(body as ChangeRequest));
      if (route === 'POST /v1/subscription/changes') {
        return json(200, this.commit(body as CommitChangeRequest, headers));
      }
      const cancel = /^DELETE \/v1\/subscription\/scheduled-changes\/([^/]+)$/.exec(route);
      if (cancel) return json(200, this.cancel(decodeURIComponent(cancel[1]!), headers));
      if (route.startsWith('GET /v1/invoices') && this.#options.viewInvoices === false) {
        throw new ProblemError(403, 'forbidden', 'Not allowed', 'This user may not view invoices.');
      }
      if (route === 'GET /v1/invoices') return json(200, this.invoices(query));
      const invoice = /^GET \/v1\/invoices\/([^/]+)(\/pdf)?$/.exec(route);
      if (invoice) {
        const id = decodeURIComponent(invoice[1]!);
        return json(200, invoice[2] ? this.invoicePdf(id) : this.invoice(id));
      }
      if (route === 'GET /v1/payment-methods') return json(200, { data: this.paymentMethods() });
      if (route === 'POST /v1/payment-methods/setup') {
        return this.#idempotently(route, headers, body, () => this.setupPaymentMethod(body));
      }
      const makeDefault = /^POST \/v1\/payment-methods\/([^/]+)\/default$/.exec(route);
      if (makeDefault) {
        return this.#idempotently(route, headers, body, () => ({ data: this.setDefaultPaymentMethod(decodeURIComponent(makeDefault[1]!)) }));
      }
      const remove = /^DELETE \/v1\/payment-methods\/([^/]+)$/.exec(route);
      if (remove) {
        return this.#idempotently(route, headers, body, () => ({ data: this.removePaymentMethod(decodeURIComponent(remove[1]!)) }));
      }
      throw new ProblemError(404, 'not_found', 'Not found', `The story's endpoint does not answer ${route}.`);
    } catch (error) {
      if (error instanceof ProblemError) return error.toResponse();
      if (error instanceof BillingEngineError) return problemOf(error).toResponse();
      throw error;
    }
  }

  // --- Reads ------------------------------------------------------------------------------

  subscription(): Subscription {
    const standing = this.#standing();
    const readOnly = this.#options.readOnly ?? false;
    const { trialEnd } = this.#options;
    const trialEnds = standing.status !== 'trialing' ? null : trialEnd === undefined ? this.#period.end : Date.parse(trialEnd);
    // The permissions are the host's (the story's options), put on the engine's facts as the handler does.
    const permissions = {
      changePlan: !readOnly,
      manageModules: !readOnly,
      managePaymentMethods: !readOnly,
      viewInvoices: this.#options.viewInvoices ?? true,
    };
    return { ...subscriptionOf({ ...standing, id: 'sub_demo', trialEnd: trialEnds, version: String(this.#version) }, this.#wording), permissions };
  }

  plans(): Plan[] {
    return [...this.#plans]
      .sort((a, b) => a.rank - b.rank)
      .map((plan): Plan => ({
        id: plan.id,
        name: plan.name,
        description: plan.description[this.#language],
        rank: plan.rank,
        prices: (['month', 'year'] as const).map((interval) => ({ interval, price: money(plan.prices[interval]) })),
        limits: Object.entries(plan.limits).map(([metricKey, limit]) => ({ metricKey, limit })),
        includedModuleIds: [...plan.includedModuleIds],
        change: offeredPlanChange(this.#offer, this.#holding, this.#pending, plan.id),
      }));
  }

  modules(): Module[] {
    return moduleStandings(this.#offer, this.#holding, this.#pending).map((standing) => {
      const module = this.#modules.find((candidate) => candidate.id === standing.id)!;
      const words = { name: module.name[this.#language], description: module.description[this.#language] };
      return moduleOf(standing, CURRENCY, words, {
        ...(module.lastUsedAt === undefined ? {} : { lastUsedAt: module.lastUsedAt }),
        ...(module.usageCount30d === undefined ? {} : { usageCount30d: module.usageCount30d }),
      });
    });
  }

  usage(): UsageMetric[] {
    const limits = this.#offer.plans.get(this.#holding.planId)!.limits;
    return this.#usage.map((metric) => ({
      ...metric,
      ...(this.#limitsFromPlan && limits.has(metric.metricKey) ? { limit: limits.get(metric.metricKey) ?? null } : {}),
      ...(this.#language === 'fr' && metricNamesFr[metric.metricKey] ? { name: metricNamesFr[metric.metricKey]! } : {}),
    }));
  }

  // --- Invoices ---------------------------------------------------------------------------

  /**
   * A page of invoices, newest first (by issue date, then id), without their lines: `status`,
   * `from` (included) and `to` (excluded) filter on the issue date; `nextCursor` is opaque and
   * names the last invoice of the page, so a page follows on from it whatever was issued since.
   */
  invoices(query: URLSearchParams): InvoicePage {
    const limit = query.has('limit') ? Number(query.get('limit')) : INVOICE_PAGE_DEFAULT;
    if (!Number.isInteger(limit) || limit < 1 || limit > INVOICE_PAGE_MAX) {
      throw invalid('query.limit', `must be a whole number from 1 to ${INVOICE_PAGE_MAX}`);
    }
    const status = query.get('status');
    if (status !== null && !INVOICE_STATUSES.includes(status as InvoiceStatus)) {
      throw invalid('query.status', `must be one of ${INVOICE_STATUSES.join(', ')}`);
    }
    const instant = (name: 'from' | 'to') => {
      const value = query.get(name);
      if (value === null) return null;
      if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value) || Number.isNaN(Date.parse(value))) {
        throw invalid(`query.${name}`, 'must be an RFC 3339 instant in UTC');
      }
      return Date.parse(value);
    };
    const from = instant('from');
    const to = instant('to');
    const cursor = query.has('cursor') ? decodeCursor(query.get('cursor')!) : null;
    const matching = [...this.#invoices].sort(newestFirst).filter((invoice) => {
      const issuedAt = Date.parse(invoice.issuedAt);
      return (
        (status === null || invoice.status === status) &&
        (from === null || issuedAt >= from) &&
        (to === null || issuedAt < to) &&
        (cursor === null || newestFirst(cursor, invoice) < 0)
      );
    });
    const page = matching.slice(0, limit);
    const last = page.at(-1);
    return {
      data: page.map(({ lines: _lines, ...invoice }) => invoice),
      nextCursor: matching.length > limit && last ? encodeCursor(last) : null,
    };
  }

  /** One invoice with its lines. */
  invoice(id: string): Invoice {
    const invoice = this.#invoices.find((candidate) => candidate.id === id);
    if (!invoice) throw new ProblemError(404, 'not_found', 'Not found', `There is no invoice "${id}".`);
    return structuredClone(invoice);
  }

  /** A short-lived link to the invoice's PDF (here the same specimen for all, named after the invoice). */
  invoicePdf(id: string): InvoicePdfLink {
    const invoice = this.invoice(id);
    if (!invoice.hasPdf) throw new ProblemError(404, 'not_found', 'Not found', `Invoice ${invoice.number} has no PDF.`);
    const expiresAt = toInstant(NOW + PDF_LINK_TTL_MS);
    const signature = `sig_${invoice.id}_${Date.parse(expiresAt) / 1000}`;
    const url = `${specimenPdfUrl}?invoice=${encodeURIComponent(invoice.number)}&expires=${encodeURIComponent(expiresAt)}&signature=${signature}`;
    return { url, expiresAt };
  }

  // --- Payment methods --------------------------------------------------------------------

  paymentMethods(): PaymentMethod[] {
    return this.#paymentMethods.map(copyPaymentMethod);
  }

  /** Opens a session to add a card or a mandate: the endpoint's payment provider collects it, never the element. */
  setupPaymentMethod(body: unknown): SetupSession {
    this.#checkMayManagePaymentMethods();
    const returnUrl = (body as { returnUrl?: unknown } | undefined)?.returnUrl;
    if (typeof returnUrl !== 'string' || returnUrl === '') throw invalid('body.returnUrl', 'is required');
    const session = `seti_story_${++this.#sequence}`;
    if (this.#options.setupSession === 'redirect') {
      return {
        kind: 'redirect',
        url: `https://billing.example.com/setup/${session}?return_url=${encodeURIComponent(returnUrl)}`,
        expiresAt: toInstant(NOW + 60 * 60_000),
      };
    }
    // Made-up values in the shape of a payment provider's (not keys of any account).
    return { kind: 'client_secret', provider: 'stripe', clientSecret: `${session}_secret_storybook`, publishableKey: 'pk_test_storybook' };
  }

  setDefaultPaymentMethod(id: string): PaymentMethod[] {
    this.#checkMayManagePaymentMethods();
    if (!this.#paymentMethods.some((method) => method.id === id)) {
      throw new ProblemError(404, 'not_found', 'Not found', `There is no payment method "${id}".`);
    }
    this.#paymentMethods = this.#paymentMethods.map((method) => ({ ...method, isDefault: method.id === id }));
    return this.paymentMethods();
  }

  /** Removes a method; never the default, which pays the subscription (the reference engine's rule). */
  removePaymentMethod(id: string): PaymentMethod[] {
    this.#checkMayManagePaymentMethods();
    const method = this.#paymentMethods.find((candidate) => candidate.id === id);
    if (!method) throw new ProblemError(404, 'not_found', 'Not found', `There is no payment method "${id}".`);
    if (method.isDefault) {
      throw refuse('change_not_allowed', 'The default payment method pays the subscription: make another one the default first.');
    }
    this.#paymentMethods = this.#paymentMethods.filter((candidate) => candidate !== method);
    return this.paymentMethods();
  }

  #checkMayManagePaymentMethods(): void {
    if (this.#options.readOnly) throw new ProblemError(403, 'forbidden', 'Forbidden', 'This user may not manage payment methods.');
  }

  /**
   * A payment-method mutation under its `Idempotency-Key` (required): the same key and
   * request again replays the stored answer; the same key with another request is refused.
   */
  #idempotently(route: string, headers: Headers, body: unknown, run: () => unknown): Response {
    const key = headers.get('Idempotency-Key');
    if (!key) throw invalid('header.Idempotency-Key', 'is required');
    const request = JSON.stringify({ route, body: body ?? null });
    const stored = this.#idempotent.get(key);
    if (stored) {
      if (stored.request !== request) {
        throw new ProblemError(422, 'idempotency_key_reused', 'Idempotency key reused', 'This Idempotency-Key was sent with another request.');
      }
      return json(200, stored.body, { 'Idempotent-Replayed': 'true' });
    }
    const answer = run();
    this.#idempotent.set(key, { request, body: answer });
    return json(200, answer);
  }

  // --- Changes ----------------------------------------------------------------------------

  preview(request: ChangeRequest): ChangePreview {
    const standing = this.#standing();
    const evaluation = evaluateChange(standing, request, NOW, this.#wording);
    const token = `pvw_${this.#version}_${++this.#sequence}`;
    this.#previews.set(token, { version: String(this.#version), request: digest(request) });
    return {
      previewToken: token,
      expiresAt: toInstant(NOW + PREVIEW_TTL_MS),
      basedOnVersion: String(this.#version),
      ...previewFigures(standing, request, evaluation, this.#wording),
    };
  }

  commit(request: CommitChangeRequest, headers: Headers): { subscription: Subscription; invoice: Invoice | null } {
    this.#checkWritable(headers);
    if (request.previewToken !== undefined) {
      const claims = this.#previews.get(request.previewToken);
      if (!claims || claims.request !== digest(request)) {
        throw new ProblemError(400, 'validation_failed', 'Invalid request', 'body.previewToken was not issued for this change.', {
          fieldErrors: [{ field: 'body.previewToken', message: 'was not issued for this change' }],
        });
      }
      if (claims.version !== String(this.#version)) {
        throw new ProblemError(409, 'preview_stale', 'Preview stale', 'The subscription changed since the preview.');
      }
    }
    const standing = this.#standing();
    const evaluation = evaluateChange(standing, request, NOW, this.#wording);
    checkPayable(standing, evaluation, NOW);
    this.#version += 1;
    this.#pending = evaluation.keptSchedule;
    const { settlement, newPeriod } = evaluation;
    if (settlement === null) {
      this.#schedule(evaluation.change);
      return { subscription: this.subscription(), invoice: null };
    }
    if (evaluation.change.type === 'plan') this.#limitsFromPlan = true;
    this.#holding = evaluation.holding;
    this.#creditBalance = settlement.balanceAfter;
    if (newPeriod) {
      this.#period = newPeriod;
      this.#anchor = newPeriod.start;
    }
    const invoice = settlement.net > 0 ? this.#issue(settlement, { start: NOW, end: this.#period.end }) : null;
    return { subscription: this.subscription(), invoice };
  }

  /** Issues an invoice for what a change costs now, charged at once to the default method when it can be (as the engine does). */
  #issue(settlement: Settlement, period: Span): Invoice {
    const terms = invoiceTerms(settlement, () => this.#charge(NOW), NOW);
    const identity = this.#nextNumber(NOW);
    const invoice: Invoice = {
      ...identity,
      status: terms.status,
      issuedAt: toInstant(NOW),
      dueAt: toInstant(terms.dueAt),
      periodStart: toInstant(period.start),
      periodEnd: toInstant(period.end),
      total: money(settlement.dueNow),
      amountDue: money(terms.amountDueMinor),
      lines: settlement.lines.map((line) => describedLine(line, this.#wording)),
      hostedUrl: terms.status === 'open' ? payLink(identity.id) : null,
      hasPdf: true,
    };
    // Listed from now on, newest first, for the invoice table.
    this.#invoices.unshift(structuredClone(invoice));
    return invoice;
  }

  /** Id and number of the next invoice issued at `at`: numbered per calendar year, like the history. */
  #nextNumber(at: number): Pick<Invoice, 'id' | 'number'> {
    const year = new Date(at).getUTCFullYear();
    const count = this.#invoices.filter((invoice) => invoice.number.startsWith(`F-${year}-`)).length;
    return invoiceIdentity(year, count + 1);
  }

  cancel(id: string, headers: Headers): Subscription {
    this.#checkWritable(headers);
    const index = this.#pending.findIndex((pending) => pending.id === id);
    if (index < 0) throw new ProblemError(404, 'not_found', 'Not found', 'No such scheduled change.');
    this.#pending.splice(index, 1);
    this.#version += 1;
    return this.subscription();
  }

  #checkWritable(headers: Headers): void {
    if (this.#options.readOnly) throw new ProblemError(403, 'forbidden', 'Forbidden', 'This user may not change the subscription.');
    if (this.#options.changedElsewhere && !this.#changedElsewhere) {
      this.#changedElsewhere = true;
      this.#version += 1;
    }
    const ifMatch = headers.get('If-Match');
    if (ifMatch === null) {
      throw new ProblemError(428, 'precondition_required', 'Precondition required', 'Send If-Match with the subscription version.');
    }
    if (ifMatch.replace(/^"|"$/g, '') !== String(this.#version)) {
      throw new ProblemError(412, 'version_conflict', 'Version conflict', 'The subscription changed since it was read.', {
        current: this.subscription(),
      });
    }
  }

  /** The subscription as the billing core's change rules see it. */
  #standing(): SubscriptionStanding {
    return {
      offer: this.#offer,
      status: this.#options.status ?? 'active',
      holding: this.#holding,
      pending: this.#pending,
      period: this.#period,
      anchor: this.#anchor,
      creditBalance: this.#creditBalance,
      usage: () => this.#usage,
      charge: (at) => this.#charge(at),
    };
  }

  /** What charging the default payment method would do (an expired card cannot be charged). */
  #charge(at: number): ChargeOutcome {
    const method = this.#paymentMethods.find((candidate) => candidate.isDefault);
    return chargeOutcome(method && { expMonth: method.card?.expMonth ?? null, expYear: method.card?.expYear ?? null, declines: false }, at);
  }

  /** Schedules `change` for the end of the period; a new plan change replaces the one before it. */
  #schedule(change: HoldingChange): void {
    if (change.type === 'plan') this.#pending = this.#pending.filter((pending) => pending.change.type !== 'plan');
    this.#pending.push({ id: `sch_${++this.#sequence}`, change });
  }
}

// --- Invoices and payment methods ----------------------------------------------------------

const INVOICE_STATUSES: InvoiceStatus[] = ['draft', 'open', 'paid', 'void', 'uncollectible'];

/** A 400 for a bad query parameter, header or body field, as the reference server words it. */
const invalid = (field: string, message: string) =>
  new ProblemError(400, 'validation_failed', 'Invalid request', `${field} ${message}.`, { fieldErrors: [{ field, message }] });

type InvoiceKey = Pick<Invoice, 'issuedAt' | 'id'>;

/** Newest first: by issue date, then by id (an invoice register never issues two at once, but the order must be total). */
function newestFirst(a: InvoiceKey, b: InvoiceKey): number {
  const byDate = Date.parse(b.issuedAt) - Date.parse(a.issuedAt);
  return byDate !== 0 ? byDate : b.id < a.id ? -1 : b.id > a.id ? 1 : 0;
}

/** The cursor names the last invoice of a page; opaque to clients (base64url of JSON). */
function encodeCursor({ issuedAt, id }: InvoiceKey): string {
  return btoa(JSON.stringify([issuedAt, id])).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function decodeCursor(cursor: string): InvoiceKey {
  try {
    const [issuedAt, id] = JSON.parse(atob(cursor.replaceAll('-', '+').replaceAll('_', '/'))) as unknown[];
    if (typeof issuedAt === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(issuedAt))) return { issuedAt, id };
  } catch {
    // Not base64 or not JSON: refused below like any other cursor this endpoint did not return.
  }
  throw invalid('query.cursor', 'is not a cursor this endpoint returned');
}

const copyPaymentMethod = (method: PaymentMethod): PaymentMethod => ({ ...method, ...(method.card ? { card: { ...method.card } } : {}) });


/** Age (in months before the current period) of the first invoice on Pro, which carries the upgrade's prorations. */
const UPGRADE_INVOICE_AGE = 8;
/** The upgrade to Pro, 16 days into the period before that invoice's. */
const UPGRADE_DAYS_INTO_PERIOD = 16;
/** Age of the invoice voided (a month waived after an outage). */
const VOID_INVOICE_AGE = 10;

/** The pay page of an open invoice: a page that does not exist (`payUrl` keeps a story's click in its frame). */
const payLink = (invoiceId: string) => `https://billing.example.com/invoices/${invoiceId}/pay`;

/** `items` with those of `demo` it lacks (by id) after them. */
const withDemo = <T extends { id: string }>(items: T[], demo: T[]): T[] => [
  ...items,
  ...demo.filter((item) => !items.some((candidate) => candidate.id === item.id)),
];

/**
 * The demo business's invoices, one per monthly period, the newest (age 0) for the current
 * period, newest first. Like the reference seed: Essentiel with E-signature at first; an
 * upgrade to Pro 16 days into a period, credited and charged for the rest of that period on
 * the next invoice (the only one with proration lines); Accounting export from the month
 * after; the invoice of ten months ago voided; the current one open (not yet collected), with
 * a hosted page to pay it. Lines and prorations are the billing core's; every total is the
 * sum of its lines.
 */
export function invoiceHistory(count: number, language: CatalogLanguage, plans: CatalogPlan[], modules: CatalogModule[]): Invoice[] {
  // The history is the demo business's: its plans and modules, even when a story offers another catalog.
  const offer = catalogOffer(withDemo(plans, catalogPlans), withDemo(modules, catalogModules), language);
  const wording = wordingFor(offer, language);
  const current = Date.parse(PERIOD_START);
  const periodAgo = (age: number): Span => ({ start: addMonths(current, -age), end: addMonths(current, 1 - age) });
  const heldAt = (age: number): Holding => ({
    planId: age > UPGRADE_INVOICE_AGE ? 'essentiel' : 'pro',
    interval: 'month',
    paidModuleIds: age < UPGRADE_INVOICE_AGE ? ['e-signature', 'accounting-export'] : ['e-signature'],
  });

  const sequences = new Map<number, number>();
  const invoices: Invoice[] = [];
  for (let age = count - 1; age >= 0; age--) {
    const period = periodAgo(age);
    const lines: InvoiceLine[] = [];
    if (age === UPGRADE_INVOICE_AGE) {
      const before = periodAgo(age + 1);
      const upgradedAt = before.start + UPGRADE_DAYS_INTO_PERIOD * DAY_MS;
      lines.push(...changeLines(offer, heldAt(age + 1), heldAt(age), before, upgradedAt, wording).lines);
    }
    lines.push(...recurringLines(offer, heldAt(age), period, wording));
    const total = lines.reduce((sum, each) => sum + each.amount.amountMinor, 0);
    const status: InvoiceStatus = age === 0 ? 'open' : age === VOID_INVOICE_AGE ? 'void' : 'paid';
    const year = new Date(period.start).getUTCFullYear();
    const sequence = (sequences.get(year) ?? 0) + 1;
    sequences.set(year, sequence);
    const identity = invoiceIdentity(year, sequence);
    invoices.unshift({
      ...identity,
      status,
      issuedAt: toInstant(period.start),
      dueAt: toInstant(period.start + PAYMENT_TERMS_MS),
      periodStart: toInstant(period.start),
      periodEnd: toInstant(period.end),
      total: money(total),
      amountDue: money(status === 'open' ? total : 0),
      lines,
      hostedUrl: status === 'open' ? payLink(identity.id) : null,
      hasPdf: true,
    });
  }
  return invoices;
}

const digest = (request: ChangeRequest): string => JSON.stringify({ timing: request.timing, change: request.change });

/** A 200 body that breaks the contract: what a misconfigured proxy or an old server might send. */
function invalidBody(path: string): unknown {
  switch (path) {
    case '/v1/usage':
      // `used` as a string and `limit` missing.
      return { data: [{ metricKey: 'documents', name: 'Documents', unit: 'document', used: '870' }] };
    case '/v1/plans':
      // Prices as decimal euros instead of minor units.
      return { data: [{ id: 'pro', name: 'Pro', rank: 2, prices: [{ interval: 'month', price: { amount: 49.0, currency: 'EUR' } }] }] };
    case '/v1/modules':
      return { data: [{ id: 'e-signature', name: 'E-signature', state: 'enabled', price: 9 }] };
    case '/v1/invoices':
      // Dates as day numbers and the total in euros, and `cursor` for `nextCursor`.
      return { data: [{ id: 'inv_2026_0011', number: 'F-2026-0011', status: 'open', issuedAt: 1794614400, total: 70 }], cursor: null };
    case '/v1/payment-methods':
      // The last four digits as a number and no `isDefault`.
      return { data: [{ id: 'pm_demo_visa', type: 'card', card: { brand: 'visa', last4: 4242, expMonth: 11, expYear: 2026 } }] };
    default:
      // A subscription without a version, its plan as a bare id.
      return { id: 'sub_demo', status: 'active', plan: 'pro' };
  }
}
