/**
 * Screenshots of the demo dashboard for review by eye: 375, 768 and 1280 px wide, French and
 * English, light and dark, each also after a failed renewal (past due). The demo runs on a
 * fresh database with its clock pinned, so the pictures are the same whatever the day.
 *
 *   npx tsx scripts/screenshots.ts [outDir] [--full]
 *
 * Writes `dashboard-<width>-<lang>-<theme>[-past-due].png` (the first 1,400 px of the page, or
 * the whole page with `--full`) and prints, for each, whether the page scrolls sideways. Then
 * the ready themes as a host would add them (`themes/*.css` after the page's own styles), the
 * whole page at 1280 px in English: `theme-dark.png` (on the demo's dark page, as the theme
 * needs) and `theme-white-label.png`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import { chromiumLaunchOptions } from '../test/support/chromium.js';

const args = process.argv.slice(2);
const full = args.includes('--full');
const outDir = args.find((arg) => !arg.startsWith('--')) ?? 'docs/screenshots';
mkdirSync(outDir, { recursive: true });

const dir = mkdtempSync(join(tmpdir(), 'billing-shots-'));
process.env.BILLING_DEMO_DB = join(dir, 'demo.db');
process.env.BILLING_DEMO_NOW = '2026-11-26T10:00:00Z';
const server = await createServer({ configFile: 'vite.config.ts', logLevel: 'silent', server: { port: 0, host: '127.0.0.1' } });
await server.listen();
const origin = server.resolvedUrls!.local[0]!.replace(/\/$/, '');
const browser = await chromium.launch({
  ...chromiumLaunchOptions,
});

interface Shot {
  /** The file name, without `.png`. */
  name: string;
  /** The whole page, whatever `--full` says. */
  fullPage?: boolean;
  /** A stylesheet added after the page's own, as a host adds a ready theme. */
  themeFile?: string;
}

async function shoot(width: number, lang: string, theme: 'light' | 'dark', shot: Shot): Promise<void> {
  const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: theme, reducedMotion: 'reduce' });
  await page.addInitScript(([l, t]) => {
    localStorage.setItem('demo-locale', l!);
    localStorage.setItem('demo-theme', t!);
  }, [lang, theme]);
  await page.goto(origin);
  if (shot.themeFile) await page.addStyleTag({ path: shot.themeFile });
  await page.locator('billing-dashboard [data-verdict="billing"]').waitFor();
  await page.locator('billing-invoice-table tbody tr').first().waitFor();
  await page.waitForTimeout(300);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const path = join(outDir, `${shot.name}.png`);
  const whole = full || shot.fullPage === true;
  await page.screenshot({ path, fullPage: true, ...(whole ? {} : { clip: { x: 0, y: 0, width, height: Math.min(1400, height) } }) });
  console.log(`${path}: ${overflow > 0 ? `SCROLLS SIDEWAYS by ${overflow} px` : 'no horizontal scroll'}`);
  await page.close();
}

try {
  const variants = [375, 768, 1280].flatMap((width) => ['fr', 'en'].flatMap((lang) => (['light', 'dark'] as const).map((theme) => ({ width, lang, theme }))));
  for (const { width, lang, theme } of variants) await shoot(width, lang, theme, { name: `dashboard-${width}-${lang}-${theme}` });
  await shoot(1280, 'en', 'dark', { name: 'theme-dark', fullPage: true, themeFile: 'themes/dark.css' });
  await shoot(1280, 'en', 'light', { name: 'theme-white-label', fullPage: true, themeFile: 'themes/white-label.css' });
  // The same after a renewal that could not be charged (the demo card has expired by then).
  const renewed = await fetch(`${origin}/api/billing/v1/test/period-end`, { method: 'POST' });
  if (!renewed.ok) throw new Error(`the end of the period could not be simulated (${renewed.status})`);
  for (const { width, lang, theme } of variants.filter((variant) => variant.theme === 'light')) {
    await shoot(width, lang, theme, { name: `dashboard-${width}-${lang}-${theme}-past-due` });
  }
} finally {
  await browser.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
