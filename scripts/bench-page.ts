/**
 * The demo page as a host ships it (Vite's production build, served as static files beside
 * the reference handler: test/e2e/support/built-demo.ts), opened in Debian's Chromium at a
 * phone size with the CPU slowed 4× (as Lighthouse's mobile run) and at a desktop size:
 *
 * - navigation → every element painted: from the navigation's start to the frame after the
 *   last element stopped showing a skeleton (no `aria-busy` left in any shadow root);
 * - the API requests' end, and when the string chunk and the first element render started
 *   against them: strings and formatters must start while the requests are in flight;
 * - cumulative layout shift, as Lighthouse counts it (`layout-shift` entries without recent
 *   input), from the navigation to a second after everything was painted.
 *
 *   npx tsx scripts/bench-page.ts [runs]      (default 5 per size; medians and worst)
 *
 * The clock is pinned (DEMO_NOW), so every run shows the same figures. Part of `npm run bench`.
 */
import type { CDPSession } from 'playwright-core';
import { launchChromium, serveBuiltDemo } from '../test/e2e/support/built-demo.js';

const runs = Number(process.argv[2] ?? 5);

interface Run {
  painted: number;
  apiStart: number;
  apiEnd: number;
  stringsStart: number;
  cls: number;
}

const sizes = [
  { name: 'phone, 375 × 812, CPU 4× slower', viewport: { width: 375, height: 812 }, throttle: 4 },
  { name: 'desktop, 1280 × 900', viewport: { width: 1280, height: 900 }, throttle: 1 },
] as const;

const demo = await serveBuiltDemo();
const browser = await launchChromium();
try {
  console.log(`Demo page, production build, ${runs} runs per size, medians (worst in brackets), ms from the navigation's start:\n`);
  console.log('| size | every element painted | first API request sent | API responses all in | strings chunk requested | layout shift (CLS) |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const size of sizes) {
    const results: Run[] = [];
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext({ viewport: size.viewport, locale: 'fr-FR' });
      const page = await context.newPage();
      const cdp: CDPSession = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: size.throttle });
      // tsx names the functions it compiles with a helper the page does not have.
      await page.addInitScript('window.__name = (f) => f;');
      await page.addInitScript(() => {
        const shifts = { value: 0 };
        (window as unknown as { __shifts: typeof shifts }).__shifts = shifts;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
            if (!entry.hadRecentInput) shifts.value += entry.value;
          }
        }).observe({ type: 'layout-shift', buffered: true });
      });
      await page.goto(`${demo.origin}/`, { waitUntil: 'commit' });
      const painted = await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const busy = (root: Document | ShadowRoot): boolean => {
              for (const element of root.querySelectorAll('*')) {
                if (element.getAttribute('aria-busy') === 'true') return true;
                if (element.shadowRoot && busy(element.shadowRoot)) return true;
              }
              return false;
            };
            const ready = () => {
              const dashboard = document.querySelector('billing-dashboard');
              return customElements.get('billing-dashboard') !== undefined && dashboard?.shadowRoot !== null && !busy(document);
            };
            const check = () => (ready() ? requestAnimationFrame((at) => resolve(at)) : requestAnimationFrame(check));
            check();
          }),
      );
      await page.waitForTimeout(1000);
      const timings = await page.evaluate(() => {
        const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
        const api = resources.filter((entry) => entry.name.includes('/api/billing/'));
        const strings = resources.filter((entry) => /\/(fr|en)-[\w-]+\.js$/.test(entry.name));
        return {
          apiStart: Math.min(...api.map((entry) => entry.startTime)),
          apiEnd: Math.max(...api.map((entry) => entry.responseEnd)),
          stringsStart: Math.min(...strings.map((entry) => entry.startTime)),
          cls: (window as unknown as { __shifts: { value: number } }).__shifts.value,
        };
      });
      results.push({ painted, ...timings });
      await context.close();
    }
    const median = (key: keyof Run) => [...results.map((r) => r[key])].sort((a, b) => a - b)[Math.floor(results.length / 2)]!;
    const worst = (key: keyof Run) => Math.max(...results.map((r) => r[key]));
    const ms = (key: keyof Run) => `${median(key).toFixed(0)} (${worst(key).toFixed(0)})`;
    const strings = Number.isFinite(median('stringsStart')) ? ms('stringsStart') : 'in the main bundle';
    console.log(`| ${size.name} | ${ms('painted')} | ${ms('apiStart')} | ${ms('apiEnd')} | ${strings} | ${median('cls').toFixed(4)} (${worst('cls').toFixed(4)}) |`);
  }
} finally {
  await browser.close();
  await demo.close();
}
