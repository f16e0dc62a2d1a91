/**
 * The reference engine: the business rules of CONTRACT.md on SQLite (better-sqlite3), for
 * development, demos and tests — and as the example to follow when writing an adapter
 * over a real billing engine.
 */
import BetterSqlite3, { type Database } from 'better-sqlite3';
import type { BillingEngine, CustomerId } from '../engine.js';
import { createAccounts } from './account.js';
import { createCatalog } from './catalog.js';
import { systemClock, type Clock } from './clock.js';
import { createInvoices } from './invoices.js';
import { migrate } from './migrations.js';
import { createPaymentMethodReader } from './payment-methods.js';
import { createSubscriptionReader } from './subscription.js';
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
  const accounts = createAccounts(db);
  const catalog = createCatalog(db, clock);
  const readSubscription = createSubscriptionReader(db);
  const usage = createUsage(db, clock);
  const invoices = createInvoices(db);
  const readPaymentMethods = createPaymentMethodReader(db);
  const customerExists = db.prepare<[string], number>('SELECT 1 FROM customers WHERE id = ?').pluck();
  const moduleExists = db.prepare<[string], number>('SELECT 1 FROM modules WHERE id = ?').pluck();
  const insertModuleUse = db.prepare<[string, string, number]>(
    'INSERT INTO module_usage_events (customer_id, module_id, used_at) VALUES (?, ?, ?)',
  );

  return {
    db,
    clock,
    getSubscription: async (customer) => readSubscription(accounts.load(customer)),
    listPlans: async (customer) => catalog.listPlans(accounts.load(customer)),
    listModules: async (customer) => catalog.listModules(accounts.load(customer)),
    listUsage: async (customer) => usage.list(accounts.load(customer)),
    // Invoices and payment methods belong to the customer whatever their subscription.
    listInvoices: async (customer, query) => invoices.list(accounts.customer(customer).id, query),
    getInvoice: async (customer, invoiceId) => invoices.get(accounts.customer(customer).id, invoiceId),
    listPaymentMethods: async (customer) => readPaymentMethods(accounts.customer(customer).id),
    recordUsage: async (customer, metricKey, quantity) => usage.record(customer, metricKey, quantity),
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
