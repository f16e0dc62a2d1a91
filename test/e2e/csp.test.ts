/**
 * End to end under a strict Content Security Policy with Trusted Types: the demo's production
 * build served with
 *
 *   script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none';
 *   require-trusted-types-for 'script'; trusted-types lit-html
 *
 * (no inline or eval'd script, no inline style, one Trusted Types policy: Lit's, for its
 * templates; the elements' styles are constructable style sheets, which `style-src` does not
 * govern), and every journey driven to its end: a module activated, the plan changed, a
 * scheduled change cancelled, an invoice downloaded, the card updated on the hosted page, an
 * unpaid invoice paid on the hosted pay page. Not one `securitypolicyviolation` may fire, on
 * the demo or on the hosted pages (which send their own, stricter policy). The last test makes
 * two violations on purpose, to show that the policy is enforced and that they are counted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, openBuiltDemo, recordViolations, serveBuiltDemo, type BuiltDemo, type Violation } from './support/built-demo.js';

const CSP = [
  "script-src 'self'",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "require-trusted-types-for 'script'",
  'trusted-types lit-html',
].join('; ');

let demo: BuiltDemo;
let browser: Browser;
let context: BrowserContext;
let recorded: { events: Violation[]; console: string[] };
const journeys: string[] = [];

before(async () => {
  [demo, browser] = await Promise.all([serveBuiltDemo({ headers: { 'Content-Security-Policy': CSP } }), launchChromium()]);
  context = await browser.newContext({ locale: 'fr-FR', acceptDownloads: true });
  recorded = await recordViolations(context);
});

after(async () => {
  await browser?.close();
  await demo?.close();
});

async function openDemo(): Promise<Page> {
  const { page, response } = await openBuiltDemo(context, demo);
  assert.equal(response?.headers()['content-security-policy'], CSP);
  return page;
}

/** Runs `journey` on a fresh page of the demo and checks that it left no violation. */
async function journey(t: TestContext, run: (page: Page) => Promise<void>): Promise<void> {
  const before = recorded.events.length;
  const page = await openDemo();
  await run(page);
  // Reports are queued as tasks: let the page run them before counting.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50)));
  await page.close();
  assert.deepEqual(recorded.events.slice(before), [], 'securitypolicyviolation events');
  assert.deepEqual(recorded.console, [], 'refusals reported on the console');
  journeys.push(t.name);
}

/** Fills a hosted card form (setup or pay page) and sends it. */
async function payWith(page: Page, number: string): Promise<void> {
  await page.locator('#number').fill(number);
  await page.locator('#expiry').fill('09/30');
  await page.locator('#cvc').fill('123');
  await page.locator('#name').fill('Camille Martin');
  await page.locator('button[type="submit"]').click();
}

describe('the demo under a strict CSP with Trusted Types', () => {
  it('activates a module', (t) =>
    journey(t, async (page) => {
      // The usage bars are drawn to scale (their ratio set through the CSSOM, not a style
      // attribute), once their 0.3 s transition is over.
      await page.waitForFunction(() => {
        const meter = document.querySelector('billing-dashboard')?.shadowRoot?.querySelector('billing-usage-meter')?.shadowRoot;
        const documents = [...(meter?.querySelectorAll('[part="metric"]') ?? [])].find((metric) => metric.querySelector('.name')?.textContent === 'Documents');
        const [bar, fill] = [documents?.querySelector('[part="bar"]'), documents?.querySelector('[part="fill"]')];
        // 870 of 1,000 documents.
        return bar && fill && Math.abs(fill.getBoundingClientRect().width / bar.getBoundingClientRect().width - 0.87) < 0.01;
      }, null, { timeout: 5000 });
      const modules = page.locator('billing-module-list');
      await modules.getByRole('button', { name: 'Activer Relances automatiques' }).click();
      const dialog = modules.getByRole('dialog');
      await dialog.locator('.due-now').waitFor();
      await dialog.getByRole('button', { name: 'Confirmer' }).click();
      await modules.getByText('Le module Relances automatiques est maintenant actif.').waitFor();
    }));

  it('changes the plan now', (t) =>
    journey(t, async (page) => {
      const plans = page.locator('billing-plan-picker');
      await plans.getByRole('button', { name: 'Choisir Entreprise' }).click();
      const dialog = plans.getByRole('dialog');
      await dialog.locator('.due-now').waitFor();
      await dialog.getByRole('button', { name: 'Confirmer' }).click();
      await plans.getByText('Vous êtes maintenant sur le plan Entreprise.').waitFor();
    }));

  it('schedules a change for the end of the period, and cancels it', (t) =>
    journey(t, async (page) => {
      const plans = page.locator('billing-plan-picker');
      await plans.getByRole('button', { name: 'Choisir Pro' }).click();
      const dialog = plans.getByRole('dialog');
      await dialog.locator('.due-now').waitFor();
      await dialog.getByRole('button', { name: 'Confirmer' }).click();
      await plans.getByText('Votre plan passera à Pro le', { exact: false }).waitFor();
      await plans.getByRole('button', { name: 'Annuler ce changement' }).click();
      await plans.getByText('Le changement prévu a été annulé.').waitFor();
    }));

  it('downloads an invoice', (t) =>
    journey(t, async (page) => {
      const row = page.locator('billing-invoice-table tbody > tr[part="row"]').first();
      const downloading = page.waitForEvent('download');
      await row.getByRole('button', { name: /PDF/ }).click();
      const download = await downloading;
      assert.match(download.suggestedFilename(), /\.pdf$/);
    }));

  it('updates the card on the hosted page', (t) =>
    journey(t, async (page) => {
      const card = page.locator('billing-payment-method');
      await card.getByRole('button', { name: 'Mettre à jour le moyen de paiement' }).click();
      await page.waitForURL((url) => url.pathname.includes('/v1/payment-methods/setup/'));
      // Accepted now, declined at the renewal: the next journey has an invoice to pay.
      await payWith(page, '4000 0000 0000 0341');
      await page.waitForURL((url) => url.searchParams.get('billing_setup') === 'succeeded');
      await card.getByText('Votre moyen de paiement a été mis à jour.').waitFor();
    }));

  it('pays an unpaid invoice on the hosted pay page', (t) =>
    journey(t, async (page) => {
      await page.getByText('Mode test : essayer un renouvellement refusé').click();
      await page.getByRole('button', { name: 'Aller à la fin de la période' }).click();
      const openRow = page.locator('billing-invoice-table tbody > tr[part="row"][data-status="open"]');
      await openRow.getByRole('link', { name: /Payer/ }).click();
      await page.waitForURL((url) => url.pathname.endsWith('/pay'));
      await payWith(page, '4242 4242 4242 4242');
      await page.waitForURL((url) => url.searchParams.get('billing_payment') === 'succeeded');
      await page.locator('billing-subscription [part="status"]').getByText('Actif').waitFor();
    }));

  it('saw no violation in any journey', (t) => {
    assert.equal(journeys.length, 6, 'every journey ran to its end');
    assert.equal(recorded.events.length, 0);
    t.diagnostic(`securitypolicyviolation events: ${recorded.events.length} in ${journeys.length} journeys (${journeys.join('; ')})`);
  });

  it('enforces the policy: a script from elsewhere and an untrusted innerHTML are refused, and counted', async () => {
    const page = await openDemo();
    // (A script the test evaluates is exempt from the policy, an eval inside it too: these two
    // go through the page's own checks.)
    const refused = await page.evaluate(async () => {
      const outcomes: string[] = [];
      const elsewhere: string = 'https://scripts.example/x.js';
      outcomes.push(await import(elsewhere).then(() => 'imported', (error: Error) => error.name));
      try {
        document.createElement('div').innerHTML = '<b>untrusted</b>';
        outcomes.push('innerHTML assigned');
      } catch (error) {
        outcomes.push((error as Error).name);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      return outcomes;
    });
    await page.close();
    assert.deepEqual(refused, ['TypeError', 'TypeError']);
    assert.deepEqual(recorded.events.map((event) => event.directive).sort(), ['require-trusted-types-for', 'script-src-elem']);
    recorded.events.length = 0;
    recorded.console.length = 0;
  });
});
