/**
 * DESIGN.md budgets: from data received to painted ≤ 50 ms for a 25-row invoice page and
 * ≤ 150 ms for 1,000 rows, in headless Chromium. `npx tsx scripts/bench-render.ts [runs]`
 * bundles the page with esbuild, opens it in Debian's Chromium and prints, for 25, 100 and
 * 1,000 rows, the median and p95 of: the first rows in the DOM (up to 100: the table adds
 * the rest after they are painted), their layout done, the next frame (the paint of that
 * layout comes before it; a frame is about 16.7 ms), and every row in the DOM and laid out.
 */
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from '../test/support/chromium.js';

const runs = Number(process.argv[2] ?? 50);
const bundle = await build({
  entryPoints: ['scripts/bench/render-page.ts'],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  write: false,
  splitting: false,
  logLevel: 'error',
  define: { 'process.env.NODE_ENV': '"production"' },
  conditions: ['production'],
});
const code = bundle.outputFiles[0]!.text;
const browser = await chromium.launch({
  ...chromiumLaunchOptions,
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  // A real origin (intercepted, never on the network) so relative URLs resolve as on a host page.
  await page.route('http://bench.invalid/**', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><body><script type="module">${code.replaceAll('</script', '<\\/script')}</script></body></html>`,
    }),
  );
  page.on('pageerror', (error) => console.error(error));
  await page.goto('http://bench.invalid/');
  await page.waitForFunction(() => 'bench' in window);
  type Timing = { dom: number; layout: number; frame: number; all: number };
  for (const [rows, budget] of [[25, 50], [100, null], [1000, 150]] as const) {
    const times = await page.evaluate(
      ([count, n]) => (window as unknown as { bench: (rows: number, runs: number) => Promise<Timing[]> }).bench(count, n),
      [rows, rows === 1000 ? Math.max(5, Math.round(runs / 5)) : runs] as const,
    );
    const stat = (key: keyof Timing) => {
      const values = times.map((time) => time[key]).sort((a, b) => a - b);
      const at = (q: number) => values[Math.min(values.length - 1, Math.floor(q * values.length))]!;
      return `${at(0.5).toFixed(1)} / ${at(0.95).toFixed(1)}`;
    };
    console.log(
      `${rows} rows, ${times.length} runs, median / p95 ms from data received: first rows in the DOM ${stat('dom')}, laid out ${stat('layout')}, ` +
        `painted (next frame) ${stat('frame')}; all ${rows} rows in the DOM and laid out ${stat('all')}${budget ? ` (budget ${budget} ms to painted)` : ''}`,
    );
  }
} finally {
  await browser.close();
}
