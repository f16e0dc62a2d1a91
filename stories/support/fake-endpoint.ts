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
  type ChangeWarning,
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
  type ScheduledChange,
  type SetupSession,
  type Subscription,
  type Timing,
  type UsageMetric,
} from '../../src/index.js';
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
   */
  fail?: 'server-error' | 'invalid-response';
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
  /** The plans offered (default: Essentiel, Pro, Entreprise). */
  plans?: CatalogPlan[];
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

// --- Money and time -------------------------------------------------------------------------

const CURRENCY = 'EUR';
const money = (amountMinor: number): Money => ({ amountMinor, currency: CURRENCY });
/** The fake's clock stands still at the fixtures' now, so every preview and screenshot is the same. */
const NOW = Date.parse(AS_OF);
const PREVIEW_TTL_MS = 15 * 60_000;
const DAY_MS = 86_400_000;
const PAYMENT_TERMS_MS = 30 * DAY_MS;
/** How long a signed PDF link lasts. */
const PDF_LINK_TTL_MS = 5 * 60_000;
const toInstant = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

interface Span {
  start: number;
  end: number;
}

/** Adds calendar months in UTC, clamping to the end of a shorter month. */
function addMonths(ms: number, months: number): number {
  const date = new Date(ms);
  const target = new Date(ms);
  target.setUTCDate(1);
  target.setUTCMonth(date.getUTCMonth() + months);
  const daysInTarget = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), daysInTarget));
  return target.getTime();
}

const periodAfter = (start: number, interval: Interval): Span => ({ start, end: addMonths(start, interval === 'year' ? 12 : 1) });

/** The part of a price for `period` that covers what is left of it at `at`, rounded half up (the reference engine's rule). */
function shareOfRemaining(amountMinor: number, period: Span, at: number): number {
  const remaining = Math.max(0, period.end - Math.max(at, period.start));
  return Math.round((amountMinor * remaining) / (period.end - period.start));
}

// --- What the subscription holds, and how changes move it -----------------------------------

interface Holding {
  planId: string;
  interval: Interval;
  /** Paid modules, in catalog order; never one the plan includes. */
  paidModuleIds: string[];
}

type HoldingChange =
  | { type: 'plan'; planId: string; interval: Interval }
  | { type: 'module'; moduleId: string; action: 'activate' | 'deactivate' };

interface Scheduled {
  view: ScheduledChange;
  change: HoldingChange;
}

interface Item {
  kind: 'plan' | 'module';
  id: string;
  name: string;
  amountMinor: number;
}

const lineTexts = {
  en: {
    unused: (name: string) => `Unused time on ${name}`,
    remaining: (name: string) => `Remaining time on ${name}`,
    toCredit: 'Added to your credit balance',
    creditApplied: 'Credit balance applied',
  },
  fr: {
    unused: (name: string) => `Temps non utilisé sur ${name}`,
    remaining: (name: string) => `Temps restant sur ${name}`,
    toCredit: 'Ajouté à votre solde créditeur',
    creditApplied: 'Solde créditeur déduit',
  },
};

/**
 * A small, stateful stand-in for the billing endpoint, in memory, following the reference
 * engine's rules (CONTRACT.md): plans and modules described relative to what the
 * subscription holds, upgrades now and downgrades at period end by default, proration on
 * the exact remaining time with credits and charges as separate lines, modules that lose a
 * requirement removed with a warning, scheduled changes, versions with `If-Match` and
 * preview tokens; invoices paged with an opaque cursor (an immediate change that costs money
 * adds one), and payment methods with idempotent mutations. Its clock stands still at the
 * fixtures' now.
 */
export class FakeEndpoint {
  readonly #options: FakeEndpointOptions;
  readonly #plans: CatalogPlan[];
  readonly #modules: CatalogModule[];
  readonly #language: CatalogLanguage;
  #holding: Holding;
  #period: Span;
  #scheduled: Scheduled[] = [];
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

  constructor(options: FakeEndpointOptions = {}) {
    this.#options = options;
    this.#plans = options.plans ?? catalogPlans;
    this.#modules = options.modules ?? catalogModules;
    this.#language = options.language ?? 'en';
    const interval = options.interval ?? 'month';
    this.#holding = this.#normalised({
      planId: options.planId ?? 'pro',
      interval,
      paidModuleIds: options.moduleIds ?? seededModuleIds,
    });
    this.#period = periodAfter(Date.parse(PERIOD_START), interval);
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
      if (this.#options.fail === 'server-error') {
        throw new ProblemError(500, 'internal', 'Internal error', 'The billing engine failed to answer.');
      }
      if (this.#options.fail === 'invalid-response' && method === 'GET') return json(200, invalidBody(path));
      const route = `${method} ${path}`;
      if (route === 'GET /v1/subscription') {
        return json(200, this.subscription(), { ETag: `"${this.#version}"` });
      }
      if (route === 'GET /v1/plans') return json(200, { data: this.plans() });
      if (route === 'GET /v1/modules') return json(200, { data: this.modules() });
      if (route === 'GET /v1/usage') return json(200, { data: this.usage() });
      if (route === 'POST /v1/subscription/changes/preview') return json(200, this.preview(body as ChangeRequest));
      if (route === 'POST /v1/subscription/changes') {
        return json(200, this.commit(body as CommitChangeRequest, headers));
      }
      const cancel = /^DELETE \/v1\/subscription\/scheduled-changes\/([^/]+)$/.exec(route);
      if (cancel) return json(200, this.cancel(decodeURIComponent(cancel[1]!), headers));
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
      throw error;
    }
  }

  // --- Reads ------------------------------------------------------------------------------

  subscription(): Subscription {
    const plan = this.#plan(this.#holding.planId);
    const projected = this.#projected();
    const readOnly = this.#options.readOnly ?? false;
    return {
      id: 'sub_demo',
      status: this.#options.status ?? 'active',
      plan: { id: plan.id, name: plan.name },
      interval: this.#holding.interval,
      currentPeriod: { start: toInstant(this.#period.start), end: toInstant(this.#period.end) },
      trialEnd: this.#options.status === 'trialing' ? (this.#options.trialEnd ?? toInstant(this.#period.end)) : null,
      // Every module in effect, paid or included; Module.state tells which.
      activeModuleIds: this.#inEffect(this.#holding),
      scheduledChanges: this.#scheduled.map((scheduled) => ({ ...scheduled.view })),
      nextInvoice: this.#upcoming(projected, this.#period.end, this.#creditBalance),
      creditBalance: money(this.#creditBalance),
      permissions: {
        changePlan: !readOnly,
        manageModules: !readOnly,
        managePaymentMethods: !readOnly,
        viewInvoices: true,
      },
      version: String(this.#version),
    };
  }

  plans(): Plan[] {
    const current = this.#plan(this.#holding.planId);
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
        change:
          plan.id === current.id
            ? { direction: 'current', allowedTimings: [], defaultTiming: null }
            : plan.rank > current.rank
              ? { direction: 'upgrade', allowedTimings: ['now', 'period_end'], defaultTiming: 'now' }
              : plan.rank < current.rank
                ? { direction: 'downgrade', allowedTimings: ['now', 'period_end'], defaultTiming: 'period_end' }
                : { direction: 'lateral', allowedTimings: ['now', 'period_end'], defaultTiming: 'now' },
      }));
  }

  modules(): Module[] {
    const holding = this.#holding;
    const inEffect = new Set(this.#inEffect(holding));
    const atPeriodEnd = new Set(this.#inEffect(this.#projected()));
    const deactivating = new Set(this.#scheduled.map((scheduled) => scheduled.view.moduleId));
    const included = this.#plan(holding.planId).includedModuleIds;
    return this.#modules.map((module): Module => {
      const isIncluded = included.includes(module.id);
      const held = isIncluded ? 'included' : holding.paidModuleIds.includes(module.id) ? 'active' : 'inactive';
      // What the scheduled changes will do at the end of the period shows through.
      const state: Module['state'] =
        inEffect.has(module.id) && !atPeriodEnd.has(module.id)
          ? 'deactivation_scheduled'
          : !inEffect.has(module.id) && atPeriodEnd.has(module.id)
            ? 'activation_scheduled'
            : held;
      const reasons: Module['unavailableReasons'] = [];
      if (module.anyOfPlans?.length && !module.anyOfPlans.includes(holding.planId)) reasons.push('plan_required');
      if (module.allOfModules?.some((id) => !inEffect.has(id))) reasons.push('module_required');
      if (module.monthly === null && held === 'inactive') reasons.push('not_for_sale');
      const price = this.#modulePrice(module, holding.interval);
      return {
        id: module.id,
        name: module.name[this.#language],
        description: module.description[this.#language],
        price: price === null ? null : money(price),
        ...(price === null ? {} : { interval: holding.interval }),
        state,
        requires: {
          ...(module.anyOfPlans?.length ? { anyOfPlans: [...module.anyOfPlans] } : {}),
          ...(module.allOfModules?.length ? { allOfModules: [...module.allOfModules] } : {}),
        },
        available: reasons.length === 0,
        unavailableReasons: reasons,
        dependentModuleIds: [...inEffect].filter((id) => this.#module(id)?.allOfModules?.includes(module.id)),
        ...(module.lastUsedAt === undefined ? {} : { lastUsedAt: module.lastUsedAt }),
        ...(module.usageCount30d === undefined ? {} : { usageCount30d: module.usageCount30d }),
        allowedTimings: isIncluded
          ? { activate: [], deactivate: [] }
          : { activate: ['now'], deactivate: deactivating.has(module.id) ? ['now'] : ['now', 'period_end'] },
      };
    });
  }

  usage(): UsageMetric[] {
    const limits = this.#plan(this.#holding.planId).limits;
    return this.#usage.map((metric) => ({
      ...metric,
      ...(this.#limitsFromPlan && metric.metricKey in limits ? { limit: limits[metric.metricKey] ?? null } : {}),
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
    const evaluation = this.#evaluate(request);
    const token = `pvw_${this.#version}_${++this.#sequence}`;
    this.#previews.set(token, { version: String(this.#version), request: digest(request) });
    return {
      previewToken: token,
      expiresAt: toInstant(NOW + PREVIEW_TTL_MS),
      basedOnVersion: String(this.#version),
      timing: request.timing,
      effectiveAt: toInstant(evaluation.effectiveAt),
      lines: evaluation.settlement?.lines ?? [],
      dueNow: money(evaluation.settlement?.dueNow ?? 0),
      nextInvoice: { date: evaluation.nextInvoice.date, total: evaluation.nextInvoice.total },
      // The configuration after the change at list price, as the contract's `recurring` says.
      recurring: {
        interval: evaluation.after.interval,
        total: money(this.#items(evaluation.after).reduce((sum, item) => sum + item.amountMinor, 0)),
      },
      warnings: evaluation.warnings,
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
    const evaluation = this.#evaluate(request);
    this.#version += 1;
    const { settlement } = evaluation;
    if (settlement === null) {
      this.#schedule(evaluation.change);
      return { subscription: this.subscription(), invoice: null };
    }
    if (evaluation.change.type === 'plan') this.#limitsFromPlan = true;
    this.#holding = evaluation.holding;
    this.#scheduled = evaluation.keptSchedule;
    this.#creditBalance = settlement.balanceAfter;
    const period = evaluation.newPeriod ?? { start: NOW, end: this.#period.end };
    if (evaluation.newPeriod) this.#period = evaluation.newPeriod;
    const invoice: Invoice | null =
      settlement.net > 0
        ? {
            ...this.#nextNumber(NOW),
            // The fake, like the reference engine, charges the default card at once.
            status: 'paid',
            issuedAt: toInstant(NOW),
            dueAt: toInstant(NOW + PAYMENT_TERMS_MS),
            periodStart: toInstant(period.start),
            periodEnd: toInstant(period.end),
            total: money(settlement.dueNow),
            amountDue: money(0),
            lines: settlement.lines,
            hostedUrl: null,
            hasPdf: true,
          }
        : null;
    // Listed from now on, newest first, for the invoice table.
    if (invoice) this.#invoices.unshift(structuredClone(invoice));
    return { subscription: this.subscription(), invoice };
  }

  /** Id and number of the next invoice issued at `at`: numbered per calendar year, like the history. */
  #nextNumber(at: number): Pick<Invoice, 'id' | 'number'> {
    const year = new Date(at).getUTCFullYear();
    const count = this.#invoices.filter((invoice) => invoice.number.startsWith(`F-${year}-`)).length;
    return invoiceIdentity(year, count + 1);
  }

  cancel(id: string, headers: Headers): Subscription {
    this.#checkWritable(headers);
    const index = this.#scheduled.findIndex((scheduled) => scheduled.view.id === id);
    if (index < 0) throw new ProblemError(404, 'not_found', 'Not found', 'No such scheduled change.');
    this.#scheduled.splice(index, 1);
    this.#version += 1;
    return this.subscription();
  }

  #checkWritable(headers: Headers): void {
    if (this.#options.readOnly) throw new ProblemError(403, 'forbidden', 'Forbidden', 'This user may not change the subscription.');
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

  /** What a change does, the same way for a preview and a commit (the reference engine's `evaluate`). */
  #evaluate(request: ChangeRequest) {
    const holding = this.#holding;
    const change: HoldingChange =
      request.change.type === 'plan'
        ? { type: 'plan', planId: request.change.planId, interval: request.change.interval ?? holding.interval }
        : { type: 'module', moduleId: request.change.moduleId, action: request.change.action };
    this.#check(change, request.timing);

    if (request.timing === 'period_end') {
      const keptSchedule = this.#scheduled.filter((scheduled) => !(change.type === 'plan' && scheduled.change.type === 'plan'));
      const before = keptSchedule.reduce((current, scheduled) => this.#apply(current, scheduled.change), holding);
      const after = this.#apply(before, change);
      return {
        change,
        effectiveAt: this.#period.end,
        holding,
        newPeriod: null,
        settlement: null,
        keptSchedule,
        warnings: this.#warnings(before, after, change),
        nextInvoice: this.#upcoming(after, this.#period.end, this.#creditBalance),
        after,
      };
    }

    const after = this.#apply(holding, change);
    const { lines, newPeriod } = this.#changeLines(holding, after, NOW);
    const settlement = this.#settle(lines, this.#creditBalance);
    // A plan chosen now overrides the one scheduled; modules gone now need no scheduled stop.
    const keptSchedule = this.#scheduled.filter((scheduled) =>
      scheduled.change.type === 'plan'
        ? change.type !== 'plan'
        : after.paidModuleIds.includes(scheduled.change.moduleId),
    );
    const projected = keptSchedule.reduce((current, scheduled) => this.#apply(current, scheduled.change), after);
    return {
      change,
      effectiveAt: NOW,
      holding: after,
      newPeriod,
      settlement,
      keptSchedule,
      warnings: this.#warnings(holding, after, change),
      nextInvoice: this.#upcoming(projected, newPeriod?.end ?? this.#period.end, settlement.balanceAfter),
      after,
    };
  }

  #check(change: HoldingChange, timing: Timing): void {
    const holding = this.#holding;
    if (change.type === 'plan') {
      const target = this.#plans.find((plan) => plan.id === change.planId);
      if (!target) throw refuse('plan_not_available', `There is no plan "${change.planId}".`);
      if (target.id === holding.planId && change.interval === holding.interval) {
        throw refuse('change_not_allowed', 'This is already the current plan.');
      }
      const pending = this.#scheduled.find((scheduled) => scheduled.change.type === 'plan');
      if (timing === 'period_end' && pending?.view.toPlanId === change.planId && pending.view.toInterval === change.interval) {
        throw refuse('change_not_allowed', 'This plan change is already scheduled.');
      }
      return;
    }
    const module = this.#module(change.moduleId);
    if (!module) throw refuse('change_not_allowed', `There is no module "${change.moduleId}".`);
    const name = module.name[this.#language];
    const included = this.#plan(holding.planId).includedModuleIds.includes(module.id);
    const paid = holding.paidModuleIds.includes(module.id);
    const deactivationScheduled = this.#scheduled.some((scheduled) => scheduled.view.moduleId === module.id);
    if (change.action === 'activate') {
      if (included) throw refuse('change_not_allowed', `${name} comes with the current plan.`);
      if (paid) throw refuse('change_not_allowed', `${name} is already active.`);
      if (module.monthly === null) throw refuse('change_not_allowed', `${name} is not sold on its own.`);
      if (timing !== 'now') throw refuse('timing_not_supported', 'A module can only be activated now.');
      const missing = this.#missing(holding, module.id);
      if (missing) {
        throw new ProblemError(422, 'module_requirements_not_met', 'Requirements not met', `${name} needs another plan or module.`, {
          missing,
        });
      }
      return;
    }
    if (included) throw refuse('change_not_allowed', `${name} comes with the current plan and goes with it.`);
    if (!paid) throw refuse('change_not_allowed', `${name} is not active.`);
    if (timing === 'period_end' && deactivationScheduled) {
      throw refuse('change_not_allowed', `${name} is already scheduled to stop at the end of the period.`);
    }
  }

  #warnings(before: Holding, after: Holding, change: HoldingChange): ChangeWarning[] {
    const warnings: ChangeWarning[] = [];
    if (before.planId !== after.planId) {
      const limits = this.#plan(after.planId).limits;
      for (const { metricKey, used } of this.#usage) {
        const limit = limits[metricKey];
        if (limit != null && used > limit) warnings.push({ code: 'usage_exceeds_new_limit', metricKey, used, limit });
      }
    }
    // The module a deactivation names goes without saying; what goes with it does not.
    const named = change.type === 'module' ? change.moduleId : null;
    const kept = new Set(this.#inEffect(after));
    const removed = this.#inEffect(before).filter((id) => !kept.has(id) && id !== named);
    if (removed.length > 0) warnings.push({ code: 'modules_will_be_removed', moduleIds: removed });
    return warnings;
  }

  #schedule(change: HoldingChange): void {
    const id = `sch_${++this.#sequence}`;
    const effectiveAt = toInstant(this.#period.end);
    if (change.type === 'plan') {
      // A new scheduled plan change replaces the one before it.
      this.#scheduled = this.#scheduled.filter((scheduled) => scheduled.change.type !== 'plan');
      this.#scheduled.push({
        change,
        view: { id, kind: 'plan_change', effectiveAt, toPlanId: change.planId, toInterval: change.interval, cancellable: true },
      });
      return;
    }
    this.#scheduled.push({
      change,
      view: {
        id,
        kind: change.action === 'activate' ? 'module_activation' : 'module_deactivation',
        effectiveAt,
        moduleId: change.moduleId,
        cancellable: true,
      },
    });
  }

  // --- Holdings (the reference engine's holding.ts, in memory) -----------------------------

  #plan(id: string): CatalogPlan {
    const plan = this.#plans.find((candidate) => candidate.id === id);
    if (!plan) throw new Error(`The story's subscription is on plan "${id}", which is not in its catalog.`);
    return plan;
  }

  #module(id: string): CatalogModule | undefined {
    return this.#modules.find((module) => module.id === id);
  }

  #modulePrice(module: CatalogModule, interval: Interval): number | null {
    return module.monthly === null ? null : interval === 'year' ? module.monthly * 10 : module.monthly;
  }

  /** Modules in effect (paid or included by the plan), in catalog order. */
  #inEffect(holding: Holding): string[] {
    const included = this.#plans.find((plan) => plan.id === holding.planId)?.includedModuleIds ?? [];
    return this.#modules.map((module) => module.id).filter((id) => included.includes(id) || holding.paidModuleIds.includes(id));
  }

  #missing(holding: Holding, moduleId: string): { anyOfPlans?: string[]; allOfModules?: string[] } | null {
    const module = this.#module(moduleId);
    if (!module) return null;
    const inEffect = new Set(this.#inEffect(holding));
    const plansMissing = !!module.anyOfPlans?.length && !module.anyOfPlans.includes(holding.planId);
    const modulesMissing = (module.allOfModules ?? []).filter((id) => !inEffect.has(id));
    if (!plansMissing && modulesMissing.length === 0) return null;
    return {
      ...(plansMissing ? { anyOfPlans: module.anyOfPlans } : {}),
      ...(modulesMissing.length > 0 ? { allOfModules: modulesMissing } : {}),
    };
  }

  /** Paid modules in catalog order, without those the plan includes. */
  #normalised(holding: Holding): Holding {
    const included = this.#plans.find((plan) => plan.id === holding.planId)?.includedModuleIds ?? [];
    const paid = this.#modules
      .map((module) => module.id)
      .filter((id) => holding.paidModuleIds.includes(id) && !included.includes(id));
    return { ...holding, paidModuleIds: paid };
  }

  /** The holding after `change`, with modules whose requirements no longer hold dropped (transitively). */
  #apply(holding: Holding, change: HoldingChange): Holding {
    let next: Holding =
      change.type === 'plan'
        ? { ...holding, planId: change.planId, interval: change.interval }
        : change.action === 'activate'
          ? { ...holding, paidModuleIds: [...holding.paidModuleIds, change.moduleId] }
          : { ...holding, paidModuleIds: holding.paidModuleIds.filter((id) => id !== change.moduleId) };
    next = this.#normalised(next);
    for (;;) {
      const current: Holding = next;
      const kept = current.paidModuleIds.filter((id) => this.#missing(current, id) === null);
      if (kept.length === current.paidModuleIds.length) return current;
      next = { ...current, paidModuleIds: kept };
    }
  }

  /** What the subscription will hold once the scheduled changes apply. */
  #projected(): Holding {
    return this.#scheduled.reduce((current, scheduled) => this.#apply(current, scheduled.change), this.#holding);
  }

  // --- Pricing (the reference engine's pricing.ts and invoicing.ts) --------------------------

  #items(holding: Holding): Item[] {
    const plan = this.#plan(holding.planId);
    return [
      { kind: 'plan', id: plan.id, name: plan.name, amountMinor: plan.prices[holding.interval] },
      ...holding.paidModuleIds.map((id): Item => {
        const module = this.#module(id)!;
        return { kind: 'module', id, name: module.name[this.#language], amountMinor: this.#modulePrice(module, holding.interval) ?? 0 };
      }),
    ];
  }

  #line(item: Item, kind: InvoiceLine['kind'], description: string, amountMinor: number, span: Span): InvoiceLine {
    return {
      description,
      amount: money(amountMinor),
      kind,
      ...(item.kind === 'plan' ? { planId: item.id } : { moduleId: item.id }),
      periodStart: toInstant(span.start),
      periodEnd: toInstant(span.end),
    };
  }

  /**
   * What moving from `before` to `after` at `at` costs now: the unused part of what is given
   * up is credited and the rest of the period of what is taken on is charged. A switch of
   * billing period starts a new period now: everything is credited and a full new period charged.
   */
  #changeLines(before: Holding, after: Holding, at: number): { lines: InvoiceLine[]; newPeriod: Span | null } {
    const texts = lineTexts[this.#language];
    const period = this.#period;
    const rest = { start: at, end: period.end };
    const old = this.#items(before);
    const next = this.#items(after);
    const credit = (item: Item) =>
      this.#line(item, 'proration_credit', texts.unused(item.name), 0 - shareOfRemaining(item.amountMinor, period, at), rest);
    const key = (item: Item) => `${item.kind}:${item.id}:${item.amountMinor}`;
    const nonZero = (line: InvoiceLine) => line.amount.amountMinor !== 0;
    if (before.interval !== after.interval) {
      const newPeriod = periodAfter(at, after.interval);
      const recurring = next.map((item) => this.#line(item, item.kind, item.name, item.amountMinor, newPeriod));
      return { lines: [...old.map(credit), ...recurring].filter(nonZero), newPeriod };
    }
    const kept = new Set(old.map(key).filter((k) => next.some((item) => key(item) === k)));
    const charge = (item: Item) =>
      this.#line(item, 'proration_charge', texts.remaining(item.name), shareOfRemaining(item.amountMinor, period, at), rest);
    const lines = [...old.filter((item) => !kept.has(key(item))).map(credit), ...next.filter((item) => !kept.has(key(item))).map(charge)];
    return { lines: lines.filter(nonZero), newPeriod: null };
  }

  /** A net credit goes to the credit balance (never paid out); a balance is taken off what is due. */
  #settle(lines: InvoiceLine[], balance: number) {
    const texts = lineTexts[this.#language];
    const net = lines.reduce((sum, line) => sum + line.amount.amountMinor, 0);
    const other = (description: string, amountMinor: number): InvoiceLine => ({ description, amount: money(amountMinor), kind: 'other' });
    if (net < 0) return { lines: [...lines, other(texts.toCredit, -net)], net, dueNow: 0, balanceAfter: balance - net };
    const applied = Math.min(balance, net);
    return {
      lines: applied > 0 ? [...lines, other(texts.creditApplied, -applied)] : lines,
      net,
      dueNow: net - applied,
      balanceAfter: balance - applied,
    };
  }

  /** The invoice that opens the period after `periodEnd`, for what `holding` will hold then. */
  #upcoming(holding: Holding, periodEnd: number, balance: number): NonNullable<Subscription['nextInvoice']> {
    const period = periodAfter(periodEnd, holding.interval);
    const recurring = this.#items(holding).map((item) => this.#line(item, item.kind, item.name, item.amountMinor, period));
    const settled = this.#settle(recurring, balance);
    return { date: toInstant(period.start), total: money(settled.dueNow), lines: settled.lines };
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

/** `F-2026-0007` / `inv_2026_0007`: numbered per calendar year of issue, like a French invoice register (and the reference seed). */
function invoiceIdentity(year: number, sequence: number): Pick<Invoice, 'id' | 'number'> {
  const padded = String(sequence).padStart(4, '0');
  return { id: `inv_${year}_${padded}`, number: `F-${year}-${padded}` };
}

/** Age (in months before the current period) of the first invoice on Pro, which carries the upgrade's prorations. */
const UPGRADE_INVOICE_AGE = 8;
/** The upgrade to Pro, 16 days into the period before that invoice's. */
const UPGRADE_DAYS_INTO_PERIOD = 16;
/** Age of the invoice voided (a month waived after an outage). */
const VOID_INVOICE_AGE = 10;

/**
 * The demo business's invoices, one per monthly period, the newest (age 0) for the current
 * period, newest first. Like the reference seed: Essentiel with E-signature at first; an
 * upgrade to Pro 16 days into a period, credited and charged for the rest of that period on
 * the next invoice (the only one with proration lines); Accounting export from the month
 * after; the invoice of ten months ago voided; the current one open (not yet collected), with
 * a hosted page to pay it. Every total is the sum of its lines.
 */
export function invoiceHistory(count: number, language: CatalogLanguage, plans: CatalogPlan[], modules: CatalogModule[]): Invoice[] {
  const texts = lineTexts[language];
  // The history is the demo business's: its plans and modules, even when a story offers another catalog.
  const plan = (id: string) => plans.find((candidate) => candidate.id === id) ?? catalogPlans.find((candidate) => candidate.id === id)!;
  const module = (id: string) =>
    modules.find((candidate) => candidate.id === id) ?? catalogModules.find((candidate) => candidate.id === id)!;
  const current = Date.parse(PERIOD_START);
  const periodAgo = (age: number): Span => ({ start: addMonths(current, -age), end: addMonths(current, 1 - age) });
  const line = (kind: InvoiceLine['kind'], description: string, amountMinor: number, span: Span, ids: Pick<InvoiceLine, 'planId' | 'moduleId'>) => ({
    description,
    amount: money(amountMinor),
    kind,
    ...ids,
    periodStart: toInstant(span.start),
    periodEnd: toInstant(span.end),
  });

  const sequences = new Map<number, number>();
  const invoices: Invoice[] = [];
  for (let age = count - 1; age >= 0; age--) {
    const period = periodAgo(age);
    const essentiel = plan('essentiel');
    const held = plan(age > UPGRADE_INVOICE_AGE ? 'essentiel' : 'pro');
    const moduleIds = age < UPGRADE_INVOICE_AGE ? ['e-signature', 'accounting-export'] : ['e-signature'];
    const lines: InvoiceLine[] = [];
    if (age === UPGRADE_INVOICE_AGE) {
      const before = periodAgo(age + 1);
      const upgradedAt = before.start + UPGRADE_DAYS_INTO_PERIOD * DAY_MS;
      const rest = { start: upgradedAt, end: before.end };
      lines.push(
        line('proration_credit', texts.unused(essentiel.name), -shareOfRemaining(essentiel.prices.month, before, upgradedAt), rest, {
          planId: essentiel.id,
        }),
        line('proration_charge', texts.remaining(held.name), shareOfRemaining(held.prices.month, before, upgradedAt), rest, {
          planId: held.id,
        }),
      );
    }
    lines.push(line('plan', held.name, held.prices.month, period, { planId: held.id }));
    for (const id of moduleIds) {
      const sold = module(id);
      lines.push(line('module', sold.name[language], sold.monthly ?? 0, period, { moduleId: id }));
    }
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
      hostedUrl: status === 'open' ? `https://billing.example.com/invoices/${identity.id}/pay` : null,
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
