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

/**
 * Card brands as the endpoint names them (Stripe's and Adyen's identifiers, lower case):
 * the name said in full, and the short mark printed on the card-shaped badge. A mark is at
 * most four characters, the width of the badge: the brand's own abbreviation where it has
 * one (MC, AMEX, CB, DC), else the start of its name.
 */
const brands: Record<string, { name: string; mark: string }> = {
  visa: { name: 'Visa', mark: 'VISA' },
  mastercard: { name: 'Mastercard', mark: 'MC' },
  mc: { name: 'Mastercard', mark: 'MC' },
  amex: { name: 'American Express', mark: 'AMEX' },
  american_express: { name: 'American Express', mark: 'AMEX' },
  discover: { name: 'Discover', mark: 'DISC' },
  cb: { name: 'CB', mark: 'CB' },
  cartes_bancaires: { name: 'CB', mark: 'CB' },
  unionpay: { name: 'UnionPay', mark: 'UPAY' },
  jcb: { name: 'JCB', mark: 'JCB' },
  diners: { name: 'Diners Club', mark: 'DC' },
  maestro: { name: 'Maestro', mark: 'MAES' },
  eftpos_au: { name: 'eftpos', mark: 'EFT' },
  interac: { name: 'Interac', mark: 'INTR' },
  elo: { name: 'Elo', mark: 'ELO' },
};

const known = (brand: string) => brands[brand.trim().toLowerCase()];

/** "visa" → "Visa"; unknown brands capitalised, underscores as spaces ("china_union_pay" → "China union pay"). */
export function brandName(brand: string): string {
  const name = known(brand)?.name;
  if (name) return name;
  const spaced = brand.trim().replaceAll('_', ' ');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** Longest mark the badge holds. */
const MARK_LENGTH = 4;

/**
 * The short mark on a card's badge: "visa" → "VISA", "mastercard" → "MC", "amex" → "AMEX".
 * An unknown brand gets the initials of its words when it has several ("china_union_pay" →
 * "CUP", "BancoEstado" → "BE"), else its first four letters ("hipercard" → "HIPE"),
 * upper case; "CARD" when it has no letter or digit at all.
 */
export function brandMark(brand: string): string {
  const mark = known(brand)?.mark;
  if (mark) return mark;
  const words = brand
    // Words of a camel-cased name ("BancoEstado") as well as of snake-, kebab- or spaced ones.
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  if (words.length === 0) return 'CARD';
  const letters = words.length > 1 ? words.map((word) => Array.from(word)[0]!) : Array.from(words[0]!);
  return letters.slice(0, MARK_LENGTH).join('').toUpperCase();
}
