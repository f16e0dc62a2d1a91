/**
 * A renewal whose payment fails, end to end on the server: the invoice stays open with its
 * amount due and a hosted pay link, the subscription is past_due and refuses changes that
 * cost money; paying the invoice (the hosted test pay page) or adding a working card settles
 * it and the subscription is active again. Test mode: the card that declines at renewal and
 * the move to the end of the period.
 *
 * The demo card expires with March 2026 and the period ends 2026-04-03: the renewal fails.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChangeResult, Invoice, InvoicePage, SetupSession, Subscription } from '../../src/contract/index.js';
import { changeCalls, demoEngine, harness, movableClock, ok, problem, type Harness } from './helpers.js';

const ORIGIN = 'http://billing.test';
const BILLING_PAGE = `${ORIGIN}/account/billing`;
const GOOD_CARD = { number: '4242 4242 4242 4242', expiry: '12/30', cvc: '123', name: 'Camille Lumière' };

function world({ testMode = true } = {}) {
  const clock = movableClock();
  const engine = demoEngine(clock);
  const h = harness(engine, true, undefined, { testMode, setupSessionStore: engine.setupSessionStore });
  return { clock, engine, h, ...changeCalls(h) };
}

const subscriptionOf = async (h: Harness) => ok(await h.get('/v1/subscription'), Subscription);
const latestInvoice = async (h: Harness) => (await ok(await h.get('/v1/invoices?limit=1'), InvoicePage)).data[0]!;

/** Opens a hosted page as a browser would: no credentials, maybe a referrer and a language. */
async function open(h: Harness, url: string, headers: Record<string, string> = {}) {
  const response = await h.handler(new Request(url, { headers }));
  const html = await response.text();
  const hidden = Object.fromEntries([...html.matchAll(/type="hidden" name="(\w+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!.replaceAll('&#38;', '&')]));
  return { response, html, hidden };
}

function post(h: Harness, url: string, fields: Record<string, string>) {
  return h.handler(
    new Request(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN, 'Sec-Fetch-Site': 'same-origin' },
      body: new URLSearchParams(fields).toString(),
    }),
  );
}

describe('a renewal that cannot be charged', () => {
  it('leaves the invoice open with its amount due and a pay link, and makes the subscription past_due', async () => {
    const { clock, h } = world();
    const before = await subscriptionOf(h);
    assert.equal(before.status, 'active');
    clock.set('2026-04-03T00:00:01.000Z');
    const after = await subscriptionOf(h);
    assert.equal(after.status, 'past_due');
    assert.notEqual(after.version, before.version);
    const invoice = await latestInvoice(h);
    assert.equal(invoice.status, 'open');
    assert.equal(invoice.amountDue.amountMinor, invoice.total.amountMinor);
    assert.equal(invoice.amountDue.amountMinor, 7000);
    assert.match(invoice.hostedUrl ?? '', /^http:\/\/billing\.test\/api\/billing\/v1\/invoices\/inv_2026_\d{4}\/pay\?customer=cus_demo&signature=[\w-]+$/);
    // The same link on the invoice itself.
    const detail = await ok(await h.get(`/v1/invoices/${invoice.id}`), Invoice);
    assert.equal(detail.hostedUrl, invoice.hostedUrl);
  });

  it('gives an invoice left open by a change made now the same pay link, under the endpoint', async () => {
    const { engine, commit } = world();
    engine.db.prepare(`UPDATE payment_methods SET card_exp_year = 2025 WHERE id = 'pm_demo_visa'`).run();
    const { invoice } = await ok(await commit({ timing: 'now', change: { type: 'plan', planId: 'entreprise' } }), ChangeResult);
    assert.equal(invoice?.status, 'open');
    assert.match(invoice?.hostedUrl ?? '', /^http:\/\/billing\.test\/api\/billing\/v1\/invoices\/inv_2026_\d{4}\/pay\?customer=cus_demo&signature=/);
  });

  it('refuses a change that costs money while past_due (402), and changes nothing', async () => {
    const { clock, h, commit } = world();
    clock.set('2026-04-03T00:00:01.000Z');
    const before = await subscriptionOf(h);
    await problem(await commit({ timing: 'now', change: { type: 'plan', planId: 'entreprise' } }), 402, 'payment_failed');
    const after = await subscriptionOf(h);
    assert.deepEqual([after.plan.id, after.version, after.status], [before.plan.id, before.version, 'past_due']);
    // A change that costs nothing now still goes through.
    await ok(await commit({ timing: 'period_end', change: { type: 'plan', planId: 'essentiel' } }), ChangeResult);
  });

  it('is paid on the hosted pay page: declined cards are refused, a good one settles it and the subscription is active again', async () => {
    const { clock, h } = world();
    clock.set('2026-04-03T00:00:01.000Z');
    const invoice = await latestInvoice(h);
    const url = `${invoice.hostedUrl}`;
    const page = await open(h, url, { Referer: BILLING_PAGE, 'Accept-Language': 'fr-FR' });
    assert.equal(page.response.status, 200);
    assert.match(page.html, /<html lang="fr">/);
    assert.match(page.html, /Payer la facture F-2026-\d{4}/);
    assert.match(page.html, /70,00\s€/);
    assert.equal(page.hidden.return, BILLING_PAGE);
    const csp = page.response.headers.get('Content-Security-Policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);

    const declined = await post(h, url, { ...page.hidden, ...GOOD_CARD, number: '4000 0000 0000 0002' });
    assert.equal(declined.status, 402);
    assert.equal((await subscriptionOf(h)).status, 'past_due');

    const forged = await post(h, url, { ...page.hidden, csrf: 'x'.repeat(43), ...GOOD_CARD });
    assert.equal(forged.status, 403);

    const paid = await post(h, url, { ...page.hidden, ...GOOD_CARD });
    assert.equal(paid.status, 303);
    assert.equal(paid.headers.get('Location'), `${BILLING_PAGE}?billing_payment=succeeded`);
    const settled = await ok(await h.get(`/v1/invoices/${invoice.id}`), Invoice);
    assert.deepEqual([settled.status, settled.amountDue.amountMinor, settled.hostedUrl], ['paid', 0, null]);
    assert.equal((await subscriptionOf(h)).status, 'active');
    // The link has done its job.
    assert.equal((await open(h, url)).response.status, 404);
  });

  it('refuses a pay link whose signature, customer or invoice was changed', async () => {
    const { clock, h } = world();
    clock.set('2026-04-03T00:00:01.000Z');
    const url = new URL((await latestInvoice(h)).hostedUrl!);
    const tampered = (edit: (u: URL) => void) => {
      const copy = new URL(url);
      edit(copy);
      return copy.href;
    };
    for (const bad of [
      tampered((u) => u.searchParams.set('signature', 'A'.repeat(43))),
      tampered((u) => u.searchParams.set('customer', 'cus_readonly')),
      tampered((u) => (u.pathname = u.pathname.replace(/inv_[\w]+/, 'inv_2026_0001'))),
    ]) {
      assert.equal((await open(h, bad)).response.status, 404, bad);
    }
  });

  it('is settled by adding a working card: the open invoice is charged and the subscription is active', async () => {
    const { clock, h } = world();
    clock.set('2026-04-03T00:00:01.000Z');
    const session = await ok(
      await h.send('POST', '/v1/payment-methods/setup', { body: { returnUrl: BILLING_PAGE }, headers: { 'Idempotency-Key': 'k1' } }),
      SetupSession,
    );
    assert.equal(session.kind, 'redirect');
    if (session.kind !== 'redirect') return;
    const page = await open(h, session.url);
    const added = await post(h, session.url, { ...page.hidden, ...GOOD_CARD });
    assert.equal(added.status, 303);
    const invoice = await latestInvoice(h);
    assert.deepEqual([invoice.status, invoice.amountDue.amountMinor], ['paid', 0]);
    assert.equal((await subscriptionOf(h)).status, 'active');
  });
});

describe('test mode', () => {
  it('takes 4000 0000 0000 0341 as a card that declines at the next renewal, which POST /v1/test/period-end brings', async () => {
    const { h } = world();
    const session = await ok(
      await h.send('POST', '/v1/payment-methods/setup', {
        body: { returnUrl: BILLING_PAGE, locale: 'fr' },
        headers: { 'Idempotency-Key': 'k2' },
      }),
      SetupSession,
    );
    if (session.kind !== 'redirect') assert.fail('a redirect session');
    // The page speaks the language the element asked for, whatever the browser says.
    const page = await open(h, session.url, { 'Accept-Language': 'en-US' });
    assert.match(page.html, /<html lang="fr">/);
    assert.match(page.html, /4000 0000 0000 0341/);
    const added = await post(h, session.url, { ...page.hidden, ...GOOD_CARD, number: '4000 0000 0000 0341' });
    assert.equal(added.status, 303);
    assert.equal((await subscriptionOf(h)).status, 'active', 'accepted when added');

    const moved = await h.send('POST', '/v1/test/period-end');
    assert.equal(moved.status, 204);
    const sub = await subscriptionOf(h);
    assert.equal(sub.status, 'past_due');
    assert.equal(sub.currentPeriod.start, '2026-04-03T00:00:00.000Z');
    assert.equal((await latestInvoice(h)).status, 'open');
    // The card keeps declining: paying with it on the pay page fails too.
    const pay = await open(h, (await latestInvoice(h)).hostedUrl!, { Referer: BILLING_PAGE });
    assert.equal((await post(h, (await latestInvoice(h)).hostedUrl!, { ...pay.hidden, ...GOOD_CARD, number: '4000 0000 0000 0341' })).status, 402);
  });

  it('is off unless asked for: no period-end route, and 0341 is an ordinary card', async () => {
    const { h, engine } = world({ testMode: false });
    await problem(await h.send('POST', '/v1/test/period-end'), 404, 'not_found');
    const session = await ok(
      await h.send('POST', '/v1/payment-methods/setup', { body: { returnUrl: BILLING_PAGE }, headers: { 'Idempotency-Key': 'k3' } }),
      SetupSession,
    );
    if (session.kind !== 'redirect') assert.fail('a redirect session');
    const page = await open(h, session.url);
    assert.doesNotMatch(page.html, /0341/);
    assert.equal((await post(h, session.url, { ...page.hidden, ...GOOD_CARD, number: '4000 0000 0000 0341' })).status, 303);
    const behaviour = engine.db.prepare(`SELECT test_behaviour FROM payment_methods WHERE card_last4 = '0341'`).pluck().get();
    assert.equal(behaviour, null);
  });

  it('needs a signed-in customer', async () => {
    const { h } = world();
    await problem(await h.send('POST', '/v1/test/period-end', { customer: null }), 401, 'unauthenticated');
  });
});
