/**
 * Live across tabs, in Node (which has BroadcastChannel): two stores of one endpoint, as two
 * tabs would hold, over the real reference server. The subscription version decides which
 * state wins.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createBillingClient } from '../../src/client/index.js';
import { BillingStore } from '../../src/store/index.js';
import { isNewerVersion } from '../../src/store/tab-sync.js';
import { waitFor } from '../support/node/assertions.js';
import { startBillingServer, type BillingTestServer } from '../support/node/billing-server.js';

describe('stores of one endpoint in two tabs', () => {
  let server: BillingTestServer;
  let here: BillingStore;
  let there: BillingStore;
  const unsubscribe: (() => void)[] = [];
  beforeEach(async () => {
    server = await startBillingServer();
    here = new BillingStore(createBillingClient({ baseUrl: server.url('demo'), retries: 0 }));
    there = new BillingStore(createBillingClient({ baseUrl: server.url('demo'), retries: 0 }));
    for (const store of [here, there]) for (const key of ['subscription', 'modules'] as const) unsubscribe.push(store.subscribe(key, () => {}));
    await waitFor(() => here.get('modules').data && there.get('modules').data, 'both loaded');
  });
  afterEach(async () => {
    unsubscribe.splice(0).forEach((stop) => stop());
    await server.close();
  });

  it('tells the other store what a mutation returned, which takes it and reloads what depends on it', async () => {
    const { subscription } = await here.client.commitChange(
      { timing: 'now', change: { type: 'module', moduleId: 'auto-reminders', action: 'activate' } },
    );
    await here.applySubscription(subscription);
    await waitFor(() => there.get('subscription').data?.version === subscription.version, 'the other store has the new version');
    await waitFor(() => there.get('modules').data?.find((module) => module.id === 'auto-reminders')?.state === 'active', 'its modules reloaded');
  });

  it('leaves an older subscription than its own', async () => {
    const current = there.get('subscription').data!;
    here.applySubscription({ ...current, version: String(Number(current.version) - 1), plan: { id: 'essentiel', name: 'Essentiel' } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(there.get('subscription').data?.version, current.version);
    assert.equal(there.get('subscription').data?.plan.id, current.plan.id);
  });

  it('compares whole-number versions, and says when it cannot', () => {
    assert.equal(isNewerVersion('10', '9'), true);
    assert.equal(isNewerVersion('9', '10'), false);
    assert.equal(isNewerVersion('12345678901234567890', '12345678901234567889'), true);
    assert.equal(isNewerVersion('W/abc', '3'), null);
  });
});
