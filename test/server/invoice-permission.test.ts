import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_CUSTOMER_ID, createBillingHandler, type BillingEngine } from '../../src/server/index.js';
import { BASE, demoEngine } from './helpers.js';

/** The real engine, with the one answer the seed has not: a user who may not see invoices. */
function withoutInvoiceAccess(engine: BillingEngine): BillingEngine {
  return Object.assign(Object.create(engine) as BillingEngine, {
    async getSubscription(customer: string) {
      const subscription = await engine.getSubscription(customer);
      return subscription && { ...subscription, permissions: { ...subscription.permissions, viewInvoices: false } };
    },
  });
}

describe('viewInvoices', () => {
  const engine = demoEngine();
  const handler = createBillingHandler({
    engine: withoutInvoiceAccess(engine),
    basePath: '/api/billing',
    publicOrigin: new URL(BASE).origin,
    resolveCustomer: () => DEMO_CUSTOMER_ID,
  });

  it('refuses the invoice list, one invoice and its PDF link with 403, whatever the engine', async () => {
    const [first] = (await engine.listInvoices(DEMO_CUSTOMER_ID, { limit: 1 })).data;
    for (const path of ['/v1/invoices', `/v1/invoices/${first!.id}`, `/v1/invoices/${first!.id}/pdf`]) {
      const response = await handler(new Request(BASE + path));
      assert.equal(response.status, 403, path);
      assert.equal((await response.json()).code, 'forbidden');
    }
  });

  it('still serves the subscription itself', async () => {
    assert.equal((await handler(new Request(`${BASE}/v1/subscription`))).status, 200);
  });
});
