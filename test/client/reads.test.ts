/**
 * The read methods of the client against the real reference handler over HTTP, on the demo
 * seed (Atelier Lumière: Pro plan, documents at 870 of 1000, 14 monthly invoices).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createBillingClient, type BillingClient, type Invoice } from '../../src/client/index.js';
import { editJson, startBillingServer, type BillingTestServer } from '../support/node/billing-server.js';

describe('BillingClient reads', () => {
  let server: BillingTestServer;
  let client: BillingClient;
  before(async () => {
    server = await startBillingServer();
    client = createBillingClient({ baseUrl: server.url('demo') });
  });
  after(() => server.close());

  it('gets the subscription and remembers its version', async () => {
    const fresh = createBillingClient({ baseUrl: server.url('demo') });
    assert.equal(fresh.lastVersion, null);
    const subscription = await fresh.getSubscription();
    assert.equal(subscription.plan.id, 'pro');
    assert.equal(subscription.plan.name, 'Pro');
    assert.equal(subscription.status, 'active');
    assert.equal(subscription.interval, 'month');
    assert.deepEqual(subscription.activeModuleIds, ['e-invoicing', 'e-signature', 'accounting-export']);
    assert.equal(subscription.nextInvoice?.total.amountMinor, 4900 + 900 + 1200);
    assert.equal(subscription.version, '3');
    assert.equal(fresh.lastVersion, '3');
  });

  it('lists the plans relative to the current one', async () => {
    const { data } = await client.listPlans();
    const byId = new Map(data.map((plan) => [plan.id, plan]));
    assert.deepEqual([...byId.keys()], ['essentiel', 'pro', 'entreprise']);
    assert.equal(byId.get('pro')?.change.direction, 'current');
    assert.equal(byId.get('essentiel')?.change.direction, 'downgrade');
    assert.equal(byId.get('entreprise')?.change.direction, 'upgrade');
    assert.deepEqual(
      data.filter((plan) => plan.change.direction === 'current').map((plan) => plan.id),
      ['pro'],
    );
    assert.equal(byId.get('pro')?.prices.find((p) => p.interval === 'month')?.price.amountMinor, 4900);
  });

  it('lists the modules with their state', async () => {
    const { data } = await client.listModules();
    const states = Object.fromEntries(data.map((module) => [module.id, module.state]));
    assert.equal(states['e-invoicing'], 'included');
    assert.equal(states['e-signature'], 'active');
    assert.equal(states['accounting-export'], 'active');
    assert.deepEqual(data.find((m) => m.id === 'e-invoicing')?.dependentModuleIds, ['accounting-export']);
  });

  it('lists the usage: 870 of 1000 documents', async () => {
    const { data } = await client.listUsage();
    const documents = data.find((metric) => metric.metricKey === 'documents');
    assert.ok(documents, 'no documents metric');
    assert.equal(documents.used, 870);
    assert.equal(documents.limit, 1000);
    assert.equal(documents.warnAt, 0.8);
    assert.equal(documents.asOf, '2026-11-26T10:00:00.000Z');
    assert.equal(data.find((metric) => metric.metricKey === 'clients')?.resetsAt, null);
  });

  it('walks all 14 invoices page by page with the cursor, newest first', async () => {
    const pages: Invoice[][] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listInvoices({ limit: 5, ...(cursor ? { cursor } : {}) });
      pages.push(page.data);
      cursor = page.nextCursor ?? undefined;
      assert.ok(pages.length <= 4, 'the cursor never ends');
    } while (cursor);
    assert.deepEqual(pages.map((page) => page.length), [5, 5, 4]);
    const invoices = pages.flat();
    assert.equal(new Set(invoices.map((invoice) => invoice.id)).size, 14, 'an invoice came twice');
    const issued = invoices.map((invoice) => invoice.issuedAt);
    assert.deepEqual(issued, [...issued].sort().reverse(), 'not newest first');
    assert.equal(invoices[0]?.status, 'paid');
    assert.equal(invoices.filter((invoice) => invoice.status === 'void').length, 1);
  });

  it('returns every invoice on one default page, with no next cursor', async () => {
    const page = await client.listInvoices();
    assert.equal(page.data.length, 14);
    assert.equal(page.nextCursor, null);
  });

  it('filters invoices by status', async () => {
    const page = await client.listInvoices({ status: 'paid' });
    assert.equal(page.data.length, 13);
    assert.ok(page.data.every((invoice) => invoice.status === 'paid'));
    assert.equal(server.requests.at(-1)?.query.get('status'), 'paid');
  });

  it('gets one invoice with lines that add up to its total', async () => {
    const [listed] = (await client.listInvoices({ limit: 1 })).data;
    assert.ok(listed);
    const invoice = await client.getInvoice(listed.id);
    assert.equal(invoice.id, listed.id);
    assert.equal(invoice.number, listed.number);
    assert.ok(invoice.lines && invoice.lines.length >= 2, 'the invoice has no lines');
    const sum = invoice.lines.reduce((total, line) => total + line.amount.amountMinor, 0);
    assert.equal(sum, invoice.total.amountMinor);
    assert.equal(invoice.total.amountMinor, 7000);
    assert.ok(invoice.lines.every((line) => line.amount.currency === invoice.total.currency));
  });

  it('lists the payment methods, one of them the default', async () => {
    const { data } = await client.listPaymentMethods();
    assert.deepEqual(data.map((method) => method.id), ['pm_demo_visa', 'pm_demo_sepa']);
    assert.deepEqual(data.filter((method) => method.isDefault).map((method) => method.id), ['pm_demo_visa']);
    assert.deepEqual(data[0]?.card, { brand: 'visa', last4: '4242', expMonth: 11, expYear: 2026 });
  });

  it('sends Accept: application/json and the host headers, from a function called per request', async () => {
    let calls = 0;
    const withHeaders = createBillingClient({
      baseUrl: server.url('demo'),
      headers: () => ({ Authorization: `Bearer token-${++calls}` }),
    });
    await withHeaders.listUsage();
    await withHeaders.listPlans();
    const [usage, plans] = server.requests.slice(-2);
    assert.equal(usage?.path, '/v1/usage');
    assert.equal(usage?.headers.get('accept'), 'application/json');
    assert.equal(usage?.headers.get('authorization'), 'Bearer token-1');
    assert.equal(plans?.headers.get('authorization'), 'Bearer token-2');
    assert.equal(usage?.headers.get('idempotency-key'), null, 'a read sent an Idempotency-Key');
    assert.equal(usage?.headers.get('if-match'), null, 'a read sent If-Match');
  });

  it('sends Accept-Language from the client’s locale at the time of the call, over the host’s', async () => {
    const localized = createBillingClient({ baseUrl: server.url('demo'), locale: 'fr', headers: { 'Accept-Language': 'de' } });
    const sent = () => server.requests.at(-1)?.headers.get('accept-language');
    await localized.listPlans();
    assert.equal(sent(), 'fr');
    localized.locale = 'en-GB';
    await localized.listModules();
    assert.equal(sent(), 'en-GB');
    localized.locale = undefined;
    await localized.listUsage();
    assert.equal(sent(), 'de');
  });

  it('accepts a base URL with a trailing slash', async () => {
    const slashed = createBillingClient({ baseUrl: `${server.url('demo')}/` });
    assert.equal((await slashed.getSubscription()).plan.id, 'pro');
    assert.equal(server.requests.at(-1)?.path, '/v1/subscription');
  });

  it('tolerates members a newer server adds, and returns only the parsed data', async () => {
    const tolerant = createBillingClient({ baseUrl: server.url('demo') });
    server.front = async (request, forward) =>
      editJson(await forward(request), (body) => ({ ...(body as object), addedInV2: { anything: true } }));
    try {
      const subscription = await tolerant.getSubscription();
      assert.equal(subscription.plan.id, 'pro');
      assert.equal('addedInV2' in subscription, false, 'an unknown member went through unparsed');
    } finally {
      server.front = null;
    }
  });
});
