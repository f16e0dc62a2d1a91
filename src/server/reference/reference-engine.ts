/**
 * The reference engine: the business rules of CONTRACT.md on SQLite (better-sqlite3), for
 * development, demos and tests — and as the example to follow when writing an adapter
 * over a real billing engine.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import type { ChangeRequest, UsageMetric } from '../../contract/index.js';
import type { BillingEngine, CustomerId } from '../billing-engine.js';
import { BillingEngineError } from '../errors.js';
import type { IdempotencyStore } from '../idempotency.js';
import type { SetupSessionStore } from '../setup-sessions.js';
import { createAccounts, type Account } from './account.js';
import { createCatalog } from './catalog.js';
import { createChangeStamp } from './change-stamp.js';
import { createChanges } from './changes.js';
import { systemClock, type Clock } from './clock.js';
import { createCollection } from './collection.js';
import { guardDatabaseFaults, type EngineLogger } from './database-faults.js';
import { createSqliteIdempotencyStore } from './idempotency-store.js';
import { isPeerNotFound, MissingPeerError } from '../peer.js';
import { DEMO_SELLER, renderInvoicePdf, type Seller } from './pdf-document.js';
import { createInvoices } from './invoices.js';
import { createInvoiceIssuer } from './invoice-issuer.js';
import { migrate } from './migrations.js';
import { createOfferReader } from './offer-reader.js';
import {
  createDefaultMethodReader,
  createPaymentMethodCheck,
  createPaymentMethodReader,
  createPaymentMethodWrites,
} from './payment-methods.js';
import { createPreviewTokens } from './preview-token.js';
import { createRollover } from './rollover.js';
import { createSchedule } from './schedule.js';
import { createSqliteSetupSessionStore } from './setup-session-store.js';
import { readSubscription } from './subscription.js';
import { createSubscriptionWrites } from './subscription-writes.js';
import { createTransactions } from './transactions.js';
import { RENEWING } from './core/change-rules.js';
import { wordingFor, writingLanguage } from './core/texts.js';
import { createUsage } from './usage.js';

export interface ReferenceEngineOptions {
  /** An open database, or a file path (`':memory:'` for a throwaway one). */
  db: Database | string;
  clock?: Clock;
  /** Who issues the invoices, printed on every PDF. Default: a demo company ("billing-elements demo SaaS"). */
  seller?: Seller;
  /**
   * How long a write waits for another connection's write lock (another process on the same
   * file) before it gives up with 503 `engine_unavailable`. Default 5,000 ms.
   */
  busyTimeoutMs?: number;
  /** Where database faults answered 503 are reported (busy, full disk, I/O error). Default `console`. */
  logger?: EngineLogger;
  /**
   * The customer's usage from the host's own metering, when it is not reported to the engine
   * (`recordUsage`): `listUsage` answers what it gives, and a plan change's preview and commit
   * weigh it against the new plan's limits (`usage_exceeds_new_limit`). Default: the engine's
   * usage table.
   */
  usage?: (customer: CustomerId) => Promise<UsageMetric[]>;
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
  payInvoiceWithTestCard: NonNullable<BillingEngine['payInvoiceWithTestCard']>;
  /**
   * Test mode: moves the engine's clock (for every customer of this database, kept in it) to
   * just after the end of `customer`'s current period and closes it, as its renewal would.
   */
  advanceToPeriodEnd: NonNullable<BillingEngine['advanceToPeriodEnd']>;
  /** Closes the database if the engine opened it (a database passed in stays open). */
  close(): void;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * better-sqlite3, an optional peer dependency (peer.ts), required when a database is opened
 * from a path: without it, `createReferenceEngine` throws a one-line `MissingPeerError`
 * rather than `billing-elements/server.js` failing to import. (It is a CommonJS native addon:
 * `require` keeps `createReferenceEngine` synchronous.)
 */
function loadBetterSqlite3(): typeof BetterSqlite3 {
  try {
    return createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
  } catch (error) {
    if (isPeerNotFound(error, 'better-sqlite3')) throw new MissingPeerError('better-sqlite3', 'the reference engine', { cause: error });
    throw error;
  }
}

/**
 * Several processes may share the file (docs/server.md, "Several processes on one database"):
 * the busy timeout comes first, so that even switching a new file to WAL and migrating it
 * wait for a process doing the same; every write transaction then takes the write lock at its
 * start (`.immediate()`), where SQLite can wait for it, rather than upgrading a read, which
 * fails at once with SQLITE_BUSY when another process wrote in between. WAL with
 * `synchronous = NORMAL` keeps every commit through a crash of the process (kill -9);
 * a power cut may lose the last ones, never the file.
 */
function openDatabase(db: Database | string, busyTimeoutMs: number): Database {
  const database = typeof db === 'string' ? new (loadBetterSqlite3())(db, { timeout: busyTimeoutMs }) : db;
  database.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  migrate(database);
  return database;
}

/**
 * The engine's clock: the given one, moved ahead by the test-mode offset kept in the database
 * (`engine_settings.test_clock_offset_ms`, 0 unless `advanceToPeriodEnd` was called). Read at
 * start and kept in this process: another process sharing the file sees a move on restart.
 */
function offsetClock(db: Database, base: Clock): { clock: Clock; moveBy(ms: number): void } {
  const read = db.prepare<[], number>(`SELECT value FROM engine_settings WHERE name = 'test_clock_offset_ms'`).pluck();
  const write = db.prepare<[number]>(
    `INSERT INTO engine_settings (name, value) VALUES ('test_clock_offset_ms', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
  );
  let offset = read.get() ?? 0;
  return {
    clock: { now: () => (offset === 0 ? base.now() : new Date(base.now().getTime() + offset)) },
    moveBy(ms) {
      offset += ms;
      write.run(offset);
    },
  };
}

export function createReferenceEngine(options: ReferenceEngineOptions): ReferenceEngine {
  const db = openDatabase(options.db, options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
  const logger = options.logger ?? console;
  const testClock = offsetClock(db, options.clock ?? systemClock);
  const clock = testClock.clock;
  const schedule = createSchedule(db);
  const stamp = createChangeStamp(db);
  const transactions = createTransactions(db, stamp);
  const defaultMethod = createDefaultMethodReader(db);
  const accounts = createAccounts(db, createOfferReader(db, stamp), schedule, defaultMethod, stamp);
  const catalog = createCatalog(db, clock);
  const usage = createUsage(db, clock, stamp);
  const invoices = createInvoices(db);
  const readPaymentMethods = createPaymentMethodReader(db);
  const canCharge = createPaymentMethodCheck(defaultMethod);
  const writes = createSubscriptionWrites(db);
  const issueInvoice = createInvoiceIssuer(invoices, canCharge);
  const collection = createCollection(accounts, invoices, writes, canCharge);
  const rollover = createRollover({ db, transactions, clock, accounts, schedule, writes, issueInvoice, collection });
  const tokens = createPreviewTokens(db);
  const changes = createChanges({ transactions, clock, accounts, usage, schedule, writes, tokens, issueInvoice, periodDue: (account) => hasEndedPeriod(account) });
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
    let account: Account;
    try {
      account = accounts.load(customer);
    } catch {
      return false;
    }
    return hasEndedPeriod(account);
  };
  const hasEndedPeriod = ({ subscription: sub }: Account) =>
    sub !== null && RENEWING.has(sub.status) && sub.current_period_end <= clock.now().getTime();
  /** Runs `task` once the customer's ended periods are closed, so what they see and change is current. */
  const current = <T>(customer: CustomerId, task: () => T): T => {
    if (periodEnded(customer)) rollover(customer);
    return task();
  };
  /** The account, once its ended periods are closed: read once when there are none (the usual case). */
  const load = (customer: CustomerId) => {
    const account = accounts.load(customer);
    if (!hasEndedPeriod(account)) return account;
    rollover(customer);
    return accounts.load(customer);
  };
  /**
   * The host's usage (`options.usage`) for a plan change's preview, read before its
   * transaction (its warnings weigh it against the new plan's limits); `undefined`: the
   * engine's own, read in it.
   */
  const hostUsage = async (customer: CustomerId, request: ChangeRequest) =>
    options.usage && request.change.type === 'plan' ? options.usage(customer) : undefined;
  const customerRow = (customer: CustomerId) => current(customer, () => accounts.customer(customer));
  /** The customer's account with the wording of the language they read (engine.ts, `Languages`). */
  const read = (customer: CustomerId, languages: readonly string[] | undefined) => {
    const account = load(customer);
    const language = writingLanguage(languages, account.customer.locale);
    return { account, language, wording: wordingFor(account.offer, language) };
  };

  const engine: ReferenceEngine = {
    db,
    clock,
    // The handler calls these stores directly: their faults are mapped the same way.
    idempotencyStore: guardDatabaseFaults(createSqliteIdempotencyStore(db, clock), logger),
    setupSessionStore: guardDatabaseFaults(createSqliteSetupSessionStore(db, clock), logger),
    signingSecret: new Uint8Array(signingSecret),
    getSubscription: async (customer, languages) => {
      const { account, language } = read(customer, languages);
      return readSubscription(account, language);
    },
    listPlans: async (customer, languages) => {
      const { account, wording } = read(customer, languages);
      return catalog.listPlans(account, wording);
    },
    listModules: async (customer, languages) => {
      const { account, wording } = read(customer, languages);
      return catalog.listModules(account, wording);
    },
    listUsage: async (customer, languages) => {
      if (options.usage) return options.usage(customer);
      const { account, wording } = read(customer, languages);
      return usage.list(account, wording);
    },
    // Invoices and payment methods belong to the customer whatever their subscription.
    listInvoices: async (customer, query) => invoices.list(customerRow(customer).id, query),
    getInvoice: async (customer, invoiceId, languages) => {
      const { account, wording } = read(customer, languages);
      return invoices.get(account.customer.id, invoiceId, wording);
    },
    async renderInvoicePdf(customer, invoiceId, languages) {
      const { account, wording } = read(customer, languages);
      const invoice = invoices.get(account.customer.id, invoiceId, wording);
      const holder = invoiceCustomer.get(customer);
      if (invoice === null || !invoice.hasPdf || !invoice.lines || !holder) return null;
      return renderInvoicePdf({ invoice: { ...invoice, lines: invoice.lines }, customer: holder, seller, texts: wording });
    },
    listPaymentMethods: async (customer) => readPaymentMethods(customerRow(customer).id),
    // No payment provider here: the handler's hosted test page collects a card (addTestCard).
    createSetupSession: async () => null,
    // A new default that can be charged pays what is open (collection.ts).
    setDefaultPaymentMethod: async (customer, paymentMethodId) =>
      transactions.write(() => {
          if (!paymentMethodWrites.makeDefault(customer, paymentMethodId)) return null;
          collection.retry(customer, clock.now().getTime());
          return readPaymentMethods(customer);
      }),
    removePaymentMethod: async (customer, paymentMethodId) =>
      transactions.write(() => {
          const status = load(customer).subscription?.status;
          const renews = status !== undefined && RENEWING.has(status);
          const outcome = paymentMethodWrites.remove(customer, paymentMethodId, renews);
          if (outcome === 'not_found') return null;
          if (outcome === 'default') {
            throw new BillingEngineError('change_not_allowed', {
              detail: 'The default payment method pays the subscription: make another one the default first.',
            });
          }
          return readPaymentMethods(customer);
      }),
    addTestCard: async (customer, card) =>
      transactions.write(() => {
          paymentMethodWrites.addCard(customer, card);
          collection.retry(customer, clock.now().getTime());
          return readPaymentMethods(customer);
      }),
    payInvoiceWithTestCard: async (customer, invoiceId, card) =>
      transactions.write(() => current(customer, () => collection.payWithTestCard(customer, invoiceId, card))),
    advanceToPeriodEnd: async (customer) =>
      transactions.write(() => {
          const end = load(customer).subscription?.current_period_end;
          if (end === undefined) throw new BillingEngineError('no_subscription');
          // One second past the end: the renewal is due.
          testClock.moveBy(Math.max(0, end + 1000 - clock.now().getTime()));
          rollover(customer);
      }),
    previewChange: async (customer, request, languages) => {
      const metered = await hostUsage(customer, request);
      // The preview's read tells whether a period must be closed first (usually not): no read of its own for that.
      const preview = changes.preview(customer, request, languages, metered);
      if (preview !== null) return preview;
      rollover(customer);
      const afterRollover = changes.preview(customer, request, languages, metered);
      if (afterRollover === null) throw new Error(`The period of "${customer}" is still open after closing it.`);
      return afterRollover;
    },
    // A commit answers no warnings: the host's usage is not asked for.
    commitChange: async (customer, request, ifMatch, languages) =>
      current(customer, () => changes.commit(customer, request, ifMatch, languages, options.usage ? [] : undefined)),
    cancelScheduledChange: async (customer, id, ifMatch, languages) =>
      current(customer, () => changes.cancel(customer, id, ifMatch, languages)),
    runBilling: async () => rollover(),
    recordUsage: async (customer, metricKey, quantity) =>
      current(customer, () => transactions.write(() => usage.record(customer, metricKey, quantity))),
    recordModuleUse: async (customer, moduleId) =>
      transactions.write(() => {
          if (customerExists.get(customer) === undefined) throw new RangeError(`Unknown customer "${customer}".`);
          if (moduleExists.get(moduleId) === undefined) throw new RangeError(`Unknown module "${moduleId}".`);
          insertModuleUse.run(customer, moduleId, clock.now().getTime());
      }),
    hasCustomer: async (customer) => customerExists.get(customer) !== undefined,
    close() {
      if (typeof options.db === 'string') db.close();
    },
  };
  // One place where a busy, full or failing database becomes 503 engine_unavailable (database-faults.ts).
  return guardDatabaseFaults(engine, logger, ['close']);
}
