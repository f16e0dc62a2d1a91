import { en } from './en.js';
import { fr } from './fr.js';
import type { StringOverrides, Strings } from './strings.js';

export type { Strings, StringOverrides } from './strings.js';
export { en, fr };

/** The shipped tables, by primary language subtag. */
export const locales: Record<string, Strings> = { en, fr };

/** The table for a BCP 47 locale (`fr-CA` → `fr`), English when we have none, with overrides on top. */
export function stringsFor(locale: string, overrides?: StringOverrides): Strings {
  const base = locales[locale.toLowerCase().split('-')[0] ?? ''] ?? en;
  return overrides ? { ...base, ...overrides } : base;
}
