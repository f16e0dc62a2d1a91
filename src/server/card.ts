/**
 * Checks of what is typed into the hosted test page: card number (digits, length, Luhn),
 * brand from the prefix, expiry, CVC. Pure functions; nothing here keeps a number.
 */

export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'discover' | 'unknown';

/** The digits of a number typed with spaces or dashes; `null` if anything else is in it. */
export function cardDigits(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  return /^\d+$/.test(digits) ? digits : null;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return digits.length > 0 && sum % 10 === 0;
}

export function cardBrand(digits: string): CardBrand {
  if (/^4/.test(digits)) return 'visa';
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return 'mastercard';
  if (two === 34 || two === 37) return 'amex';
  if (/^(6011|65|64[4-9])/.test(digits)) return 'discover';
  return 'unknown';
}

const LENGTHS: Record<CardBrand, readonly number[]> = {
  visa: [13, 16, 19],
  mastercard: [16],
  amex: [15],
  discover: [16, 19],
  unknown: [12, 13, 14, 15, 16, 17, 18, 19],
};

export function validLength(digits: string, brand: CardBrand): boolean {
  return LENGTHS[brand].includes(digits.length);
}

/** A test number that always declines, as payment providers' test modes have. */
export const DECLINED_TEST_NUMBER = '4000000000000002';

/**
 * Test mode: a number accepted when added that declines every charge after, as Stripe's
 * `4000 0000 0000 0341` does; the next renewal then fails.
 */
export const DECLINES_CHARGES_TEST_NUMBER = '4000000000000341';

/** `MM/YY` or `MM/YYYY` (spaces allowed around the slash) → month and four-digit year. */
export function parseExpiry(input: string): { month: number; year: number } | null {
  const match = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(input);
  if (!match) return null;
  const month = Number(match[1]);
  const year = match[2]!.length === 2 ? 2000 + Number(match[2]) : Number(match[2]);
  return month >= 1 && month <= 12 ? { month, year } : null;
}

/** Valid until the end of its month (UTC), and not absurdly far away. */
export function expiryAcceptable({ month, year }: { month: number; year: number }, now: number): 'ok' | 'past' | 'too_far' {
  const today = new Date(now);
  const current = today.getUTCFullYear() * 12 + today.getUTCMonth();
  const expiry = year * 12 + (month - 1);
  if (expiry < current) return 'past';
  return expiry > current + 20 * 12 ? 'too_far' : 'ok';
}

export function cvcValid(input: string, brand: CardBrand): boolean {
  return (brand === 'amex' ? /^\d{4}$/ : /^\d{3}$/).test(input.trim());
}
