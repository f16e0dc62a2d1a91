/**
 * `createStripeEngine`: a `BillingEngine` over the official `stripe` SDK. The host passes its
 * configured client (`new Stripe(key)`) and a catalog saying which Prices are plans and modules.
 */
import type Stripe from 'stripe';
import { randomBytes } from 'node:crypto';
import type { ChangePreview, ChangeRequest, InvoiceLine, Module, Plan, Subscription, UsageMetric } from '../contract/index.js';
import type { BillingEngine, CustomerId, EngineSubscription } from '../server/billing-engine.js';
import { BillingEngineError } from '../server/errors.js';
import { loadCatalog, priceAt, type LoadedCatalog, type StripeCatalog } from './catalog.js';
import {
  PREVIEW_TTL_SECONDS,
  planChangeItems,
  previewFromFigures,
  recurringTotal,
  previewInvoices,
  stripeIdempotencyKey,
  warningsFor,
  type CurrentSubscription,
} from './changes.js';
import { orNull, stripeCall, translateStripeError } from './errors.js';
import { nextPhaseOf, scheduleAtPeriodEnd, scheduledChangesOf, type NextPhase } from './schedules.js';
import { getInvoice, instant, invoiceLine, listInvoices, retrieveOwnInvoice } from './invoices.js';
import { moneyFromStripe } from './money.js';
import { createSetupSession, listPaymentMethods, removePaymentMethod, retrieveCustomer, setDefaultPaymentMethod } from './payment-methods.js';
import { changeKey, createPreviewTokens, modulePolicy, offeredPlanChange } from '../server/policy/index.js';
import { policyCatalogOf, policySubscriptionOf, STRIPE_TIMINGS, subscriptionVersion } from './policy.js';

export interface StripeEngineOptions {
  /** The host's Stripe client (`new Stripe(secretKey)`). */
  stripe: Stripe;
  /** Which Stripe Prices are the plans and modules. */
  catalog: StripeCatalog;
  /** The customer's usage: Stripe does not hold it. Default: none. */
  usage?: (customer: CustomerId) => Promise<UsageMetric[]>;
  /**
   * Signs preview tokens (they carry the preview's proration date). Give every process of the
   * host the same secret, or a preview made by one cannot be committed by another. Default: a
   * random secret per engine.
   */
  previewSecret?: string;
  /** The clock changes are prorated at. Default: the system clock. */
  now?: () => Date;
}

const idOf = (value: string | { id: string } | null) => (typeof value === 'string' ? value : (value?.id ?? null));

/** The statuses of a subscription the customer still has, as the contract names them. */
const LIVE_STATUSES: Partial<Record<Stripe.Subscription.Status, Subscription['status']>> = {
  trialing: 'trialing',
  active: 'active',
  past_due: 'past_due',
  unpaid: 'past_due',
  paused: 'paused',
};

interface Current extends CurrentSubscription {
  /** The subscription's schedule, when it has one. */
  schedule: Stripe.SubscriptionSchedule | null;
  /** The configuration its schedule has from the period end. */
  next: NextPhase | null;
}

export function createStripeEngine(options: StripeEngineOptions): BillingEngine {
  const { stripe } = options;
  const tokens = createPreviewTokens(options.previewSecret ?? randomBytes(32).toString('base64url'));
  const policyCatalog = policyCatalogOf(options.catalog);
  const clock = options.now ?? (() => new Date());
  const nowSeconds = () => Math.floor(clock().getTime() / 1000);
  let catalogPromise: Promise<LoadedCatalog> | null = null;
  const catalog = () => {
    catalogPromise ??= loadCatalog(stripe, options.catalog).catch((error: unknown) => {
      catalogPromise = null;
      throw error;
    });
    return catalogPromise;
  };
  const planConfig = (id: string) => options.catalog.plans.find((plan) => plan.id === id);
  /** The subscription's facts for the shared policy helpers (src/server/policy/). */
  const policyFacts = (found: Current) => policySubscriptionOf(found, scheduledChangesOf(options.catalog, found, found.next));
  /**
   * A preview token (the shared policy's) for `request` on the subscription at `version`,
   * carrying its `proration_date` (Unix seconds) so that the commit bills the same figures;
   * signed, or a client could pick an earlier date and pay less.
   */
  const signPreview = (customer: CustomerId, request: ChangeRequest, version: string, prorationDate: number) =>
    tokens.sign({ customer, request: changeKey(request), version, at: prorationDate * 1000, expiresAt: (prorationDate + PREVIEW_TTL_SECONDS) * 1000 });

  const versionOf = (live: Stripe.Subscription, found: Current) =>
    subscriptionVersion([
      live.id,
      live.status,
      live.items.data.map((item) => [item.id, item.price.id, item.quantity ?? 1]),
      found.periodStart,
      found.periodEnd,
      live.trial_end,
      live.cancel_at_period_end,
      live.cancel_at,
      idOf(live.schedule),
      found.next ? [found.next.planId, found.next.interval, found.next.moduleIds] : null,
      // A change billed now makes a new latest invoice even when it ends where it started.
      idOf(live.latest_invoice),
    ]);

  /** The customer's live subscription in Stripe, read as plan + modules; `null` if none. */
  async function current(customer: CustomerId): Promise<Current | null> {
    const loaded = await catalog();
    const list = await stripeCall(() => stripe.subscriptions.list({ customer, status: 'all', limit: 100 }));
    const live = list.data.find((subscription) => LIVE_STATUSES[subscription.status] !== undefined);
    if (!live) return null;
    let plan: { id: string; item: Stripe.SubscriptionItem } | null = null;
    const moduleIds: string[] = [];
    for (const item of live.items.data) {
      const known = loaded.byPrice.get(item.price.id);
      if (known?.kind === 'plan') {
        if (plan) throw new Error(`Stripe subscription ${live.id}: two plan items (${plan.id}, ${known.id})`);
        plan = { id: known.id, item };
      } else if (known?.kind === 'module') moduleIds.push(known.id);
    }
    if (!plan) throw new Error(`Stripe subscription ${live.id}: no item has a plan's Price of the catalog`);
    const billed = plan.item.price.recurring?.interval;
    const interval = billed === 'month' ? 'month' : billed === 'year' ? 'year' : null;
    if (interval === null) throw new Error(`Stripe subscription ${live.id}: the plan is billed per ${billed}`);
    const included = planConfig(plan.id)?.includedModuleIds ?? [];
    const scheduleId = idOf(live.schedule);
    const schedule = scheduleId === null ? null : await orNull(() => stripe.subscriptionSchedules.retrieve(scheduleId));
    const periodEnd = plan.item.current_period_end;
    return {
      stripe: live,
      planId: plan.id,
      interval,
      moduleIds,
      activeModuleIds: [...new Set([...included, ...moduleIds])],
      periodStart: plan.item.current_period_start,
      periodEnd,
      schedule,
      next: nextPhaseOf(schedule, periodEnd, loaded),
    };
  }

  /** The invoice Stripe will issue at the renewal (`invoices.createPreview`), or `null` when the subscription ends. */
  async function nextInvoice(customer: CustomerId, subscription: Current, loaded: LoadedCatalog): Promise<Subscription['nextInvoice']> {
    if (subscription.stripe.cancel_at_period_end || subscription.stripe.status === 'paused') return null;
    const preview = await stripeCall(() => stripe.invoices.createPreview({ customer, subscription: subscription.stripe.id }));
    // A preview carries its first lines only (Stripe lists at most 10 in an invoice).
    const lines: InvoiceLine[] = preview.lines.data.map((line) => invoiceLine(line, loaded));
    return { date: instant(preview.next_payment_attempt ?? preview.created), total: moneyFromStripe(preview.total, preview.currency), lines };
  }

  async function getSubscription(customer: CustomerId): Promise<EngineSubscription | null> {
    const loaded = await catalog();
    const found = await current(customer);
    if (!found) return null;
    const { stripe: live } = found;
    const stripeCustomer = await retrieveCustomer(stripe, customer);
    // A negative balance is credit the customer has (Stripe's sign).
    const credit = Math.max(0, -(stripeCustomer?.balance ?? 0));
    const plan = loaded.plans.get(found.planId)!;
    return {
      id: live.id,
      status: LIVE_STATUSES[live.status]!,
      plan: { id: plan.id, name: plan.name },
      interval: found.interval,
      currentPeriod: { start: instant(found.periodStart), end: instant(found.periodEnd) },
      trialEnd: live.trial_end === null ? null : instant(live.trial_end),
      activeModuleIds: found.activeModuleIds,
      scheduledChanges: scheduledChangesOf(options.catalog, found, found.next),
      nextInvoice: await nextInvoice(customer, found, loaded),
      creditBalance: moneyFromStripe(credit, live.currency),
      version: versionOf(live, found),
    };
  }

  /**
   * One change at a time (`refuseWhileScheduled`): while one is scheduled, plans and modules
   * offer no timing, so the elements offer nothing that would be refused.
   */
  const scheduled = (found: Current | null) => found !== null && (found.next !== null || found.schedule !== null);

  async function listPlans(customer: CustomerId): Promise<Plan[]> {
    const loaded = await catalog();
    const found = await current(customer);
    const facts = found && policyFacts(found);
    const waiting = scheduled(found);
    return options.catalog.plans.map((config) => {
      const entry = loaded.plans.get(config.id)!;
      const plan: Plan = {
        id: config.id,
        name: entry.name,
        rank: config.rank,
        prices: entry.prices.map((price) => ({ interval: price.interval, price: price.money })),
        limits: config.limits ?? [],
        includedModuleIds: config.includedModuleIds ?? [],
        change: offeredPlanChange(policyCatalog, facts, config.id, STRIPE_TIMINGS),
      };
      if (waiting) plan.change = { ...plan.change, allowedTimings: [], defaultTiming: null };
      if (entry.description !== undefined) plan.description = entry.description;
      return plan;
    });
  }

  async function listModules(customer: CustomerId): Promise<Module[]> {
    const loaded = await catalog();
    const found = await current(customer);
    const included = found ? (planConfig(found.planId)?.includedModuleIds ?? []) : [];
    const facts = found && policyFacts(found);
    const waiting = scheduled(found);
    return options.catalog.modules.map((config) => {
      const entry = loaded.modules.get(config.id)!;
      const price = found ? priceAt(entry, found.interval) : entry.prices[0];
      const state: Module['state'] = included.includes(config.id) ? 'included' : found?.moduleIds.includes(config.id) ? 'active' : 'inactive';
      const policy = modulePolicy(policyCatalog, facts, config.id, STRIPE_TIMINGS);
      const module: Module = {
        id: config.id,
        name: entry.name,
        price: price?.money ?? null,
        state,
        requires: policy.requires,
        // Only a module the customer does not hold can be taken.
        available: state === 'inactive' && policy.available,
        unavailableReasons: policy.unavailableReasons,
        dependentModuleIds: policy.dependentModuleIds,
        allowedTimings: waiting ? { activate: [], deactivate: [] } : policy.allowedTimings,
      };
      if (price) module.interval = price.interval;
      if (entry.description !== undefined) module.description = entry.description;
      return module;
    });
  }

  /** The customer's subscription, or 404 `no_subscription`. */
  async function requireCurrent(customer: CustomerId): Promise<Current> {
    const found = await current(customer);
    if (!found) throw new BillingEngineError('no_subscription');
    return found;
  }

  /** One change at a time: none while the schedule holds one for the period end. */
  function refuseWhileScheduled(found: Current) {
    if (scheduled(found)) {
      throw new BillingEngineError('change_not_allowed', { detail: 'A change is scheduled for the end of the period: take it back first.' });
    }
  }

  async function previewChange(customer: CustomerId, request: ChangeRequest): Promise<ChangePreview> {
    const loaded = await catalog();
    const found = await requireCurrent(customer);
    const plan = planChangeItems(loaded, options.catalog, found, request);
    refuseWhileScheduled(found);
    const version = versionOf(found.stripe, found);
    const prorationDate = nowSeconds();
    if (request.timing === 'period_end') {
      // Nothing is billed now; the renewal bills the new configuration at its list prices.
      const recurring = recurringTotal(loaded, plan);
      const warnings = warningsFor(policyCatalog, plan, await (options.usage?.(customer) ?? Promise.resolve([])));
      return {
        previewToken: signPreview(customer, request, version, prorationDate),
        expiresAt: instant(prorationDate + PREVIEW_TTL_SECONDS),
        basedOnVersion: version,
        timing: 'period_end',
        effectiveAt: instant(found.periodEnd),
        lines: [],
        dueNow: { amountMinor: 0, currency: recurring.currency },
        nextInvoice: found.stripe.cancel_at_period_end ? null : { date: instant(found.periodEnd), total: recurring },
        recurring: { interval: plan.interval, total: recurring },
        warnings,
      };
    }
    const figures = await stripeCall(() => previewInvoices(stripe, customer, found, plan, prorationDate));
    const token = signPreview(customer, request, version, prorationDate);
    const warnings = warningsFor(policyCatalog, plan, await (options.usage?.(customer) ?? Promise.resolve([])));
    return previewFromFigures(loaded, plan, figures, token, version, prorationDate, warnings);
  }

  return {
    getSubscription,
    listPlans,
    listModules,
    listUsage: (customer) => options.usage?.(customer) ?? Promise.resolve([]),
    listInvoices: (customer, query) => listInvoices(stripe, customer, query),
    getInvoice: async (customer, invoiceId) => getInvoice(stripe, await catalog(), customer, invoiceId),
    async renderInvoicePdf(customer, invoiceId) {
      // Stripe keeps the document: the handler redirects its signed link to `invoice_pdf`.
      const invoice = await retrieveOwnInvoice(stripe, customer, invoiceId);
      return invoice?.invoice_pdf ? { url: invoice.invoice_pdf } : null;
    },
    listPaymentMethods: (customer) => listPaymentMethods(stripe, customer),
    async createSetupSession(customer, request) {
      const found = await current(customer);
      const currency = found?.stripe.currency ?? (await catalog()).plans.values().next().value?.prices[0]?.money.currency.toLowerCase();
      if (currency === undefined) throw new Error('Stripe catalog: no plan has a price, so a setup session has no currency');
      return createSetupSession(stripe, customer, request, currency);
    },
    setDefaultPaymentMethod: (customer, paymentMethodId) => setDefaultPaymentMethod(stripe, customer, paymentMethodId),
    removePaymentMethod: (customer, paymentMethodId) =>
      removePaymentMethod(stripe, customer, paymentMethodId, async () => {
        const found = await current(customer);
        return found !== null && !found.stripe.cancel_at_period_end && found.stripe.cancel_at === null;
      }),
    previewChange: (customer, request) => previewChange(customer, request),
    async commitChange(customer, request, ifMatch, _languages, context) {
      const loaded = await catalog();
      const found = await requireCurrent(customer);
      const version = versionOf(found.stripe, found);
      // Stripe has no compare-and-set: the version is compared here, just before the update.
      if (ifMatch !== version) {
        // The handler answers it with the subscription as it now is.
        throw new BillingEngineError('version_conflict');
      }
      const { previewToken, ...change } = request;
      let prorationDate = nowSeconds();
      if (previewToken !== undefined) {
        // A token for another customer or change, altered, or of another version is stale here.
        const checked = tokens.check(previewToken, { customer, request: change, version, now: clock().getTime() });
        if (!checked.ok) throw new BillingEngineError(checked.reason === 'expired' ? 'preview_expired' : 'preview_stale');
        prorationDate = checked.claims.at / 1000;
      }
      const plan = planChangeItems(loaded, options.catalog, found, change);
      refuseWhileScheduled(found);
      const idempotencyKey = stripeIdempotencyKey(customer, version, change, prorationDate, context?.idempotencyKey);
      if (change.timing === 'period_end') {
        await stripeCall(() => scheduleAtPeriodEnd(stripe, loaded, found, plan, idempotencyKey));
        const subscription = await getSubscription(customer);
        if (!subscription) throw new Error(`Stripe subscription ${found.stripe.id}: gone after scheduling a change`);
        return { subscription, invoice: null };
      }
      const previousInvoice = idOf(found.stripe.latest_invoice);
      let updated: Stripe.Subscription;
      try {
        updated = await stripe.subscriptions.update(
          found.stripe.id,
          { items: plan.items, proration_behavior: 'always_invoice', proration_date: prorationDate, payment_behavior: 'error_if_incomplete' },
          { idempotencyKey },
        );
      } catch (error) {
        if ((error as { type?: unknown } | null)?.type === 'StripeCardError') {
          throw new BillingEngineError('payment_failed', { detail: 'The payment for this change was declined; nothing changed.', cause: error });
        }
        throw translateStripeError(error);
      }
      const invoiceId = idOf(updated.latest_invoice);
      const invoice = invoiceId !== null && invoiceId !== previousInvoice ? await getInvoice(stripe, loaded, customer, invoiceId) : null;
      const subscription = await getSubscription(customer);
      if (!subscription) throw new Error(`Stripe subscription ${found.stripe.id}: gone after an update`);
      return { subscription, invoice };
    },
    async cancelScheduledChange(customer, scheduledChangeId, ifMatch) {
      const found = await requireCurrent(customer);
      const scheduled = scheduledChangesOf(options.catalog, found, found.next).find((change) => change.id === scheduledChangeId);
      if (!scheduled || !found.next) throw new BillingEngineError('not_found');
      if (ifMatch !== versionOf(found.stripe, found)) {
        // The handler answers it with the subscription as it now is.
        throw new BillingEngineError('version_conflict');
      }
      if (!scheduled.cancellable) {
        throw new BillingEngineError('change_not_allowed', { detail: 'This change is part of a schedule made elsewhere: change it in Stripe.' });
      }
      const scheduleId = found.next.schedule.id;
      await stripeCall(() => stripe.subscriptionSchedules.release(scheduleId));
      const subscription = await getSubscription(customer);
      if (!subscription) throw new Error(`Stripe subscription ${found.stripe.id}: gone after releasing its schedule`);
      return subscription;
    },
  };
}

