/**
 * The reference engine: the business rules of CONTRACT.md on SQLite (better-sqlite3), for
 * development, demos and tests — and as the example to follow when writing an adapter
 * over a real billing engine.
 */
import BetterSqlite3, { type Database } from 'better-sqlite3';
import type { BillingEngine, CustomerId } from '../engine.js';
import type { IdempotencyStore } from '../idempotency.js';
import { createAccounts } from './account.js';
import { createCatalog } from './catalog.js';
import { createChanges } from './changes.js';
import { systemClock, type Clock } from './clock.js';
import { createSqliteIdempotencyStore } from './idempotency-store.js';
import { createInvoices } from './invoices.js';
import { createInvoiceIssuer } from './invoicing.js';
import { migrate } from './migrations.js';
import { createOfferReader } from './offer.js';
import { createPaymentMethodCheck, createPaymentMethodReader } from './payment-methods.js';
import { createPreviewTokens } from './preview-token.js';
import { createRollover } from './rollover.js';
import { createSchedule } from './schedule.js';
import { readSubscription } from './subscription.js';
import { createSubscriptionWrites } from './subscription-writes.js';
import { createUsage } from './usage.js';

export interface ReferenceEngineOptions {
  /** An open database, or a file path (`':memory:'` for a throwaway one). */
  db: Database | string;
  clock?: Clock;
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
  const accounts = createAccounts(db, createOfferReader(db), schedule);
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
  const customerExists = db.prepare<[string], number>('SELECT 1 FROM customers WHERE id = ?').pluck();
  const moduleExists = db.prepare<[string], number>('SELECT 1 FROM modules WHERE id = ?').pluck();
  const insertModuleUse = db.prepare<[string, string, number]>(
    'INSERT INTO module_usage_events (customer_id, module_id, used_at) VALUES (?, ?, ?)',
  );

  /** Runs `task` once the customer's ended periods are closed, so what they see and change is current. */
  const current = <T>(customer: CustomerId, task: () => T): T => {
    rollover(customer);
    return task();
  };
  const load = (customer: CustomerId) => current(customer, () => accounts.load(customer));
  const customerRow = (customer: CustomerId) => current(customer, () => accounts.customer(customer));

  return {
    db,
    clock,
    idempotencyStore: createSqliteIdempotencyStore(db, clock),
    getSubscription: async (customer) => readSubscription(load(customer)),
    listPlans: async (customer) => catalog.listPlans(load(customer)),
    listModules: async (customer) => catalog.listModules(load(customer)),
    listUsage: async (customer) => usage.list(load(customer)),
    // Invoices and payment methods belong to the customer whatever their subscription.
    listInvoices: async (customer, query) => invoices.list(customerRow(customer).id, query),
    getInvoice: async (customer, invoiceId) => invoices.get(customerRow(customer).id, invoiceId),
    listPaymentMethods: async (customer) => readPaymentMethods(customerRow(customer).id),
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
