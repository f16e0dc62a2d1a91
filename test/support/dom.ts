/** Helpers for browser tests of real elements. */
import 'axe-core/axe.min.js';
import type * as Axe from 'axe-core';

declare global {
  interface Window {
    axe: typeof Axe;
  }
}

/**
 * Resolves when `predicate` holds, polling each animation frame; fails with `message` after
 * `timeout`, and with what `state` says then (where a long wait stopped).
 */
export async function until(predicate: () => unknown, message: string, timeout = 4000, state?: () => string): Promise<void> {
  const start = performance.now();
  while (!predicate()) {
    if (performance.now() - start > timeout) throw new Error(`Timed out waiting: ${message}${state ? ` (${state()})` : ''}`);
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
}

/** Text of an element's shadow root, whitespace collapsed. */
export const shadowText = (element: Element): string =>
  (element.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** Runs axe on `element` (shadow DOM included) and fails with the violations listed. */
export async function expectNoAxeViolations(element: Element): Promise<void> {
  const results: Axe.AxeResults = await window.axe.run(element, { resultTypes: ['violations'] });
  const violations = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  if (violations.length) throw new Error(`axe violations:\n${violations.join('\n')}`);
}

// The browser keeps 250 resource timings by default: a test file that loads modules and makes
// requests for a while would stop seeing its requests, and a count would read 0.
performance.setResourceTimingBufferSize(100_000);

/** Network requests the page made to `pathSuffix` (real requests, from the Resource Timing API). */
export const requestsTo = (pathSuffix: string): number =>
  performance.getEntriesByType('resource').filter((entry) => new URL(entry.name).pathname.endsWith(pathSuffix)).length;

/** Visible text of an element and of every shadow root below it, whitespace collapsed. */
export function deepText(element: Element): string {
  const parts: string[] = [];
  const walk = (node: Node): void => {
    if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent ?? '');
    if (node instanceof HTMLStyleElement || node instanceof HTMLTemplateElement) return;
    // A host shows its shadow root; a slot shows what is assigned to it, else its own content.
    if (node instanceof Element && node.shadowRoot) return walk(node.shadowRoot);
    const children = node instanceof HTMLSlotElement && node.assignedNodes().length ? node.assignedNodes() : [...node.childNodes];
    for (const child of children) walk(child);
  };
  walk(element);
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}
