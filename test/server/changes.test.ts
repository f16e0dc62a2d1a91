/**
 * The business rules of subscription changes, through the real handler over the real
 * reference engine (SQLite in memory), with a clock the tests move.
 *
 * The demo customer is on Pro (49 €/month) with e-signature (9 €) and the accounting export
 * (12 €, needs e-invoicing, which Pro includes); the period runs 2026-03-03 → 2026-04-03
 * (31 days = 744 h) and it is 2026-03-15T10:00Z, so 446 h of it remain.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ChangePreview,
  ChangeResult,
  Invoice,
  InvoicePage,
  ModuleList,
  Subscription,
  UsageList,
  type ChangeRequest,
  type InvoiceLine,
} from '../../src/contract/index.js';
import { bearerOwner, changeCalls, demoEngine, harness, movableClock, ok, problem } from './helpers.js';

/** The exact share of `price` for 446 of 744 hours, rounded half away from zero (all positive here). */
const share = (price: number) => Math.round((price * 446) / 744);
const sum = (lines: InvoiceLine[]) => lines.reduce((total, line) => total + line.amount.amountMinor, 0);

const upgradeNow: ChangeRequest = { timing: 'now', change: { type: 'plan', planId: 'entreprise' } };
const downgradeAtPeriodEnd: ChangeRequest = { timing: 'period_end', change: { type: 'plan', planId: 'essentiel' } };
const module = (moduleId: string, action: 'activate' | 'deactivate', timing: 'now' | 'period_end' = 'now'): ChangeRequest => ({
  timing,
  change: { type: 'module', moduleId, action },
});

function setup() {
  const clock = movableClock();
  const engine = demoEngine(clock);
  const h = harness(engine);
  const calls = changeCalls(h);
  const read = {
    subscription: async () => ok(await h.get('/v1/subscription'), Subscription),
    modules: async () => Object.fromEntries((await ok(await h.get('/v1/modules'), ModuleList)).data.map((m) => [m.id, m])),
    invoices: async () => (await ok(await h.get('/v1/invoices'), InvoicePage)).data,
    invoice: async (id: string) => ok(await h.get(`/v1/invoices/${id}`), Invoice),
    usage: async () => (await ok(await h.get('/v1/usage'), UsageList)).data,
  };
  return { clock, engine, h, ...calls, read };
}

describe('upgrading now', () => {
  it('prorates the plan (credit and charge lines adding up to dueNow), charges it on an invoice and applies at once', async () => {
    const { preview, commit, read } = setup();
    const shown = await ok(await preview(upgradeNow), ChangePreview);
    assert.deepEqual(
      shown.lines.map((l) => [l.kind, l.planId, l.amount.amountMinor, l.periodStart, l.periodEnd]),
      [
        ['proration_credit', 'pro', -share(4900), '2026-03-15T10:00:00.000Z', '2026-04-03T00:00:00.000Z'],
        ['proration_charge', 'entreprise', share(14900), '2026-03-15T10:00:00.000Z', '2026-04-03T00:00:00.000Z'],
      ],
    );
    assert.equal(shown.dueNow.amountMinor, share(14900) - share(4900));
    assert.equal(sum(shown.lines), shown.dueNow.amountMinor);
    assert.equal(shown.timing, 'now');
    assert.equal(shown.effectiveAt, '2026-03-15T10:00:00.000Z');
    assert.equal(shown.basedOnVersion, '3');
    assert.equal(shown.expiresAt, '2026-03-15T10:10:00.000Z');
    // Entreprise 149 € + e-signature 9 € + accounting export 12 € (e-invoicing stays included).
    assert.deepEqual(shown.nextInvoice, { date: '2026-04-03T00:00:00.000Z', total: { amountMinor: 17000, currency: 'EUR' } });
    assert.deepEqual(shown.warnings, []);

    const before = await read.invoices();
    const result = await ok(await commit({ ...upgradeNow, previewToken: shown.previewToken }), ChangeResult);
    assert.equal(result.subscription.plan.id, 'entreprise');
    assert.equal(result.subscription.version, '4');
    assert.deepEqual(result.subscription.activeModuleIds, ['e-invoicing', 'e-signature', 'accounting-export']);
    assert.equal(result.subscription.nextInvoice?.total.amountMinor, 17000);
    assert.ok(result.invoice);
    assert.deepEqual(result.invoice.lines, shown.lines);
    assert.equal(result.invoice.total.amountMinor, shown.dueNow.amountMinor);
    // The demo card is valid until the end of March: the reference engine charges it at once.
    assert.equal(result.invoice.status, 'paid');
    assert.equal(result.invoice.amountDue.amountMinor, 0);
    assert.equal(result.invoice.number, 'F-2026-0006');

    const after = await read.invoices();
    assert.equal(after.length, before.length + 1);
    assert.deepEqual(await read.invoice(result.invoice.id), result.invoice);
    // The usage meter reads the new limits.
    const limits = Object.fromEntries((await read.usage()).map((u) => [u.metricKey, u.limit]));
    assert.deepEqual(limits, { clients: null, documents: 10000, orders: null });
  });

  it('leaves the invoice open, and warns before, when there is no valid payment method', async () => {
    const { engine, preview, commit } = setup();
    engine.db.prepare(`UPDATE payment_methods SET card_exp_year = 2025 WHERE id = 'pm_demo_visa'`).run();
    const shown = await ok(await preview(upgradeNow), ChangePreview);
    assert.deepEqual(shown.warnings, [{ code: 'payment_method_required' }]);
    const { invoice } = await ok(await commit(upgradeNow), ChangeResult);
    assert.equal(invoice?.status, 'open');
    assert.equal(invoice?.amountDue.amountMinor, shown.dueNow.amountMinor);
  });

  it('switches from monthly to yearly now: credits the unused month, charges a full year from now', async () => {
    const { preview, commit } = setup();
    const request: ChangeRequest = { timing: 'now', change: { type: 'plan', planId: 'pro', interval: 'year' } };
    const shown = await ok(await preview(request), ChangePreview);
    assert.deepEqual(
      shown.lines.map((l) => [l.kind, l.planId ?? l.moduleId, l.amount.amountMinor, l.periodEnd]),
      [
        ['proration_credit', 'pro', -share(4900), '2026-04-03T00:00:00.000Z'],
        ['proration_credit', 'e-signature', -share(900), '2026-04-03T00:00:00.000Z'],
        ['proration_credit', 'accounting-export', -share(1200), '2026-04-03T00:00:00.000Z'],
        ['plan', 'pro', 49000, '2027-03-15T10:00:00.000Z'],
        ['module', 'e-signature', 9000, '2027-03-15T10:00:00.000Z'],
        ['module', 'accounting-export', 12000, '2027-03-15T10:00:00.000Z'],
      ],
    );
    assert.equal(sum(shown.lines), shown.dueNow.amountMinor);
    assert.deepEqual(shown.nextInvoice, { date: '2027-03-15T10:00:00.000Z', total: { amountMinor: 70000, currency: 'EUR' } });

    const { subscription, invoice } = await ok(await commit(request), ChangeResult);
    assert.equal(subscription.interval, 'year');
    assert.deepEqual(subscription.currentPeriod, { start: '2026-03-15T10:00:00.000Z', end: '2027-03-15T10:00:00.000Z' });
    assert.equal(invoice?.periodEnd, '2027-03-15T10:00:00.000Z');
    assert.equal(invoice?.total.amountMinor, shown.dueNow.amountMinor);
  });
});

describe('a lateral change', () => {
  it('moves to a plan of the same rank now or at the end of the period', async () => {
    const { engine, preview } = setup();
    engine.db.exec(`
      INSERT INTO plans (id, name, rank) VALUES ('pro-commerce', 'Pro Commerce', 2);
      INSERT INTO plan_prices (plan_id, interval, currency, amount_minor) VALUES ('pro-commerce', 'month', 'EUR', 5900);
      INSERT INTO plan_included_modules (plan_id, module_id) VALUES ('pro-commerce', 'e-invoicing');`);
    const lateral = { type: 'plan', planId: 'pro-commerce' } as const;
    const now = await ok(await preview({ timing: 'now', change: lateral }), ChangePreview);
    assert.deepEqual(
      now.lines.map((l) => [l.planId, l.amount.amountMinor]),
      [
        ['pro', -share(4900)],
        ['pro-commerce', share(5900)],
      ],
    );
    const later = await ok(await preview({ timing: 'period_end', change: lateral }), ChangePreview);
    assert.equal(later.nextInvoice?.total.amountMinor, 5900 + 900 + 1200);
    // No yearly price: not available yearly.
    await problem(await preview({ timing: 'now', change: { ...lateral, interval: 'year' } }), 422, 'plan_not_available');
  });
});

describe('downgrading at the end of the period', () => {
  it('warns about usage and modules, schedules the change, shows it everywhere, and can take it back', async () => {
    const { preview, commit, cancel, read } = setup();
    const shown = await ok(await preview(downgradeAtPeriodEnd), ChangePreview);
    assert.deepEqual(shown.warnings, [
      { code: 'usage_exceeds_new_limit', metricKey: 'clients', used: 312, limit: 100 },
      { code: 'usage_exceeds_new_limit', metricKey: 'documents', used: 870, limit: 200 },
      { code: 'usage_exceeds_new_limit', metricKey: 'orders', used: 140, limit: 50 },
      // Essentiel does not include e-invoicing, and the accounting export needs it.
      { code: 'modules_will_be_removed', moduleIds: ['e-invoicing', 'accounting-export'] },
    ]);
    assert.deepEqual([shown.lines, shown.dueNow.amountMinor, shown.effectiveAt], [[], 0, '2026-04-03T00:00:00.000Z']);
    assert.deepEqual(shown.nextInvoice, { date: '2026-04-03T00:00:00.000Z', total: { amountMinor: 2800, currency: 'EUR' } });

    const invoicesBefore = (await read.invoices()).length;
    const { subscription, invoice } = await ok(await commit(downgradeAtPeriodEnd), ChangeResult);
    assert.equal(invoice, null);
    assert.equal((await read.invoices()).length, invoicesBefore);
    assert.equal(subscription.plan.id, 'pro', 'nothing changes before the period ends');
    assert.equal(subscription.version, '4');
    const [scheduled, ...others] = subscription.scheduledChanges;
    assert.equal(others.length, 0);
    assert.ok(scheduled);
    assert.deepEqual(
      { ...scheduled, id: undefined },
      {
        id: undefined,
        kind: 'plan_change',
        effectiveAt: '2026-04-03T00:00:00.000Z',
        toPlanId: 'essentiel',
        toInterval: 'month',
        cancellable: true,
      },
    );
    assert.deepEqual(
      subscription.nextInvoice?.lines.map((l) => [l.planId ?? l.moduleId, l.amount.amountMinor]),
      [
        ['essentiel', 1900],
        ['e-signature', 900],
      ],
    );
    const modules = await read.modules();
    assert.equal(modules['e-invoicing']?.state, 'deactivation_scheduled');
    assert.equal(modules['accounting-export']?.state, 'deactivation_scheduled');
    assert.equal(modules['e-signature']?.state, 'active');

    const restored = await ok(await cancel(scheduled.id), Subscription);
    assert.deepEqual(restored.scheduledChanges, []);
    assert.equal(restored.version, '5');
    assert.equal(restored.nextInvoice?.total.amountMinor, 7000);
    assert.equal((await read.modules())['accounting-export']?.state, 'active');
    await problem(await cancel(scheduled.id), 404, 'not_found');
  });

  it('applies at the end of the period: plan and modules change and the period invoice is issued', async () => {
    const { clock, engine, commit, read } = setup();
    const { subscription } = await ok(await commit(downgradeAtPeriodEnd), ChangeResult);
    const announced = subscription.nextInvoice;
    assert.ok(announced);

    clock.set('2026-04-03T00:00:00.000Z');
    assert.equal(await engine.runBilling(), 2, 'the demo and the read-only customer each close one period');
    assert.equal(await engine.runBilling(), 0);

    const now = await read.subscription();
    assert.equal(now.plan.id, 'essentiel');
    assert.deepEqual(now.activeModuleIds, ['e-signature']);
    assert.deepEqual(now.scheduledChanges, []);
    assert.deepEqual(now.currentPeriod, { start: '2026-04-03T00:00:00.000Z', end: '2026-05-03T00:00:00.000Z' });
    assert.equal(now.version, '5');
    const [latest] = await read.invoices();
    assert.ok(latest);
    const issued = await read.invoice(latest.id);
    assert.deepEqual([issued.periodStart, issued.periodEnd, issued.issuedAt], [
      '2026-04-03T00:00:00.000Z',
      '2026-05-03T00:00:00.000Z',
      '2026-04-03T00:00:00.000Z',
    ]);
    assert.deepEqual(issued.lines, announced.lines, 'the invoice is the one announced');
    assert.deepEqual(issued.total, announced.total);
    // The demo card expired with March: the period invoice waits for payment.
    assert.equal(issued.status, 'open');
    assert.equal(issued.amountDue.amountMinor, 2800);
    // Periodic usage starts again; the stock of clients does not.
    const used = Object.fromEntries((await read.usage()).map((u) => [u.metricKey, [u.used, u.limit]]));
    assert.deepEqual(used, { clients: [312, 100], documents: [0, 200], orders: [0, 50] });
  });

  it('catches up lazily, one invoice per ended period, when nobody runs billing', async () => {
    const { clock, read } = setup();
    const before = (await read.invoices()).length;
    clock.set('2026-06-10T00:00:00.000Z');
    const subscription = await read.subscription();
    assert.deepEqual(subscription.currentPeriod, { start: '2026-06-03T00:00:00.000Z', end: '2026-07-03T00:00:00.000Z' });
    assert.equal(subscription.version, '6');
    const invoices = await read.invoices();
    assert.equal(invoices.length, before + 3);
    assert.deepEqual(
      invoices.slice(0, 3).map((i) => [i.number, i.periodStart.slice(0, 10), i.total.amountMinor]),
      [
        ['F-2026-0008', '2026-06-03', 7000],
        ['F-2026-0007', '2026-05-03', 7000],
        ['F-2026-0006', '2026-04-03', 7000],
      ],
    );
  });

  it('keeps one scheduled plan change: a new one replaces it, a plan change now drops it', async () => {
    const { commit, read } = setup();
    await ok(await commit(downgradeAtPeriodEnd), ChangeResult);
    const yearly: ChangeRequest = { timing: 'period_end', change: { type: 'plan', planId: 'pro', interval: 'year' } };
    const { subscription } = await ok(await commit(yearly), ChangeResult);
    assert.deepEqual(
      subscription.scheduledChanges.map((c) => [c.kind, c.toPlanId, c.toInterval]),
      [['plan_change', 'pro', 'year']],
    );
    assert.equal(subscription.nextInvoice?.total.amountMinor, 70000);
    await problem(await commit(yearly), 422, 'change_not_allowed');

    await ok(await commit(upgradeNow), ChangeResult);
    assert.deepEqual((await read.subscription()).scheduledChanges, []);
  });
});

describe('modules', () => {
  it('refuses a module that needs the top plan, saying which; after upgrading it activates', async () => {
    const { preview, commit, read } = setup();
    assert.deepEqual((await read.modules())['multi-currency']?.requires, { anyOfPlans: ['entreprise'] });
    const previewed = await problem(await preview(module('multi-currency', 'activate')), 422, 'module_requirements_not_met');
    assert.deepEqual(previewed.missing, { anyOfPlans: ['entreprise'] });
    const committed = await problem(await commit(module('multi-currency', 'activate')), 422, 'module_requirements_not_met');
    assert.deepEqual(committed.missing, { anyOfPlans: ['entreprise'] });

    await ok(await commit(upgradeNow), ChangeResult);
    assert.equal((await read.modules())['multi-currency']?.available, true);
    const shown = await ok(await preview(module('multi-currency', 'activate')), ChangePreview);
    assert.deepEqual(
      shown.lines.map((l) => [l.kind, l.moduleId, l.amount.amountMinor]),
      [['proration_charge', 'multi-currency', share(1900)]],
    );
    const { subscription, invoice } = await ok(await commit(module('multi-currency', 'activate')), ChangeResult);
    assert.ok(subscription.activeModuleIds.includes('multi-currency'));
    assert.equal(invoice?.total.amountMinor, share(1900));
    assert.equal((await read.modules())['multi-currency']?.state, 'active');
  });

  it('names the module another one needs', async () => {
    const { h } = setup();
    // Essentiel does not include e-invoicing, which the accounting export needs.
    const response = await changeCalls(h, 'cus_readonly').preview(module('accounting-export', 'activate'));
    const body = await problem(response, 422, 'module_requirements_not_met');
    assert.deepEqual(body.missing, { allOfModules: ['e-invoicing'] });
  });

  it('removes the modules that depend on a deactivated one, transitively, and credits them', async () => {
    const { engine, preview, commit, read } = setup();
    // Make the reminders need the signature workflows, which need e-signature.
    engine.db
      .prepare(`INSERT INTO module_required_modules (module_id, required_module_id) VALUES ('auto-reminders', 'signature-workflows')`)
      .run();
    await ok(await commit(module('signature-workflows', 'activate')), ChangeResult);
    await ok(await commit(module('auto-reminders', 'activate')), ChangeResult);
    assert.deepEqual((await read.modules())['e-signature']?.dependentModuleIds, ['signature-workflows']);

    const shown = await ok(await preview(module('e-signature', 'deactivate')), ChangePreview);
    assert.deepEqual(shown.warnings, [{ code: 'modules_will_be_removed', moduleIds: ['auto-reminders', 'signature-workflows'] }]);
    assert.deepEqual(
      shown.lines.map((l) => [l.kind, l.moduleId ?? null, l.amount.amountMinor]),
      [
        ['proration_credit', 'e-signature', -share(900)],
        ['proration_credit', 'auto-reminders', -share(700)],
        ['proration_credit', 'signature-workflows', -share(500)],
        ['other', null, share(900) + share(700) + share(500)],
      ],
    );
    assert.equal(shown.dueNow.amountMinor, 0);
    assert.equal(sum(shown.lines), 0);

    const { subscription, invoice } = await ok(await commit(module('e-signature', 'deactivate')), ChangeResult);
    assert.equal(invoice, null, 'a credit issues no invoice');
    assert.deepEqual(subscription.activeModuleIds, ['e-invoicing', 'accounting-export']);
  });

  it('carries a net credit to the next invoices, never to a negative amount due', async () => {
    const { clock, commit, read } = setup();
    await ok(await commit(module('e-signature', 'deactivate')), ChangeResult);
    const subscription = await read.subscription();
    const credit = share(900);
    assert.deepEqual(
      subscription.nextInvoice?.lines.map((l) => [l.kind, l.amount.amountMinor]),
      [
        ['plan', 4900],
        ['module', 1200],
        ['other', -credit],
      ],
    );
    assert.equal(subscription.nextInvoice?.total.amountMinor, 6100 - credit);

    // A change now takes what it can from the balance first.
    const { invoice } = await ok(await commit(module('auto-reminders', 'activate')), ChangeResult);
    const charge = share(700);
    assert.deepEqual(invoice?.lines?.map((l) => [l.kind, l.amount.amountMinor]), [
      ['proration_charge', charge],
      ['other', -Math.min(charge, credit)],
    ]);
    assert.equal(invoice?.total.amountMinor, Math.max(0, charge - credit));

    clock.set('2026-04-03T00:00:00.000Z');
    const [periodInvoice] = await read.invoices();
    assert.equal(periodInvoice?.total.amountMinor, 6100 + 700 - Math.max(0, credit - charge));
    assert.equal((await read.subscription()).nextInvoice?.total.amountMinor, 6800, 'the balance is used up');
  });

  it('schedules a deactivation for the end of the period, shown in the module state', async () => {
    const { clock, commit, read } = setup();
    const { subscription } = await ok(await commit(module('e-signature', 'deactivate', 'period_end')), ChangeResult);
    assert.deepEqual(
      subscription.scheduledChanges.map((c) => [c.kind, c.moduleId, c.effectiveAt]),
      [['module_deactivation', 'e-signature', '2026-04-03T00:00:00.000Z']],
    );
    const modules = await read.modules();
    assert.equal(modules['e-signature']?.state, 'deactivation_scheduled');
    assert.deepEqual(modules['e-signature']?.allowedTimings.deactivate, ['now']);
    assert.equal(subscription.nextInvoice?.total.amountMinor, 6100);
    await problem(await commit(module('e-signature', 'deactivate', 'period_end')), 422, 'change_not_allowed');

    clock.set('2026-04-03T00:00:00.000Z');
    assert.deepEqual((await read.subscription()).activeModuleIds, ['e-invoicing', 'accounting-export']);
  });

  it('shows the modules a scheduled upgrade brings as activation_scheduled', async () => {
    const { engine, read, h } = setup();
    // The owner of the read-only user's customer schedules Pro, which includes e-invoicing.
    const calls = changeCalls(harness(engine, true, undefined, { resolveCustomer: bearerOwner }), 'cus_readonly');
    await ok(await calls.commit({ timing: 'period_end', change: { type: 'plan', planId: 'pro' } }), ChangeResult);
    const modules = Object.fromEntries((await ok(await h.get('/v1/modules', 'cus_readonly'), ModuleList)).data.map((m) => [m.id, m.state]));
    assert.equal(modules['e-invoicing'], 'activation_scheduled');
    assert.equal((await read.modules())['e-invoicing']?.state, 'included', 'the demo customer is not affected');
  });

  it('stops charging a module the new plan includes, crediting what is left of it', async () => {
    const { engine, commit } = setup();
    engine.db.prepare(`INSERT INTO plan_included_modules (plan_id, module_id) VALUES ('entreprise', 'e-signature')`).run();
    const { subscription, invoice } = await ok(await commit(upgradeNow), ChangeResult);
    assert.deepEqual(
      invoice?.lines?.map((l) => [l.kind, l.planId ?? l.moduleId, l.amount.amountMinor]),
      [
        ['proration_credit', 'pro', -share(4900)],
        ['proration_credit', 'e-signature', -share(900)],
        ['proration_charge', 'entreprise', share(14900)],
      ],
    );
    assert.ok(subscription.activeModuleIds.includes('e-signature'));
    assert.deepEqual(
      subscription.nextInvoice?.lines.map((l) => l.planId ?? l.moduleId),
      ['entreprise', 'accounting-export'],
    );
  });
});

describe('what the rules refuse', () => {
  const cases: [string, ChangeRequest, number, string][] = [
    ['an unknown plan', { timing: 'now', change: { type: 'plan', planId: 'platinum' } }, 422, 'plan_not_available'],
    ['the current plan and interval', { timing: 'now', change: { type: 'plan', planId: 'pro', interval: 'month' } }, 422, 'change_not_allowed'],
    ['activating an active module', module('e-signature', 'activate'), 422, 'change_not_allowed'],
    ['activating an included module', module('e-invoicing', 'activate'), 422, 'change_not_allowed'],
    ['deactivating an included module', module('e-invoicing', 'deactivate'), 422, 'change_not_allowed'],
    ['deactivating an inactive module', module('auto-reminders', 'deactivate'), 422, 'change_not_allowed'],
    ['an unknown module', module('teleportation', 'activate'), 422, 'change_not_allowed'],
    ['activating a module at the end of the period', module('auto-reminders', 'activate', 'period_end'), 422, 'timing_not_supported'],
  ];
  for (const [what, request, status, code] of cases) {
    it(`refuses ${what} with ${status} ${code}, in the preview and the commit, changing nothing`, async () => {
      const { preview, commit, read } = setup();
      await problem(await preview(request), status, code);
      await problem(await commit(request), status, code);
      assert.equal((await read.subscription()).version, '3');
    });
  }

  it('refuses a plan no longer sold, unless the customer is on it', async () => {
    const { engine, preview } = setup();
    engine.db.prepare(`UPDATE plans SET for_sale = 0 WHERE id IN ('entreprise', 'pro')`).run();
    await problem(await preview(upgradeNow), 422, 'plan_not_available');
    // Pro is not sold any more, but the customer on it may still switch it to yearly.
    await ok(await preview({ timing: 'now', change: { type: 'plan', planId: 'pro', interval: 'year' } }), ChangePreview);
  });

  it('answers 404 no_subscription to a customer without one', async () => {
    const { h } = setup();
    await problem(await changeCalls(h, 'cus_nosub').preview(upgradeNow), 404, 'no_subscription');
  });
});

describe('preview tokens', () => {
  it('make the commit charge what the preview showed, for ten minutes', async () => {
    const { clock, preview, commit } = setup();
    const shown = await ok(await preview(upgradeNow), ChangePreview);
    clock.advance(9 * 60_000);
    const { invoice } = await ok(await commit({ ...upgradeNow, previewToken: shown.previewToken }), ChangeResult);
    assert.equal(invoice?.total.amountMinor, shown.dueNow.amountMinor);
  });

  it('are not needed: without one the commit prorates as of now', async () => {
    const { clock, preview, commit } = setup();
    const shown = await ok(await preview(upgradeNow), ChangePreview);
    clock.advance(9 * 60_000);
    const { invoice } = await ok(await commit(upgradeNow), ChangeResult);
    assert.ok(invoice && invoice.total.amountMinor < shown.dueNow.amountMinor, 'less time left, less to pay');
  });

  it('expire after ten minutes: 409 preview_expired', async () => {
    const { clock, preview, commit, read } = setup();
    const shown = await ok(await preview(upgradeNow), ChangePreview);
    clock.advance(10 * 60_000);
    const body = await problem(await commit({ ...upgradeNow, previewToken: shown.previewToken }), 409, 'preview_expired');
    assert.equal(body.retryable, false);
    assert.equal((await read.subscription()).plan.id, 'pro');
  });

  it('go stale when the subscription changes: 409 preview_stale', async () => {
    const { preview, commit, read } = setup();
    const shown = await ok(await preview(upgradeNow), ChangePreview);
    await ok(await commit(module('auto-reminders', 'activate')), ChangeResult);
    // If-Match is current (version 4); the preview was computed on version 3.
    await problem(await commit({ ...upgradeNow, previewToken: shown.previewToken }), 409, 'preview_stale');
    assert.equal((await read.subscription()).plan.id, 'pro');
  });

  it('belong to one change and one customer: anything else is a 400', async () => {
    const { h, preview, commit } = setup();
    const shown = await ok(await preview(upgradeNow), ChangePreview);
    const [payload, signature] = shown.previewToken.split('.');
    const forged = `${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()), at: 0 })).toString('base64url')}.${signature}`;
    const otherCustomer = await ok(await changeCalls(h, 'cus_readonly').preview(upgradeNow), ChangePreview);
    for (const [previewToken, request] of [
      [shown.previewToken, { ...upgradeNow, timing: 'period_end' }],
      [otherCustomer.previewToken, upgradeNow],
      [forged, upgradeNow],
      ['nonsense', upgradeNow],
    ] as const) {
      const body = await problem(await commit({ ...request, previewToken }), 400, 'validation_failed');
      assert.deepEqual(body.fieldErrors, [{ field: 'body.previewToken', message: 'was not issued for this change' }]);
    }
  });
});

describe('atomicity', () => {
  it('a commit that fails midway leaves nothing behind, and the same request can then succeed', async () => {
    const { engine, h, read } = setup();
    const countRows = () =>
      engine.db
        .prepare(
          `SELECT (SELECT COUNT(*) FROM invoices) || '/' || (SELECT COUNT(*) FROM invoice_lines) || '/' ||
                  (SELECT COUNT(*) FROM subscription_modules) || '/' || (SELECT credit_balance_minor FROM customers WHERE id = 'cus_demo')`,
        )
        .pluck()
        .get();
    const rows = countRows();
    const subscription = await read.subscription();
    // The invoice is written last: the plan, the modules and the version were already updated.
    engine.db.exec(`CREATE TRIGGER fail_invoices BEFORE INSERT ON invoices BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    const headers = { 'Idempotency-Key': 'atomic-1', 'If-Match': '"3"' };
    await problem(await h.send('POST', '/v1/subscription/changes', { body: upgradeNow, headers }), 500, 'internal');
    assert.deepEqual(await read.subscription(), subscription);
    assert.equal(countRows(), rows);

    engine.db.exec('DROP TRIGGER fail_invoices');
    const retried = await h.send('POST', '/v1/subscription/changes', { body: upgradeNow, headers });
    assert.equal(retried.headers.get('Idempotent-Replayed'), null, 'a 5xx is never replayed');
    assert.equal((await ok(retried, ChangeResult)).subscription.plan.id, 'entreprise');
  });
});
