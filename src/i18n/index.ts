import type { StringOverrides, Strings } from './strings.js';

export type { Strings, StringOverrides } from './strings.js';

/*
 * Each language's table is its own module, loaded when an element first needs it: a page
 * downloads the strings of the language it shows, not of every language shipped.
 */
const loaders: Record<string, () => Promise<Strings>> = {
  en: () => import('./en.js').then((module) => module.en),
  fr: () => import('./fr.js').then((module) => module.fr),
};
const loaded = new Map<string, Strings>();
const loading = new Map<string, Promise<Strings>>();

/** The language whose table serves `locale` (`fr-CA` → `fr`); English when none fits. */
export function languageFor(locale: string): string {
  const language = locale.toLowerCase().split('-')[0] ?? '';
  return Object.hasOwn(loaders, language) || loaded.has(language) ? language : 'en';
}

/**
 * Adds (or replaces) a language for every element, e.g. `registerStrings('de', { ...en, … })`
 * with `en` imported from `billing-elements`.
 */
export function registerStrings(language: string, strings: Strings): void {
  loaded.set(language.toLowerCase(), strings);
}

/** The table for `locale` if it is loaded already, with `overrides` on top. */
export function loadedStrings(locale: string, overrides?: StringOverrides): Strings | undefined {
  const base = loaded.get(languageFor(locale));
  return base && overrides ? { ...base, ...overrides } : base;
}

/** Loads the table for `locale` (once, however many elements ask). */
export function loadStrings(locale: string): Promise<Strings> {
  const language = languageFor(locale);
  const table = loaded.get(language);
  if (table) return Promise.resolve(table);
  let promise = loading.get(language);
  if (!promise) {
    promise = loaders[language]!().then(
      (strings) => {
        loaded.set(language, strings);
        return strings;
      },
      (error: unknown) => {
        // A chunk that failed to load (network, a deploy in between) is tried again next time;
        // meanwhile English serves, so the element can still say what is wrong.
        loading.delete(language);
        if (language === 'en') throw error;
        return loadStrings('en');
      },
    );
    loading.set(language, promise);
  }
  return promise;
}
