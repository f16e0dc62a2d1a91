import type { PaymentMethod } from '../../contract/index.js';

export type ExpiryStatus = 'expired' | 'soon' | 'ok';

const SOON_MS = 30 * 86_400_000;

/** A card is valid through the last day of its expiry month (UTC); "soon" is within 30 days. */
export function cardExpiry(method: PaymentMethod, now: number): ExpiryStatus {
  if (!method.card) return 'ok';
  const end = Date.UTC(method.card.expYear, method.card.expMonth, 1);
  if (now >= end) return 'expired';
  return end - now <= SOON_MS ? 'soon' : 'ok';
}

const brands: Record<string, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
  cb: 'CB',
  unionpay: 'UnionPay',
  jcb: 'JCB',
};

/** "visa" → "Visa"; unknown brands capitalised. */
export const brandName = (brand: string): string =>
  brands[brand.toLowerCase()] ?? brand.charAt(0).toUpperCase() + brand.slice(1);
