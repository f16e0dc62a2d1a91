/**
 * Stripe amounts and the contract's `Money`. Both count in minor units, but not always the
 * same ones: Stripe's own decimals per currency differ from ISO 4217's for a few currencies.
 * ISK is zero-decimal in ISO but two-decimal in Stripe's API (amounts are multiples of 100);
 * MGA has two decimals in ISO but none in Stripe. Everything else (JPY, KRW… zero-decimal in
 * both; EUR, USD… two in both; BHD, KWD… three in both) passes through unchanged.
 */
import { minorUnitDigits, type Money } from '../contract/index.js';

/** Stripe's decimals, where they differ from ISO 4217's (https://docs.stripe.com/currencies). */
const stripeDigits: Record<string, number> = { ISK: 2, MGA: 0 };

function digitsInStripe(currency: string): number {
  return Object.hasOwn(stripeDigits, currency) ? stripeDigits[currency]! : minorUnitDigits(currency);
}

/** A Stripe amount (`unit_amount`, `total`, a line's `amount`…) in `currency` (Stripe's lower case) as `Money`. */
export function moneyFromStripe(amount: number, currency: string): Money {
  const code = currency.toUpperCase();
  const shift = minorUnitDigits(code) - digitsInStripe(code);
  const amountMinor = shift === 0 ? amount : shift > 0 ? amount * 10 ** shift : Math.round(amount / 10 ** -shift);
  // `Math.round(-0)` is -0, which JSON writes as 0 but `deepEqual` tells apart.
  return { amountMinor: amountMinor === 0 ? 0 : amountMinor, currency: code };
}
