import { html, nothing, type ReactiveController, type ReactiveElement, type TemplateResult } from 'lit';
import type { Strings } from '../../i18n/index.js';

/** A sentence written when it is shown, so it follows the page's language. */
export type Wording = (strings: Strings, locale: string) => string;

export type Tone = 'success' | 'info' | 'error';

interface Announcement {
  wording: Wording;
  tone: Tone;
  /** The subscription version it describes; a newer one makes it stale. */
  version: string | null;
}

/**
 * How long a live region is on the page, empty, before a text goes in: assistive technology
 * reads out a change in a region it knows, not a region that comes with its text.
 */
const REGION_SETTLES_MS = 250;

/**
 * The live region every element has: the confirmation or failure of the last action, written
 * in the language of the moment, gone when the state it describes changes (a newer
 * subscription version: a change made here, in another element or in another tab), and
 * focused after a success whose button may be gone.
 *
 * The region is rendered with the element's data, not with its skeleton or error state. An
 * announcement made before it is on the page (back from a hosted page, said while the data
 * loads) waits until the region has been there, empty, for a moment.
 */
export class Announcer implements ReactiveController {
  #host: ReactiveElement;
  #currentVersion: () => string | undefined;
  #announcement: Announcement | null = null;
  #focus = false;
  /** The region was rendered in the update under way. */
  #rendered = false;
  /** The region has been on the page long enough to be read out when its text changes. */
  #settled = false;
  #settling: ReturnType<typeof setTimeout> | undefined;

  /** `currentVersion` reads the subscription version the element shows. */
  constructor(host: ReactiveElement, currentVersion: () => string | undefined = () => undefined) {
    this.#host = host;
    this.#currentVersion = currentVersion;
    host.addController(this);
  }

  announce(wording: Wording, { tone = 'success', version = null, focus = false }: { tone?: Tone; version?: string | null; focus?: boolean } = {}): void {
    this.#announcement = { wording, tone, version };
    this.#focus = focus;
    this.#host.requestUpdate();
  }

  clear(): void {
    if (!this.#announcement) return;
    this.#announcement = null;
    this.#host.requestUpdate();
  }

  /** The text of the last announcement, `''` when there is none. */
  text(strings: Strings, locale: string): string {
    return this.#announcement?.wording(strings, locale) ?? '';
  }

  /** The live region. Always rendered with the data (a region that appears with its text is not read out). */
  render(strings: Strings, locale: string): TemplateResult {
    this.#rendered = true;
    const announcement = this.#settled ? this.#announcement : null;
    return html`<div role="status">
      ${announcement
        ? html`<p class="announcement" part="announcement" data-tone=${announcement.tone} tabindex="-1">
            ${announcement.wording(strings, locale)}
          </p>`
        : nothing}
    </div>`;
  }

  hostUpdate(): void {
    this.#rendered = false;
    const announced = this.#announcement?.version;
    const current = this.#currentVersion();
    if (announced && current && announced !== current) this.#announcement = null;
  }

  hostUpdated(): void {
    if (!this.#rendered) {
      // Skeleton or error state: the region is off the page, and will come back empty.
      this.#settle(false);
      return;
    }
    if (!this.#settled) {
      this.#settling ??= setTimeout(() => {
        this.#settle(true);
        if (this.#announcement) this.#host.requestUpdate();
      }, REGION_SETTLES_MS);
      return;
    }
    if (!this.#focus) return;
    this.#focus = false;
    this.#host.renderRoot.querySelector<HTMLElement>('.announcement')?.focus();
  }

  hostDisconnected(): void {
    this.#settle(false);
  }

  #settle(settled: boolean): void {
    clearTimeout(this.#settling);
    this.#settling = undefined;
    this.#settled = settled;
  }
}
