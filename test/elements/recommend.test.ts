import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Module, Plan, UsageMetric } from '../../src/contract/index.js';
import { isUnusedPaidModule } from '../../src/elements/module-list/module-list.js';
import { recommendPlan } from '../../src/elements/plan-picker/recommend.js';

const plan = (id: string, rank: number, limits: Record<string, number | null>): Plan => ({
  id,
  name: id,
  rank,
  prices: [{ interval: 'month', price: { amountMinor: rank * 1000, currency: 'EUR' } }],
  limits: Object.entries(limits).map(([metricKey, limit]) => ({ metricKey, limit })),
  includedModuleIds: [],
  change: { direction: 'lateral', allowedTimings: ['now'], defaultTiming: 'now' },
});
const plans = [plan('pro', 2, { docs: 1000 }), plan('basic', 1, { docs: 200 }), plan('max', 3, { docs: null })];
const usage = (used: number): UsageMetric[] => [
  {
    metricKey: 'docs',
    name: 'Documents',
    unit: 'document',
    used,
    limit: 1000,
    warnAt: 0.8,
    periodStart: '2026-11-01T00:00:00Z',
    resetsAt: null,
    asOf: '2026-11-10T00:00:00Z',
  },
];

describe('recommendPlan', () => {
  it('recommends one plan up when a metric reaches its warning threshold', () => {
    assert.deepEqual(recommendPlan(plans, 'pro', usage(800)), { direction: 'up', plan: plans[2] });
    assert.deepEqual(recommendPlan(plans, 'basic', usage(900)), { direction: 'up', plan: plans[0] });
  });

  it('recommends one plan down when usage stays under the smaller plan’s threshold', () => {
    assert.deepEqual(recommendPlan(plans, 'pro', usage(150)), { direction: 'down', plan: plans[1] });
    assert.deepEqual(recommendPlan(plans, 'pro', usage(160)).direction, 'fits');
  });

  it('says the plan fits at the top and bottom of the range and for an unknown plan', () => {
    assert.equal(recommendPlan(plans, 'max', usage(5000)).direction, 'fits');
    assert.equal(recommendPlan(plans, 'max', usage(500)).direction, 'down');
    assert.equal(recommendPlan(plans, 'basic', usage(10)).direction, 'fits');
    assert.equal(recommendPlan(plans, 'nope', usage(10)).direction, 'fits');
  });
});

describe('isUnusedPaidModule', () => {
  const now = Date.parse('2026-11-26T00:00:00Z');
  const module = (overrides: Partial<Module>): Module => ({
    id: 'm',
    name: 'M',
    price: { amountMinor: 900, currency: 'EUR' },
    state: 'active',
    requires: {},
    available: true,
    unavailableReasons: [],
    dependentModuleIds: [],
    allowedTimings: { activate: ['now'], deactivate: ['now'] },
    ...overrides,
  });

  it('flags a paid active module last used more than 30 days ago, or not used in 30 days', () => {
    assert.equal(isUnusedPaidModule(module({ lastUsedAt: '2026-10-01T00:00:00Z' }), now), true);
    assert.equal(isUnusedPaidModule(module({ usageCount30d: 0 }), now), true);
  });

  it('does not flag a module never used (it may have just been activated)', () => {
    assert.equal(isUnusedPaidModule(module({ lastUsedAt: null }), now), false);
  });

  it('does not flag recent use, free, included or inactive modules, or when use is unknown', () => {
    assert.equal(isUnusedPaidModule(module({ lastUsedAt: '2026-11-20T00:00:00Z' }), now), false);
    assert.equal(isUnusedPaidModule(module({ lastUsedAt: '2026-01-01T00:00:00Z', price: null }), now), false);
    assert.equal(isUnusedPaidModule(module({ lastUsedAt: '2026-01-01T00:00:00Z', state: 'included' }), now), false);
    assert.equal(isUnusedPaidModule(module({ lastUsedAt: '2026-01-01T00:00:00Z', state: 'inactive' }), now), false);
    assert.equal(isUnusedPaidModule(module({}), now), false);
  });
});
