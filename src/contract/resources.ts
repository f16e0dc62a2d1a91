/**
 * The resources of the billing endpoint contract (v1), as zod/mini schemas.
 * These schemas are the single source of truth: the client validates responses with them,
 * the reference server validates its requests and responses with them, and the OpenAPI
 * document in docs/ is generated from them.
 */
import * as z from 'zod/mini';

const id = z.string();
/**
 * RFC 3339 instant in UTC, e.g. `2026-11-26T14:00:00Z` or `2026-11-26T14:00:00.000Z`.
 * A plain pattern rather than `z.iso.datetime()`: same strings accepted for our purpose,
 * half a KiB less in every page.
 */
export const Instant = z.string().check(z.regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/));

/*
 * Size note: every zod class used here ships in every page, so the response schemas keep to
 * a few (object, array, string, number, boolean, enum, literal, union, nullable, optional,
 * regex, refine). Integers are checked with a refine on money only; other numbers are
 * plain. The OpenAPI generator restores `integer` where the contract says so.
 */
export const Money = z.object({
  /** ISO 4217 minor units (cents for EUR). Never a float. */
  amountMinor: z.number().check(z.refine(Number.isInteger, 'must be an integer')),
  currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
});

export const Interval = z.enum(['month', 'year']);
export const Timing = z.enum(['now', 'period_end']);

export const InvoiceLine = z.object({
  description: z.string(),
  /** Negative for a credit. */
  amount: Money,
  kind: z.enum(['plan', 'module', 'proration_credit', 'proration_charge', 'usage', 'tax', 'other']),
  planId: z.optional(id),
  moduleId: z.optional(id),
  periodStart: z.optional(Instant),
  periodEnd: z.optional(Instant),
});

export const Plan = z.object({
  id,
  name: z.string(),
  description: z.optional(z.string()),
  /** Orders plans from low to high. */
  rank: z.number(),
  prices: z.array(z.object({ interval: Interval, price: Money })),
  limits: z.array(
    z.object({
      metricKey: id,
      /** `null` means unlimited. */
      limit: z.nullable(z.number()),
    }),
  ),
  includedModuleIds: z.array(id),
  /** How moving to this plan relates to the current plan. */
  change: z.object({
    direction: z.enum(['current', 'upgrade', 'downgrade', 'lateral']),
    allowedTimings: z.array(Timing),
    defaultTiming: z.nullable(Timing),
  }),
});

export const ModuleState = z.enum([
  'inactive',
  'active',
  'included',
  'activation_scheduled',
  'deactivation_scheduled',
]);

export const Module = z.object({
  id,
  name: z.string(),
  description: z.optional(z.string()),
  /** `null` for a module that is only ever included in plans. */
  price: z.nullable(Money),
  interval: z.optional(Interval),
  state: ModuleState,
  requires: z.object({
    anyOfPlans: z.optional(z.array(id)),
    allOfModules: z.optional(z.array(id)),
  }),
  available: z.boolean(),
  unavailableReasons: z.array(z.enum(['plan_required', 'module_required', 'not_for_sale'])),
  /** Active modules that need this one. */
  dependentModuleIds: z.array(id),
  lastUsedAt: z.optional(z.nullable(Instant)),
  usageCount30d: z.optional(z.number()),
  allowedTimings: z.object({ activate: z.array(Timing), deactivate: z.array(Timing) }),
});

export const ScheduledChange = z.object({
  id,
  kind: z.enum(['plan_change', 'module_activation', 'module_deactivation']),
  effectiveAt: Instant,
  toPlanId: z.optional(id),
  /** For a plan change: the billing interval after it (a monthly ↔ yearly switch may keep the plan). */
  toInterval: z.optional(Interval),
  moduleId: z.optional(id),
  cancellable: z.boolean(),
});

export const Permissions = z.object({
  changePlan: z.boolean(),
  manageModules: z.boolean(),
  managePaymentMethods: z.boolean(),
  viewInvoices: z.boolean(),
});

export const Subscription = z.object({
  id,
  status: z.enum(['trialing', 'active', 'past_due', 'paused', 'canceled']),
  plan: z.object({ id, name: z.string() }),
  interval: Interval,
  currentPeriod: z.object({ start: Instant, end: Instant }),
  trialEnd: z.nullable(Instant),
  activeModuleIds: z.array(id),
  scheduledChanges: z.array(ScheduledChange),
  nextInvoice: z.nullable(z.object({ date: Instant, total: Money, lines: z.array(InvoiceLine) })),
  /** Credit taken off coming invoices (≥ 0), e.g. what a downgrade made now left over. */
  creditBalance: Money,
  permissions: Permissions,
  /** Opaque; sent as a strong ETag and expected back in If-Match on mutations. */
  version: z.string(),
});

export const UsageMetric = z.object({
  metricKey: id,
  name: z.string(),
  /** What is counted, singular, e.g. "client". */
  unit: z.string(),
  used: z.number(),
  /** `null` means unlimited. */
  limit: z.nullable(z.number()),
  /** Ratio of the limit from which to warn (default 0.8). */
  warnAt: z.number(),
  periodStart: Instant,
  /** `null` for a metric that never resets (e.g. a stock of clients). */
  resetsAt: z.nullable(Instant),
  asOf: Instant,
});

export const ChangeWarning = z.object({
  code: z.enum(['usage_exceeds_new_limit', 'modules_will_be_removed', 'payment_method_required']),
  metricKey: z.optional(id),
  used: z.optional(z.number()),
  limit: z.optional(z.number()),
  moduleIds: z.optional(z.array(id)),
});

export const ChangePreview = z.object({
  previewToken: z.string(),
  expiresAt: Instant,
  basedOnVersion: z.string(),
  timing: Timing,
  effectiveAt: Instant,
  lines: z.array(InvoiceLine),
  dueNow: Money,
  nextInvoice: z.nullable(z.object({ date: Instant, total: Money })),
  /**
   * The price of the configuration after the change, per billing interval: plan and paid
   * modules at list price, before credits and proration. Not the next invoice, which credits
   * and proration move.
   */
  recurring: z.object({ interval: Interval, total: Money }),
  warnings: z.array(ChangeWarning),
});

export const InvoiceStatus = z.enum(['draft', 'open', 'paid', 'void', 'uncollectible']);

export const Invoice = z.object({
  id,
  number: z.string(),
  status: InvoiceStatus,
  issuedAt: Instant,
  dueAt: z.nullable(Instant),
  periodStart: Instant,
  periodEnd: Instant,
  total: Money,
  amountDue: Money,
  lines: z.optional(z.array(InvoiceLine)),
  hostedUrl: z.nullable(z.string()),
  hasPdf: z.boolean(),
});

export const PaymentMethod = z.object({
  id,
  type: z.enum(['card', 'sepa_debit', 'other']),
  isDefault: z.boolean(),
  card: z.optional(
    z.object({
      brand: z.string(),
      last4: z.string().check(z.regex(/^\d{4}$/)),
      expMonth: z.number(),
      expYear: z.number(),
    }),
  ),
  label: z.optional(z.string()),
});

// A plain union (not discriminatedUnion): same result for two variants, less code in every page.
export const SetupSession = z.union([
  z.object({ kind: z.literal('redirect'), url: z.string(), expiresAt: z.optional(Instant) }),
  z.object({
    kind: z.literal('client_secret'),
    provider: z.string(),
    clientSecret: z.string(),
    publishableKey: z.string(),
  }),
]);

export type Money = z.infer<typeof Money>;
export type Interval = z.infer<typeof Interval>;
export type Timing = z.infer<typeof Timing>;
export type InvoiceLine = z.infer<typeof InvoiceLine>;
export type Plan = z.infer<typeof Plan>;
export type ModuleState = z.infer<typeof ModuleState>;
export type Module = z.infer<typeof Module>;
export type ScheduledChange = z.infer<typeof ScheduledChange>;
export type Permissions = z.infer<typeof Permissions>;
export type Subscription = z.infer<typeof Subscription>;
export type UsageMetric = z.infer<typeof UsageMetric>;
export type ChangeWarning = z.infer<typeof ChangeWarning>;
export type ChangePreview = z.infer<typeof ChangePreview>;
export type InvoiceStatus = z.infer<typeof InvoiceStatus>;
export type Invoice = z.infer<typeof Invoice>;
export type PaymentMethod = z.infer<typeof PaymentMethod>;
export type SetupSession = z.infer<typeof SetupSession>;
