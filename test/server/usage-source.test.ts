/**
 * Usage from the host's own metering (`createReferenceEngine({ usage })`): `listUsage` answers
 * it, and a plan change weighs it against the new plan's limits instead of the usage table.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChangeRequest, UsageMetric } from '../../src/contract/index.js';
import { createReferenceEngine, seedDemo } from '../../src/server/index.js';
import { fixedClock, NOW } from './helpers.js';

const metric = (metricKey: string, used: number, limit: number | null): UsageMetric => ({
  metricKey,
  name: metricKey,
  unit: metricKey,
  used,
  limit,
  warnAt: 0.8,
  periodStart: '2026-03-01T00:00:00Z',
  resetsAt: '2026-04-01T00:00:00Z',
  asOf: NOW.toISOString(),
});

/** The demo database, with usage metered by the host: 150 documents for the demo customer, none for anyone else. */
function engineWithSource() {
  const asked: string[] = [];
  const engine = createReferenceEngine({
    db: ':memory:',
    clock: fixedClock,
    usage: async (customer) => {
      asked.push(customer);
      return customer === 'cus_demo' ? [metric('documents', 150, 1000)] : [];
    },
  });
  seedDemo(engine);
  return { engine, asked };
}

function demoEngine() {
  const engine = createReferenceEngine({ db: ':memory:', clock: fixedClock });
  seedDemo(engine);
  return engine;
}

const downgrade: ChangeRequest = { timing: 'period_end', change: { type: 'plan', planId: 'essentiel' } };

describe('usage from the host’s source', () => {
  it('listUsage answers what the source gives, not the usage table', async () => {
    const { engine } = engineWithSource();
    await engine.recordUsage('cus_demo', 'documents', 5);
    assert.deepEqual(await engine.listUsage('cus_demo'), [metric('documents', 150, 1000)]);
    assert.deepEqual(await engine.listUsage('cus_readonly'), []);
    const table = (await demoEngine().listUsage('cus_demo')).map((m) => m.metricKey);
    assert.deepEqual(table, ['clients', 'documents', 'orders'], 'without a source, the table’s three metrics');
  });

  it('a downgrade weighs the source’s usage, not the table’s: 150 documents fit Essentiel’s 200', async () => {
    const overLimits = (warnings: { code: string }[]) => warnings.filter((warning) => warning.code === 'usage_exceeds_new_limit');
    const { engine } = engineWithSource();
    assert.deepEqual(overLimits((await engine.previewChange('cus_demo', downgrade)).warnings), []);
    const fromTable = overLimits((await demoEngine().previewChange('cus_demo', downgrade)).warnings);
    assert.equal(fromTable.length, 3, 'the demo’s usage table is beyond all three of Essentiel’s limits');
  });

  it('usage beyond a limit in the source is warned of, with the source’s figures', async () => {
    const engine = createReferenceEngine({
      db: ':memory:',
      clock: fixedClock,
      usage: async () => [metric('documents', 450, 1000), metric('orders', 10, 300)],
    });
    seedDemo(engine);
    const preview = await engine.previewChange('cus_demo', downgrade);
    assert.deepEqual(
      preview.warnings.filter((warning) => warning.code === 'usage_exceeds_new_limit'),
      [{ code: 'usage_exceeds_new_limit', metricKey: 'documents', used: 450, limit: 200 }],
    );
  });

  it('is read for a plan change’s preview (its warnings), not for module changes or a commit (which warns of nothing)', async () => {
    const { engine, asked } = engineWithSource();
    await engine.previewChange('cus_demo', { timing: 'now', change: { type: 'module', moduleId: 'auto-reminders', action: 'activate' } });
    assert.deepEqual(asked, []);
    await engine.previewChange('cus_demo', downgrade);
    const version = (await engine.getSubscription('cus_demo'))!.version!;
    await engine.commitChange('cus_demo', downgrade, version);
    assert.deepEqual(asked, ['cus_demo']);
    assert.equal((await engine.getSubscription('cus_demo'))?.scheduledChanges[0]?.toPlanId, 'essentiel', 'the commit went through');
  });
});
