/**
 * Keyboard-only driving for the end-to-end tests: keys go through Chromium's input pipeline
 * (trusted events, `:focus-visible` as a keyboard user gets it), and every key that moves the
 * focus is followed by a look at what has it, through shadow roots: its accessible name, and
 * whether its focus shows (an outline or a box shadow while it matches `:focus-visible`).
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

export interface Focused {
  /** Tag names from the document down to the focused element, e.g. `billing-dashboard > billing-module-list > button`. */
  path: string;
  tag: string;
  id: string;
  /** An input's type (`date`, `text` …), else `''`. */
  type: string;
  /** What it is called: `aria-label`, else its label's text, else its own text (whitespace collapsed). */
  name: string;
  part: string | null;
  /** Inside an open `<dialog>`. */
  inDialog: boolean;
  focusVisible: boolean;
  /** The focus indicator drawn, e.g. `outline 2px solid rgb(…)`, or `null` when there is none. */
  ring: string | null;
}

/** The focused element, through shadow roots; `null` when the page has no focused element (the focus is on the browser's own interface). */
export function focused(page: Page): Promise<Focused | null> {
  return page.evaluate(() => {
    const path: string[] = [];
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) {
      path.push(element.localName);
      element = element.shadowRoot.activeElement;
    }
    if (!element || element === document.body || element === document.documentElement) return null;
    path.push(element.localName);
    const style = getComputedStyle(element);
    const outline =
      style.outlineStyle !== 'none' &&
      parseFloat(style.outlineWidth) > 0 &&
      style.outlineColor !== 'transparent' &&
      !/^rgba\(.*,\s*0\)$/.test(style.outlineColor);
    const shadow = style.boxShadow !== 'none';
    const labels = (element as HTMLInputElement).labels;
    const name =
      element.getAttribute('aria-label') ??
      (labels?.length ? [...labels].map((label) => label.innerText).join(' ') : (element as HTMLElement).innerText ?? element.textContent ?? '');
    return {
      path: path.join(' > '),
      tag: element.localName,
      id: element.id,
      type: element instanceof HTMLInputElement ? element.type : '',
      name: name.replace(/\s+/g, ' ').trim(),
      part: element.getAttribute('part'),
      inDialog: !!element.closest('dialog[open]'),
      focusVisible: element.matches(':focus-visible'),
      ring: outline ? `outline ${style.outlineWidth} ${style.outlineStyle} ${style.outlineColor}` : shadow ? `box-shadow ${style.boxShadow}` : null,
    };
  });
}

/**
 * Fails unless the focus is on an element whose focus shows: it matches `:focus-visible` and
 * draws an outline or a box shadow. (A date field whose calendar button has the focus matches
 * only `:focus-within` in Chromium: its outline is enough.)
 */
export function assertFocusShows(where: Focused | null, after: string): asserts where is Focused {
  assert.ok(where, `after ${after}: no element of the page has the focus`);
  const shows = where.ring !== null && (where.focusVisible || where.type === 'date');
  assert.ok(shows, `after ${after}: the focus on ${where.path} “${where.name}” does not show (${where.focusVisible ? '' : 'not :focus-visible, '}${where.ring ?? 'no outline, no box shadow'})`);
}

/** Every focus stop the keys reached, for the report. */
export const stops: Focused[] = [];

/** Presses `key`, then checks that the focus shows wherever it went; returns where it is. */
export async function press(page: Page, key: string): Promise<Focused> {
  await page.keyboard.press(key);
  const where = await focused(page);
  assertFocusShows(where, key);
  stops.push(where);
  return where;
}

/**
 * Presses Tab (Shift+Tab with `back`) until the focus is on what `matches` accepts, checking at
 * each stop that the focus shows.
 */
export async function tabTo(page: Page, matches: (where: Focused) => boolean, what: string, { back = false, max = 120 } = {}): Promise<Focused> {
  for (let presses = 0; presses < max; presses++) {
    const where = await press(page, back ? 'Shift+Tab' : 'Tab');
    if (matches(where)) return where;
  }
  throw new Error(`${back ? 'Shift+Tab' : 'Tab'} never reached ${what} in ${max} presses`);
}

/** A matcher by accessible name: exactly `name`, or matching it. */
export const named =
  (name: string | RegExp, tag?: string) =>
  (where: Focused): boolean =>
    (tag === undefined || where.tag === tag) && (typeof name === 'string' ? where.name === name : name.test(where.name));

/** Types into the focused field, key by key. */
export async function type(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text);
}

/**
 * Watches every live region of every page of the context (`role="status"`, `role="alert"`,
 * `aria-live`, in the document and in shadow roots), each animation frame, and logs each text
 * one takes: with whether the region was already on the page without that text (`changed`), as a
 * screen reader needs it to be. A polite region that appears with its text already in it is
 * not read out; an alert is (`role`). Plain script, not a function: the test's transpiler
 * would name inner functions with a helper the page lacks.
 */
export const LIVE_REGION_RECORDER = `(() => {
  const log = (window.__liveRegions = []);
  const last = new WeakMap();
  const tick = () => {
    const roots = [document];
    for (let index = 0; index < roots.length; index++) {
      for (const element of roots[index].querySelectorAll('*')) if (element.shadowRoot) roots.push(element.shadowRoot);
      for (const region of roots[index].querySelectorAll('[role="status"], [role="alert"], [aria-live]')) {
        const text = (region.textContent || '').replace(/\\s+/g, ' ').trim();
        const before = last.get(region);
        if (before === text) continue;
        last.set(region, text);
        if (!text) continue;
        const host = region.getRootNode().host;
        log.push({ host: host ? host.localName : '', role: region.getAttribute('role') || 'live', text, changed: before !== undefined });
      }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`;

export interface LiveText {
  host: string;
  role: string;
  text: string;
  changed: boolean;
}

const liveLog = (page: Page): Promise<LiveText[]> =>
  page.evaluate(() => (window as unknown as { __liveRegions?: LiveText[] }).__liveRegions ?? []);

/**
 * Waits until a live region inside a `host` element says `text` (once `action` is done), and
 * checks that it is told: the region was on the page before the text came (or is an alert).
 * Returns the entry.
 */
export async function announced(page: Page, host: string, text: string, action: () => Promise<unknown> = async () => {}): Promise<LiveText> {
  const before = (await liveLog(page)).length;
  await action();
  const start = Date.now();
  for (;;) {
    const log = await liveLog(page);
    // A navigation starts a new log.
    const entry = log.slice(log.length < before ? 0 : before).find((candidate) => candidate.host === host && candidate.text.includes(text));
    if (entry) {
      assert.ok(entry.changed || entry.role === 'alert', `<${host}> showed “${entry.text}” in a ${entry.role} region that appeared with it: not read out`);
      return entry;
    }
    if (Date.now() - start > 6000) assert.fail(`<${host}> never announced “${text}”; its live regions said: ${JSON.stringify(log.filter((candidate) => candidate.host === host))}`);
    await page.waitForTimeout(50);
  }
}
