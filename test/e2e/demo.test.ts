/**
 * End to end: the `npm start` demo (Vite with the reference handler mounted, on its own
 * SQLite file) driven in Debian's headless Chromium, as a customer would use it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';

const dir = mkdtempSync(join(tmpdir(), 'billing-e2e-'));
let server: ViteDevServer;
let browser: Browser;
let origin: string;

async function startDemo(): Promise<void> {
  process.env.BILLING_DEMO_DB = join(dir, 'demo.db');
  server = await createServer({ configFile: 'vite.config.ts', logLevel: 'silent', server: { port: 0, host: '127.0.0.1' } });
  await server.listen();
  origin = server.resolvedUrls!.local[0]!.replace(/\/$/, '');
}

async function openDemo(path = '/'): Promise<Page> {
  const page = await browser.newPage({ locale: 'fr-FR', acceptDownloads: true });
  page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
  await page.goto(origin + path);
  return page;
}

before(async () => {
  await startDemo();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the demo', () => {
  it('shows the seeded usage, modules, plans, card and invoices', async () => {
    const page = await openDemo();
    await page.locator('billing-usage-meter').getByText('870 / 1 000 documents').waitFor();
    await page.locator('billing-usage-meter').getByText('Proche de la limite · 87 %').waitFor();
    await page.locator('billing-module-list').getByText('Nécessite le plan Entreprise').waitFor();
    await page.locator('billing-plan-picker').getByText('Plan actuel').waitFor();
    await page.locator('billing-invoice-table').getByRole('row').nth(1).waitFor();
    assert.equal(await page.locator('billing-invoice-table tbody > tr[part="row"]').count(), 12);
    await page.close();
  });

  it('updates the expiring card through the hosted test page and comes back with the new card', async () => {
    const page = await openDemo();
    const card = page.locator('billing-payment-method');
    await card.getByText('Cette carte expire dans moins de 30 jours.', { exact: false }).waitFor();

    await card.getByRole('button', { name: 'Mettre à jour le moyen de paiement' }).click();
    await page.waitForURL((url) => url.pathname.includes('/v1/payment-methods/setup/'));
    assert.match(await page.locator('body').innerText(), /Environnement de test|Test environment/);
    await page.locator('#number').fill('5555 5555 5555 4444');
    await page.locator('#expiry').fill('08/30');
    await page.locator('#cvc').fill('123');
    await page.locator('#name').fill('Camille Martin');
    await page.locator('button[type="submit"]').click();

    await page.waitForURL((url) => url.searchParams.get('billing_setup') === 'succeeded');
    await card.getByText('Votre moyen de paiement a été mis à jour.').waitFor();
    await card.locator('[part="default"]').getByText('Mastercard se terminant par 4444').waitFor();
    assert.equal(await card.locator('[part="warning"]').count(), 0);
    await page.close();
  });

  it('downloads an invoice PDF that opens and carries the invoice number', async () => {
    const page = await openDemo();
    const table = page.locator('billing-invoice-table');
    const row = table.locator('tbody > tr[part="row"]').first();
    const number = (await row.locator('th').innerText()).trim();
    const downloading = page.waitForEvent('download');
    await row.getByRole('button', { name: /PDF/ }).click();
    const download = await downloading;
    assert.equal(download.suggestedFilename(), `${number}.pdf`);
    const bytes = readFileSync((await download.path())!);
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
    const pdf = await PDFDocument.load(bytes);
    assert.ok(pdf.getPageCount() >= 1);
    assert.match(pdf.getTitle() ?? '', new RegExp(number));
    await page.close();
  });

  it('keeps its data across a restart', async () => {
    await server.close();
    await startDemo();
    const page = await openDemo();
    await page.locator('billing-payment-method [part="default"]').getByText('Mastercard se terminant par 4444').waitFor();
    await page.close();
  });
});
