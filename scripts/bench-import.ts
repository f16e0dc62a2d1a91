/**
 * DESIGN.md budget: importing `define.js` in Chromium at 4× CPU throttle costs at most 2.5×
 * importing Lit alone. `npx tsx scripts/bench-import.ts [runs]` bundles both as a host's
 * bundler would (minified, production), serves each from memory to a fresh page, and times
 * the dynamic import — download from memory, parse, compile, evaluate — under a 4× CPU
 * throttle (Chrome DevTools Protocol). An empty module is timed the same way and taken off
 * both, so the ratio compares what each costs, not the round trip to the test's server.
 * Lit, define.js and the empty module take turns, so all see the same machine.
 */
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { chromiumLaunchOptions } from '../test/support/chromium.js';

const runs = Number(process.argv[2] ?? 20);

async function bundle(contents: string): Promise<string> {
  const result = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'error',
    // One file: the language chunk is not part of the import measured here.
    splitting: false,
    define: { 'process.env.NODE_ENV': '"production"' },
    conditions: ['production'],
  });
  return result.outputFiles[0]!.text;
}

const bundles = {
  empty: 'export {};',
  lit: await bundle(`import { LitElement, html, css } from 'lit'; export { LitElement, html, css };`),
  define: await bundle(`import './src/define.ts';`),
};

/** Milliseconds to import `code` in a fresh page at 4× CPU throttle. */
async function importTime(browser: Browser, code: string): Promise<number> {
  const page = await browser.newPage();
  try {
    await page.route('http://bench.invalid/**', (route) =>
      route.fulfill(
        route.request().url().endsWith('/module.js')
          ? { contentType: 'text/javascript', body: code }
          : { contentType: 'text/html', body: '<!doctype html><html lang="en"><body></body></html>' },
      ),
    );
    await page.goto('http://bench.invalid/');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    return await page.evaluate(async (url) => {
      const start = performance.now();
      await import(url);
      return performance.now() - start;
    }, 'http://bench.invalid/module.js');
  } finally {
    await page.close();
  }
}

const browser = await chromium.launch({
  ...chromiumLaunchOptions,
});
try {
  const times = { empty: [] as number[], lit: [] as number[], define: [] as number[] };
  await importTime(browser, bundles.lit); // warm-up
  for (let run = 0; run < runs; run++) {
    for (const name of ['empty', 'lit', 'define'] as const) times[name].push(await importTime(browser, bundles[name]));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const [empty, lit, define] = [median(times.empty), median(times.lit), median(times.define)];
  console.log(
    `import at 4× CPU throttle, ${runs} runs each, medians: empty module ${empty.toFixed(1)} ms, Lit alone ${lit.toFixed(1)} ms, ` +
      `define.js ${define.toFixed(1)} ms; ratio without the empty module's ${((define - empty) / (lit - empty)).toFixed(2)} (budget 2.5)`,
  );
} finally {
  await browser.close();
}
