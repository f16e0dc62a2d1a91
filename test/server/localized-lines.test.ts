/**
 * The texts the reference engine writes — invoice and proration lines, catalog names, problem
 * titles — follow the language the reader asks in (`Accept-Language`, which the elements send
 * from their locale), else the customer's own language: previews, invoices issued for a change,
 * the next invoice, the invoice of a new period, plans, modules and usage.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ChangePreview,
  ChangeResult,
  Invoice,
  InvoicePage,
  ModuleList,
  PlanList,
  Problem,
  Subscription,
  UsageList,
  type ChangeRequest,
} from '../../src/contract/index.js';
import { serverTexts, textsFor, writingLanguage } from '../../src/server/reference/core/texts.js';
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
    items: ['Pro', 'Export comptable'],
    orders: 'Commandes',
    problem: 'Changement non autorisé',
  },
  en: {
    unusedPro: 'Unused time on Pro',
    remainingEntreprise: 'Remaining time on Entreprise',
    unusedSignature: 'Unused time on E-signature',
    toCredit: 'Added to your credit balance',
    creditApplied: 'Credit balance applied',
    items: ['Pro', 'Accounting export'],
    orders: 'Orders',
    problem: 'Change not allowed',
  },
};

/**
 * The same French customer read in `language`: asked by `Accept-Language`, or (`stored`) with
 * no header and the customer's own language set to it.
 */
function world(language: 'fr' | 'en', how: 'asked' | 'stored') {
  const clock = movableClock();
  const engine = demoEngine(clock);
  const customerLocale = how === 'stored' ? (language === 'en' ? 'en-GB' : 'fr') : language === 'en' ? 'fr' : 'en-GB';
  engine.db.prepare(`UPDATE customers SET locale = ? WHERE id = 'cus_demo'`).run(customerLocale);
  const headers: Record<string, string> = how === 'asked' ? { 'Accept-Language': language === 'en' ? 'en-US,en;q=0.9' : 'fr-FR' } : {};
  const h = harness(engine);
  const get = (path: string) => h.get(path, 'cus_demo', headers);
  return { clock, h, get, headers, ...changeCalls(h, 'cus_demo', headers) };
}

for (const language of ['fr', 'en'] as const) {
  for (const how of ['asked', 'stored'] as const) {
    const words = expected[language];

    describe(`texts in "${language}", ${how === 'asked' ? 'asked by Accept-Language over the customer’s language' : 'the customer’s language, nothing asked'}`, () => {
      it('describes proration credits and charges in the preview and on the invoice', async () => {
        const { preview, commit } = world(language, how);
        const previewed = await ok(await preview(upgradeNow), ChangePreview);
        assert.deepEqual(previewed.lines.map((l) => l.description), [words.unusedPro, words.remainingEntreprise]);
        const { invoice } = await ok(await commit(upgradeNow), ChangeResult);
        assert.deepEqual(invoice?.lines?.map((l) => l.description), [words.unusedPro, words.remainingEntreprise]);
      });

      it('describes a credit carried to the balance, and the balance applied to the next invoices', async () => {
        const { clock, get, preview, commit } = world(language, how);
        const previewed = await ok(await preview(dropSignatureNow), ChangePreview);
        assert.deepEqual(previewed.lines.map((l) => l.description), [words.unusedSignature, words.toCredit]);
        await ok(await commit(dropSignatureNow), ChangeResult);

        const subscription = await ok(await get('/v1/subscription'), Subscription);
        assert.equal(subscription.nextInvoice?.lines.at(-1)?.description, words.creditApplied);
        assert.deepEqual(subscription.nextInvoice?.lines.slice(0, 2).map((l) => l.description), words.items);

        clock.set('2026-04-03T00:00:00.000Z');
        const [latest] = (await ok(await get('/v1/invoices'), InvoicePage)).data;
        const issued = await ok(await get(`/v1/invoices/${latest?.id}`), Invoice);
        assert.equal(issued.lines?.at(-1)?.description, words.creditApplied);
        assert.deepEqual(issued.lines?.slice(0, 2).map((l) => l.description), words.items);
      });

      it('names metrics and modules, and titles problems, in that language', async () => {
        const { get, preview } = world(language, how);
        const usage = await ok(await get('/v1/usage'), UsageList);
        assert.equal(usage.data.find((metric) => metric.metricKey === 'orders')?.name, words.orders);
        const modules = await ok(await get('/v1/modules'), ModuleList);
        assert.equal(modules.data.find((module) => module.id === 'accounting-export')?.name, words.items[1]);
        const plans = await ok(await get('/v1/plans'), PlanList);
        assert.equal(plans.data.find((plan) => plan.id === 'pro')?.name, 'Pro', 'plan names are brand names');
        const refused = await preview({ timing: 'now', change: { type: 'plan', planId: 'pro' } });
        assert.equal(refused.status, 422);
        if (how === 'asked') assert.equal(Problem.parse(await refused.json()).title, words.problem);
      });
    });
  }
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

  it('writes in the first language asked that it has, else the customer’s, else English', () => {
    assert.equal(writingLanguage(['de-de', 'fr'], 'en'), 'fr');
    assert.equal(writingLanguage(['de-de'], 'fr-FR'), 'fr');
    assert.equal(writingLanguage([], 'en-GB'), 'en');
    assert.equal(writingLanguage(undefined, 'es'), 'en');
  });
});
