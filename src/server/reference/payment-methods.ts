/**
 * Payment methods as display data: brand, last four digits and expiry. The card itself
 * lives with the payment provider; this database never sees its number.
 */
import type { Database } from 'better-sqlite3';
import type { PaymentMethod } from '../../contract/index.js';

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

export type PaymentMethodCheck = (customerId: string, at: number) => boolean;

/** Whether the customer has a default payment method that can be charged at `at` (a card until the end of its expiry month). */
export function createPaymentMethodCheck(db: Database): PaymentMethodCheck {
  const defaultMethod = db.prepare<[string], Pick<PaymentMethodRow, 'card_exp_month' | 'card_exp_year'>>(
    'SELECT card_exp_month, card_exp_year FROM payment_methods WHERE customer_id = ? AND is_default = 1',
  );
  return (customerId, at) => {
    const method = defaultMethod.get(customerId);
    if (method === undefined) return false;
    if (method.card_exp_month === null || method.card_exp_year === null) return true;
    const date = new Date(at);
    return method.card_exp_year * 12 + method.card_exp_month >= date.getUTCFullYear() * 12 + date.getUTCMonth() + 1;
  };
}
