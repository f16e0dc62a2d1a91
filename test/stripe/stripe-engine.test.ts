/**
 * The Stripe engine (`billing-elements/stripe.js`) over the official SDK, pointed at a
 * stateful stand-in of the Stripe API (stand-in.ts): the conformance suite's checks for what
 * the engine supports, then what is particular to Stripe.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { ChangePreview, ChangeRequest, ChangeResult, Problem } from '../../src/contract/index.js';
import type { InvoiceQuery } from '../../src/server/billing-engine.js';
import { createDriver, runConformanceSuite, type SendOptions } from '../../src/server/testing/index.js';
import { stripeIdempotencyKey } from '../../src/stripe/changes.js';
import { createStripeEngine, moneyFromStripe } from '../../src/stripe/index.js';
import { NOW, OTHER, SUBSCRIBED, WITHOUT_SUBSCRIPTION, seedCatalog, standInClient, stripeFixture, type StripeFixture } from './fixture.js';
import { startStandIn } from './stand-in.js';

// Every check: changes now and at the period end (Subscription Schedules).
runConformanceSuite({
  name: 'the Stripe engine (stand-in of the Stripe API)',
  setup: async () => {
    const fixture = await stripeFixture();
    return {
      engine: fixture.engine,
      customers: { subscribed: SUBSCRIBED, other: OTHER, withoutSubscription: WITHOUT_SUBSCRIPTION },
      now: NOW,
      teardown: fixture.close,
    };
  },
});

describe('money in minor units', () => {
  it('passes Stripe amounts through where Stripe and ISO 4217 agree, zero-decimal currencies included', () => {
    assert.deepEqual(moneyFromStripe(2900, 'eur'), { amountMinor: 2900, currency: 'EUR' });
    assert.deepEqual(moneyFromStripe(1200, 'jpy'), { amountMinor: 1200, currency: 'JPY' });
    assert.deepEqual(moneyFromStripe(1250, 'kwd'), { amountMinor: 1250, currency: 'KWD' });
  });

  it('converts where Stripe counts otherwise: ISK in hundredths, MGA in whole units', () => {
    assert.deepEqual(moneyFromStripe(150000, 'isk'), { amountMinor: 1500, currency: 'ISK' });
    assert.deepEqual(moneyFromStripe(5000, 'mga'), { amountMinor: 500000, currency: 'MGA' });
    assert.ok(Object.is(moneyFromStripe(-0, 'isk').amountMinor, 0), 'no negative zero');
  });

  it('a catalog, a subscription and invoices in yen keep the yen amounts as they are', async () => {
    const standIn = await startStandIn({ now: NOW.getTime() / 1000 });
    try {
      const catalog = seedCatalog(standIn, {
        currency: 'jpy',
        plans: [
          { id: 'basic', name: 'Basic', rank: 1, month: 1200 },
          { id: 'pro', name: 'Pro', rank: 2, month: 4800 },
        ],
        modules: [{ id: 'export', name: 'Export', month: 300 }],
      });
      standIn.addCustomer({ id: 'cus_jp' });
      standIn.addSubscription({ id: 'sub_jp', customer: 'cus_jp', prices: ['price_basic_month', 'price_export_month'], periodStart: Date.parse('2026-11-01T00:00:00Z') / 1000 });
      standIn.addInvoice({
        id: 'in_jp',
        customer: 'cus_jp',
        number: 'JP-1',
        status: 'paid',
        created: Date.parse('2026-11-01T00:00:00Z') / 1000,
        subscription: 'sub_jp',
        lines: [{ price: 'price_basic_month', description: 'Basic', amount: 1200, periodStart: 1793491200, periodEnd: 1796083200 }],
      });
      const engine = createStripeEngine({ stripe: standInClient(standIn), catalog });
      const plans = await engine.listPlans('cus_jp');
      assert.deepEqual(plans.map((plan) => plan.prices), [[{ interval: 'month', price: { amountMinor: 1200, currency: 'JPY' } }], [{ interval: 'month', price: { amountMinor: 4800, currency: 'JPY' } }]]);
      const subscription = await engine.getSubscription('cus_jp');
      assert.deepEqual(subscription?.nextInvoice?.total, { amountMinor: 1500, currency: 'JPY' });
      assert.deepEqual(subscription?.creditBalance, { amountMinor: 0, currency: 'JPY' });
      const invoice = await engine.getInvoice('cus_jp', 'in_jp');
      assert.deepEqual(invoice?.total, { amountMinor: 1200, currency: 'JPY' });
      assert.deepEqual(invoice?.lines?.map((line) => [line.kind, line.planId, line.amount.amountMinor]), [['plan', 'basic', 1200]]);
    } finally {
      await standIn.close();
    }
  });
});

describe('the Stripe engine', () => {
  let fixture: StripeFixture;
  beforeEach(async () => {
    fixture = await stripeFixture({
      usage: async (customer) =>
        customer === SUBSCRIBED
          ? [{ metricKey: 'seats', name: 'Seats', unit: 'seat', used: 7, limit: 10, warnAt: 0.8, periodStart: '2026-11-01T00:00:00Z', resetsAt: null, asOf: '2026-11-15T12:00:00Z' }]
          : [],
    });
  });
  afterEach(() => fixture.close());

  const send = (method: string, path: string, options?: SendOptions) =>
    createDriver({ engine: fixture.engine, customers: { subscribed: SUBSCRIBED, other: OTHER, withoutSubscription: WITHOUT_SUBSCRIPTION }, now: NOW }).send(method, path, options);

  it('reads the subscription: plan and modules from the items, period, credit, the renewal from invoices.createPreview', async () => {
    const subscription = await fixture.engine.getSubscription(SUBSCRIBED);
    assert.ok(subscription);
    assert.equal(subscription.id, 'sub_subscribed');
    assert.equal(subscription.status, 'active');
    assert.deepEqual(subscription.plan, { id: 'team', name: 'Team' });
    assert.equal(subscription.interval, 'month');
    assert.deepEqual(subscription.currentPeriod, { start: '2026-11-01T00:00:00Z', end: '2026-12-01T00:00:00Z' });
    assert.deepEqual(subscription.activeModuleIds, ['reports', 'exports'], 'the included module, then the one subscribed to');
    assert.deepEqual(subscription.creditBalance, { amountMinor: 450, currency: 'EUR' }, 'a negative Stripe balance is credit');
    assert.deepEqual(subscription.nextInvoice?.total, { amountMinor: 3200, currency: 'EUR' });
    assert.equal(subscription.nextInvoice?.date, '2026-12-01T00:00:00Z');
    assert.deepEqual(
      subscription.nextInvoice?.lines.map((line) => [line.kind, line.planId ?? line.moduleId, line.amount.amountMinor]),
      [['plan', 'team', 2900], ['module', 'exports', 300]],
    );
    assert.deepEqual(subscription.scheduledChanges, []);
    assert.equal(await fixture.engine.getSubscription(WITHOUT_SUBSCRIPTION), null, 'a canceled subscription is no subscription');
  });

  it('the version stays while nothing changes in Stripe, and moves when the subscription does', async () => {
    const first = await fixture.engine.getSubscription(SUBSCRIBED);
    const again = await fixture.engine.getSubscription(SUBSCRIBED);
    assert.equal(again?.version, first?.version);
    fixture.standIn.subscriptions.get('sub_subscribed')!.cancel_at_period_end = true;
    const changed = await fixture.engine.getSubscription(SUBSCRIBED);
    assert.notEqual(changed?.version, first?.version);
    assert.equal(changed?.nextInvoice, null, 'a subscription that ends at the period end renews no more');
  });

  it('plans relate to the current one by rank; modules are included, active, or inactive with the reasons', async () => {
    const plans = await fixture.engine.listPlans(SUBSCRIBED);
    assert.deepEqual(plans.map((plan) => [plan.id, plan.change.direction]), [['starter', 'downgrade'], ['team', 'current'], ['business', 'upgrade']]);
    assert.equal(plans[1]?.description, 'The Team plan', 'the description is the Product’s');
    assert.deepEqual(
      plans.map((plan) => [plan.change.allowedTimings, plan.change.defaultTiming]),
      [[['now', 'period_end'], 'period_end'], [[], null], [['now', 'period_end'], 'now']],
    );
    const modules = await fixture.engine.listModules(SUBSCRIBED);
    assert.deepEqual(
      modules.map((module) => [module.id, module.state, module.available, module.unavailableReasons, module.price?.amountMinor ?? null]),
      [
        ['reports', 'included', false, [], null],
        ['exports', 'active', false, [], 300],
        ['sso', 'inactive', true, [], 1500],
        ['audit', 'inactive', false, ['module_required'], 500],
      ],
    );
    const onStarter = await fixture.engine.listModules(OTHER);
    assert.deepEqual(onStarter.find((module) => module.id === 'sso')?.unavailableReasons, ['plan_required']);
  });

  it('usage comes from the host’s usage option', async () => {
    assert.deepEqual((await fixture.engine.listUsage(SUBSCRIBED)).map((metric) => metric.used), [7]);
    assert.deepEqual(await fixture.engine.listUsage(OTHER), []);
  });

  it('invoice filters map to Stripe’s status and created[gte|lte] in whole seconds, both bounds inclusive', async () => {
    const ids = async (query: Partial<InvoiceQuery>) => (await fixture.engine.listInvoices(SUBSCRIBED, { limit: 100, ...query })).data.map((invoice) => invoice.id);
    assert.deepEqual(await ids({ status: 'void' }), ['in_sub_oct']);
    assert.deepEqual(await ids({ status: 'uncollectible' }), ['in_sub_oct_retry']);
    assert.deepEqual(await ids({ from: '2026-09-01T00:00:00Z', to: '2026-10-01T00:00:00Z' }), ['in_sub_oct', 'in_sub_sep'], 'both bounds inclusive');
    assert.deepEqual(await ids({ from: '2026-09-01T00:00:00.500Z', to: '2026-10-01T00:00:00.500Z' }), ['in_sub_oct'], 'a bound inside a second');
    assert.deepEqual(await ids({ status: 'paid', to: '2026-08-31T23:59:59Z' }), ['in_sub_aug']);
  });

  it('an invoice: Stripe’s fields, the Pay link only while open, proration lines by sign', async () => {
    const open = await fixture.engine.getInvoice(SUBSCRIBED, 'in_sub_nov');
    assert.equal(open?.status, 'open');
    assert.equal(open?.hostedUrl, `${fixture.standIn.url}/invoice/in_sub_nov`);
    assert.deepEqual(open?.amountDue, { amountMinor: 3200, currency: 'EUR' });
    const paid = await fixture.engine.getInvoice(SUBSCRIBED, 'in_sub_aug');
    assert.equal(paid?.hostedUrl, null);
    assert.deepEqual(paid?.amountDue, { amountMinor: 0, currency: 'EUR' }, 'nothing left to pay (Stripe’s amount_remaining)');
    const draft = await fixture.engine.getInvoice(SUBSCRIBED, 'in_sub_proration');
    assert.equal(draft?.number, 'in_sub_proration', 'a draft has no number yet: its id stands in');
    assert.equal(draft?.hasPdf, false);
    assert.deepEqual(draft?.lines?.map((line) => [line.kind, line.planId, line.amount.amountMinor]), [
      ['proration_credit', 'starter', -600],
      ['proration_charge', 'team', 1900],
    ]);
    assert.equal(await fixture.engine.getInvoice(SUBSCRIBED, 'in_other_1'), null, 'another customer’s invoice');
    assert.equal(await fixture.engine.getInvoice(SUBSCRIBED, 'in_nowhere'), null, 'an invoice Stripe does not have');
    assert.equal(await fixture.engine.getInvoice(SUBSCRIBED, '../customers/cus_other'), null, 'not an id');
  });

  it('an invoice with more lines than Stripe embeds gets them all from invoices.listLineItems', async () => {
    const lines = Array.from({ length: 23 }, (_, i) => ({ description: `Line ${i}`, amount: 100 + i, periodStart: 1793491200, periodEnd: 1796083200 }));
    fixture.standIn.addInvoice({ id: 'in_long', customer: SUBSCRIBED, number: 'INV-LONG', status: 'paid', created: 1793491200, lines });
    const invoice = await fixture.engine.getInvoice(SUBSCRIBED, 'in_long');
    assert.equal(invoice?.lines?.length, 23);
    assert.equal(invoice?.lines?.reduce((sum, line) => sum + line.amount.amountMinor, 0), invoice?.total.amountMinor);
  });

  it('the PDF is Stripe’s invoice_pdf, a link to a PDF document; none for a draft or another customer’s invoice', async () => {
    const pdf = await fixture.engine.renderInvoicePdf(SUBSCRIBED, 'in_sub_aug');
    assert.ok(pdf && !(pdf instanceof Uint8Array));
    const response = await fetch(pdf.url);
    assert.equal(response.headers.get('Content-Type'), 'application/pdf');
    assert.equal(new TextDecoder().decode((await response.arrayBuffer()).slice(0, 5)), '%PDF-');
    assert.equal(await fixture.engine.renderInvoicePdf(SUBSCRIBED, 'in_sub_proration'), null);
    assert.equal(await fixture.engine.renderInvoicePdf(SUBSCRIBED, 'in_other_1'), null);
  });

  it('a cursor that names no invoice → 400 on query.cursor', async () => {
    const problem = (await (await send('GET', '/v1/invoices?cursor=in_nowhere')).json()) as Problem;
    assert.equal(problem.status, 400);
    assert.deepEqual(problem.fieldErrors?.map((error) => error.field), ['query.cursor']);
  });

  it('payment methods: the customer’s default is invoice_settings.default_payment_method', async () => {
    const methods = await fixture.engine.listPaymentMethods(SUBSCRIBED);
    assert.deepEqual(methods.map((method) => [method.id, method.isDefault, method.card?.last4]), [
      ['pm_subscribed_mc', false, '4444'],
      ['pm_subscribed_visa', true, '4242'],
    ]);
    const after = await fixture.engine.setDefaultPaymentMethod(SUBSCRIBED, 'pm_subscribed_mc');
    assert.deepEqual(after?.filter((method) => method.isDefault).map((method) => method.id), ['pm_subscribed_mc']);
    assert.equal(fixture.standIn.customers.get(SUBSCRIBED)?.invoice_settings.default_payment_method, 'pm_subscribed_mc', 'set in Stripe');
    assert.equal(await fixture.engine.setDefaultPaymentMethod(SUBSCRIBED, 'pm_other_visa'), null, 'another customer’s');
  });

  it('removing: the default is refused while the subscription renews; another is detached in Stripe', async () => {
    await assert.rejects(fixture.engine.removePaymentMethod(SUBSCRIBED, 'pm_subscribed_visa'), { code: 'change_not_allowed' });
    const after = await fixture.engine.removePaymentMethod(SUBSCRIBED, 'pm_subscribed_mc');
    assert.deepEqual(after?.map((method) => method.id), ['pm_subscribed_visa']);
    assert.equal(fixture.standIn.paymentMethods.get('pm_subscribed_mc')?.customer, null, 'detached in Stripe');
    assert.equal(await fixture.engine.removePaymentMethod(SUBSCRIBED, 'pm_other_visa'), null, 'another customer’s');
    fixture.standIn.subscriptions.get('sub_subscribed')!.cancel_at_period_end = true;
    assert.deepEqual(await fixture.engine.removePaymentMethod(SUBSCRIBED, 'pm_subscribed_visa'), [], 'the default, once nothing renews on it');
  });

  it('adding a payment method is a Checkout Session in setup mode that comes back with billing_setup', async () => {
    const session = await fixture.engine.createSetupSession(SUBSCRIBED, { returnUrl: 'https://app.example/billing?tab=cards#methods', locale: 'fr-BE' });
    assert.ok(session && session.kind === 'redirect');
    const created = [...fixture.standIn.checkoutSessions.values()][0];
    assert.equal(session.url, created?.url);
    assert.equal(session.expiresAt, '2026-11-16T12:00:00Z');
    assert.equal(created?.mode, 'setup');
    assert.equal(created?.customer, SUBSCRIBED);
    assert.equal(created?.currency, 'eur');
    assert.equal(created?.locale, 'fr', 'fr-BE → fr, a language Checkout speaks');
    assert.equal(created?.success_url, 'https://app.example/billing?tab=cards&billing_setup=succeeded#methods');
    assert.equal(created?.cancel_url, 'https://app.example/billing?tab=cards&billing_setup=canceled#methods');
  });

  const previewOf = async (body: unknown, as?: string) => {
    const response = await send('POST', '/v1/subscription/changes/preview', { body, ...(as ? { as } : {}) });
    return { status: response.status, body: (await response.json()) as ChangePreview & Problem };
  };
  const commitOf = async (body: unknown, ifMatch: string, key: string) => {
    const response = await send('POST', '/v1/subscription/changes', { body, headers: { 'If-Match': `"${ifMatch}"`, 'Idempotency-Key': key } });
    return { status: response.status, body: (await response.json()) as ChangeResult & Problem };
  };

  it('an upgrade now: Stripe’s proration per second at the preview’s date, billed by the commit, renewal at the new price', async () => {
    // 2026-11-15T12:00Z in the period 2026-11-01 – 12-01 (30 days): 15.5 days left, 31/60 of it.
    const request = { timing: 'now', change: { type: 'plan', planId: 'business' } };
    const preview = await previewOf(request);
    assert.equal(preview.status, 200);
    assert.deepEqual(preview.body.lines.map((line) => [line.kind, line.planId, line.amount.amountMinor]), [
      ['proration_credit', 'team', -1498], // 2900 × 31/60
      ['proration_charge', 'business', 4082], // 7900 × 31/60
    ]);
    assert.deepEqual(preview.body.dueNow, { amountMinor: 2584, currency: 'EUR' });
    assert.equal(preview.body.effectiveAt, '2026-11-15T12:00:00Z');
    assert.deepEqual(preview.body.recurring, { interval: 'month', total: { amountMinor: 8200, currency: 'EUR' } }, 'Business and Exports at list price');
    assert.deepEqual(preview.body.nextInvoice, { date: '2026-12-01T00:00:00Z', total: { amountMinor: 8200, currency: 'EUR' } });
    assert.deepEqual(preview.body.warnings, []);

    const committed = await commitOf({ ...request, previewToken: preview.body.previewToken }, preview.body.basedOnVersion, 'key-upgrade');
    assert.equal(committed.status, 200, JSON.stringify(committed.body));
    assert.equal(committed.body.subscription.plan.id, 'business');
    assert.deepEqual(committed.body.invoice?.total, preview.body.dueNow);
    assert.equal(committed.body.invoice?.status, 'paid');
    const item = fixture.standIn.subscriptions.get('sub_subscribed')!.items.data.map((entry) => entry.price.id);
    assert.deepEqual(item, ['price_business_month', 'price_exports_month'], 'the plan item re-priced in Stripe');
  });

  it('a downgrade now: the credit goes to the customer’s balance, nothing is due', async () => {
    const request = { timing: 'now', change: { type: 'plan', planId: 'starter' } };
    const preview = await previewOf(request);
    assert.deepEqual(preview.body.dueNow, { amountMinor: 0, currency: 'EUR' });
    assert.deepEqual(preview.body.lines.map((line) => [line.kind, line.amount.amountMinor]), [
      ['proration_credit', -1498],
      ['proration_charge', 465], // 900 × 31/60; Exports stays as it is
      ['other', 1033], // the credit, to the balance
    ]);
    assert.deepEqual(preview.body.warnings, [{ code: 'usage_exceeds_new_limit', metricKey: 'seats', used: 7, limit: 5 }]);
    const committed = await commitOf({ ...request, previewToken: preview.body.previewToken }, preview.body.basedOnVersion, 'key-downgrade');
    assert.equal(committed.status, 200, JSON.stringify(committed.body));
    assert.deepEqual(committed.body.subscription.creditBalance, { amountMinor: 450 + 1033, currency: 'EUR' });
  });

  it('a module activated now, and the rules: requirements, included modules', async () => {
    const activation = await previewOf({ timing: 'now', change: { type: 'module', moduleId: 'sso', action: 'activate' } });
    assert.deepEqual(activation.body.lines.map((line) => [line.kind, line.moduleId, line.amount.amountMinor]), [['proration_charge', 'sso', 775]]);
    const missing = await previewOf({ timing: 'now', change: { type: 'module', moduleId: 'audit', action: 'activate' } });
    assert.equal(missing.status, 422);
    assert.equal(missing.body.code, 'module_requirements_not_met');
    assert.deepEqual(missing.body.missing, { allOfModules: ['sso'] });
    const included = await previewOf({ timing: 'now', change: { type: 'module', moduleId: 'reports', action: 'deactivate' } });
    assert.equal(included.body.code, 'change_not_allowed');
    const none = await previewOf({ timing: 'now', change: { type: 'plan', planId: 'business' } }, WITHOUT_SUBSCRIPTION);
    assert.equal(none.status, 404);
  });

  it('monthly to yearly: a new yearly period from now, the unused month credited', async () => {
    const preview = await previewOf({ timing: 'now', change: { type: 'plan', planId: 'team', interval: 'year' } });
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.deepEqual(preview.body.lines.map((line) => [line.kind, line.amount.amountMinor]), [
      ['proration_credit', -1498],
      ['proration_credit', -155],
      ['plan', 29000],
      ['module', 3000],
    ]);
    assert.deepEqual(preview.body.recurring, { interval: 'year', total: { amountMinor: 32000, currency: 'EUR' } });
    assert.equal(preview.body.nextInvoice?.date, '2027-11-15T12:00:00Z');
  });

  it('a preview token that was altered, is for another change or has expired is refused; nothing changes in Stripe', async () => {
    const request = { timing: 'now', change: { type: 'plan', planId: 'business' } };
    const preview = await previewOf(request);
    const version = preview.body.basedOnVersion;
    const [payload = '', signature] = preview.body.previewToken.split('.');
    const body = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { t: number };
    const earlier = `${Buffer.from(JSON.stringify({ ...body, t: body.t - 10 * 86_400 })).toString('base64url')}.${signature}`;
    assert.equal((await commitOf({ ...request, previewToken: earlier }, version, 'key-forged')).body.code, 'preview_stale', 'an earlier proration date');
    const other = { timing: 'now', change: { type: 'plan', planId: 'starter' } };
    assert.equal((await commitOf({ ...other, previewToken: preview.body.previewToken }, version, 'key-other')).body.code, 'preview_stale');
    // Processes sharing `previewSecret` accept one another's tokens, until they expire.
    const engineAt = (minutes: number, previewSecret: string) =>
      createStripeEngine({ stripe: fixture.stripe, catalog: fixture.catalog, now: () => new Date(NOW.getTime() + minutes * 60_000), previewSecret });
    const token = (await engineAt(0, 'shared').previewChange(SUBSCRIBED, request as ChangeRequest)).previewToken;
    await assert.rejects(engineAt(16, 'shared').commitChange(SUBSCRIBED, { ...(request as ChangeRequest), previewToken: token }, version), { code: 'preview_expired' });
    await assert.rejects(engineAt(1, 'another').commitChange(SUBSCRIBED, { ...(request as ChangeRequest), previewToken: token }, version), { code: 'preview_stale' });
    assert.ok(!fixture.standIn.calls.includes('POST /v1/subscriptions/sub_subscribed'), 'no update reached Stripe');
  });

  it('a change Stripe cannot charge → 402 payment_failed, nothing changes', async () => {
    fixture.standIn.customers.get(SUBSCRIBED)!.invoice_settings.default_payment_method = null;
    const before = await fixture.engine.getSubscription(SUBSCRIBED);
    const refused = await commitOf({ timing: 'now', change: { type: 'plan', planId: 'business' } }, before!.version!, 'key-declined');
    assert.equal(refused.status, 402);
    assert.equal(refused.body.code, 'payment_failed');
    assert.deepEqual(await fixture.engine.getSubscription(SUBSCRIBED), before);
  });

  it('the update reaches Stripe with an Idempotency-Key derived from the decision (customer, version, change, proration date)', async () => {
    const before = await fixture.engine.getSubscription(SUBSCRIBED);
    const request: ChangeRequest = { timing: 'now', change: { type: 'module', moduleId: 'sso', action: 'activate' } };
    const result = await fixture.engine.commitChange(SUBSCRIBED, request, before!.version!);
    assert.ok(result.subscription.activeModuleIds.includes('sso'));
    const expected = stripeIdempotencyKey(SUBSCRIBED, before!.version!, request, NOW.getTime() / 1000);
    const updates = fixture.standIn.idempotencyKeys.filter((entry) => entry.call === 'POST /v1/subscriptions/sub_subscribed');
    assert.deepEqual(updates.map((entry) => entry.key), [expected]);
    assert.notEqual(expected, stripeIdempotencyKey(SUBSCRIBED, result.subscription.version!, request, NOW.getTime() / 1000), 'another version, another key');
  });

  it('through the handler, the request’s Idempotency-Key reaches Stripe, scoped to the customer', async () => {
    const before = await fixture.engine.getSubscription(SUBSCRIBED);
    const request: ChangeRequest = { timing: 'now', change: { type: 'module', moduleId: 'sso', action: 'activate' } };
    const { status } = await commitOf(request, before!.version!, 'key-from-the-browser-0001');
    assert.equal(status, 200);
    const updates = fixture.standIn.idempotencyKeys.filter((entry) => entry.call === 'POST /v1/subscriptions/sub_subscribed');
    const expected = stripeIdempotencyKey(SUBSCRIBED, before!.version!, request, NOW.getTime() / 1000, 'key-from-the-browser-0001');
    assert.deepEqual(updates.map((entry) => entry.key), [expected]);
    assert.notEqual(expected, stripeIdempotencyKey(OTHER, before!.version!, request, NOW.getTime() / 1000, 'key-from-the-browser-0001'), 'another customer, another key');
  });

  it('a change at the period end is a Subscription Schedule: its second phase from the period end holds the new items', async () => {
    const before = await fixture.engine.getSubscription(SUBSCRIBED);
    const request: ChangeRequest = { timing: 'period_end', change: { type: 'plan', planId: 'starter' } };
    const preview = await fixture.engine.previewChange(SUBSCRIBED, request);
    assert.deepEqual([preview.lines, preview.dueNow.amountMinor, preview.effectiveAt], [[], 0, '2026-12-01T00:00:00Z']);
    assert.deepEqual(preview.nextInvoice, { date: '2026-12-01T00:00:00Z', total: { amountMinor: 1200, currency: 'EUR' } }, 'Starter and Exports');
    const { subscription, invoice } = await fixture.engine.commitChange(SUBSCRIBED, { ...request, previewToken: preview.previewToken }, before!.version!);
    assert.equal(invoice, null, 'nothing billed now');
    assert.equal(subscription.plan.id, 'team', 'the plan stays until the period ends');
    assert.deepEqual(subscription.scheduledChanges.map((change) => [change.kind, change.toPlanId, change.effectiveAt, change.cancellable]), [
      ['plan_change', 'starter', '2026-12-01T00:00:00Z', true],
    ]);
    assert.deepEqual(subscription.nextInvoice?.total, { amountMinor: 1200, currency: 'EUR' }, 'the renewal Stripe previews follows the schedule');
    const schedule = [...fixture.standIn.schedules.values()][0]!;
    assert.equal(fixture.standIn.subscriptions.get('sub_subscribed')!.schedule, schedule.id);
    assert.deepEqual(
      schedule.phases.map((phase) => [phase.start_date, phase.end_date, phase.items.map((item) => item.price)]),
      [
        [Date.parse('2026-11-01T00:00:00Z') / 1000, Date.parse('2026-12-01T00:00:00Z') / 1000, ['price_team_month', 'price_exports_month']],
        [Date.parse('2026-12-01T00:00:00Z') / 1000, Date.parse('2027-01-01T00:00:00Z') / 1000, ['price_starter_month', 'price_exports_month']],
      ],
    );
    assert.equal(schedule.end_behavior, 'release', 'the subscription goes on with the new items after the phase');

    await assert.rejects(
      fixture.engine.previewChange(SUBSCRIBED, { timing: 'now', change: { type: 'module', moduleId: 'sso', action: 'activate' } }),
      { code: 'change_not_allowed' },
      'one change at a time',
    );
    // …and nothing is offered meanwhile, so the elements offer nothing that would be refused.
    const offered = async () => [
      ...(await fixture.engine.listPlans(SUBSCRIBED)).map((plan) => plan.change.allowedTimings.length),
      ...(await fixture.engine.listModules(SUBSCRIBED)).map((module) => module.allowedTimings.activate.length + module.allowedTimings.deactivate.length),
    ];
    assert.deepEqual(new Set(await offered()), new Set([0]));
    const cancelled = await fixture.engine.cancelScheduledChange(SUBSCRIBED, subscription.scheduledChanges[0]!.id, subscription.version!);
    assert.ok((await offered()).some((count) => count > 0), 'offered again once the scheduled change is taken back');
    assert.deepEqual(cancelled.scheduledChanges, []);
    assert.equal(schedule.status, 'released', 'released in Stripe');
    assert.equal(fixture.standIn.subscriptions.get('sub_subscribed')!.schedule, null);
    assert.equal(cancelled.version, before!.version!, 'back to the subscription as it was');
  });

  it('a schedule made elsewhere with several changes is listed, and none of them can be taken back alone', async () => {
    const before = await fixture.engine.getSubscription(SUBSCRIBED);
    await fixture.engine.commitChange(SUBSCRIBED, { timing: 'period_end', change: { type: 'module', moduleId: 'sso', action: 'activate' } }, before!.version!);
    // Someone adds a plan change to the same phase in the Dashboard.
    const schedule = [...fixture.standIn.schedules.values()][0]!;
    schedule.phases[1]!.items = ['price_business_month', 'price_exports_month', 'price_sso_month'].map((price) => ({ billing_thresholds: null, discounts: [], metadata: {}, plan: price, price, quantity: 1 }));
    const subscription = await fixture.engine.getSubscription(SUBSCRIBED);
    assert.deepEqual(subscription?.scheduledChanges.map((change) => [change.kind, change.toPlanId ?? change.moduleId, change.cancellable]), [
      ['plan_change', 'business', false],
      ['module_activation', 'sso', false],
    ]);
    await assert.rejects(fixture.engine.cancelScheduledChange(SUBSCRIBED, subscription!.scheduledChanges[1]!.id, subscription!.version!), { code: 'change_not_allowed' });
    assert.equal(schedule.status, 'active');
  });

  it('Stripe out of reach → 503 engine_unavailable, retryable', async () => {
    await fixture.standIn.close();
    const response = await send('GET', '/v1/invoices');
    assert.equal(response.status, 503);
    const problem = (await response.json()) as Problem;
    assert.equal(problem.code, 'engine_unavailable');
    assert.equal(problem.retryable, true);
  });
});
