/**
 * The reference engine: the business rules of CONTRACT.md on SQLite (better-sqlite3), for
 * development, demos and tests — and as the example to follow when writing an adapter
 * over a real billing engine.
 */
import { randomBytes } from 'node:crypto';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import type { BillingEngine, CustomerId } from '../engine.js';
import { BillingEngineError } from '../errors.js';
import type { IdempotencyStore } from '../idempotency.js';
import type { SetupSessionStore } from '../setup-sessions.js';
import { createAccounts } from './account.js';
import { createCatalog } from './catalog.js';
import { createChangeStamp } from './change-stamp.js';
import { createChanges } from './changes.js';
import { systemClock, type Clock } from './clock.js';
import { createSqliteIdempotencyStore } from './idempotency-store.js';
import { DEMO_SELLER, renderInvoicePdf, type Seller } from './invoice-pdf.js';
import { createInvoices } from './invoices.js';
import { createInvoiceIssuer } from './invoicing.js';
import { migrate } from './migrations.js';
import { createOfferReader } from './offer.js';
import { createPaymentMethodCheck, createPaymentMethodReader, createPaymentMethodWrites } from './payment-methods.js';
import { createPreviewTokens } from './preview-token.js';
import { createRollover } from './rollover.js';
import { createSchedule } from './schedule.js';
import { createSqliteSetupSessionStore } from './setup-session-store.js';
import { readSubscription, RENEWING } from './subscription.js';
import { createSubscriptionWrites } from './subscription-writes.js';
import { textsFor } from './texts.js';
import { createUsage } from './usage.js';

export interface ReferenceEngineOptions {
  /** An open database, or a file path (`':memory:'` for a throwaway one). */
  db: Database | string;
  clock?: Clock;
  /** Who issues the invoices, printed on every PDF. Default: a demo company ("billing-elements demo SaaS"). */
  seller?: Seller;
}

export interface ReferenceEngine extends BillingEngine {
  /** The database, migrated; for seeding and for the host's own admin tasks. */
  readonly db: Database;
  readonly clock: Clock;
  /** Reports usage of a metric, e.g. `recordUsage('cus_1', 'documents', 1)`; stock metrics take negatives. */
  recordUsage(customer: CustomerId, metricKey: string, quantity: number): Promise<void>;
  /** Notes that a customer used a module now (feeds `lastUsedAt` and `usageCount30d`). */
  recordModuleUse(customer: CustomerId, moduleId: string): Promise<void>;
  hasCustomer(customer: CustomerId): Promise<boolean>;
  /**
   * Closes every billing period that has ended by the clock: applies its scheduled changes,
   * issues the next period's invoice, moves the period on. Returns how many periods it closed.
   * Every other method does this first for its customer, so calling it is only needed to
   * bill customers nobody looks at (from a scheduler) — or in tests, after moving the clock.
   */
  runBilling(): Promise<number>;
  /** Idempotency-Key storage in this database, for `createBillingHandler({ idempotencyStore })`. */
  readonly idempotencyStore: IdempotencyStore;
  /** Hosted test page sessions in this database, for `createBillingHandler({ setupSessionStore })`. */
  readonly setupSessionStore: SetupSessionStore;
  /**
   * A 32-byte key kept in this database (`engine_secrets`), for
   * `createBillingHandler({ signingSecret })`: PDF links then hold across processes and restarts.
   */
  readonly signingSecret: Uint8Array;
  /** Records a test card (display data only) as the customer's new default; what the hosted test page calls. */
  addTestCard: NonNullable<BillingEngine['addTestCard']>;
  /** Closes the database if the engine opened it (a database passed in stays open). */
  close(): void;
}

function openDatabase(db: Database | string): Database {
  const database = typeof db === 'string' ? new BetterSqlite3(db) : db;
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  migrate(database);
  return database;
}

export function createReferenceEngine(options: ReferenceEngineOptions): ReferenceEngine {
  const db = openDatabase(options.db);
  const clock = options.clock ?? systemClock;
  const schedule = createSchedule(db);
  const stamp = createChangeStamp(db);
  const accounts = createAccounts(db, createOfferReader(db, stamp), schedule, stamp);
  const catalog = createCatalog(db, clock);
  const usage = createUsage(db, clock);
  const invoices = createInvoices(db);
  const readPaymentMethods = createPaymentMethodReader(db);
  const canCharge = createPaymentMethodCheck(db);
  const writes = createSubscriptionWrites(db);
  const issueInvoice = createInvoiceIssuer(invoices, canCharge);
  const rollover = createRollover({ db, clock, accounts, schedule, writes, issueInvoice });
  const tokens = createPreviewTokens(db);
  const changes = createChanges({ db, clock, accounts, usage, schedule, writes, tokens, canCharge, issueInvoice });
  const paymentMethodWrites = createPaymentMethodWrites(db, clock);
  const seller = options.seller ?? DEMO_SELLER;
  const customerExists = db.prepare<[string], number>('SELECT 1 FROM customers WHERE id = ?').pluck();
  const invoiceCustomer = db.prepare<[string], { name: string; email: string | null; address: string | null; locale: string }>(
    'SELECT name, email, address, locale FROM customers WHERE id = ?',
  );
  db.prepare(`INSERT INTO engine_secrets (name, value) VALUES ('link_signing', ?) ON CONFLICT (name) DO NOTHING`).run(
    randomBytes(32),
  );
  const signingSecret = db.prepare<[], Buffer>(`SELECT value FROM engine_secrets WHERE name = 'link_signing'`).pluck().get();
  if (!signingSecret) throw new Error('The link signing secret is missing.');
  const moduleExists = db.prepare<[string], number>('SELECT 1 FROM modules WHERE id = ?').pluck();
  const insertModuleUse = db.prepare<[string, string, number]>(
    'INSERT INTO module_usage_events (customer_id, module_id, used_at) VALUES (?, ?, ?)',
  );

  /**
   * Whether the customer has a period to close, from their account as kept (change-stamp.ts):
   * no query of its own on the usual path. Unknown customers have none (the task says so).
   */
  const periodEnded = (customer: CustomerId): boolean => {
    let account: ReturnType<typeof accounts.load>;
    try {
      account = accounts.load(customer);
    } catch {
      return false;
    }
    const sub = account.subscription;
    return sub !== null && RENEWING.has(sub.status) && sub.current_period_end <= clock.now().getTime();
  };
  /** Runs `task` once the customer's ended periods are closed, so what they see and change is current. */
  const current = <T>(customer: CustomerId, task: () => T): T => {
    if (periodEnded(customer)) rollover(customer);
    return task();
  };
  const load = (customer: CustomerId) => current(customer, () => accounts.load(customer));
  const customerRow = (customer: CustomerId) => current(customer, () => accounts.customer(customer));
  /** Payment methods are the account holder's business: a read-only user may look, not change. */
  const mayManagePaymentMethods = (customer: CustomerId) => {
    if (customerRow(customer).role === 'read_only') {
      throw new BillingEngineError('forbidden', { detail: 'This user may not manage payment methods.' });
    }
  };

  return {
    db,
    clock,
    idempotencyStore: createSqliteIdempotencyStore(db, clock),
    setupSessionStore: createSqliteSetupSessionStore(db, clock),
    signingSecret: new Uint8Array(signingSecret),
    getSubscription: async (customer) => readSubscription(load(customer)),
    listPlans: async (customer) => catalog.listPlans(load(customer)),
    listModules: async (customer) => catalog.listModules(load(customer)),
    listUsage: async (customer) => usage.list(load(customer)),
    // Invoices and payment methods belong to the customer whatever their subscription.
    listInvoices: async (customer, query) => invoices.list(customerRow(customer).id, query),
    getInvoice: async (customer, invoiceId) => invoices.get(customerRow(customer).id, invoiceId),
    async renderInvoicePdf(customer, invoiceId) {
      const invoice = invoices.get(customerRow(customer).id, invoiceId);
      const holder = invoiceCustomer.get(customer);
      if (invoice === null || !invoice.hasPdf || !invoice.lines || !holder) return null;
      return renderInvoicePdf({ invoice: { ...invoice, lines: invoice.lines }, customer: holder, seller, texts: textsFor(holder.locale) });
    },
    listPaymentMethods: async (customer) => readPaymentMethods(customerRow(customer).id),
    // No payment provider here: the handler's hosted test page collects a card (addTestCard).
    createSetupSession: async (customer) => {
      mayManagePaymentMethods(customer);
      return null;
    },
    async setDefaultPaymentMethod(customer, paymentMethodId) {
      mayManagePaymentMethods(customer);
      return paymentMethodWrites.makeDefault(customer, paymentMethodId) ? readPaymentMethods(customer) : null;
    },
    async addTestCard(customer, card) {
      mayManagePaymentMethods(customer);
      paymentMethodWrites.addCard(customer, card);
      return readPaymentMethods(customer);
    },
    previewChange: async (customer, request) => current(customer, () => changes.preview(customer, request)),
    commitChange: async (customer, request, ifMatch) => current(customer, () => changes.commit(customer, request, ifMatch)),
    cancelScheduledChange: async (customer, id, ifMatch) => current(customer, () => changes.cancel(customer, id, ifMatch)),
    runBilling: async () => rollover(),
    recordUsage: async (customer, metricKey, quantity) => current(customer, () => usage.record(customer, metricKey, quantity)),
    recordModuleUse: async (customer, moduleId) => {
      if (customerExists.get(customer) === undefined) throw new RangeError(`Unknown customer "${customer}".`);
      if (moduleExists.get(moduleId) === undefined) throw new RangeError(`Unknown module "${moduleId}".`);
      insertModuleUse.run(customer, moduleId, clock.now().getTime());
    },
    hasCustomer: async (customer) => customerExists.get(customer) !== undefined,
    close() {
      if (typeof options.db === 'string') db.close();
    },
  };
}
