import type { ReactiveController, ReactiveElement } from 'lit';
import { resolveLocale } from './locale.js';

/*
 * `lang` (and a provider's `locale`) can change after the first render, e.g. when an app
 * switches language on <html>: one observer for the whole document re-renders every
 * connected element, which then resolves its locale again.
 */
const connectedHosts = new Set<ReactiveElement>();
let languageObserver: MutationObserver | null = null;

function watchLanguage(host: ReactiveElement): void {
  connectedHosts.add(host);
  if (languageObserver || typeof MutationObserver === 'undefined') return;
  languageObserver = new MutationObserver(() => connectedHosts.forEach((connected) => connected.requestUpdate()));
  languageObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang', 'locale'], subtree: true });
}

function unwatchLanguage(host: ReactiveElement): void {
  connectedHosts.delete(host);
  if (connectedHosts.size > 0) return;
  languageObserver?.disconnect();
  languageObserver = null;
}

/** The element's locale (locale.ts), kept current as `lang` attributes change on the page. */
export class LocaleController implements ReactiveController {
  #host: ReactiveElement;
  locale = 'en';

  constructor(host: ReactiveElement) {
    this.#host = host;
    host.addController(this);
  }

  /** Resolves the locale again; says whether it changed. */
  refresh(): boolean {
    const locale = resolveLocale(this.#host);
    if (locale === this.locale) return false;
    this.locale = locale;
    return true;
  }

  hostConnected(): void {
    watchLanguage(this.#host);
    this.refresh();
  }

  hostDisconnected(): void {
    unwatchLanguage(this.#host);
  }
}
