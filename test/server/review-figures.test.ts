/**
 * The figures of a monthly review, as the reference engine computes them: usage that keeps
 * its monthly period across a change of interval or plan, the preview's recurring total
 * beside its next invoice, the credit balance, and the timing a scheduled change has taken.
 * Demo customer: Pro (49 €) with e-signature (9 €) and the accounting export (12 €); a year
 * costs ten months. Subscription started 2025-02-03; period 2026-03-03 → 04-03; now 03-15.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChangePreview, ChangeResult, PlanList, Subscription, UsageList, type ChangeRequest } from '../../src/contract/index.js';
import { monthContaining } from '../../src/server/reference/core/dates.js';
import { changeCalls, demoEngine, harness, movableClock, ok, problem } from './helpers.js';

function setup() {
  const clock = movableClock();
  const engine = demoEngine(clock);
  const h = harness(engine);
  const usage = async () =>
    Object.fromEntries((await ok(await h.get('/v1/usage'), UsageList)).data.map((m) => [m.metricKey, m]));
  const subscription = async () => ok(await h.get('/v1/subscription'), Subscription);
  return { clock, engine, h, usage, subscription, ...changeCalls(h) };
}

describe('usage periods', () => {
  it('keeps the month’s usage and monthly limits when the subscription switches to yearly billing now', async () => {
    const { engine, usage, subscription, commit, clock } = setup();
    const before = await usage();
    assert.deepEqual([before.documents?.used, before.documents?.limit], [870, 1000]);
    await ok(await commit({ timing: 'now', change: { type: 'plan', planId: 'pro', interval: 'year' } }), ChangeResult);
    const sub = await subscription();
    assert.equal(sub.interval, 'year');
    assert.deepEqual(sub.currentPeriod, { start: '2026-03-15T10:00:00.000Z', end: '2027-03-15T10:00:00.000Z' });
    const after = await usage();
    assert.deepEqual(
      [after.documents?.used, after.documents?.limit, after.documents?.periodStart, after.documents?.resetsAt],
      [870, 1000, '2026-03-03T00:00:00.000Z', '2026-04-03T00:00:00.000Z'],
      'the month in progress keeps its count, its monthly limit and its reset date',
    );
    assert.deepEqual([after.orders?.used, after.clients?.used], [140, 312]);

    // Usage reported now still counts in this month…
    await engine.recordUsage('cus_demo', 'documents', 10);
    assert.equal((await usage()).documents?.used, 880);
    // …and a yearly subscription starts a new usage month on the anchor day.
    clock.set('2026-04-03T00:00:00.000Z');
    const nextMonth = await usage();
    assert.deepEqual(
      [nextMonth.documents?.used, nextMonth.documents?.resetsAt, nextMonth.clients?.used],
      [0, '2026-05-03T00:00:00.000Z', 312],
    );
    assert.equal((await subscription()).currentPeriod.end, '2027-03-15T10:00:00.000Z', 'no renewal in between');
  });

  it('keeps the month’s usage across a change of plan now, against the new plan’s limits', async () => {
    const { usage, commit } = setup();
    await ok(await commit({ timing: 'now', change: { type: 'plan', planId: 'entreprise' } }), ChangeResult);
    const after = await usage();
    assert.deepEqual([after.documents?.used, after.documents?.limit, after.orders?.limit], [870, 10000, null]);
  });

  it('counts months from the anchor day, clamped to shorter months', () => {
    const jan31 = Date.parse('2026-01-31T00:00:00Z');
    const span = (at: string) => {
      const { start, end } = monthContaining(jan31, Date.parse(at));
      return [new Date(start).toISOString().slice(0, 10), new Date(end).toISOString().slice(0, 10)];
    };
    assert.deepEqual(span('2026-02-15T00:00:00Z'), ['2026-01-31', '2026-02-28']);
    assert.deepEqual(span('2026-02-28T00:00:00Z'), ['2026-02-28', '2026-03-31']);
    assert.deepEqual(span('2026-03-30T23:59:59Z'), ['2026-02-28', '2026-03-31']);
    assert.deepEqual(span('2025-12-01T00:00:00Z'), ['2026-01-31', '2026-02-28'], 'before the anchor: the first month');
  });
});

describe('the recurring total of a preview', () => {
  const cases: [string, ChangeRequest, 'month' | 'year', number][] = [
    ['deactivating the accounting export now', { timing: 'now', change: { type: 'module', moduleId: 'accounting-export', action: 'deactivate' } }, 'month', 4900 + 900],
    ['deactivating it at the period end', { timing: 'period_end', change: { type: 'module', moduleId: 'accounting-export', action: 'deactivate' } }, 'month', 4900 + 900],
    ['activating automatic reminders', { timing: 'now', change: { type: 'module', moduleId: 'auto-reminders', action: 'activate' } }, 'month', 4900 + 900 + 1200 + 700],
    ['upgrading to Entreprise now', { timing: 'now', change: { type: 'plan', planId: 'entreprise' } }, 'month', 14900 + 900 + 1200],
    // The export needs e-invoicing, which Essentiel does not include: it goes too.
    ['downgrading to Essentiel at the period end', { timing: 'period_end', change: { type: 'plan', planId: 'essentiel' } }, 'month', 1900 + 900],
    ['downgrading to Essentiel now', { timing: 'now', change: { type: 'plan', planId: 'essentiel' } }, 'month', 1900 + 900],
    ['switching to yearly billing now', { timing: 'now', change: { type: 'plan', planId: 'pro', interval: 'year' } }, 'year', 49000 + 9000 + 12000],
  ];
  for (const [name, request, interval, total] of cases) {
    it(`is the price of the configuration after the change: ${name}`, async () => {
      const { preview } = setup();
      const shown = await ok(await preview(request), ChangePreview);
      assert.deepEqual(shown.recurring, { interval, total: { amountMinor: total, currency: 'EUR' } });
    });
  }

  it('differs from the next invoice when credits are used, and the credit balance is on the subscription', async () => {
    const { preview, commit, subscription } = setup();
    const dropNow: ChangeRequest = { timing: 'now', change: { type: 'module', moduleId: 'accounting-export', action: 'deactivate' } };
    const shown = await ok(await preview(dropNow), ChangePreview);
    const credit = -shown.lines.filter((line) => line.kind === 'proration_credit').reduce((sum, line) => sum + line.amount.amountMinor, 0);
    assert.ok(credit > 0);
    assert.equal(shown.recurring.total.amountMinor, 5800);
    assert.equal(shown.nextInvoice?.total.amountMinor, 5800 - credit, 'the next invoice takes the credit off');
    assert.deepEqual((await subscription()).creditBalance, { amountMinor: 0, currency: 'EUR' });
    await ok(await commit(dropNow), ChangeResult);
    assert.deepEqual((await subscription()).creditBalance, { amountMinor: credit, currency: 'EUR' });
  });
});

describe('a plan change already scheduled', () => {
  it('is not offered again at the period end: the plan lists "now" only, and the endpoint refuses the repeat', async () => {
    const { h, commit, preview } = setup();
    const downgrade: ChangeRequest = { timing: 'period_end', change: { type: 'plan', planId: 'essentiel' } };
    await ok(await commit(downgrade), ChangeResult);
    const plans = await ok(await h.get('/v1/plans'), PlanList);
    const essentiel = plans.data.find((plan) => plan.id === 'essentiel');
    assert.deepEqual(essentiel?.change, { direction: 'downgrade', allowedTimings: ['now'], defaultTiming: 'now' });
    const entreprise = plans.data.find((plan) => plan.id === 'entreprise');
    assert.deepEqual(entreprise?.change.allowedTimings, ['now', 'period_end'], 'other plans keep both timings');
    await problem(await preview(downgrade), 422, 'change_not_allowed');
  });
});
