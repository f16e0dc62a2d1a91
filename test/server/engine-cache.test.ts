/**
 * The reference engine keeps the catalog, accounts and subscriptions between requests until
 * its database changes: a change made by the engine, by a host's own SQL on the same
 * connection, or by another process on the same file must show at once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { Subscription } from '../../src/contract/index.js';
import { createReferenceEngine, seedDemo } from '../../src/server/index.js';
import { demoEngine, fixedClock, harness, ok } from './helpers.js';

describe('what the reference engine keeps between requests', () => {
  it('hands out the same frozen subscription until something changes', async () => {
    const engine = demoEngine();
    const first = await engine.getSubscription('cus_demo');
    assert.equal(await engine.getSubscription('cus_demo'), first);
    assert.ok(Object.isFrozen(first) && Object.isFrozen(first?.nextInvoice?.lines[0]?.amount));
    assert.throws(() => first?.activeModuleIds.push('x'), TypeError);
    await engine.recordUsage('cus_demo', 'documents', 1);
    const afterWrite = await engine.getSubscription('cus_demo');
    assert.notEqual(afterWrite, first, 'a write, even of usage, makes a new one');
    assert.deepEqual(afterWrite, first);
  });

  it('shows an edit of the catalog or of the customer made with SQL on the same connection at once', async () => {
    const engine = demoEngine();
    const h = harness(engine);
    assert.equal((await ok(await h.get('/v1/subscription'), Subscription)).plan.name, 'Pro');
    engine.db.prepare(`UPDATE plans SET name = 'Pro 2026' WHERE id = 'pro'`).run();
    engine.db.prepare(`UPDATE plan_prices SET amount_minor = 5900 WHERE plan_id = 'pro' AND interval = 'month'`).run();
    const subscription = await ok(await h.get('/v1/subscription'), Subscription);
    assert.equal(subscription.plan.name, 'Pro 2026');
    assert.equal(subscription.nextInvoice?.lines[0]?.amount.amountMinor, 5900);
    engine.db.prepare(`UPDATE customers SET credit_balance_minor = 1234 WHERE id = 'cus_demo'`).run();
    assert.equal((await ok(await h.get('/v1/subscription'), Subscription)).creditBalance.amountMinor, 1234);
  });

  describe('with another process on the same file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'billing-elements-cache-'));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('shows what the other connection committed', async () => {
      const file = join(dir, 'billing.db');
      const engine = createReferenceEngine({ db: file, clock: fixedClock });
      seedDemo(engine);
      assert.equal((await engine.getSubscription('cus_demo'))?.plan.name, 'Pro');
      const other = new Database(file);
      other.prepare(`UPDATE plans SET name = 'Pro (elsewhere)' WHERE id = 'pro'`).run();
      other.close();
      assert.equal((await engine.getSubscription('cus_demo'))?.plan.name, 'Pro (elsewhere)');
      engine.close();
    });
  });
});
