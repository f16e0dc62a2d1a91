/**
 * The Stripe engine's test fixture: a stand-in of the Stripe API seeded with a catalog, three
 * customers, their subscriptions, invoices and payment methods, and the official SDK pointed
 * at it. The clock is pinned (`NOW`).
 */
import Stripe from 'stripe';
import type { BillingEngine } from '../../src/server/billing-engine.js';
import { createStripeEngine, type StripeCatalog, type StripeEngineOptions } from '../../src/stripe/index.js';
import { startStandIn, type StandIn } from './stand-in.js';

export const NOW = new Date('2026-11-15T12:00:00Z');
const seconds = (iso: string) => Date.parse(iso) / 1000;

export const SUBSCRIBED = 'cus_subscribed';
export const OTHER = 'cus_other';
export const WITHOUT_SUBSCRIPTION = 'cus_none';

/** A Stripe client that talks to the stand-in only. */
export function standInClient(standIn: StandIn): Stripe {
  return new Stripe('sk_test_standin', { host: '127.0.0.1', port: standIn.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });
}

interface CatalogSeed {
  currency: string;
  plans: { id: string; name: string; rank: number; month: number; year?: number; includedModuleIds?: string[] }[];
  modules: { id: string; name: string; month?: number; year?: number; requires?: { anyOfPlans?: string[]; allOfModules?: string[] } }[];
}

/** Products and Prices in the stand-in, and the catalog config that names them. */
export function seedCatalog(standIn: StandIn, seed: CatalogSeed): StripeCatalog {
  const prices = (id: string, amounts: { month?: number; year?: number }) => {
    const result: Partial<Record<'month' | 'year', string>> = {};
    for (const interval of ['month', 'year'] as const) {
      const amount = amounts[interval];
      if (amount === undefined) continue;
      const price = standIn.addPrice({ id: `price_${id}_${interval}`, product: `prod_${id}`, currency: seed.currency, unitAmount: amount, interval });
      result[interval] = price.id;
    }
    return result;
  };
  return {
    plans: seed.plans.map((plan) => {
      standIn.addProduct({ id: `prod_${plan.id}`, name: plan.name, description: `The ${plan.name} plan` });
      return {
        id: plan.id,
        rank: plan.rank,
        prices: prices(plan.id, plan),
        limits: [{ metricKey: 'seats', limit: plan.rank * 5 }],
        includedModuleIds: plan.includedModuleIds ?? [],
      };
    }),
    modules: seed.modules.map((module) => {
      standIn.addProduct({ id: `prod_${module.id}`, name: module.name });
      return { id: module.id, prices: prices(module.id, module), product: `prod_${module.id}`, ...(module.requires ? { requires: module.requires } : {}) };
    }),
  };
}

export const EUR_CATALOG: CatalogSeed = {
  currency: 'eur',
  plans: [
    { id: 'starter', name: 'Starter', rank: 1, month: 900, year: 9000 },
    { id: 'team', name: 'Team', rank: 2, month: 2900, year: 29000, includedModuleIds: ['reports'] },
    { id: 'business', name: 'Business', rank: 3, month: 7900, year: 79000, includedModuleIds: ['reports'] },
  ],
  modules: [
    { id: 'reports', name: 'Reports' },
    { id: 'exports', name: 'Exports', month: 300, year: 3000 },
    { id: 'sso', name: 'Single sign-on', month: 1500, year: 15000, requires: { anyOfPlans: ['team', 'business'] } },
    { id: 'audit', name: 'Audit log', month: 500, year: 5000, requires: { allOfModules: ['sso'] } },
  ],
};

export interface StripeFixture {
  standIn: StandIn;
  stripe: Stripe;
  catalog: StripeCatalog;
  engine: BillingEngine;
  close(): Promise<void>;
}

/** The stand-in seeded with the EUR catalog and three customers, and the engine over it. */
export async function stripeFixture(options: Partial<Pick<StripeEngineOptions, 'usage'>> = {}): Promise<StripeFixture> {
  const standIn = await startStandIn({ now: seconds(NOW.toISOString()) });
  const catalog = seedCatalog(standIn, EUR_CATALOG);

  // The subscribed customer: Team monthly with Exports, some credit, two cards, five invoices.
  standIn.addCustomer({ id: SUBSCRIBED, email: 'ada@example.com', balance: -450 });
  standIn.addPaymentMethod({ id: 'pm_subscribed_visa', customer: SUBSCRIBED, brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030, isDefault: true });
  standIn.addPaymentMethod({ id: 'pm_subscribed_mc', customer: SUBSCRIBED, brand: 'mastercard', last4: '4444', expMonth: 3, expYear: 2029 });
  standIn.addSubscription({ id: 'sub_subscribed', customer: SUBSCRIBED, prices: ['price_team_month', 'price_exports_month'], periodStart: seconds('2026-11-01T00:00:00Z') });
  const monthly = (id: string, number: string | null, status: 'draft' | 'open' | 'paid' | 'void' | 'uncollectible', start: string, end: string) =>
    standIn.addInvoice({
      id,
      customer: SUBSCRIBED,
      number,
      status,
      created: seconds(start),
      subscription: 'sub_subscribed',
      lines: [
        { price: 'price_team_month', description: '1 × Team (at €29.00 / month)', amount: 2900, periodStart: seconds(start), periodEnd: seconds(end) },
        { price: 'price_exports_month', description: '1 × Exports (at €3.00 / month)', amount: 300, periodStart: seconds(start), periodEnd: seconds(end) },
      ],
    });
  monthly('in_sub_aug', 'INV-0001', 'paid', '2026-08-01T00:00:00Z', '2026-09-01T00:00:00Z');
  monthly('in_sub_sep', 'INV-0002', 'paid', '2026-09-01T00:00:00Z', '2026-10-01T00:00:00Z');
  monthly('in_sub_oct', 'INV-0003', 'void', '2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z');
  monthly('in_sub_oct_retry', 'INV-0004', 'uncollectible', '2026-10-02T00:00:00Z', '2026-11-01T00:00:00Z');
  monthly('in_sub_nov', 'INV-0005', 'open', '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z');
  standIn.addInvoice({
    id: 'in_sub_proration',
    customer: SUBSCRIBED,
    number: null,
    status: 'draft',
    created: seconds('2026-11-10T09:30:00Z'),
    subscription: 'sub_subscribed',
    lines: [
      { price: 'price_starter_month', description: 'Unused time on Starter', amount: -600, periodStart: seconds('2026-11-10T09:30:00Z'), periodEnd: seconds('2026-12-01T00:00:00Z'), proration: true },
      { price: 'price_team_month', description: 'Remaining time on Team', amount: 1900, periodStart: seconds('2026-11-10T09:30:00Z'), periodEnd: seconds('2026-12-01T00:00:00Z'), proration: true },
    ],
  });

  // The other customer: Starter monthly, one paid invoice, one card.
  standIn.addCustomer({ id: OTHER, email: 'grace@example.com' });
  standIn.addPaymentMethod({ id: 'pm_other_visa', customer: OTHER, brand: 'visa', last4: '1881', expMonth: 6, expYear: 2031, isDefault: true });
  standIn.addSubscription({ id: 'sub_other', customer: OTHER, prices: ['price_starter_month'], periodStart: seconds('2026-11-05T00:00:00Z') });
  standIn.addInvoice({
    id: 'in_other_1',
    customer: OTHER,
    number: 'INV-0100',
    status: 'paid',
    created: seconds('2026-11-05T00:00:00Z'),
    subscription: 'sub_other',
    lines: [{ price: 'price_starter_month', description: '1 × Starter', amount: 900, periodStart: seconds('2026-11-05T00:00:00Z'), periodEnd: seconds('2026-12-05T00:00:00Z') }],
  });

  // A customer without a subscription (a canceled one only).
  standIn.addCustomer({ id: WITHOUT_SUBSCRIPTION });
  standIn.addSubscription({ id: 'sub_none_canceled', customer: WITHOUT_SUBSCRIPTION, prices: ['price_starter_month'], periodStart: seconds('2026-06-01T00:00:00Z'), status: 'canceled' });

  const stripe = standInClient(standIn);
  const engine = createStripeEngine({ stripe, catalog, now: () => NOW, ...options });
  return { standIn, stripe, catalog, engine, close: () => standIn.close() };
}
