import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { UsageMetric } from '../../src/contract/index.js';
import { forecastLimit, usageRatio, usageStatus } from '../../src/elements/usage-meter/usage-status.js';

const metric = (overrides: Partial<UsageMetric>): UsageMetric => ({
  metricKey: 'documents',
  name: 'Documents',
  unit: 'document',
  used: 500,
  limit: 1000,
  warnAt: 0.8,
  periodStart: '2026-11-01T00:00:00Z',
  resetsAt: '2026-12-01T00:00:00Z',
  asOf: '2026-11-11T00:00:00Z',
  ...overrides,
});

describe('usageStatus', () => {
  it('warns from the metric threshold and marks reached and over', () => {
    assert.equal(usageStatus(metric({ used: 799 })), 'ok');
    assert.equal(usageStatus(metric({ used: 800 })), 'warning');
    assert.equal(usageStatus(metric({ used: 500, warnAt: 0.5 })), 'warning');
    assert.equal(usageStatus(metric({ used: 1000 })), 'reached');
    assert.equal(usageStatus(metric({ used: 1001 })), 'over');
    assert.equal(usageStatus(metric({ limit: null })), 'unlimited');
    assert.equal(usageStatus(metric({ used: 0, limit: 0 })), 'reached');
  });

  it('gives a ratio that never divides by zero', () => {
    assert.equal(usageRatio(metric({ used: 250 })), 0.25);
    assert.equal(usageRatio(metric({ limit: null })), 0);
    assert.equal(usageRatio(metric({ used: 0, limit: 0 })), 1);
    assert.equal(usageRatio(metric({ used: 3, limit: 0 })), Infinity);
  });
});

describe('forecastLimit', () => {
  it('projects the current pace to the date the limit is reached', () => {
    // 500 in 10 days: 50 a day, 500 left → 10 more days.
    const forecast = forecastLimit(metric({ used: 500, resetsAt: '2026-12-31T00:00:00Z' }));
    assert.deepEqual(forecast, new Date('2026-11-21T00:00:00Z'));
  });

  it('says the limit holds when the reset comes first', () => {
    assert.equal(forecastLimit(metric({ used: 100 })), 'within-limit');
  });

  it('has nothing to forecast when unlimited, already reached, unused or at the period start', () => {
    assert.equal(forecastLimit(metric({ limit: null })), null);
    assert.equal(forecastLimit(metric({ used: 1000 })), null);
    assert.equal(forecastLimit(metric({ used: 0 })), null);
    assert.equal(forecastLimit(metric({ asOf: '2026-11-01T00:00:00Z' })), null);
  });

  it('limits forecasts of stock metrics (no reset) to a year ahead', () => {
    const soon = forecastLimit(metric({ resetsAt: null, used: 900, periodStart: '2026-01-01T00:00:00Z' }));
    assert.ok(soon instanceof Date);
    const far = forecastLimit(metric({ resetsAt: null, used: 10, periodStart: '2026-01-01T00:00:00Z' }));
    assert.equal(far, null);
  });
});
