/**
 * The invoice lines the reference engine writes follow the customer's locale: previews,
 * invoices issued for a change, the next invoice and the invoice of a new period.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChangePreview, ChangeResult, Invoice, InvoicePage, Subscription, type ChangeRequest } from '../../src/contract/index.js';
import { serverTexts, textsFor } from '../../src/server/reference/texts.js';
import { changeCalls, demoEngine, harness, movableClock, ok } from './helpers.js';

const upgradeNow: ChangeRequest = { timing: 'now', change: { type: 'plan', planId: 'entreprise' } };
const dropSignatureNow: ChangeRequest = { timing: 'now', change: { type: 'module', moduleId: 'e-signature', action: 'deactivate' } };

const expected = {
  fr: {
    unusedPro: 'Temps non utilisé sur Pro',
    remainingEntreprise: 'Temps restant sur Entreprise',
    unusedSignature: 'Temps non utilisé sur Signature électronique',
    toCredit: 'Ajouté à votre solde créditeur',
    creditApplied: 'Solde créditeur appliqué',
  },
  en: {
    unusedPro: 'Unused time on Pro',
    remainingEntreprise: 'Remaining time on Entreprise',
    unusedSignature: 'Unused time on Signature électronique',
    toCredit: 'Added to your credit balance',
    creditApplied: 'Credit balance applied',
  },
};

function world(locale: 'fr' | 'en') {
  const clock = movableClock();
  const engine = demoEngine(clock);
  // The demo customer is French; the English world is the same customer in English.
  if (locale === 'en') engine.db.prepare(`UPDATE customers SET locale = 'en-GB' WHERE id = 'cus_demo'`).run();
  const h = harness(engine);
  return { clock, h, ...changeCalls(h) };
}

for (const locale of ['fr', 'en'] as const) {
  const words = expected[locale];

  describe(`invoice lines for a customer in "${locale}"`, () => {
    it('describes proration credits and charges in the preview and on the invoice', async () => {
      const { preview, commit } = world(locale);
      const previewed = await ok(await preview(upgradeNow), ChangePreview);
      assert.deepEqual(previewed.lines.map((l) => l.description), [words.unusedPro, words.remainingEntreprise]);
      const { invoice } = await ok(await commit(upgradeNow), ChangeResult);
      assert.deepEqual(invoice?.lines?.map((l) => l.description), [words.unusedPro, words.remainingEntreprise]);
    });

    it('describes a credit carried to the balance, and the balance applied to the next invoices', async () => {
      const { clock, h, preview, commit } = world(locale);
      const previewed = await ok(await preview(dropSignatureNow), ChangePreview);
      assert.deepEqual(previewed.lines.map((l) => l.description), [words.unusedSignature, words.toCredit]);
      await ok(await commit(dropSignatureNow), ChangeResult);

      const subscription = await ok(await h.get('/v1/subscription'), Subscription);
      assert.equal(subscription.nextInvoice?.lines.at(-1)?.description, words.creditApplied);
      // Plan and module lines keep their catalog names.
      assert.deepEqual(subscription.nextInvoice?.lines.slice(0, 2).map((l) => l.description), ['Pro', 'Export comptable']);

      clock.set('2026-04-03T00:00:00.000Z');
      const [latest] = (await ok(await h.get('/v1/invoices'), InvoicePage)).data;
      const issued = await ok(await h.get(`/v1/invoices/${latest?.id}`), Invoice);
      assert.equal(issued.lines?.at(-1)?.description, words.creditApplied);
    });
  });
}

describe('server texts', () => {
  it('has the same texts in every language, and English for a locale it does not have', () => {
    const shape = (value: unknown): unknown =>
      typeof value === 'object' && value !== null
        ? Object.fromEntries(Object.entries(value).map(([key, member]) => [key, shape(member)]))
        : typeof value;
    assert.deepEqual(shape(serverTexts.fr), shape(serverTexts.en));
    assert.equal(textsFor('de-DE'), serverTexts.en);
    assert.equal(textsFor('fr_CA'), serverTexts.fr);
    assert.equal(textsFor('FR'), serverTexts.fr);
  });
});
