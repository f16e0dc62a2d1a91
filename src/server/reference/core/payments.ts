/**
 * Whether the customer's default payment method can be charged: the one rule that decides
 * whether an invoice is paid when issued, whether a preview warns that a payment method is
 * needed, and whether a change that costs money goes through.
 */

/**
 * What charging the customer's default method at `at` would do: `ok`; `none` when there is
 * no default method or its card has expired (a card is valid until the end of its expiry
 * month); `declined` when it is a test card that declines charges (test mode).
 */
export type ChargeOutcome = 'ok' | 'none' | 'declined';

/** The default payment method as far as charging it goes; `expMonth`/`expYear` only for a card. */
export interface ChargeableMethod {
  expMonth: number | null;
  expYear: number | null;
  /** A test card that declines every charge. */
  declines: boolean;
}

/** Whether a card expiring `expMonth`/`expYear` can still be charged at `at`. */
export function cardValidAt(expMonth: number, expYear: number, at: number): boolean {
  const date = new Date(at);
  return expYear * 12 + expMonth >= date.getUTCFullYear() * 12 + date.getUTCMonth() + 1;
}

/** What charging `method` (the default one; `undefined` when there is none) at `at` would do. */
export function chargeOutcome(method: ChargeableMethod | undefined, at: number): ChargeOutcome {
  if (method === undefined) return 'none';
  if (method.expMonth !== null && method.expYear !== null && !cardValidAt(method.expMonth, method.expYear, at)) return 'none';
  return method.declines ? 'declined' : 'ok';
}
