import { chromium } from 'playwright-core';
const [url, out, width = '1000', scheme = 'light'] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync'] });
const page = await browser.newPage({ viewport: { width: Number(width), height: 800 }, colorScheme: scheme });
page.on('console', m => console.log('console:', m.text()));
page.on('pageerror', e => console.log('pageerror:', e.message));
await page.goto(url); await page.waitForTimeout(1500);
await page.screenshot({ path: out, fullPage: true });
await browser.close();
