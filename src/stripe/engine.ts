/**
 * `createStripeEngine`: a `BillingEngine` over the official `stripe` SDK. The host passes its
 * configured client (`new Stripe(key)`) and a catalog saying which Prices are plans and modules.
 */
import type Stripe from 'stripe';
import type { InvoiceLine, Module, Plan, Subscription, UsageMetric } from '../contract/index.js';
import type { BillingEngine, CustomerId } from '../server/billing-engine.js';
import { BillingEngineError } from '../server/errors.js';
import { loadCatalog, priceAt, type LoadedCatalog, type StripeCatalog } from './catalog.js';
import { notSupported, stripeCall } from './errors.js';
import { getInvoice, instant, invoiceLine, listInvoices, retrieveOwnInvoice } from './invoices.js';
import { moneyFromStripe } from './money.js';
import { createSetupSession, listPaymentMethods, removePaymentMethod, retrieveCustomer, setDefaultPaymentMethod } from './payment-methods.js';
import { moduleTimings, permissionsFor, planChange, subscriptionVersion, unavailableReasons } from './policy.js';

export interface StripeEngineOptions {
  /** The host's Stripe client (`new Stripe(secretKey)`). */
  stripe: Stripe;
  /** Which Stripe Prices are the plans and modules. */
  catalog: StripeCatalog;
  /** The customer's usage: Stripe does not hold it. Default: none. */
  usage?: (customer: CustomerId) => Promise<UsageMetric[]>;
}

/** The statuses of a subscription the customer still has, as the contract names them. */
const LIVE_STATUSES: Partial<Record<Stripe.Subscription.Status, Subscription['status']>> = {
  trialing: 'trialing',
  active: 'active',
  past_due: 'past_due',
  unpaid: 'past_due',
  paused: 'paused',
};

interface Current {
  stripe: Stripe.Subscription;
  planId: string;
  interval: Subscription['interval'];
  moduleIds: string[];
  /** Modules active or included in the plan. */
  activeModuleIds: string[];
  periodStart: number;
  periodEnd: number;
}

export function createStripeEngine(options: StripeEngineOptions): BillingEngine {
  const { stripe } = options;
  let catalogPromise: Promise<LoadedCatalog> | null = null;
  const catalog = () => {
    catalogPromise ??= loadCatalog(stripe, options.catalog).catch((error: unknown) => {
      catalogPromise = null;
      throw error;
    });
    return catalogPromise;
  };
  const planConfig = (id: string) => options.catalog.plans.find((plan) => plan.id === id);

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
    return {
      stripe: live,
      planId: plan.id,
      interval,
      moduleIds,
      activeModuleIds: [...new Set([...included, ...moduleIds])],
      periodStart: plan.item.current_period_start,
      periodEnd: plan.item.current_period_end,
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

  async function getSubscription(customer: CustomerId): Promise<Subscription | null> {
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
      // Subscription Schedules are not read yet: changes at the period end are not offered.
      scheduledChanges: [],
      nextInvoice: await nextInvoice(customer, found, loaded),
      creditBalance: moneyFromStripe(credit, live.currency),
      permissions: permissionsFor(),
      version: subscriptionVersion([
        live.id,
        live.status,
        live.items.data.map((item) => [item.id, item.price.id, item.quantity ?? 1]),
        found.periodStart,
        found.periodEnd,
        live.trial_end,
        live.cancel_at_period_end,
        live.cancel_at,
        typeof live.schedule === 'string' ? live.schedule : (live.schedule?.id ?? null),
      ]),
    };
  }

  async function listPlans(customer: CustomerId): Promise<Plan[]> {
    const loaded = await catalog();
    const found = await current(customer);
    const currentPlan = found ? planConfig(found.planId) : undefined;
    return options.catalog.plans.map((config) => {
      const entry = loaded.plans.get(config.id)!;
      const plan: Plan = {
        id: config.id,
        name: entry.name,
        rank: config.rank,
        prices: entry.prices.map((price) => ({ interval: price.interval, price: price.money })),
        limits: config.limits ?? [],
        includedModuleIds: config.includedModuleIds ?? [],
        change: planChange(config, currentPlan),
      };
      if (entry.description !== undefined) plan.description = entry.description;
      return plan;
    });
  }

  async function listModules(customer: CustomerId): Promise<Module[]> {
    const loaded = await catalog();
    const found = await current(customer);
    const included = found ? (planConfig(found.planId)?.includedModuleIds ?? []) : [];
    const active = found?.activeModuleIds ?? [];
    return options.catalog.modules.map((config) => {
      const entry = loaded.modules.get(config.id)!;
      const price = found ? priceAt(entry, found.interval) : entry.prices[0];
      const state: Module['state'] = included.includes(config.id) ? 'included' : found?.moduleIds.includes(config.id) ? 'active' : 'inactive';
      const reasons = state === 'inactive' ? unavailableReasons(config, price !== undefined, found?.planId, active) : [];
      const requires: Module['requires'] = {};
      if (config.requires?.anyOfPlans) requires.anyOfPlans = config.requires.anyOfPlans;
      if (config.requires?.allOfModules) requires.allOfModules = config.requires.allOfModules;
      const module: Module = {
        id: config.id,
        name: entry.name,
        price: price?.money ?? null,
        state,
        requires,
        available: state === 'inactive' && reasons.length === 0,
        unavailableReasons: reasons,
        dependentModuleIds: options.catalog.modules
          .filter((other) => active.includes(other.id) && other.requires?.allOfModules?.includes(config.id))
          .map((other) => other.id),
        allowedTimings: moduleTimings(),
      };
      if (price) module.interval = price.interval;
      if (entry.description !== undefined) module.description = entry.description;
      return module;
    });
  }

  /** Refuses a change request: no subscription (404), else not implemented yet (503). */
  async function refuseChange(customer: CustomerId, what: string): Promise<never> {
    if (!(await current(customer))) throw new BillingEngineError('no_subscription');
    throw notSupported(what);
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
    previewChange: (customer) => refuseChange(customer, 'previewing plan and module changes'),
    commitChange: (customer) => refuseChange(customer, 'plan and module changes'),
    async cancelScheduledChange(customer) {
      if (!(await current(customer))) throw new BillingEngineError('no_subscription');
      // No change is ever scheduled by this engine yet, so none can be this customer's.
      throw new BillingEngineError('not_found');
    },
  };
}

