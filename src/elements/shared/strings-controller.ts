import type { ReactiveElement } from 'lit';
import { loadStrings, loadedStrings, type StringOverrides, type Strings } from '../../i18n/index.js';

/**
 * The strings of a locale with overrides on top: at once when that language's table is loaded,
 * else after it has loaded (English when it cannot be), re-rendering the element then.
 */
export class StringsController {
  #host: ReactiveElement;
  /** The last table loaded for this element: English when the locale's own failed to load. */
  #fallback: Strings | null = null;
  /** The locale whose table was asked for, so a failed load is not retried on every render. */
  #requested: string | null = null;

  constructor(host: ReactiveElement) {
    this.#host = host;
  }

  /** The strings for `locale` with `overrides`; `null` until the first table has loaded. */
  for(locale: string, overrides: StringOverrides): Strings | null {
    const strings = loadedStrings(locale, overrides) ?? (this.#fallback ? { ...this.#fallback, ...overrides } : null);
    if (!loadedStrings(locale) && this.#requested !== locale) {
      this.#requested = locale;
      loadStrings(locale).then(
        (table) => {
          this.#fallback = table;
          this.#host.requestUpdate();
        },
        () => {},
      );
    }
    return strings;
  }
}
