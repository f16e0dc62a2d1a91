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
import { chromiumLaunchOptions } from '../support/chromium.js';

const dir = mkdtempSync(join(tmpdir(), 'billing-e2e-'));
let server: ViteDevServer;
let browser: Browser;
let origin: string;

/** The demo's clock, pinned so nothing here depends on the day the tests run. */
const DEMO_NOW = '2026-11-26T10:00:00Z';

async function startDemo(): Promise<void> {
  process.env.BILLING_DEMO_DB = join(dir, 'demo.db');
  process.env.BILLING_DEMO_NOW = DEMO_NOW;
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
    ...chromiumLaunchOptions,
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The text of a dashboard verdict (Playwright's locators pierce shadow roots). */
const verdict = (page: Page, id: string) => page.locator(`billing-dashboard [data-verdict="${id}"]`);

describe('the demo', () => {
  it('opens on the dashboard in French, its four verdicts true to the seeded data', async () => {
    const page = await openDemo();
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord abonnement' }).waitFor();
    await verdict(page, 'plan').getByText('Documents : la limite du plan Pro (1 000) sera atteinte vers le 28 nov. 2026 à ce rythme.').waitFor();
    await verdict(page, 'modules').getByText('Module inutilisé depuis plus de 30 jours : Export comptable. Il coûte 12,00 € par mois.').waitFor();
    await verdict(page, 'usage')
      .getByText(
        'Proches des limites : Documents 870 / 1 000 (87 %), limite atteinte vers le 28 nov. 2026 à ce rythme ; Commandes 140 / 300 (47 %), limite atteinte vers le 10 déc. 2026 à ce rythme.',
      )
      .waitFor();
    await verdict(page, 'billing').getByText('La prochaine facture (70,00 € le 14 déc. 2026) correspond à votre plan et à vos modules.').waitFor();
    await verdict(page, 'billing').getByText('Votre carte expire fin novembre 2026 : mettez-la à jour avant la prochaine facture.').waitFor();
    await verdict(page, 'billing').getByText('Même plan et mêmes modules que la dernière facture (14 nov. 2026).').waitFor();
    await page.locator('billing-subscription').getByText('Pro · facturation mensuelle').waitFor();
    await page.close();
  });

  it('keeps its language and theme across a reload', async () => {
    const page = await openDemo();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Subscription dashboard' }).waitFor();
    await verdict(page, 'usage').getByText('Close to the limit', { exact: false }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await page.getByRole('button', { name: 'Français' }).click();
    await page.getByRole('button', { name: 'Thème sombre' }).click();
    await page.close();
  });

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

  it('fails a renewal with a declining card, says so everywhere, and settles once the invoice is paid', async () => {
    const page = await openDemo();
    // A card that is accepted now and declines at renewal (test mode), through the hosted card page.
    await page.locator('billing-payment-method').getByRole('button', { name: 'Mettre à jour le moyen de paiement' }).click();
    await page.waitForURL((url) => url.pathname.includes('/v1/payment-methods/setup/'));
    await page.locator('#number').fill('4000 0000 0000 0341');
    await page.locator('#expiry').fill('09/30');
    await page.locator('#cvc').fill('123');
    await page.locator('#name').fill('Camille Martin');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((url) => url.searchParams.get('billing_setup') === 'succeeded');

    // The test-mode panel moves the clock to the end of the period: the renewal fails.
    await page.getByText('Mode test : essayer un renouvellement refusé').click();
    await page.getByRole('button', { name: 'Aller à la fin de la période' }).click();
    // (Money is written with a no-break space, which a regular expression would have to spell out.)
    await verdict(page, 'billing').getByText('La facture F-2026-0014 (70,00 €) est impayée.').waitFor();
    const summary = page.locator('billing-subscription');
    await summary.getByText('Un paiement de 70,00 € a échoué.', { exact: false }).waitFor();
    await summary.locator('[part="status"]').getByText('Paiement en attente').waitFor();
    await page.locator('billing-payment-method').getByText('Votre dernier paiement a échoué.', { exact: false }).waitFor();
    const openRow = page.locator('billing-invoice-table tbody > tr[part="row"][data-status="open"]');
    await openRow.getByText('À payer').first().waitFor();

    // Pay it from the invoice table, on the hosted pay page, in French.
    await openRow.getByRole('link', { name: /Payer/ }).click();
    await page.waitForURL((url) => url.pathname.endsWith('/pay'));
    await page.getByRole('heading', { name: 'Payer la facture F-2026-0014' }).waitFor();
    await page.locator('#number').fill('4242 4242 4242 4242');
    await page.locator('#expiry').fill('09/30');
    await page.locator('#cvc').fill('123');
    await page.locator('#name').fill('Camille Martin');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((url) => url.searchParams.get('billing_payment') === 'succeeded');

    await summary.locator('[part="status"]').getByText('Actif').waitFor();
    await verdict(page, 'billing').getByText('correspond à votre plan et à vos modules', { exact: false }).waitFor();
    assert.equal(await verdict(page, 'billing').getByText('est impayée', { exact: false }).count(), 0);
    assert.equal(await page.locator('billing-invoice-table tbody > tr[part="row"][data-status="open"]').count(), 0);
    await page.close();
  });
});
