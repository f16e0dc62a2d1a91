/**
 * Screenshots of the built Storybook (`npm run build-storybook` first):
 * `npx tsx .storybook/screenshots.ts [dir]` serves storybook-static on a free port and, in
 * headless Chromium, saves the usage meter's docs page (and its tables), the Theming page and a
 * story in the white-label theme file (default dir docs/screenshots). The stories pin their clock, so the pictures are the
 * same whatever the day.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { chromiumLaunchOptions } from '../test/support/chromium.js';

const root = resolve('storybook-static');
const out = resolve(process.argv[2] ?? 'docs/screenshots');
if (!existsSync(join(root, 'index.html'))) throw new Error('No storybook-static/: run `npm run build-storybook` first.');

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
};

const server = createServer((request, response) => {
  const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname));
  let file = join(root, path);
  if (!file.startsWith(root)) return void response.writeHead(403).end();
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!existsSync(file)) return void response.writeHead(404).end();
  response.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(response);
});
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const browser = await chromium.launch({
  executablePath: chromiumLaunchOptions.executablePath,
  args: ['--headless=new', ...chromiumLaunchOptions.args],
});

async function open(path: string, viewport: { width: number; height: number }): Promise<Page> {
  const page = await browser.newPage({ viewport, colorScheme: 'light', reducedMotion: 'reduce' });
  page.on('pageerror', (error) => console.error(`page error on ${path}: ${error.message}`));
  await page.goto(`${base}/${path}`);
  return page;
}

try {
  // The docs page in Storybook's UI: sidebar, toolbar and the top of the page (description, first story, tables).
  const manager = await open('?path=/docs/elements-usage-meter--docs', { width: 1440, height: 1000 });
  const docs = manager.frameLocator('#storybook-preview-iframe');
  await docs.getByRole('heading', { name: 'Usage meter', level: 1 }).waitFor();
  await docs.locator('billing-usage-meter').first().locator('[role="meter"]').first().waitFor();
  await manager.waitForTimeout(1000);
  await manager.screenshot({ path: join(out, 'storybook-docs-usage-meter.png') });
  console.log('storybook-docs-usage-meter.png');

  // The reference tables of the same page, whole (the docs page alone, as its iframe shows it).
  const tables = await open('iframe.html?id=elements-usage-meter--docs&viewMode=docs', { width: 1100, height: 900 });
  const properties = tables.getByText('tokens', { exact: true }).first();
  await properties.waitFor();
  const table = tables.locator('.docblock-argstable').first();
  await table.scrollIntoViewIfNeeded();
  await tables.waitForTimeout(500);
  await table.screenshot({ path: join(out, 'storybook-docs-usage-meter-tables.png') });
  console.log('storybook-docs-usage-meter-tables.png');

  // The Theming page: the defaults, the two theme files and a theme of three tokens.
  const theming = await open('iframe.html?id=docs-theming--docs&viewMode=docs', { width: 1100, height: 900 });
  await theming.getByRole('heading', { name: 'A theme of three tokens' }).waitFor();
  await theming.locator('billing-module-list').last().locator('button').first().waitFor();
  await theming.waitForTimeout(1500);
  await theming.screenshot({ path: join(out, 'storybook-theming.png'), fullPage: true });
  console.log('storybook-theming.png');

  // One story in the white-label theme file (the toolbar's theme global).
  const story = await open('iframe.html?id=elements-dashboard--monthly-review&viewMode=story&globals=theme:white-label-file', {
    width: 1280,
    height: 900,
  });
  await story.locator('billing-dashboard').locator('article').first().waitFor();
  await story.waitForTimeout(1500);
  await story.screenshot({ path: join(out, 'storybook-white-label-dashboard.png'), fullPage: true });
  console.log('storybook-white-label-dashboard.png');
} finally {
  await browser.close();
  server.close();
}
