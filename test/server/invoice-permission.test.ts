import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_CUSTOMER_ID, EVERY_PERMISSION, createBillingHandler } from '../../src/server/index.js';
import { BASE, demoEngine } from './helpers.js';

describe('viewInvoices', () => {
  const engine = demoEngine();
  // The host says this user may do everything but see the invoices.
  const handler = createBillingHandler({
    engine,
    basePath: '/api/billing',
    publicOrigin: new URL(BASE).origin,
    resolveCustomer: () => ({ customerId: DEMO_CUSTOMER_ID, permissions: { ...EVERY_PERMISSION, viewInvoices: false } }),
  });

  it('refuses the invoice list, one invoice and its PDF link with 403, whatever the engine', async () => {
    const [first] = (await engine.listInvoices(DEMO_CUSTOMER_ID, { limit: 1 })).data;
    for (const path of ['/v1/invoices', `/v1/invoices/${first!.id}`, `/v1/invoices/${first!.id}/pdf`]) {
      const response = await handler(new Request(BASE + path));
      assert.equal(response.status, 403, path);
      assert.equal((await response.json()).code, 'forbidden');
    }
  });

  it('still serves the subscription itself, with the host’s permissions on it', async () => {
    const response = await handler(new Request(`${BASE}/v1/subscription`));
    assert.equal(response.status, 200);
    assert.deepEqual((await response.json()).permissions, { ...EVERY_PERMISSION, viewInvoices: false });
  });
});
