/**
 * Payment methods as display data: brand, last four digits and expiry. The card itself
 * lives with the payment provider (or, in tests, was typed into the hosted test page and
 * dropped there); this database never sees its number, and its CHECK on `card_last4` could
 * not hold one.
 */
import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { PaymentMethod } from '../../contract/index.js';
import type { TestCard } from '../billing-engine.js';
import type { Clock } from './clock.js';
import { chargeOutcome, type ChargeableMethod, type ChargeOutcome } from './core/payments.js';

interface PaymentMethodRow {
  id: string;
  type: PaymentMethod['type'];
  is_default: 0 | 1;
  card_brand: string | null;
  card_last4: string | null;
  card_exp_month: number | null;
  card_exp_year: number | null;
  label: string | null;
}

export type PaymentMethodReader = (customerId: string) => PaymentMethod[];

export function createPaymentMethodReader(db: Database): PaymentMethodReader {
  const all = db.prepare<[string], PaymentMethodRow>(`
    SELECT id, type, is_default, card_brand, card_last4, card_exp_month, card_exp_year, label
    FROM payment_methods WHERE customer_id = ? ORDER BY is_default DESC, created_at DESC, id`);

  return (customerId) =>
    all.all(customerId).map((row) => {
      const { card_brand: brand, card_last4: last4, card_exp_month: expMonth, card_exp_year: expYear } = row;
      // The table's CHECK ties these four to type 'card'.
      const card =
        brand !== null && last4 !== null && expMonth !== null && expYear !== null
          ? { brand, last4, expMonth, expYear }
          : undefined;
      return {
        id: row.id,
        type: row.type,
        isDefault: row.is_default === 1,
        ...(card ? { card } : {}),
        ...(row.label === null ? {} : { label: row.label }),
      };
    });
}

/** What charging the customer's default method at `at` would do (core/payments.ts). */
export type PaymentMethodCheck = (customerId: string, at: number) => ChargeOutcome;

/** The customer's default payment method as far as charging it goes; `undefined` without one. */
export type DefaultMethodReader = (customerId: string) => ChargeableMethod | undefined;

export function createDefaultMethodReader(db: Database): DefaultMethodReader {
  const defaultMethod = db.prepare<
    [string],
    Pick<PaymentMethodRow, 'card_exp_month' | 'card_exp_year'> & { test_behaviour: 'decline_renewal' | null }
  >('SELECT card_exp_month, card_exp_year, test_behaviour FROM payment_methods WHERE customer_id = ? AND is_default = 1');
  return (customerId) => {
    const method = defaultMethod.get(customerId);
    return method && { expMonth: method.card_exp_month, expYear: method.card_exp_year, declines: method.test_behaviour === 'decline_renewal' };
  };
}

export function createPaymentMethodCheck(defaultMethod: DefaultMethodReader): PaymentMethodCheck {
  return (customerId, at) => chargeOutcome(defaultMethod(customerId), at);
}

export interface PaymentMethodWrites {
  /** Records a card (display data only) as the customer's new default. */
  addCard(customerId: string, card: TestCard): void;
  /** Makes `paymentMethodId` the default; `false` if it is not the customer's. */
  makeDefault(customerId: string, paymentMethodId: string): boolean;
  /**
   * Removes a method: `removed`, `not_found`, or `default` when it is the default and
   * `keepDefault` says the default must stay (a subscription renews on it).
   */
  remove(customerId: string, paymentMethodId: string, keepDefault: boolean): 'removed' | 'not_found' | 'default';
}

export function createPaymentMethodWrites(db: Database, clock: Clock): PaymentMethodWrites {
  const exists = db.prepare<[string, string], number>('SELECT 1 FROM payment_methods WHERE id = ? AND customer_id = ?').pluck();
  // Two statements in one transaction: the partial unique index allows one default at a time.
  // (The engine calls these inside its own write transaction, where they are savepoints.)
  const clearDefault = db.prepare<[string]>('UPDATE payment_methods SET is_default = 0 WHERE customer_id = ? AND is_default = 1');
  const setDefault = db.prepare<[string, string]>('UPDATE payment_methods SET is_default = 1 WHERE id = ? AND customer_id = ?');
  const insertCard = db.prepare(`
    INSERT INTO payment_methods (id, customer_id, type, is_default, card_brand, card_last4, card_exp_month, card_exp_year,
      created_at, test_behaviour)
    VALUES (@id, @customerId, 'card', 1, @brand, @last4, @expMonth, @expYear, @createdAt, @testBehaviour)`);
  const isDefault = db
    .prepare<[string, string], 0 | 1>('SELECT is_default FROM payment_methods WHERE id = ? AND customer_id = ?')
    .pluck();
  const remove = db.prepare<[string, string]>('DELETE FROM payment_methods WHERE id = ? AND customer_id = ?');

  return {
    addCard: db.transaction((customerId: string, card: TestCard) => {
      if (!/^\d{4}$/.test(card.last4) || card.expMonth < 1 || card.expMonth > 12) {
        throw new RangeError('A card is recorded with its last four digits and a month from 1 to 12 only.');
      }
      clearDefault.run(customerId);
      insertCard.run({
        id: `pm_${randomBytes(12).toString('hex')}`,
        customerId,
        brand: card.brand,
        last4: card.last4,
        expMonth: card.expMonth,
        expYear: card.expYear,
        createdAt: clock.now().getTime(),
        testBehaviour: card.declinesCharges ? 'decline_renewal' : null,
      });
    }).immediate,
    remove(customerId, paymentMethodId, keepDefault) {
      const flag = isDefault.get(paymentMethodId, customerId);
      if (flag === undefined) return 'not_found';
      if (flag === 1 && keepDefault) return 'default';
      remove.run(paymentMethodId, customerId);
      return 'removed';
    },
    makeDefault: db.transaction((customerId: string, paymentMethodId: string) => {
      if (exists.get(paymentMethodId, customerId) === undefined) return false;
      clearDefault.run(customerId);
      setDefault.run(paymentMethodId, customerId);
      return true;
    }).immediate,
  };
}
