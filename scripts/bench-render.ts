/**
 * DESIGN.md budget: from data received to painted ≤ 50 ms for a 25-row invoice page in
 * headless Chromium. `npx tsx scripts/bench-render.ts [runs]` bundles the page with esbuild,
 * opens it in Debian's Chromium and prints the median and p95.
 */
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

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
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
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
  const times = await page.evaluate((count) => (window as unknown as { bench: (n: number) => Promise<number[]> }).bench(count), runs);
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  console.log(`25-row invoice page, data received → painted, ${runs} runs: median ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms (budget 50 ms)`);
} finally {
  await browser.close();
}
