import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { createReferenceEngine, seedDemo } from '../../src/server/index.js';
import { addMonths, nextPeriodEnd } from '../../src/server/reference/core/dates.js';
import { migrate, migrations } from '../../src/server/reference/migrations.js';
import { demoEngine, fixedClock, NOW } from './helpers.js';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('plans', () => {
  const engine = demoEngine();

  it('orders plans by rank, with prices in cents and limits', async () => {
    const plans = await engine.listPlans('cus_demo');
    assert.deepEqual(
      plans.map((p) => [p.id, p.rank, p.prices.map((x) => [x.interval, x.price.amountMinor, x.price.currency])]),
      [
        ['essentiel', 1, [['month', 1900, 'EUR'], ['year', 19000, 'EUR']]],
        ['pro', 2, [['month', 4900, 'EUR'], ['year', 49000, 'EUR']]],
        ['entreprise', 3, [['month', 14900, 'EUR'], ['year', 149000, 'EUR']]],
      ],
    );
    assert.deepEqual(plans[2]?.limits, [
      { metricKey: 'clients', limit: null },
      { metricKey: 'documents', limit: 10000 },
      { metricKey: 'orders', limit: null },
    ]);
    assert.deepEqual(plans[1]?.includedModuleIds, ['e-invoicing']);
  });

  it('describes each plan as a change from the current one (Pro)', async () => {
    const changes = Object.fromEntries((await engine.listPlans('cus_demo')).map((p) => [p.id, p.change]));
    assert.deepEqual(changes, {
      essentiel: { direction: 'downgrade', allowedTimings: ['now', 'period_end'], defaultTiming: 'period_end' },
      pro: { direction: 'current', allowedTimings: [], defaultTiming: null },
      entreprise: { direction: 'upgrade', allowedTimings: ['now', 'period_end'], defaultTiming: 'now' },
    });
  });

  it('hides plans no longer sold, except from the customers on them', async () => {
    engine.db.prepare(`UPDATE plans SET for_sale = 0 WHERE id = 'essentiel'`).run();
    try {
      assert.deepEqual((await engine.listPlans('cus_demo')).map((p) => p.id), ['pro', 'entreprise']);
      assert.deepEqual((await engine.listPlans('cus_readonly')).map((p) => p.id), ['essentiel', 'pro', 'entreprise']);
    } finally {
      engine.db.prepare(`UPDATE plans SET for_sale = 1 WHERE id = 'essentiel'`).run();
    }
  });
});

describe('modules', () => {
  const engine = demoEngine();

  it('computes state, availability and dependents for the demo customer (Pro)', async () => {
    const modules = await engine.listModules('cus_demo');
    assert.deepEqual(
      modules.map((m) => [m.id, m.state, m.available, m.unavailableReasons, m.dependentModuleIds]),
      [
        ['e-invoicing', 'included', true, [], ['accounting-export']],
        ['e-signature', 'active', true, [], []],
        ['accounting-export', 'active', true, [], []],
        ['multi-currency', 'inactive', false, ['plan_required'], []],
        ['auto-reminders', 'inactive', true, [], []],
        ['signature-workflows', 'inactive', true, [], []],
      ],
    );
    const byId = Object.fromEntries(modules.map((m) => [m.id, m]));
    assert.equal(byId['e-invoicing']?.price, null);
    assert.deepEqual(byId['e-signature']?.price, { amountMinor: 900, currency: 'EUR' });
    assert.equal(byId['e-signature']?.interval, 'month');
    assert.deepEqual(byId['multi-currency']?.requires, { anyOfPlans: ['entreprise'] });
    assert.deepEqual(byId['auto-reminders']?.requires, { allOfModules: ['e-invoicing'] });
    assert.deepEqual(byId['e-invoicing']?.allowedTimings, { activate: [], deactivate: [] });
    assert.deepEqual(byId['e-signature']?.allowedTimings, { activate: ['now'], deactivate: ['now', 'period_end'] });
  });

  it('reports recent use: the accounting export is paid for but idle for 45 days', async () => {
    const byId = Object.fromEntries((await engine.listModules('cus_demo')).map((m) => [m.id, m]));
    assert.equal(byId['accounting-export']?.lastUsedAt, iso(NOW.getTime() - 45 * DAY));
    assert.equal(byId['accounting-export']?.usageCount30d, 0);
    assert.equal(byId['e-signature']?.usageCount30d, 23);
    assert.equal(byId['e-signature']?.lastUsedAt, iso(NOW.getTime() - 2 * 3_600_000));
    assert.equal(byId['multi-currency']?.lastUsedAt, null);

    await engine.recordModuleUse('cus_demo', 'accounting-export');
    const after = (await engine.listModules('cus_demo')).find((m) => m.id === 'accounting-export');
    assert.equal(after?.lastUsedAt, NOW.toISOString());
    assert.equal(after?.usageCount30d, 1);
    await assert.rejects(engine.recordModuleUse('cus_demo', 'teleportation'), /Unknown module/);
  });

  it('explains why modules are unavailable on Essentiel', async () => {
    const modules = await engine.listModules('cus_readonly');
    assert.deepEqual(
      modules.map((m) => [m.id, m.state, m.unavailableReasons]),
      [
        ['e-invoicing', 'inactive', ['not_for_sale']],
        ['e-signature', 'active', []],
        ['accounting-export', 'inactive', ['module_required']],
        ['multi-currency', 'inactive', ['plan_required']],
        ['auto-reminders', 'inactive', ['module_required']],
        ['signature-workflows', 'inactive', []],
      ],
    );
  });

  it('offers nothing to a customer without a plan', async () => {
    const modules = await engine.listModules('cus_nosub');
    assert.ok(modules.every((m) => m.state === 'inactive' && !m.available && m.unavailableReasons.includes('plan_required')));
  });
});

describe('subscription', () => {
  const engine = demoEngine();

  it('shows the current monthly period of the Pro plan, twelve days in', async () => {
    const subscription = await engine.getSubscription('cus_demo');
    assert.ok(subscription);
    assert.equal(subscription.plan.id, 'pro');
    assert.equal(subscription.interval, 'month');
    assert.deepEqual(subscription.currentPeriod, { start: '2026-03-03T00:00:00.000Z', end: '2026-04-03T00:00:00.000Z' });
    assert.deepEqual(subscription.activeModuleIds, ['e-invoicing', 'e-signature', 'accounting-export']);
    assert.deepEqual(subscription.scheduledChanges, []);
    assert.equal(subscription.version, '3');
  });

  it('computes the next invoice from the plan and the paid modules, not the included ones', async () => {
    const next = (await engine.getSubscription('cus_demo'))?.nextInvoice;
    assert.ok(next);
    assert.equal(next.date, '2026-04-03T00:00:00.000Z');
    assert.deepEqual(
      next.lines.map((l) => [l.kind, l.planId ?? l.moduleId, l.amount.amountMinor, l.periodStart, l.periodEnd]),
      [
        ['plan', 'pro', 4900, '2026-04-03T00:00:00.000Z', '2026-05-03T00:00:00.000Z'],
        ['module', 'e-signature', 900, '2026-04-03T00:00:00.000Z', '2026-05-03T00:00:00.000Z'],
        ['module', 'accounting-export', 1200, '2026-04-03T00:00:00.000Z', '2026-05-03T00:00:00.000Z'],
      ],
    );
    assert.deepEqual(next.total, { amountMinor: 7000, currency: 'EUR' });
  });

  it('has no next invoice once canceled', async () => {
    engine.db.prepare(`UPDATE subscriptions SET status = 'canceled' WHERE customer_id = 'cus_readonly'`).run();
    assert.equal((await engine.getSubscription('cus_readonly'))?.nextInvoice, null);
  });

  it('returns null without a subscription', async () => {
    assert.equal(await engine.getSubscription('cus_nosub'), null);
  });
});

describe('usage', () => {
  it('measures each metric the plan limits, as of now', async () => {
    const usage = await demoEngine().listUsage('cus_demo');
    assert.deepEqual(
      usage.map((u) => [u.metricKey, u.used, u.limit, u.warnAt, u.periodStart, u.resetsAt, u.asOf]),
      [
        ['clients', 312, 500, 0.8, '2025-02-03T00:00:00.000Z', null, NOW.toISOString()],
        ['documents', 870, 1000, 0.8, '2026-03-03T00:00:00.000Z', '2026-04-03T00:00:00.000Z', NOW.toISOString()],
        ['orders', 140, 300, 0.8, '2026-03-03T00:00:00.000Z', '2026-04-03T00:00:00.000Z', NOW.toISOString()],
      ],
    );
  });

  it('adds what the host records; stocks go down too, periods only up', async () => {
    const engine = demoEngine();
    await engine.recordUsage('cus_demo', 'documents', 5);
    await engine.recordUsage('cus_demo', 'clients', -2);
    await engine.recordUsage('cus_nosub', 'clients', 3);
    const used = Object.fromEntries((await engine.listUsage('cus_demo')).map((u) => [u.metricKey, u.used]));
    assert.deepEqual(used, { clients: 310, documents: 875, orders: 140 });
    await assert.rejects(engine.recordUsage('cus_demo', 'documents', -1), /only goes up/);
    await assert.rejects(engine.recordUsage('cus_demo', 'documents', 1.5), /whole number/);
    await assert.rejects(engine.recordUsage('cus_demo', 'kilometres', 1), /Unknown metric/);
    await assert.rejects(engine.recordUsage('cus_ghost', 'clients', 1), /Unknown customer/);
    await assert.rejects(engine.recordUsage('cus_nosub', 'documents', 1), /no subscription period/);
    // A host that reports more deletions than creations must not show negative usage.
    await engine.recordUsage('cus_demo', 'clients', -1000);
    assert.equal((await engine.listUsage('cus_demo')).find((u) => u.metricKey === 'clients')?.used, 0);
  });
});

describe('payment methods', () => {
  it('lists the default card first; it expires at the end of this month', async () => {
    const methods = await demoEngine().listPaymentMethods('cus_demo');
    assert.deepEqual(methods, [
      { id: 'pm_demo_visa', type: 'card', isDefault: true, card: { brand: 'visa', last4: '4242', expMonth: 3, expYear: 2026 } },
      { id: 'pm_demo_sepa', type: 'sepa_debit', isDefault: false, label: 'IBAN FR76 •••• 0189' },
    ]);
  });

  it('stores no card number and allows one default per customer', () => {
    const { db } = demoEngine();
    const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('payment_methods') as string[];
    assert.deepEqual(columns.filter((c) => /number|pan|cvc|cvv/.test(c)), []);
    assert.throws(() => db.prepare(`UPDATE payment_methods SET is_default = 1 WHERE id = 'pm_demo_sepa'`).run(), /UNIQUE/);
    assert.throws(() => db.prepare(`UPDATE payment_methods SET card_last4 = '42a2' WHERE id = 'pm_demo_visa'`).run(), /CHECK/);
  });
});

describe('database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'billing-elements-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('migrates once, seeds once, and keeps the data across a reopen', async () => {
    const file = join(dir, 'billing.db');
    const first = createReferenceEngine({ db: file, clock: fixedClock });
    assert.equal(first.db.pragma('user_version', { simple: true }), migrations.length);
    assert.equal(first.db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(first.db.pragma('foreign_keys', { simple: true }), 1);
    assert.equal(seedDemo(first), true);
    const before = await first.getSubscription('cus_demo');
    first.close();
    assert.equal(first.db.open, false);

    // A day later: no period has ended yet (rollover is tested in changes.test.ts).
    const later = { now: () => new Date(NOW.getTime() + DAY) };
    const second = createReferenceEngine({ db: file, clock: later });
    assert.equal(migrate(second.db), 0);
    assert.equal(seedDemo(second), false);
    assert.deepEqual(await second.getSubscription('cus_demo'), before);
    const counts = second.db
      .prepare('SELECT (SELECT COUNT(*) FROM customers) || \'/\' || (SELECT COUNT(*) FROM invoices)')
      .pluck()
      .get();
    assert.equal(counts, '3/16');
    second.close();
  });

  it('seeds a bare database after migrating it, and leaves a database it was given open', () => {
    const db = new Database(':memory:');
    assert.equal(seedDemo(db, fixedClock), true);
    assert.equal(db.pragma('user_version', { simple: true }), migrations.length);
    const engine = createReferenceEngine({ db, clock: fixedClock });
    engine.close();
    assert.equal(db.open, true);
    db.close();
  });

  it('refuses a database from a newer version', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 999');
    assert.throws(() => createReferenceEngine({ db }), /newer than this billing-elements/);
    db.close();
  });

  it('keeps the demo current: dates follow the clock it is seeded with', async () => {
    const engine = createReferenceEngine({ db: ':memory:', clock: { now: () => new Date('2030-07-31T23:00:00Z') } });
    seedDemo(engine);
    const subscription = await engine.getSubscription('cus_demo');
    assert.equal(subscription?.currentPeriod.start, '2030-07-19T00:00:00.000Z');
    const [card] = await engine.listPaymentMethods('cus_demo');
    assert.deepEqual([card?.card?.expMonth, card?.card?.expYear], [7, 2030]);
    engine.close();
  });
});

describe('calendar months', () => {
  it('clamps to the end of shorter months', () => {
    const jan31 = Date.parse('2026-01-31T00:00:00Z');
    assert.equal(iso(addMonths(jan31, 1)), '2026-02-28T00:00:00.000Z');
    assert.equal(iso(addMonths(Date.parse('2024-01-31T00:00:00Z'), 1)), '2024-02-29T00:00:00.000Z');
    assert.equal(iso(addMonths(jan31, -2)), '2025-11-30T00:00:00.000Z');
    assert.equal(iso(addMonths(jan31, 12)), '2027-01-31T00:00:00.000Z');
  });

  it('counts periods from the anchor, so a 31st stays at month ends', () => {
    const anchor = Date.parse('2026-01-31T00:00:00Z');
    assert.equal(iso(nextPeriodEnd(anchor, Date.parse('2026-02-28T00:00:00Z'), 'month')), '2026-03-31T00:00:00.000Z');
    assert.equal(iso(nextPeriodEnd(anchor, Date.parse('2027-01-31T00:00:00Z'), 'year')), '2028-01-31T00:00:00.000Z');
  });
});
