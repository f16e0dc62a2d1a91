/**
 * The mutation protocol of the handler — Idempotency-Key, If-Match, permissions, validation
 * and the order they are checked in — over the real reference engine. Idempotency runs on
 * both stores: the SQLite one of the reference setup and the in-memory default.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChangeResult, InvoicePage, Subscription, type ChangeRequest } from '../../src/contract/index.js';
import { BillingEngineError, createMemoryIdempotencyStore, EVERY_PERMISSION, type BillingEngine } from '../../src/server/index.js';
import {
  bearer,
  bearerOwner,
  CHANGES,
  changeCalls,
  demoEngine,
  harness,
  movableClock,
  ok,
  PREVIEW,
  problem,
  scheduledChangePath,
  type Harness,
} from './helpers.js';

const upgradeNow: ChangeRequest = { timing: 'now', change: { type: 'plan', planId: 'entreprise' } };
const activateReminders: ChangeRequest = { timing: 'now', change: { type: 'module', moduleId: 'auto-reminders', action: 'activate' } };
const DAY = 86_400_000;

const stores: Record<string, (engine: BillingEngine) => Harness> = {
  sqlite: (engine) => harness(engine),
  // Built without an idempotencyStore, as a host that does not pass one gets it.
  'memory (the default)': (engine) => harness(engine, true, null),
};

async function invoiceCount(h: Pick<Harness, 'get'>): Promise<number> {
  return (await ok(await h.get('/v1/invoices?limit=100'), InvoicePage)).data.length;
}

for (const [name, make] of Object.entries(stores)) {
  describe(`Idempotency-Key, ${name} store`, () => {
    it('replays the same key and body: one change, one invoice, the same response marked Idempotent-Replayed', async () => {
      const h = make(demoEngine());
      const headers = { 'Idempotency-Key': 'click-1', 'If-Match': '"3"' };
      const invoicesBefore = await invoiceCount(h);
      const first = await h.send('POST', CHANGES, { body: upgradeNow, headers });
      const firstText = await first.clone().text();
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('Idempotent-Replayed'), null);
      // The same click again: If-Match is now stale, yet the stored response comes back.
      const second = await h.send('POST', CHANGES, { body: upgradeNow, headers });
      assert.equal(second.status, 200);
      assert.equal(second.headers.get('Idempotent-Replayed'), 'true');
      assert.equal(second.headers.get('ETag'), '"4"');
      assert.equal(second.headers.get('Content-Type'), 'application/json');
      assert.notEqual(second.headers.get('X-Request-Id'), first.headers.get('X-Request-Id'));
      assert.equal(await second.text(), firstText);

      assert.equal(await invoiceCount(h), invoicesBefore + 1);
      assert.equal((await ok(await h.get('/v1/subscription'), Subscription)).version, '4');
    });

    it('replays whatever the headers now say, key order in the body aside, even without If-Match', async () => {
      const h = make(demoEngine());
      await ok(await h.send('POST', CHANGES, { body: upgradeNow, headers: { 'Idempotency-Key': '"k-2"', 'If-Match': '3' } }), ChangeResult);
      const reordered = { change: { planId: 'entreprise', type: 'plan' }, timing: 'now' };
      const replay = await h.send('POST', CHANGES, { body: reordered, headers: { 'Idempotency-Key': 'k-2' } });
      assert.equal(replay.status, 200);
      assert.equal(replay.headers.get('Idempotent-Replayed'), 'true');
    });

    it('refuses the same key for another body, or another endpoint, with 422 idempotency_key_reused', async () => {
      const h = make(demoEngine());
      await ok(await h.send('POST', CHANGES, { body: upgradeNow, headers: { 'Idempotency-Key': 'k', 'If-Match': '3' } }), ChangeResult);
      const other = await h.send('POST', CHANGES, { body: activateReminders, headers: { 'Idempotency-Key': 'k', 'If-Match': '4' } });
      assert.equal((await problem(other, 422, 'idempotency_key_reused')).retryable, false);
      const elsewhere = await h.send('DELETE', scheduledChangePath('sch_x'), { headers: { 'Idempotency-Key': 'k', 'If-Match': '4' } });
      await problem(elsewhere, 422, 'idempotency_key_reused');
      assert.equal((await ok(await h.get('/v1/subscription'), Subscription)).version, '4');
    });

    it('answers 409 idempotency_in_progress while the first request runs, then replays it', async () => {
      const engine = demoEngine();
      let release = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      let started = () => {};
      const running = new Promise<void>((resolve) => (started = resolve));
      // The real engine, slowed down: the commit waits until the test lets it go.
      const slow: BillingEngine = {
        ...engine,
        commitChange: async (...args) => {
          started();
          await gate;
          return engine.commitChange(...args);
        },
      };
      const h = make(slow);
      const headers = { 'Idempotency-Key': 'slow', 'If-Match': '3' };
      const first = h.send('POST', CHANGES, { body: upgradeNow, headers });
      await running;
      const concurrent = await problem(await h.send('POST', CHANGES, { body: upgradeNow, headers }), 409, 'idempotency_in_progress');
      assert.equal(concurrent.retryable, true);
      release();
      assert.equal((await first).status, 200);
      const later = await h.send('POST', CHANGES, { body: upgradeNow, headers });
      assert.equal(later.headers.get('Idempotent-Replayed'), 'true');
    });

    it('stores no failure: after a 412 the same key runs again with the right If-Match', async () => {
      const h = make(demoEngine());
      await problem(await h.send('POST', CHANGES, { body: upgradeNow, headers: { 'Idempotency-Key': 'k', 'If-Match': '2' } }), 412, 'version_conflict');
      const retried = await h.send('POST', CHANGES, { body: upgradeNow, headers: { 'Idempotency-Key': 'k', 'If-Match': '3' } });
      assert.equal(retried.headers.get('Idempotent-Replayed'), null);
      assert.equal((await ok(retried, ChangeResult)).subscription.plan.id, 'entreprise');
    });

    it('scopes keys to the customer', async () => {
      const h = make(demoEngine());
      const headers = { 'Idempotency-Key': 'shared', 'If-Match': '3' };
      await ok(await h.send('POST', CHANGES, { body: upgradeNow, headers }), ChangeResult);
      // Another customer with the same key and body is a new request (which fails on its own merits).
      await problem(await h.send('POST', CHANGES, { customer: 'cus_nosub', body: upgradeNow, headers }), 404, 'no_subscription');
    });
  });
}

describe('Idempotency-Key expiry (SQLite store, engine clock)', () => {
  it('forgets a key after 24 hours', async () => {
    const clock = movableClock();
    const h = harness(demoEngine(clock));
    const headers = { 'Idempotency-Key': 'old', 'If-Match': '3' };
    await ok(await h.send('POST', CHANGES, { body: activateReminders, headers }), ChangeResult);
    clock.advance(DAY - 1);
    assert.equal((await h.send('POST', CHANGES, { body: activateReminders, headers })).headers.get('Idempotent-Replayed'), 'true');
    clock.advance(1);
    // Run anew: the module is already active now.
    await problem(await h.send('POST', CHANGES, { body: activateReminders, headers: { ...headers, 'If-Match': '4' } }), 422, 'change_not_allowed');
  });

  it('keeps the memory store to 24 hours too', async () => {
    let now = 0;
    const store = createMemoryIdempotencyStore({ now: () => now });
    assert.deepEqual(await store.begin('c', 'k', 'f'), { state: 'started' });
    await store.complete('c', 'k', { status: 200, headers: {}, body: '{}' });
    now = DAY - 1;
    assert.equal((await store.begin('c', 'k', 'f')).state, 'replay');
    now = DAY;
    assert.deepEqual(await store.begin('c', 'k', 'f'), { state: 'started' });
    // A claim whose request never finished lapses after a minute.
    now += 59_999;
    assert.deepEqual(await store.begin('c', 'k', 'f'), { state: 'in_progress' });
    now += 1;
    assert.deepEqual(await store.begin('c', 'k', 'f'), { state: 'started' });
  });
});

describe('preconditions, permissions and validation', () => {
  it('requires an Idempotency-Key on mutations: 400 naming the header', async () => {
    const h = harness();
    const withoutKey: Record<string, string>[] = [{ 'If-Match': '3' }, { 'If-Match': '3', 'Idempotency-Key': 'x'.repeat(256) }];
    for (const headers of withoutKey) {
      const body = await problem(await h.send('POST', CHANGES, { body: upgradeNow, headers }), 400, 'validation_failed');
      assert.equal(body.fieldErrors?.[0]?.field, 'header.Idempotency-Key');
    }
    await problem(await h.send('DELETE', scheduledChangePath('sch_1'), { headers: { 'If-Match': '3' } }), 400, 'validation_failed');
  });

  it('requires If-Match: 428 without it, 412 with the current subscription when stale, quoted or bare accepted', async () => {
    const h = harness();
    const calls = changeCalls(h);
    await problem(await calls.commit(upgradeNow, { ifMatch: null }), 428, 'precondition_required');
    const stale = await problem(await calls.commit(upgradeNow, { ifMatch: '"2"' }), 412, 'version_conflict');
    assert.equal(stale.current?.version, '3');
    assert.equal(stale.current?.plan.id, 'pro');
    await problem(await calls.commit(upgradeNow, { ifMatch: 'W/"3"' }), 412, 'version_conflict');
    await ok(await calls.commit(activateReminders, { ifMatch: '3' }), ChangeResult);
    await ok(await calls.commit(upgradeNow, { ifMatch: '"4"' }), ChangeResult);
    await problem(await calls.cancel('sch_1', { ifMatch: null }), 428, 'precondition_required');
  });

  it('catches a change committed between the check and the commit (412 from the engine)', async () => {
    const engine = demoEngine();
    // Another page commits while this request is between the handler's check and the engine.
    const racing: BillingEngine = {
      ...engine,
      commitChange: async (customer, request, ifMatch) => {
        await engine.commitChange(customer, activateReminders, ifMatch);
        return engine.commitChange(customer, request, ifMatch);
      },
    };
    const body = await problem(await changeCalls(harness(racing)).commit(upgradeNow, { ifMatch: '3' }), 412, 'version_conflict');
    assert.equal(body.current?.version, '4');
    assert.equal(body.current?.plan.id, 'pro');
  });

  it('refuses every mutation of a read-only user with 403, whatever the request says', async () => {
    const h = harness();
    const calls = changeCalls(h, 'cus_readonly');
    await problem(await calls.commit(upgradeNow), 403, 'forbidden');
    await problem(await calls.commit(activateReminders, { ifMatch: null }), 403, 'forbidden');
    await problem(await calls.commit('{not json'), 403, 'forbidden');
    await problem(await calls.cancel('sch_1'), 403, 'forbidden');
    // Seeing what a change would cost changes nothing: allowed.
    assert.equal((await calls.preview(upgradeNow)).status, 200);
  });

  it('checks the permission each change needs', async () => {
    // A user who may manage modules but not change the plan, as the host says.
    const calls = changeCalls(
      harness(demoEngine(), true, undefined, {
        resolveCustomer: (request) => ({ ...(bearer(request) ?? { customerId: '' }), permissions: { ...EVERY_PERMISSION, changePlan: false } }),
      }),
    );
    await problem(await calls.commit(upgradeNow), 403, 'forbidden');
    await ok(await calls.commit(activateReminders), ChangeResult);
    const scheduled = await ok(
      await calls.commit({ timing: 'period_end', change: { type: 'module', moduleId: 'auto-reminders', action: 'deactivate' } }),
      ChangeResult,
    );
    const [change] = scheduled.subscription.scheduledChanges;
    assert.ok(change);
    await ok(await calls.cancel(change.id), Subscription);
  });

  it('validates bodies: malformed JSON and schema errors are 400 with field errors', async () => {
    const h = harness();
    const calls = changeCalls(h);
    for (const send of [calls.preview, calls.commit]) {
      const malformed = await problem(await send('{"timing": '), 400, 'validation_failed');
      assert.deepEqual(malformed.fieldErrors, [{ field: 'body', message: 'must be a JSON document' }]);
      const wrong = await problem(await send({ timing: 'tomorrow', change: { type: 'plan', planId: '' } }), 400, 'validation_failed');
      assert.deepEqual(wrong.fieldErrors?.map((e) => e.field), ['body.timing', 'body.change.planId']);
    }
  });

  it('checks in order: credentials, key, idempotency, subscription, permission, If-Match, body', async () => {
    const h = harness();
    const stale = { 'Idempotency-Key': 'order', 'If-Match': '2' };
    await problem(await h.send('POST', CHANGES, { customer: null, body: '{', headers: {} }), 401, 'unauthenticated');
    await problem(await h.send('POST', CHANGES, { body: '{', headers: { 'If-Match': '2' } }), 400, 'validation_failed');
    await problem(await h.send('POST', CHANGES, { customer: 'cus_nosub', body: '{', headers: stale }), 404, 'no_subscription');
    await problem(await h.send('POST', CHANGES, { customer: 'cus_readonly', body: '{', headers: stale }), 403, 'forbidden');
    await problem(await h.send('POST', CHANGES, { body: '{', headers: { 'Idempotency-Key': 'order' } }), 428, 'precondition_required');
    await problem(await h.send('POST', CHANGES, { body: '{', headers: stale }), 412, 'version_conflict');
    await problem(await h.send('POST', CHANGES, { body: '{', headers: { ...stale, 'If-Match': '3' } }), 400, 'validation_failed');
  });

  it('answers 404 for a scheduled change that is not there or not this customer’s', async () => {
    // Both customers' users may change their subscription.
    const h = harness(demoEngine(), true, undefined, { resolveCustomer: bearerOwner });
    const theirs = await ok(
      await changeCalls(h, 'cus_readonly').commit({ timing: 'period_end', change: { type: 'plan', planId: 'pro' } }),
      ChangeResult,
    );
    const id = theirs.subscription.scheduledChanges[0]?.id ?? '';
    await problem(await changeCalls(h).cancel(id), 404, 'not_found');
    await problem(await changeCalls(h).cancel('sch_nope'), 404, 'not_found');
    assert.equal((await ok(await h.get('/v1/subscription', 'cus_readonly'), Subscription)).scheduledChanges.length, 1);
  });

  it('sends the new version as the ETag of a change', async () => {
    const h = harness();
    const response = await changeCalls(h).commit(activateReminders);
    assert.equal(response.headers.get('ETag'), '"4"');
    const preview = await h.send('POST', PREVIEW, { body: upgradeNow });
    assert.equal(preview.headers.get('ETag'), null);
  });

  it('passes the engine’s business errors through, and never stores them', async () => {
    const engine = demoEngine();
    let calls = 0;
    const flaky: BillingEngine = {
      ...engine,
      commitChange: async (...args) => {
        calls += 1;
        if (calls === 1) throw new BillingEngineError('engine_unavailable', { detail: 'Try again.' });
        return engine.commitChange(...args);
      },
    };
    const h = harness(flaky);
    const headers = { 'Idempotency-Key': 'flaky', 'If-Match': '3' };
    const down = await problem(await h.send('POST', CHANGES, { body: upgradeNow, headers }), 503, 'engine_unavailable');
    assert.equal(down.retryable, true);
    await ok(await h.send('POST', CHANGES, { body: upgradeNow, headers }), ChangeResult);
    assert.equal(calls, 2);
  });

  it('never stores the 500 of a response that breaks the contract', async () => {
    const engine = demoEngine();
    let broken = true;
    const buggy: BillingEngine = {
      ...engine,
      cancelScheduledChange: async (...args) => {
        const subscription = await engine.cancelScheduledChange(...args);
        return broken ? { ...subscription, status: 'gone' as 'active' } : subscription;
      },
    };
    const h = harness(buggy);
    const calls = changeCalls(h);
    const scheduled = await ok(
      await calls.commit({ timing: 'period_end', change: { type: 'plan', planId: 'essentiel' } }),
      ChangeResult,
    );
    const id = scheduled.subscription.scheduledChanges[0]?.id ?? '';
    await problem(await calls.cancel(id, { key: 'cancel-1', ifMatch: '4' }), 500, 'internal');
    broken = false;
    // The cancel did happen (the engine committed it); the retry runs again and meets the new version.
    await problem(await calls.cancel(id, { key: 'cancel-1', ifMatch: '4' }), 412, 'version_conflict');
  });
});
