/**
 * The four verdicts of the monthly review, on figures: which plan verdict for which usage,
 * unused paid modules and what they cost, usage near or over its limits with the forecast,
 * and whether the charges match the configuration.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Invoice, InvoiceLine, Module, PaymentMethod, Plan, Subscription, UsageMetric } from '../../src/contract/index.js';
import { billingVerdict, currentPeriodInvoice, modulesVerdict, planVerdict, usageVerdict, type ReviewInput } from '../../src/elements/dashboard/review.js';
import { configurationPrice } from '../../src/elements/subscription/summary.js';

const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const NOW = Date.parse('2026-11-26T10:00:00Z');
const DAY = 86_400_000;

const plan = (id: string, rank: number, monthly: number, limits: Record<string, number | null>): Plan => ({
  id,
  name: id[0]!.toUpperCase() + id.slice(1),
  rank,
  prices: [
    { interval: 'month', price: eur(monthly) },
    { interval: 'year', price: eur(monthly * 10) },
  ],
  limits: Object.entries(limits).map(([metricKey, limit]) => ({ metricKey, limit })),
  includedModuleIds: [],
  change: { direction: 'lateral', allowedTimings: ['now'], defaultTiming: 'now' },
});
const plans = [
  plan('essentiel', 1, 1900, { documents: 200, clients: 100 }),
  plan('pro', 2, 4900, { documents: 1000, clients: 500 }),
  plan('entreprise', 3, 14900, { documents: 10000, clients: null }),
];

const metric = (metricKey: string, used: number, limit: number | null, resetsAt: string | null = '2026-12-14T00:00:00.000Z'): UsageMetric => ({
  metricKey,
  name: metricKey[0]!.toUpperCase() + metricKey.slice(1),
  unit: metricKey.replace(/s$/, ''),
  used,
  limit,
  warnAt: 0.8,
  // A stock counts from the start of the subscription; a monthly metric from the month's start.
  periodStart: resetsAt === null ? '2025-10-14T00:00:00.000Z' : '2026-11-14T00:00:00.000Z',
  resetsAt,
  asOf: '2026-11-26T10:00:00.000Z',
});

const module = (id: string, price: number | null, state: Module['state'], lastUsedDaysAgo: number | null): Module => ({
  id,
  name: id,
  price: price === null ? null : eur(price),
  ...(price === null ? {} : { interval: 'month' as const }),
  state,
  requires: {},
  available: true,
  unavailableReasons: [],
  dependentModuleIds: [],
  lastUsedAt: lastUsedDaysAgo === null ? null : new Date(NOW - lastUsedDaysAgo * DAY).toISOString(),
  usageCount30d: lastUsedDaysAgo !== null && lastUsedDaysAgo <= 30 ? 3 : 0,
  allowedTimings: { activate: ['now'], deactivate: ['now', 'period_end'] },
});

const line = (kind: InvoiceLine['kind'], id: string, amount: number): InvoiceLine => ({
  description: id,
  amount: eur(amount),
  kind,
  ...(kind === 'plan' ? { planId: id } : kind === 'module' ? { moduleId: id } : {}),
});

function subscription(overrides: Partial<Subscription> = {}): Subscription {
  const lines = [line('plan', 'pro', 4900), line('module', 'e-signature', 900), line('module', 'accounting-export', 1200)];
  return {
    id: 'sub_demo',
    status: 'active',
    plan: { id: 'pro', name: 'Pro' },
    interval: 'month',
    currentPeriod: { start: '2026-11-14T00:00:00.000Z', end: '2026-12-14T00:00:00.000Z' },
    trialEnd: null,
    activeModuleIds: ['e-signature', 'accounting-export'],
    scheduledChanges: [],
    nextInvoice: { date: '2026-12-14T00:00:00.000Z', total: eur(7000), lines },
    creditBalance: eur(0),
    permissions: { changePlan: true, manageModules: true, managePaymentMethods: true, viewInvoices: true },
    version: '3',
    ...overrides,
  };
}

const modules = [module('e-signature', 900, 'active', 2), module('accounting-export', 1200, 'active', 45), module('auto-reminders', 700, 'inactive', null)];
const card = (expMonth: number, expYear: number): PaymentMethod => ({
  id: 'pm_1',
  type: 'card',
  isDefault: true,
  card: { brand: 'visa', last4: '4242', expMonth, expYear },
});

function input(overrides: Partial<ReviewInput> = {}): ReviewInput {
  return {
    subscription: subscription(),
    plans,
    modules,
    usage: [metric('clients', 312, 500, null), metric('documents', 870, 1000)],
    paymentMethods: [card(11, 2026)],
    invoices: [],
    lastInvoice: null,
    now: NOW,
    ...overrides,
  };
}

describe('the plan verdict', () => {
  it('names the metric nearest its limit, when the pace reaches it, and one plan up', () => {
    const verdict = planVerdict(input());
    assert.equal(verdict.kind, 'up');
    if (verdict.kind !== 'up') return;
    assert.deepEqual([verdict.metric.metricKey, verdict.limit, verdict.next.id], ['documents', 1000, 'entreprise']);
    // 870 in 12.4 days: 1,000 about 1.85 days later, before the reset on 14 Dec.
    assert.equal(verdict.reachAt?.toISOString().slice(0, 10), '2026-11-28');
  });

  it('says what is over the limit first, with the plan that lifts it', () => {
    const verdict = planVerdict(input({ usage: [metric('documents', 1200, 1000), metric('clients', 600, 500, null)] }));
    assert.equal(verdict.kind, 'over');
    if (verdict.kind !== 'over') return;
    assert.deepEqual(verdict.metrics.map((m) => m.metricKey), ['documents', 'clients']);
    assert.equal(verdict.next?.id, 'entreprise');
  });

  it('offers one plan down, with the monthly saving, when usage fits it below its warning threshold', () => {
    const verdict = planVerdict(input({ usage: [metric('documents', 50, 1000), metric('clients', 40, 500, null)] }));
    assert.equal(verdict.kind, 'down');
    if (verdict.kind !== 'down') return;
    assert.equal(verdict.lower.id, 'essentiel');
    assert.deepEqual(verdict.saving, eur(3000));
    // Billed yearly: the saving is still said per month.
    const yearly = planVerdict(input({ subscription: subscription({ interval: 'year' }), usage: [metric('documents', 50, 1000)] }));
    assert.deepEqual(yearly.kind === 'down' ? yearly.saving : null, eur(2500));
  });

  it('fits otherwise', () => {
    assert.equal(planVerdict(input({ usage: [metric('documents', 500, 1000), metric('clients', 180, 500, null)] })).kind, 'fits');
  });
});

describe('the modules verdict', () => {
  it('flags paid modules unused for 30 days, with what they cost a month', () => {
    const verdict = modulesVerdict(input());
    assert.equal(verdict.kind, 'unused');
    if (verdict.kind !== 'unused') return;
    assert.deepEqual(verdict.modules.map((m) => m.id), ['accounting-export']);
    assert.deepEqual(verdict.monthlyCost, eur(1200));
  });

  it('says an unused module already stopping at the period end is stopping, and leaves out included or inactive ones', () => {
    const stopping = modules.map((m) => (m.id === 'accounting-export' ? { ...m, state: 'deactivation_scheduled' as const } : m));
    const verdict = modulesVerdict(input({ modules: stopping }));
    assert.deepEqual([verdict.kind, verdict.kind === 'stopping' ? verdict.modules.map((m) => m.id) : []], ['stopping', ['accounting-export']]);
    assert.equal(modulesVerdict(input({ modules: modules.filter((m) => m.id !== 'accounting-export') })).kind, 'used');
    assert.equal(modulesVerdict(input({ modules: [module('e-invoicing', null, 'included', 90)] })).kind, 'none');
  });
});

describe('the usage verdict', () => {
  it('lists metrics near their limit with the forecast, over ones first as danger', () => {
    const near = usageVerdict(input());
    assert.equal(near.kind, 'near');
    if (near.kind === 'near') assert.deepEqual(near.findings.map((f) => f.metric.metricKey), ['documents']);
    // Under the warning threshold, but the pace reaches the limit before the reset: worth saying.
    const paced = usageVerdict(input({ usage: [metric('orders', 140, 300), metric('clients', 312, 500, null)] }));
    assert.equal(paced.kind, 'near');
    if (paced.kind === 'near') {
      assert.deepEqual(paced.findings.map((f) => [f.metric.metricKey, f.reachAt?.toISOString().slice(0, 10)]), [['orders', '2026-12-10']]);
    }
    const over = usageVerdict(input({ usage: [metric('documents', 1000, 1000), metric('clients', 10, 500, null)] }));
    assert.deepEqual([over.kind, over.tone], ['over', 'danger']);
    assert.equal(usageVerdict(input({ usage: [metric('documents', 10, 1000)] })).kind, 'within');
  });
});

describe('the billing verdict', () => {
  const lastInvoice: Invoice = {
    id: 'inv_13',
    number: 'F-2026-0013',
    status: 'paid',
    issuedAt: '2026-11-14T00:00:00.000Z',
    dueAt: null,
    periodStart: '2026-11-14T00:00:00.000Z',
    periodEnd: '2026-12-14T00:00:00.000Z',
    total: eur(7700),
    amountDue: eur(0),
    lines: [line('plan', 'pro', 4900), line('module', 'e-signature', 900), line('module', 'accounting-export', 1200), line('module', 'auto-reminders', 700)],
    hostedUrl: null,
    hasPdf: true,
  };

  it('checks the next invoice against its lines and the configuration, and says what changed since the last one', () => {
    const verdict = billingVerdict(input({ lastInvoice }));
    assert.equal(verdict.matches, true);
    assert.deepEqual(verdict.changes, [{ kind: 'removed', name: 'auto-reminders', amount: eur(700) }]);
    assert.equal(verdict.card, 'soon');
    assert.equal(verdict.tone, 'warning');
  });

  it('does not match when the lines do not add up, or bill a module the subscription will not hold', () => {
    const wrongSum = subscription({ nextInvoice: { ...subscription().nextInvoice!, total: eur(6900) } });
    const verdict = billingVerdict(input({ subscription: wrongSum }));
    assert.deepEqual([verdict.matches, verdict.linesTotal, verdict.tone], [false, eur(7000), 'danger']);
    const stopping = modules.map((m) => (m.id === 'accounting-export' ? { ...m, state: 'deactivation_scheduled' as const } : m));
    assert.equal(billingVerdict(input({ modules: stopping })).matches, false, 'the export stops before the next invoice');
  });

  it('reports an unpaid invoice, an expired card or none', () => {
    const open = { ...lastInvoice, id: 'inv_14', status: 'open' as const, amountDue: eur(7000), hostedUrl: 'https://pay.example/inv_14' };
    assert.equal(billingVerdict(input({ invoices: [open, lastInvoice] })).unpaid?.id, 'inv_14');
    assert.equal(billingVerdict(input({ paymentMethods: [card(10, 2026)] })).card, 'expired');
    assert.equal(billingVerdict(input({ paymentMethods: [] })).card, 'none');
    assert.equal(billingVerdict(input({ paymentMethods: [card(12, 2030)] })).tone, 'ok');
  });

  it('compares with the invoice of the current period', () => {
    const older = { ...lastInvoice, id: 'inv_12', periodStart: '2026-10-14T00:00:00.000Z', periodEnd: '2026-11-14T00:00:00.000Z' };
    assert.equal(currentPeriodInvoice(subscription(), [lastInvoice, older])?.id, 'inv_13');
    assert.equal(currentPeriodInvoice(subscription(), [older]), null);
  });
});

describe('the price of the configuration', () => {
  it('adds the plan and the paid modules held, at the subscription’s interval', () => {
    assert.deepEqual(configurationPrice(subscription(), plans, modules), eur(7000));
    const yearlyModules = modules.map((m) => ({ ...m, interval: 'year' as const, price: m.price && eur(m.price.amountMinor * 10) }));
    assert.deepEqual(configurationPrice(subscription({ interval: 'year' }), plans, yearlyModules), eur(70000));
    assert.equal(configurationPrice(subscription({ interval: 'year' }), plans, modules), null, 'monthly modules on a yearly bill do not add up');
  });
});
