// Screenshots of the demo for review: full page, or clipped into parts of `part` px height.
import { chromium } from 'playwright-core';
const [url, out, width = '1000', locale = 'fr', theme = 'light', part = '0'] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync'] });
const page = await browser.newPage({ viewport: { width: Number(width), height: 800 }, colorScheme: theme });
page.on('pageerror', e => console.log('pageerror:', e.message));
await page.addInitScript(([l, t]) => { localStorage.setItem('demo-locale', l); localStorage.setItem('demo-theme', t); }, [locale, theme]);
await page.goto(url); await page.waitForTimeout(2500);
const { overflow, height } = await page.evaluate(() => ({ overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth, height: document.documentElement.scrollHeight }));
console.log('horizontal overflow px:', overflow, 'height', height);
if (Number(part) > 0) {
  for (let y = 0, i = 0; y < height; y += Number(part), i++) {
    await page.screenshot({ path: out.replace('.png', `-${i}.png`), fullPage: true, clip: { x: 0, y, width: Number(width), height: Math.min(Number(part), height - y) } });
  }
} else await page.screenshot({ path: out, fullPage: true });
await browser.close();
