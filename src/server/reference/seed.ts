/**
 * Demo data: a French small business on the Pro plan, fourteen months into its subscription,
 * with the situations the elements must show (usage near a limit, a module unused for
 * weeks, a card about to expire — so that the next renewal fails unless it is replaced). Dates are relative to the clock, so a
 * freshly seeded demo always looks current; to refresh an old demo database, delete it.
 *
 * Also seeds `cus_readonly` (Essentiel, whose demo user may only look: `demoIdentity`) and
 * `cus_nosub` (no subscription).
 */
import type { Database } from 'better-sqlite3';
import type { InvoiceLine, InvoiceStatus } from '../../contract/index.js';
import { EVERY_PERMISSION, READ_ONLY_PERMISSIONS, type ResolvedCustomer } from '../identity.js';
import { systemClock, type Clock } from './clock.js';
import { addMonths, DAY_MS, startOfUtcDay } from './core/dates.js';
import { invoiceIdentity } from './core/invoicing.js';
import type { ReferenceEngine } from './reference-engine.js';
import { migrate } from './migrations.js';
import { STOCK_PERIOD } from './usage.js';

export const DEMO_CUSTOMER_ID = 'cus_demo';
export const READ_ONLY_CUSTOMER_ID = 'cus_readonly';
export const NO_SUBSCRIPTION_CUSTOMER_ID = 'cus_nosub';

/**
 * Who the demo's users are, as a host's `resolveCustomer` would say: the user behind
 * `cus_readonly` may look at the subscription and its invoices and change nothing; the others
 * may do everything. Permissions are the host's, not the engine's (identity.ts).
 */
export function demoIdentity(customerId: string): ResolvedCustomer {
  return { customerId, permissions: customerId === READ_ONLY_CUSTOMER_ID ? READ_ONLY_PERMISSIONS : EVERY_PERMISSION };
}

const CURRENCY = 'EUR';
const HOUR_MS = 3_600_000;

const metrics = [
  { key: 'clients', name: 'Clients', unit: 'client', kind: 'stock' },
  { key: 'documents', name: 'Documents', unit: 'document', kind: 'period' },
  { key: 'orders', name: 'Commandes', unit: 'order', kind: 'period' },
] as const;

/** Prices in cents; a year costs ten months. */
const plans = [
  {
    id: 'essentiel',
    name: 'Essentiel',
    description: 'Pour démarrer : devis, factures et suivi des clients.',
    monthly: 1900,
    limits: { clients: 100, documents: 200, orders: 50 },
    includes: [],
  },
  {
    id: 'pro',
    name: 'Pro',
    description: 'Pour facturer chaque jour, facturation électronique comprise.',
    monthly: 4900,
    limits: { clients: 500, documents: 1000, orders: 300 },
    includes: ['e-invoicing'],
  },
  {
    id: 'entreprise',
    name: 'Entreprise',
    description: 'Gros volumes, plusieurs devises et un interlocuteur dédié.',
    monthly: 14900,
    limits: { clients: null, documents: 10000, orders: null },
    includes: ['e-invoicing'],
  },
] as const;

const modules = [
  {
    id: 'e-invoicing',
    name: 'Facturation électronique',
    description: 'Émission et réception de factures Factur-X via une plateforme agréée.',
    monthly: null,
    anyOfPlans: [],
    allOfModules: [],
  },
  {
    id: 'e-signature',
    name: 'Signature électronique',
    description: 'Faites signer devis et contrats en ligne.',
    monthly: 900,
    anyOfPlans: [],
    allOfModules: [],
  },
  {
    id: 'accounting-export',
    name: 'Export comptable',
    description: 'Envoie factures Factur-X et écritures (FEC) à votre logiciel comptable.',
    monthly: 1200,
    anyOfPlans: [],
    allOfModules: ['e-invoicing'],
  },
  {
    id: 'multi-currency',
    name: 'Multi-devises',
    description: 'Devis et factures en devises étrangères, au taux du jour.',
    monthly: 1900,
    anyOfPlans: ['entreprise'],
    allOfModules: [],
  },
  {
    id: 'auto-reminders',
    name: 'Relances automatiques',
    description: 'Relance par e-mail les factures impayées, selon votre calendrier.',
    monthly: 700,
    anyOfPlans: [],
    allOfModules: ['e-invoicing'],
  },
  {
    // Needs a module that is sold on its own: stopping e-signature takes this one with it.
    id: 'signature-workflows',
    name: 'Circuits de signature',
    description: 'Faites signer un document par plusieurs personnes, dans l’ordre que vous choisissez.',
    monthly: 500,
    anyOfPlans: [],
    allOfModules: ['e-signature'],
  },
] as const;

/**
 * The catalog in English (`catalog_texts`): the columns above are French, the catalog's own
 * language. Plan names are brand names and stay as they are.
 */
const english = {
  metric: { clients: ['Clients'], documents: ['Documents'], orders: ['Orders'] },
  plan: {
    essentiel: [null, 'To get started: quotes, invoices and client follow-up.'],
    pro: [null, 'For invoicing every day, e-invoicing included.'],
    entreprise: [null, 'High volumes, several currencies and a dedicated contact.'],
  },
  module: {
    'e-invoicing': ['E-invoicing', 'Send and receive Factur-X invoices through an approved platform.'],
    'e-signature': ['E-signature', 'Get quotes and contracts signed online.'],
    'accounting-export': ['Accounting export', 'Sends Factur-X invoices and entries (FEC) to your accounting software.'],
    'multi-currency': ['Multi-currency', 'Quotes and invoices in foreign currencies, at the day’s rate.'],
    'auto-reminders': ['Automatic reminders', 'Emails reminders of unpaid invoices, on your schedule.'],
    'signature-workflows': ['Signature workflows', 'Have a document signed by several people, in the order you choose.'],
  },
} as const satisfies Record<string, Record<string, readonly [string | null, string?]>>;

type PlanId = (typeof plans)[number]['id'];
type ModuleId = (typeof modules)[number]['id'];

interface InvoiceDraft {
  customerId: string;
  status: InvoiceStatus;
  periodStart: number;
  periodEnd: number;
  planId: PlanId;
  moduleIds: ModuleId[];
}

function isEngine(target: ReferenceEngine | Database): target is ReferenceEngine {
  return 'recordUsage' in target;
}

/**
 * Seeds the demo into a reference engine's database (or a bare database, which it migrates
 * first). Idempotent: does nothing, and returns `false`, when the demo customer exists.
 */
export function seedDemo(target: ReferenceEngine | Database, clock?: Clock): boolean {
  const db = isEngine(target) ? target.db : target;
  const now = (clock ?? (isEngine(target) ? target.clock : systemClock)).now().getTime();
  if (!isEngine(target)) migrate(db);
  const seeded = () => db.prepare('SELECT 1 FROM customers WHERE id = ?').get(DEMO_CUSTOMER_ID) !== undefined;
  if (seeded()) return false;

  const run = (sql: string, ...params: unknown[]) => db.prepare(sql).run(...params);

  const insertCatalog = () => {
    metrics.forEach((m, i) =>
      run('INSERT INTO metrics (key, name, unit, kind, position) VALUES (?, ?, ?, ?, ?)', m.key, m.name, m.unit, m.kind, i),
    );
    plans.forEach((p, i) => {
      run('INSERT INTO plans (id, name, description, rank) VALUES (?, ?, ?, ?)', p.id, p.name, p.description, i + 1);
      run(
        `INSERT INTO plan_prices (plan_id, interval, currency, amount_minor) VALUES (?, 'month', ?, ?), (?, 'year', ?, ?)`,
        p.id, CURRENCY, p.monthly, p.id, CURRENCY, p.monthly * 10,
      );
      for (const [metric, limit] of Object.entries(p.limits)) {
        run('INSERT INTO plan_limits (plan_id, metric_key, limit_value) VALUES (?, ?, ?)', p.id, metric, limit);
      }
    });
    modules.forEach((m, i) => {
      run(
        'INSERT INTO modules (id, name, description, position, for_sale) VALUES (?, ?, ?, ?, ?)',
        m.id, m.name, m.description, i, m.monthly === null ? 0 : 1,
      );
      if (m.monthly !== null) {
        run(
          `INSERT INTO module_prices (module_id, interval, currency, amount_minor) VALUES (?, 'month', ?, ?), (?, 'year', ?, ?)`,
          m.id, CURRENCY, m.monthly, m.id, CURRENCY, m.monthly * 10,
        );
      }
      for (const plan of m.anyOfPlans) run('INSERT INTO module_required_plans (module_id, plan_id) VALUES (?, ?)', m.id, plan);
      for (const required of m.allOfModules) {
        run('INSERT INTO module_required_modules (module_id, required_module_id) VALUES (?, ?)', m.id, required);
      }
    });
    for (const p of plans) {
      for (const module of p.includes) run('INSERT INTO plan_included_modules (plan_id, module_id) VALUES (?, ?)', p.id, module);
    }
    for (const [entity, texts] of Object.entries(english)) {
      for (const [id, [name, description]] of Object.entries(texts) as [string, readonly [string | null, string?]][]) {
        run(
          `INSERT INTO catalog_texts (entity, id, language, name, description) VALUES (?, ?, 'en', ?, ?)`,
          entity, id, name, description ?? null,
        );
      }
    }
  };

  const insertCustomer = (id: string, name: string, email: string, address: string | null) =>
    run(
      `INSERT INTO customers (id, name, email, locale, currency, created_at, address) VALUES (?, ?, ?, 'fr', ?, ?, ?)`,
      id, name, email, CURRENCY, now, address,
    );

  /** A monthly subscription `periods` periods old, the current period having started on `anchor + periods` months. */
  const insertSubscription = (customerId: string, planId: PlanId, anchor: number, periods: number, version: number) => {
    const id = customerId.replace('cus_', 'sub_');
    run(
      `INSERT INTO subscriptions (id, customer_id, plan_id, interval, status, started_at, billing_anchor,
         current_period_start, current_period_end, version)
       VALUES (?, ?, ?, 'month', 'active', ?, ?, ?, ?, ?)`,
      id, customerId, planId, anchor, anchor, addMonths(anchor, periods), addMonths(anchor, periods + 1), version,
    );
    return id;
  };

  const activateModule = (subscriptionId: string, moduleId: ModuleId, at: number) =>
    run(
      'INSERT INTO subscription_modules (subscription_id, module_id, activated_at) VALUES (?, ?, ?)',
      subscriptionId, moduleId, at,
    );

  const setUsage = (customerId: string, metricKey: string, periodStart: number, quantity: number) =>
    run(
      'INSERT INTO usage (customer_id, metric_key, period_start, quantity, updated_at) VALUES (?, ?, ?, ?, ?)',
      customerId, metricKey, periodStart, quantity, now,
    );

  const useModule = (customerId: string, moduleId: ModuleId, ...agesMs: number[]) => {
    for (const age of agesMs) {
      run('INSERT INTO module_usage_events (customer_id, module_id, used_at) VALUES (?, ?, ?)', customerId, moduleId, now - age);
    }
  };

  /** Numbers all invoices per calendar year in the order they were issued, like a French invoice register. */
  const insertInvoices = (drafts: InvoiceDraft[]) => {
    const sequence = new Map<number, number>();
    for (const draft of [...drafts].sort((a, b) => a.periodStart - b.periodStart)) {
      const year = new Date(draft.periodStart).getUTCFullYear();
      const n = (sequence.get(year) ?? 0) + 1;
      sequence.set(year, n);
      const { id, number } = invoiceIdentity(year, n);
      const plan = plans.find((p) => p.id === draft.planId);
      if (!plan) throw new Error(`Unknown plan ${draft.planId}`);
      const lines: (Pick<InvoiceLine, 'kind' | 'description' | 'planId' | 'moduleId'> & { amountMinor: number })[] = [
        { kind: 'plan', description: plan.name, planId: plan.id, amountMinor: plan.monthly },
      ];
      for (const moduleId of draft.moduleIds) {
        const module = modules.find((m) => m.id === moduleId);
        if (!module?.monthly) throw new Error(`Module ${moduleId} is not sold`);
        lines.push({ kind: 'module', description: module.name, moduleId, amountMinor: module.monthly });
      }
      const total = lines.reduce((sum, line) => sum + line.amountMinor, 0);
      const issuedAt = draft.periodStart;
      run(
        `INSERT INTO invoices (id, customer_id, number, status, currency, issued_at, due_at, period_start, period_end,
           total_minor, amount_due_minor)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        id, draft.customerId, number, draft.status, CURRENCY, issuedAt, issuedAt + 30 * DAY_MS,
        draft.periodStart, draft.periodEnd, total, draft.status === 'open' ? total : 0,
      );
      lines.forEach((line, position) =>
        run(
          `INSERT INTO invoice_lines (invoice_id, position, kind, description, amount_minor, plan_id, module_id,
             period_start, period_end)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          id, position, line.kind, line.description, line.amountMinor, line.planId ?? null, line.moduleId ?? null,
          draft.periodStart, draft.periodEnd,
        ),
      );
    }
  };

  // Under the write lock, looked at again: two processes seeding a new file at once seed it once.
  return db.transaction(() => {
    if (seeded()) return false;
    insertCatalog();
    const today = startOfUtcDay(now);
    const expiry = new Date(now);

    // Atelier Lumière: 14 monthly periods, the current one started about 12 days ago;
    // Essentiel for five months, then Pro, with the accounting export added a month later.
    insertCustomer(
      DEMO_CUSTOMER_ID,
      'Atelier Lumière SARL',
      'compta@atelier-lumiere.fr',
      '8 rue des Artisans\n69002 Lyon\nFrance',
    );
    const demoAnchor = addMonths(today - 12 * DAY_MS, -13);
    const demoSub = insertSubscription(DEMO_CUSTOMER_ID, 'pro', demoAnchor, 13, 3);
    const demoPeriodStart = addMonths(demoAnchor, 13);
    activateModule(demoSub, 'e-signature', demoAnchor);
    activateModule(demoSub, 'accounting-export', addMonths(demoAnchor, 6));
    setUsage(DEMO_CUSTOMER_ID, 'clients', STOCK_PERIOD, 312);
    setUsage(DEMO_CUSTOMER_ID, 'documents', demoPeriodStart, 870);
    setUsage(DEMO_CUSTOMER_ID, 'orders', demoPeriodStart, 140);
    useModule(DEMO_CUSTOMER_ID, 'e-invoicing', ...Array.from({ length: 40 }, (_, k) => (k * 17 + 1) * HOUR_MS));
    useModule(DEMO_CUSTOMER_ID, 'e-signature', ...Array.from({ length: 23 }, (_, k) => (k * 31 + 2) * HOUR_MS));
    // Last export 45 days ago: a module paid for and not used, worth flagging.
    useModule(DEMO_CUSTOMER_ID, 'accounting-export', ...[45, 75, 105, 135, 165].map((days) => days * DAY_MS));
    const invoices = Array.from({ length: 14 }, (_, i): InvoiceDraft => ({
      customerId: DEMO_CUSTOMER_ID,
      status: i === 3 ? 'void' : 'paid',
      periodStart: addMonths(demoAnchor, i),
      periodEnd: addMonths(demoAnchor, i + 1),
      planId: i < 5 ? 'essentiel' : 'pro',
      moduleIds: i < 6 ? ['e-signature'] : ['e-signature', 'accounting-export'],
    }));
    // The card expires at the end of this month: "expires soon" in any element that checks.
    run(
      `INSERT INTO payment_methods (id, customer_id, type, is_default, card_brand, card_last4, card_exp_month,
         card_exp_year, created_at)
       VALUES ('pm_demo_visa', ?, 'card', 1, 'visa', '4242', ?, ?, ?)`,
      DEMO_CUSTOMER_ID, expiry.getUTCMonth() + 1, expiry.getUTCFullYear(), addMonths(demoAnchor, 2),
    );
    run(
      `INSERT INTO payment_methods (id, customer_id, type, is_default, label, created_at)
       VALUES ('pm_demo_sepa', ?, 'sepa_debit', 0, 'IBAN FR76 •••• 0189', ?)`,
      DEMO_CUSTOMER_ID, demoAnchor,
    );

    // Boulangerie Martin: two months on Essentiel, seen by a read-only user (demoIdentity).
    insertCustomer(
      READ_ONLY_CUSTOMER_ID,
      'Boulangerie Martin',
      'contact@boulangerie-martin.fr',
      '3 place du Marché\n44000 Nantes\nFrance',
    );
    const readOnlyAnchor = addMonths(today - 20 * DAY_MS, -1);
    const readOnlySub = insertSubscription(READ_ONLY_CUSTOMER_ID, 'essentiel', readOnlyAnchor, 1, 1);
    activateModule(readOnlySub, 'e-signature', readOnlyAnchor);
    setUsage(READ_ONLY_CUSTOMER_ID, 'clients', STOCK_PERIOD, 64);
    setUsage(READ_ONLY_CUSTOMER_ID, 'documents', addMonths(readOnlyAnchor, 1), 41);
    setUsage(READ_ONLY_CUSTOMER_ID, 'orders', addMonths(readOnlyAnchor, 1), 12);
    useModule(READ_ONLY_CUSTOMER_ID, 'e-signature', 3 * DAY_MS, 9 * DAY_MS, 40 * DAY_MS);
    for (const i of [0, 1]) {
      invoices.push({
        customerId: READ_ONLY_CUSTOMER_ID,
        status: 'paid',
        periodStart: addMonths(readOnlyAnchor, i),
        periodEnd: addMonths(readOnlyAnchor, i + 1),
        planId: 'essentiel',
        moduleIds: ['e-signature'],
      });
    }
    run(
      `INSERT INTO payment_methods (id, customer_id, type, is_default, card_brand, card_last4, card_exp_month,
         card_exp_year, created_at)
       VALUES ('pm_readonly_mc', ?, 'card', 1, 'mastercard', '5454', 9, ?, ?)`,
      READ_ONLY_CUSTOMER_ID, expiry.getUTCFullYear() + 2, readOnlyAnchor,
    );

    // Studio Nova: signed up, never subscribed.
    insertCustomer(NO_SUBSCRIPTION_CUSTOMER_ID, 'Studio Nova', 'bonjour@studio-nova.fr', null);

    insertInvoices(invoices);
    return true;
  }).immediate();
}
