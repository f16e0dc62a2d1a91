/** Helpers for browser tests that drive the change journeys against the reference server. */
import { fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { createBillingClient } from '../../src/client/index.js';
import type { BillingModuleList, BillingPlanPicker, BillingUsageMeter } from '../../src/index.js';
import { TEST_NOW_ISO } from './clock.js';
import { shadowText, until } from './dom.js';

/** A fresh database with the demo seed and the clock back at the start. */
export async function resetServer(): Promise<void> {
  await fetch('/api/test/reset', { method: 'POST' });
}

/** Moves the reference server's clock and runs its billing (period rollovers). */
export async function moveClock(to: string): Promise<void> {
  await fetch(`/api/test/clock?to=${encodeURIComponent(to)}`, { method: 'POST' });
}

let pages = 0;
/** A base URL for the demo customer that no earlier test has cached. */
export const freshBaseUrl = (customer = 'demo'): string => `/api/${customer}~page${++pages}`;

/** Another browser tab of the same customer: its own client, no shared cache. */
export const secondTab = () => createBillingClient({ baseUrl: freshBaseUrl() });

export interface Page {
  root: HTMLElement;
  meter: BillingUsageMeter;
  modules: BillingModuleList;
  plans: BillingPlanPicker;
  baseUrl: string;
}

/** The three elements under one provider, as a host page would have them. */
export async function openPage(customer = 'demo'): Promise<Page> {
  const baseUrl = freshBaseUrl(customer);
  const root = await fixture<HTMLElement>(html`<billing-provider now=${TEST_NOW_ISO} base-url=${baseUrl} lang="en">
    <billing-usage-meter></billing-usage-meter>
    <billing-module-list></billing-module-list>
    <billing-plan-picker></billing-plan-picker>
  </billing-provider>`);
  const page = {
    root,
    baseUrl,
    meter: root.querySelector('billing-usage-meter')!,
    modules: root.querySelector('billing-module-list')!,
    plans: root.querySelector('billing-plan-picker')!,
  };
  await until(
    () => page.modules.shadowRoot!.querySelector('[part="module"]') && page.plans.shadowRoot!.querySelector('[part="plan"]'),
    'module list and plan picker rendered',
  );
  return page;
}

/** Buttons in an element's shadow root, by their visible text (hidden suffixes included). */
export function button(element: Element, text: string | RegExp): HTMLButtonElement | undefined {
  return [...element.shadowRoot!.querySelectorAll('button')].find((candidate) => {
    const label = (candidate.textContent ?? '').replace(/\s+/g, ' ').trim();
    return typeof text === 'string' ? label === text || label.startsWith(`${text} `) : text.test(label);
  });
}

export async function waitForButton(element: Element, text: string | RegExp): Promise<HTMLButtonElement> {
  await until(() => button(element, text), `button “${text}” in <${element.localName}>`);
  return button(element, text)!;
}

/** The element's change dialog; `null` until its code has loaded (on the first change opened). */
export const dialogOf = (element: Element): HTMLDialogElement | null => element.shadowRoot!.querySelector('dialog');

/** Waits until the element's dialog is open (`ready` holds for it, by default: with a computed preview). */
export async function waitForDialog(
  element: Element,
  ready: (dialog: HTMLDialogElement) => unknown = (dialog) => dialog.querySelector('.due-now') && !dialog.querySelector('.preview-loading'),
  what = 'preview',
): Promise<HTMLDialogElement> {
  await until(() => {
    const dialog = dialogOf(element);
    return dialog?.open && ready(dialog);
  }, `${what} in <${element.localName}>`);
  return dialogOf(element)!;
}

/** Waits until the element's dialog is open with a computed preview. */
export const waitForPreview = (element: Element): Promise<HTMLDialogElement> => waitForDialog(element);

/** The first amount in an English text ("€1,234.56", "-€28.34") → minor units. */
export function minorUnits(text: string): number {
  const amount = /-?€[\d,]+\.\d\d/.exec(text);
  if (!amount) throw new Error(`no amount in “${text}”`);
  return Math.round(Number(amount[0].replace(/[€,]/g, '')) * 100);
}

/** The amounts of the preview lines and the amount due now, in minor units. */
export function previewAmounts(dialog: HTMLDialogElement): { lines: number[]; dueNow: number } {
  const lines = [...dialog.querySelectorAll('tbody td')].map((cell) => minorUnits(cell.textContent!));
  return { lines, dueNow: minorUnits(dialog.querySelector('.due-now td')!.textContent!) };
}

export async function waitForAnnouncement(element: Element, text: string): Promise<void> {
  await until(() => element.shadowRoot!.querySelector('.announcement')?.textContent?.includes(text), `announcement “${text}”`);
}

export const textOf = shadowText;

/** The focused element, looking inside shadow roots. */
export function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** Presses Tab until `predicate` holds for the focused element (keyboard-only navigation). */
export async function tabTo(predicate: (element: Element) => boolean, what: string, maxPresses = 60): Promise<Element> {
  for (let presses = 0; presses < maxPresses; presses++) {
    await sendKeys({ press: 'Tab' });
    const active = deepActiveElement();
    if (active && predicate(active)) return active;
  }
  throw new Error(`Tab never reached ${what}`);
}

export const press = (key: string) => sendKeys({ press: key });
