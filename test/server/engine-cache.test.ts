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
import { createChangeStamp } from '../../src/server/reference/change-stamp.js';
import { demoEngine, fixedClock, harness, movableClock, ok } from './helpers.js';

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

  it('closes an ended period before a preview, which then prices the new one', async () => {
    const clock = movableClock();
    const engine = demoEngine(clock);
    const upgrade = { timing: 'now', change: { type: 'plan', planId: 'entreprise' } } as const;
    const before = await engine.previewChange('cus_demo', upgrade);
    const periodEnd = (await engine.getSubscription('cus_demo'))!.currentPeriod.end;
    clock.set(Date.parse(periodEnd) + 60_000);
    const after = await engine.previewChange('cus_demo', upgrade);
    const renewed = (await engine.getSubscription('cus_demo'))!;
    assert.equal(renewed.currentPeriod.start, periodEnd, 'the preview closed the ended period');
    assert.notEqual(after.basedOnVersion, before.basedOnVersion);
    assert.equal(after.basedOnVersion, String(renewed.version));
    assert.equal(after.nextInvoice?.date, renewed.currentPeriod.end);
  });

  it('reads the change stamp once in a read, and afresh after a write made inside it', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (x)');
    const stamp = createChangeStamp(db);
    const before = stamp();
    stamp.steady(() => {
      assert.equal(stamp(), before);
      // Written behind the stamp's back: a steady read does not see it (reads write nothing).
      db.prepare('INSERT INTO t VALUES (1)').run();
      assert.equal(stamp(), before);
      const during = stamp.moving(() => {
        db.prepare('INSERT INTO t VALUES (2)').run();
        return stamp();
      });
      assert.notEqual(during, before);
      assert.equal(stamp(), during, 'after a write, the read asks again');
    });
    assert.notEqual(stamp(), before);
    db.close();
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

    it('prices a preview with what the other connection committed since the last one', async () => {
      const file = join(dir, 'preview.db');
      const engine = createReferenceEngine({ db: file, clock: fixedClock });
      seedDemo(engine);
      const upgrade = { timing: 'now', change: { type: 'plan', planId: 'entreprise' } } as const;
      const first = await engine.previewChange('cus_demo', upgrade);
      const other = new Database(file);
      other.prepare(`UPDATE plan_prices SET amount_minor = amount_minor * 2 WHERE plan_id = 'entreprise'`).run();
      other.close();
      const second = await engine.previewChange('cus_demo', upgrade);
      assert.ok(second.dueNow.amountMinor > first.dueNow.amountMinor, `${second.dueNow.amountMinor} > ${first.dueNow.amountMinor}`);
      assert.equal(second.recurring.total.amountMinor > first.recurring.total.amountMinor, true);
      engine.close();
    });
  });
});
