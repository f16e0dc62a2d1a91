/**
 * End to end with the keyboard only: the demo's production build, every journey driven with
 * Tab, Shift+Tab, Enter, Space and Escape (and typing into the hosted pages' fields), never a
 * click. At every focus stop the focused element — found through shadow roots — must show its
 * focus (an outline or a box shadow). The change dialog must keep the focus inside while open
 * (never on the page behind it) and give it back to the button that opened it when closed
 * (Escape, Cancel); after a confirmed change the focus is on the confirmation, as the button may
 * be gone. Confirmations and errors must be announced: a live region already on the page takes
 * the text (or an alert appears with it).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, openBuiltDemo, serveBuiltDemo, type BuiltDemo } from './support/built-demo.js';
import { LIVE_REGION_RECORDER, announced, assertFocusShows, focused, named, press, stops, tabTo, type Focused } from './support/keyboard.js';

let demo: BuiltDemo;
let browser: Browser;
let context: BrowserContext;
const journeys: string[] = [];

before(async () => {
  [demo, browser] = await Promise.all([serveBuiltDemo(), launchChromium()]);
  context = await browser.newContext({ locale: 'fr-FR', acceptDownloads: true });
  await context.addInitScript(LIVE_REGION_RECORDER);
});

after(async () => {
  await browser?.close();
  await demo?.close();
});

async function openDemo(): Promise<Page> {
  const { page } = await openBuiltDemo(context, demo);
  await page.locator('billing-invoice-table tbody > tr[part="row"]').first().waitFor();
  return page;
}

async function journey(t: TestContext, run: (page: Page) => Promise<void>): Promise<void> {
  const page = await openDemo();
  await run(page);
  await page.close();
  journeys.push(t.name);
}

/** A button (or link) named `name` inside the element `host`. */
const inHost = (host: string, name: string | RegExp) => (where: Focused) => where.path.includes(`${host} >`) && named(name)(where);

const dialogOf = (page: Page, host: string) => page.locator(`${host} dialog[open]`);

/** Waits for the change dialog of `host` to show its preview. */
async function previewShown(page: Page, host: string): Promise<void> {
  await dialogOf(page, host).locator('.due-now').waitFor();
  await dialogOf(page, host).locator('[part="confirm-button"]:not([disabled]):not([aria-disabled="true"])').waitFor();
}

/**
 * The focus stays in the dialog: Tab and Shift+Tab, each past every control and round again,
 * never put it on the page behind (between the last control and the first it may pass through
 * the browser's own interface, as a native modal dialog lets it).
 */
async function focusStaysInDialog(page: Page, presses = 8): Promise<void> {
  for (const key of ['Tab', 'Shift+Tab']) {
    for (let index = 0; index < presses; index++) {
      await page.keyboard.press(key);
      const where = await focused(page);
      if (where === null) continue;
      assert.ok(where.inDialog, `${key} took the focus out of the dialog, to ${where.path} “${where.name}”`);
      assertFocusShows(where, `${key} in the dialog`);
    }
  }
}

/** The focus is back on `trigger`, and shows. */
async function focusBackOn(page: Page, trigger: Focused, after: string): Promise<void> {
  const where = await focused(page);
  assertFocusShows(where, after);
  assert.equal(`${where.path} “${where.name}”`, `${trigger.path} “${trigger.name}”`, `after ${after} the focus is back on the button that opened the dialog`);
}

/** The focus is on the element's confirmation, and shows. */
async function focusOnConfirmation(page: Page, host: string): Promise<void> {
  const where = await focused(page);
  assertFocusShows(where, 'the confirmation');
  assert.ok(where.path.includes(`${host} >`) && where.part === 'announcement', `the focus on the confirmation, not on ${where.path}`);
}

/** Types into the hosted page's card form, field by field, with Tab; sends it with Enter. */
async function payByKeyboard(page: Page, number: string): Promise<void> {
  await tabTo(page, (where) => where.id === 'number', 'the card number');
  await page.keyboard.type(number);
  for (const [id, text] of [
    ['expiry', '09/30'],
    ['cvc', '123'],
    ['name', 'Camille Martin'],
  ] as const) {
    const where = await press(page, 'Tab');
    assert.equal(where.id, id);
    await page.keyboard.type(text);
  }
  await page.keyboard.press('Enter');
}

describe('the demo with the keyboard only', () => {
  it('activates a module: Escape closes the dialog onto its button, Space opens it again, Enter confirms', (t) =>
    journey(t, async (page) => {
      const host = 'billing-module-list';
      const trigger = await tabTo(page, inHost(host, 'Activer Relances automatiques'), 'Activer Relances automatiques');
      await press(page, 'Enter');
      await previewShown(page, host);
      await focusStaysInDialog(page);
      await page.keyboard.press('Escape');
      await dialogOf(page, host).waitFor({ state: 'detached' });
      await focusBackOn(page, trigger, 'Escape');

      await page.keyboard.press('Space');
      await previewShown(page, host);
      await tabTo(page, named('Confirmer'), 'Confirmer');
      await announced(page, host, 'Le module Relances automatiques est maintenant actif.', () => page.keyboard.press('Enter'));
      await focusOnConfirmation(page, host);
    }));

  it('changes the plan now: Cancel closes the dialog onto its button, Space confirms', (t) =>
    journey(t, async (page) => {
      const host = 'billing-plan-picker';
      const trigger = await tabTo(page, inHost(host, 'Choisir Entreprise'), 'Choisir Entreprise in the plan picker');
      await press(page, 'Enter');
      await previewShown(page, host);
      await focusStaysInDialog(page);
      await tabTo(page, named('Annuler'), 'Annuler');
      await page.keyboard.press('Enter');
      await dialogOf(page, host).waitFor({ state: 'detached' });
      await focusBackOn(page, trigger, 'Cancel');

      await press(page, 'Enter');
      await previewShown(page, host);
      await tabTo(page, named('Confirmer'), 'Confirmer');
      await announced(page, host, 'Vous êtes maintenant sur le plan Entreprise.', () => page.keyboard.press('Space'));
      await focusOnConfirmation(page, host);
    }));

  it('schedules a change for the end of the period, then cancels it on a page opened later (a first try failing)', (t) =>
    journey(t, async (page) => {
      const host = 'billing-plan-picker';
      await tabTo(page, inHost(host, 'Choisir Pro'), 'Choisir Pro');
      await press(page, 'Enter');
      await previewShown(page, host);
      await tabTo(page, named('Confirmer'), 'Confirmer');
      await announced(page, host, 'Votre plan passera à Pro le', () => page.keyboard.press('Enter'));

      // Another visit: the change dialog's code has not been loaded on this page.
      await page.reload();
      await page.locator('billing-dashboard [part="verdict"]').first().waitFor();
      const cancel = await tabTo(page, named(/^Annuler ce changement/), 'Annuler ce changement');
      const owner = cancel.path.split(' > ').at(-2)!;
      // A first try fails: said, and the focus stays on the button for another.
      demo.failNext('DELETE', '');
      await announced(page, owner, 'Le service de facturation a rencontré un problème.', () => page.keyboard.press('Enter'));
      await focusBackOn(page, cancel, 'the failure');
      await announced(page, owner, 'Le changement prévu a été annulé.', () => page.keyboard.press('Enter'));
      await focusOnConfirmation(page, owner);
    }));

  it('downloads an invoice', (t) =>
    journey(t, async (page) => {
      await tabTo(page, inHost('billing-invoice-table', /^PDF /), 'a PDF button');
      const downloading = page.waitForEvent('download');
      await page.keyboard.press('Enter');
      assert.match((await downloading).suggestedFilename(), /\.pdf$/);
      assertFocusShows(await focused(page), 'the download');
    }));

  it('updates the card on the hosted page, from the billing verdict', (t) =>
    journey(t, async (page) => {
      await tabTo(page, (where) => where.path === 'billing-dashboard > button' && where.name === 'Mettre à jour le moyen de paiement', 'the billing verdict’s action');
      // The verdict's action takes the focus to the payment method's update button.
      const update = await press(page, 'Enter');
      assert.equal(update.part, 'update-button');
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.pathname.includes('/v1/payment-methods/setup/'));
      // Accepted now, declined at the renewal: the next journey has an invoice to pay.
      await announced(page, 'billing-payment-method', 'Votre moyen de paiement a été mis à jour.', async () => {
        await payByKeyboard(page, '4000 0000 0000 0341');
        await page.waitForURL((url) => url.searchParams.get('billing_setup') === 'succeeded');
      });
    }));

  it('pays an unpaid invoice on the hosted pay page', (t) =>
    journey(t, async (page) => {
      await tabTo(page, named('Mode test : essayer un renouvellement refusé', 'summary'), 'the test-mode panel');
      await press(page, 'Enter');
      await tabTo(page, named('Aller à la fin de la période'), 'Aller à la fin de la période');
      await page.keyboard.press('Enter');
      await page.locator('billing-invoice-table tbody > tr[part="row"][data-status="open"]').first().waitFor();
      await tabTo(page, named('Régler la facture en attente', 'a'), 'the pay link');
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.pathname.endsWith('/pay'));
      await announced(page, 'billing-payment-method', 'Votre facture est réglée. Merci.', async () => {
        await payByKeyboard(page, '4242 4242 4242 4242');
        await page.waitForURL((url) => url.searchParams.get('billing_payment') === 'succeeded');
      });
      await page.locator('billing-subscription [part="status"]').getByText('Actif').waitFor();
    }));

  it('says a failed change in the dialog, keeps the focus there, and confirms once it works', (t) =>
    journey(t, async (page) => {
      const host = 'billing-module-list';
      await tabTo(page, inHost(host, 'Désactiver Relances automatiques'), 'Désactiver Relances automatiques');
      await press(page, 'Enter');
      await previewShown(page, host);
      await tabTo(page, named('Confirmer'), 'Confirmer');
      demo.failNext('POST', '/v1/subscription/changes');
      await announced(page, host, 'Le service de facturation a rencontré un problème.', () => page.keyboard.press('Enter'));
      const where = await focused(page);
      assertFocusShows(where, 'the failure');
      assert.ok(where.inDialog && where.name === 'Confirmer', `the focus stays on Confirmer, not on ${where.path} “${where.name}”`);
      await announced(page, host, 'Le module Relances automatiques', () => page.keyboard.press('Enter'));
    }));

  it('says a failed payment method action, keeps the focus on it, and does it once it works', (t) =>
    journey(t, async (page) => {
      const host = 'billing-payment-method';
      const action = await tabTo(page, inHost(host, /^Utiliser par défaut/), 'Utiliser par défaut');
      demo.failNext('POST', '/default');
      await announced(page, host, 'Le service de facturation a rencontré un problème.', () => page.keyboard.press('Enter'));
      await focusBackOn(page, action, 'the failure');
      await announced(page, host, 'est maintenant votre moyen de paiement par défaut.', () => page.keyboard.press('Enter'));
      await focusOnConfirmation(page, host);
    }));

  it('went through every journey with the focus shown at every stop', (t) => {
    assert.equal(journeys.length, 8);
    t.diagnostic(`${journeys.length} journeys by keyboard, ${stops.length} focus stops, each with its focus shown`);
  });
});
