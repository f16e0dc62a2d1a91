import type { PaymentMethod, UsageMetric } from '../../src/index.js';

/**
 * Usage of "Atelier Lumière SARL", the French small business of the reference seed, on the
 * Pro plan, as the endpoint would report it on 26 November 2026 — twelve days into a monthly
 * period. Fixed instants, so every screenshot of a story is the same. `AS_OF` is also the
 * fixtures' now: every story sets it as its elements' `now`.
 */
export const AS_OF = '2026-11-26T09:30:00Z';
export const PERIOD_START = '2026-11-14T00:00:00Z';
export const PERIOD_END = '2026-12-14T00:00:00Z';
/** Where the reference engine starts stock metrics, which never reset. */
export const STOCK_PERIOD_START = '1970-01-01T00:00:00Z';

/** A usage metric of the current monthly period, with `overrides` on top. */
export function usageMetric(overrides: Partial<UsageMetric> & Pick<UsageMetric, 'metricKey' | 'name' | 'unit'>): UsageMetric {
  return {
    used: 0,
    limit: null,
    warnAt: 0.8,
    periodStart: PERIOD_START,
    resetsAt: PERIOD_END,
    asOf: AS_OF,
    ...overrides,
  };
}

export const clients = usageMetric({
  metricKey: 'clients',
  name: 'Clients',
  unit: 'client',
  used: 312,
  limit: 500,
  // A stock: counted since the account opened, never reset.
  periodStart: STOCK_PERIOD_START,
  resetsAt: null,
});

export const documents = usageMetric({ metricKey: 'documents', name: 'Documents', unit: 'document', used: 870, limit: 1000 });

export const orders = usageMetric({ metricKey: 'orders', name: 'Orders', unit: 'order', used: 140, limit: 300 });

/** What `GET /v1/usage` answers by default. */
export const seededUsage: UsageMetric[] = [clients, documents, orders];

/** Usage of a business that would fit Essentiel: every figure below 80 % of its limits. */
export const smallBusinessUsage: UsageMetric[] = [
  { ...clients, used: 64 },
  { ...documents, used: 118 },
  { ...orders, used: 21 },
];

/** Usage above two of Pro's limits (530 clients of 500, 1,140 documents of 1,000); orders as seeded. */
export const overLimitUsage: UsageMetric[] = [{ ...clients, used: 530 }, { ...documents, used: 1140 }, orders];

/**
 * Usage that fits Pro with room to spare and would not fit Essentiel: every figure below 80 %
 * of Pro's limits, and the pace of the period stays within them until the reset.
 */
export const comfortableUsage: UsageMetric[] = [
  { ...clients, used: 212 },
  { ...documents, used: 360 },
  { ...orders, used: 96 },
];

/*
 * The catalog of the demo business: three plans and five modules, prices in cents (a year
 * costs ten months). Names and descriptions come in the two languages of the stories: the
 * fake endpoint answers in one of them, as a real one answers in the customer's language.
 */

export type CatalogLanguage = 'en' | 'fr';
type Text = Record<CatalogLanguage, string>;

export interface CatalogPlan {
  id: string;
  name: string;
  description: Text;
  rank: number;
  /** Cents per month and per year. */
  prices: { month: number; year: number };
  /** By metric key; `null` = unlimited. */
  limits: Record<string, number | null>;
  includedModuleIds: string[];
}

export interface CatalogModule {
  id: string;
  name: Text;
  description: Text;
  /** Cents per month (a year costs ten months); `null` for a module only ever included in plans. */
  monthly: number | null;
  anyOfPlans?: string[];
  allOfModules?: string[];
  /** What the endpoint reports of its use; left out when it reports nothing. */
  lastUsedAt?: string | null;
  usageCount30d?: number;
}

const DAY_MS = 86_400_000;
/** `days` days before the fixtures' now. */
export const daysBeforeNow = (days: number): string => new Date(Date.parse(AS_OF) - days * DAY_MS).toISOString();

export const essentiel: CatalogPlan = {
  id: 'essentiel',
  name: 'Essentiel',
  description: {
    en: 'To get started: quotes, invoices and client follow-up.',
    fr: 'Pour démarrer : devis, factures et suivi des clients.',
  },
  rank: 1,
  prices: { month: 1900, year: 19000 },
  limits: { clients: 100, documents: 200, orders: 50 },
  includedModuleIds: [],
};

export const pro: CatalogPlan = {
  id: 'pro',
  name: 'Pro',
  description: {
    en: 'For invoicing every day, e-invoicing included.',
    fr: 'Pour facturer chaque jour, facturation électronique comprise.',
  },
  rank: 2,
  prices: { month: 4900, year: 49000 },
  limits: { clients: 500, documents: 1000, orders: 300 },
  includedModuleIds: ['e-invoicing'],
};

export const entreprise: CatalogPlan = {
  id: 'entreprise',
  name: 'Entreprise',
  description: {
    en: 'High volumes, several currencies and a dedicated contact.',
    fr: 'Gros volumes, plusieurs devises et un interlocuteur dédié.',
  },
  rank: 3,
  prices: { month: 14900, year: 149000 },
  limits: { clients: null, documents: 10000, orders: null },
  includedModuleIds: ['e-invoicing'],
};

export const catalogPlans: CatalogPlan[] = [essentiel, pro, entreprise];

export const catalogModules: CatalogModule[] = [
  {
    id: 'e-invoicing',
    name: { en: 'E-invoicing', fr: 'Facturation électronique' },
    description: {
      en: 'Send and receive Factur-X invoices through an approved platform.',
      fr: 'Émission et réception de factures Factur-X via une plateforme agréée.',
    },
    monthly: null,
    lastUsedAt: daysBeforeNow(1),
    usageCount30d: 118,
  },
  {
    id: 'e-signature',
    name: { en: 'E-signature', fr: 'Signature électronique' },
    description: { en: 'Have quotes and contracts signed online.', fr: 'Faites signer devis et contrats en ligne.' },
    monthly: 900,
    // No `lastUsedAt`: an endpoint that reports only the 30-day use count.
    usageCount30d: 42,
  },
  {
    id: 'accounting-export',
    name: { en: 'Accounting export', fr: 'Export comptable' },
    description: {
      en: 'Sends invoices and ledger entries (FEC) to your accounting software.',
      fr: 'Envoie factures et écritures (FEC) à votre logiciel comptable.',
    },
    monthly: 1200,
    // 45 days before the fixtures' now: flagged as a paid module unused for 30 days.
    lastUsedAt: daysBeforeNow(45),
    usageCount30d: 0,
  },
  {
    id: 'multi-currency',
    name: { en: 'Multi-currency', fr: 'Multi-devises' },
    description: {
      en: 'Quotes and invoices in foreign currencies, at the day’s rate.',
      fr: 'Devis et factures en devises étrangères, au taux du jour.',
    },
    monthly: 1900,
    anyOfPlans: ['entreprise'],
    lastUsedAt: null,
    usageCount30d: 0,
  },
  {
    id: 'auto-reminders',
    name: { en: 'Automatic reminders', fr: 'Relances automatiques' },
    description: {
      en: 'Reminds clients by email of unsigned quotes and unpaid invoices, on your schedule.',
      fr: 'Relance vos clients par e-mail pour les devis non signés et les factures impayées.',
    },
    monthly: 700,
    allOfModules: ['e-signature'],
    lastUsedAt: null,
    usageCount30d: 0,
  },
];

/** The paid modules of the seeded subscription (E-invoicing comes with Pro). */
export const seededModuleIds = ['e-signature', 'accounting-export'];

/** The catalog with Accounting export in use (last used three days before now): no paid module is unused. */
export const catalogModulesAllUsed: CatalogModule[] = catalogModules.map((module) =>
  module.id === 'accounting-export' ? { ...module, lastUsedAt: daysBeforeNow(3), usageCount30d: 9 } : module,
);

/** French names of the seeded metrics, as an endpoint answering in French would send them. */
export const metricNamesFr: Record<string, string> = { clients: 'Clients', documents: 'Documents', orders: 'Commandes' };

/*
 * Payment methods of the demo business, as the reference seed has them: a Visa card, the
 * default, and a SEPA Direct Debit mandate. Card expiries are fixed months, read against the
 * fixtures' now (`AS_OF`, 26 November 2026), which every story gives its elements as `now`:
 * the same warnings whatever day Storybook runs.
 */

/** The default card, valid through 30 November 2026, days after `AS_OF`: "expires soon". */
export const visaExpiringSoon: PaymentMethod = {
  id: 'pm_demo_visa',
  type: 'card',
  isDefault: true,
  card: { brand: 'visa', last4: '4242', expMonth: 11, expYear: 2026 },
};

/** The same card had it ended a month earlier: expired at the end of October 2026. */
export const visaExpired: PaymentMethod = { ...visaExpiringSoon, card: { ...visaExpiringSoon.card!, expMonth: 10, expYear: 2026 } };

/** A card renewed for another three years (November 2029): no warning. */
export const visaValid: PaymentMethod = {
  ...visaExpiringSoon,
  id: 'pm_demo_visa_renewed',
  card: { brand: 'visa', last4: '1881', expMonth: 11, expYear: 2029 },
};

/** A SEPA Direct Debit mandate: no card data, its label says which account. */
export const sepaMandate: PaymentMethod = {
  id: 'pm_demo_sepa',
  type: 'sepa_debit',
  isDefault: false,
  label: 'IBAN FR76 •••• 0189',
};

/** What `GET /v1/payment-methods` lists by default. */
export const seededPaymentMethods: PaymentMethod[] = [visaExpiringSoon, sepaMandate];
