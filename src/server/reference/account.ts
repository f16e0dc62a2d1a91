/**
 * The customer's standing that every read is relative to: who they are, their
 * subscription, what it holds (core/holding.ts) and the changes it has scheduled.
 */
import type { Database } from 'better-sqlite3';
import type { Interval, Subscription } from '../../contract/index.js';
import { BillingEngineError } from '../errors.js';
import type { ChangeStamp } from './change-stamp.js';
import { normalised, projectedHolding as projected, type Holding, type PendingChange } from './core/holding.js';
import type { Offer } from './core/offer.js';
import type { ChargeableMethod } from './core/payments.js';
import type { OfferReader } from './offer-reader.js';
import type { DefaultMethodReader } from './payment-methods.js';
import type { Schedule } from './schedule.js';

export interface CustomerRow {
  id: string;
  name: string;
  /** BCP 47, e.g. `fr`: the language of the lines the engine writes and of the invoice PDFs. */
  locale: string;
  currency: string;
  credit_balance_minor: number;
}

export interface SubscriptionRow {
  id: string;
  plan_id: string;
  plan_name: string;
  interval: Interval;
  status: Subscription['status'];
  started_at: number;
  billing_anchor: number;
  current_period_start: number;
  current_period_end: number;
  trial_end: number | null;
  version: number;
}

export interface Account {
  customer: CustomerRow;
  subscription: SubscriptionRow | null;
  /** The catalog in the customer's currency. */
  offer: Offer;
  /** What the subscription holds now; `null` without one. */
  holding: Holding | null;
  /** Changes due at the end of the current period, in the order they apply. */
  scheduled: PendingChange[];
  /** The default payment method, as far as charging it goes (core/payments.ts); `undefined` without one. */
  defaultMethod: ChargeableMethod | undefined;
}

/** What the subscription will hold once the current period ends and its scheduled changes apply. */
export function projectedHolding(account: Account): Holding | null {
  const { offer, holding, scheduled } = account;
  return holding && projected(offer, holding, scheduled);
}

export interface Accounts {
  /**
   * The customer and their standing; throws `forbidden` for an unknown customer. Kept until
   * the database changes (change-stamp.ts): shared, so read it, never change it.
   */
  load(customerId: string): Account;
  /** Just the customer row, with the same check. */
  customer(customerId: string): CustomerRow;
}

/** Accounts kept at most between two writes; more customers than this read in between empty the cache. */
const MAX_CACHED_ACCOUNTS = 1000;

export function createAccounts(
  db: Database,
  readOffer: OfferReader,
  schedule: Schedule,
  defaultMethod: DefaultMethodReader,
  stamp: ChangeStamp,
): Accounts {
  const customer = db.prepare<[string], CustomerRow>(
    'SELECT id, name, locale, currency, credit_balance_minor FROM customers WHERE id = ?',
  );
  const subscription = db.prepare<[string], SubscriptionRow>(`
    SELECT s.id, s.plan_id, p.name AS plan_name, s.interval, s.status, s.started_at, s.billing_anchor,
           s.current_period_start, s.current_period_end, s.trial_end, s.version
    FROM subscriptions s JOIN plans p ON p.id = s.plan_id
    WHERE s.customer_id = ?`);
  const subscribed = db
    .prepare<[string], string>(`
      SELECT m.id FROM subscription_modules sm JOIN modules m ON m.id = sm.module_id
      WHERE sm.subscription_id = ? ORDER BY m.position, m.id`)
    .pluck();

  function requireCustomer(customerId: string): CustomerRow {
    const row = customer.get(customerId);
    // The host resolved an identity the engine has no customer for: a setup problem on the
    // host's side, answered as "not allowed" rather than as an empty account.
    if (row === undefined) throw new BillingEngineError('forbidden', { detail: 'No billing account for this user.' });
    return row;
  }

  function read(customerId: string): Account {
    const row = requireCustomer(customerId);
    const sub = subscription.get(customerId) ?? null;
    const offer = readOffer(row.currency);
    return {
      customer: row,
      subscription: sub,
      offer,
      // Modules paid for, in catalog order; those the plan includes follow the plan.
      holding: sub && normalised(offer, { planId: sub.plan_id, interval: sub.interval, paidModuleIds: subscribed.all(sub.id) }),
      scheduled: sub ? schedule.list(sub.id) : [],
      defaultMethod: defaultMethod(customerId),
    };
  }

  let cache = { stamp: '', accounts: new Map<string, Account>() };
  return {
    customer: requireCustomer,
    load(customerId) {
      const now = stamp();
      if (cache.stamp !== now || cache.accounts.size >= MAX_CACHED_ACCOUNTS) cache = { stamp: now, accounts: new Map() };
      let account = cache.accounts.get(customerId);
      if (!account) {
        account = read(customerId);
        cache.accounts.set(customerId, account);
      }
      return account;
    },
  };
}
