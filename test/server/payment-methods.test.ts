/**
 * Payment methods: the setup session, the hosted test page (CSRF, single use, expiry, form
 * checks, what is stored) and "make default" — over the real handler and reference engine,
 * with both setup session stores (the engine's SQLite one and the handler's in-memory default).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type Database from 'better-sqlite3';
import { ChangePreview, PaymentMethodList, SetupSession, Subscription } from '../../src/contract/index.js';
import type { ReferenceEngine } from '../../src/server/index.js';
import { SETUP_SESSION_TTL_MS } from '../../src/server/index.js';
import { demoEngine, harness, movableClock, ok, PREVIEW, problem, type Harness } from './helpers.js';

const SETUP = '/v1/payment-methods/setup';
const ORIGIN = 'http://billing.test';
const RETURN_URL = `${ORIGIN}/account/billing?tab=card#payment`;
const VALID_CARD = { number: '5555 5555 5555 4444', expiry: '12/30', cvc: '987', name: 'Camille Lumière' };

type Make = (engine: ReferenceEngine, options?: Parameters<typeof harness>[3]) => Harness;
const stores: Record<string, Make> = {
  'sqlite session store': (engine, options = {}) => harness(engine, true, undefined, { setupSessionStore: engine.setupSessionStore, ...options }),
  'memory session store (the default)': (engine, options = {}) => harness(engine, true, undefined, options),
};

let keys = 0;
async function setup(h: Harness, returnUrl: string = RETURN_URL, customer = 'cus_demo', key = `setup-${++keys}`) {
  return h.send('POST', SETUP, { customer, body: { returnUrl }, headers: { 'Idempotency-Key': key } });
}

async function startSetup(h: Harness, returnUrl: string = RETURN_URL): Promise<string> {
  const session = await ok(await setup(h, returnUrl), SetupSession);
  assert.equal(session.kind, 'redirect');
  return session.kind === 'redirect' ? session.url : '';
}

/** Opens the page as a browser would (no credentials) and returns it with its CSRF token. */
async function openPage(h: Harness, url: string, headers: Record<string, string> = {}) {
  const response = await h.handler(new Request(url, { headers }));
  const html = await response.text();
  return { response, html, csrf: /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '' };
}

/** Posts the form as the page would; a header given as `null` is left out. */
function submit(h: Harness, url: string, fields: Record<string, string>, headers: Record<string, string | null> = {}) {
  const sent: Record<string, string | null> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    Origin: ORIGIN,
    'Sec-Fetch-Site': 'same-origin',
    ...headers,
  };
  return h.handler(
    new Request(url, {
      method: 'POST',
      headers: Object.entries(sent).filter((entry): entry is [string, string] => entry[1] !== null),
      body: new URLSearchParams(fields).toString(),
    }),
  );
}

async function methods(h: Harness, customer = 'cus_demo') {
  return (await ok(await h.get('/v1/payment-methods', customer), PaymentMethodList)).data;
}

/** Every value of every row of every table, as text. */
function everything(db: Database.Database): string[] {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[];
  return tables.flatMap((table) =>
    (db.prepare(`SELECT * FROM "${table}"`).raw().all() as unknown[][]).flat().map((value) =>
      value instanceof Buffer ? value.toString('latin1') : String(value),
    ),
  );
}

for (const [name, make] of Object.entries(stores)) {
  describe(`payment method setup, ${name}`, () => {
    it('answers a redirect session to the hosted test page, valid 30 minutes', async () => {
      const engine = demoEngine();
      const h = make(engine);
      const response = await setup(h);
      const session = await ok(response, SetupSession);
      assert.equal(session.kind, 'redirect');
      if (session.kind !== 'redirect') return;
      assert.match(session.url, /^http:\/\/billing\.test\/api\/billing\/v1\/payment-methods\/setup\/[A-Za-z0-9_-]{43}$/);
      assert.equal(session.expiresAt, new Date(engine.clock.now().getTime() + SETUP_SESSION_TTL_MS).toISOString());
    });

    it('serves the page with the test-environment label, a CSRF token and a strict CSP', async () => {
      const h = make(demoEngine());
      const { response, html, csrf } = await openPage(h, await startSetup(h));
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('Content-Type'), 'text/html; charset=utf-8');
      assert.match(html, /Test environment — no real card is charged or stored/);
      assert.match(csrf, /^[A-Za-z0-9_-]{43}$/);
      const csp = response.headers.get('Content-Security-Policy') ?? '';
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.match(csp, /base-uri 'none'/);
      assert.match(csp, /form-action 'self' http:\/\/billing\.test(;|$)/);
      const nonce = /style-src 'nonce-([A-Za-z0-9_-]+)'/.exec(csp)?.[1];
      assert.ok(nonce, csp);
      assert.ok(html.includes(`<style nonce="${nonce}">`));
      assert.doesNotMatch(html, /<script|\sstyle="|\son\w+="/i, 'no script, no inline style attribute, no handler');
      assert.equal(response.headers.get('Referrer-Policy'), 'strict-origin');
      assert.equal(response.headers.get('X-Frame-Options'), 'DENY');
      assert.equal(response.headers.get('Cache-Control'), 'no-store');
      // The cancel link goes back with billing_setup=canceled, query and fragment kept.
      assert.ok(html.includes('href="http://billing.test/account/billing?tab=card&#38;billing_setup=canceled#payment"'), html);
    });

    it('speaks French to a French browser', async () => {
      const h = make(demoEngine());
      const { html } = await openPage(h, await startSetup(h), { 'Accept-Language': 'fr-FR,fr;q=0.9,en;q=0.8' });
      assert.match(html, /<html lang="fr">/);
      assert.match(html, /Environnement de test — aucune vraie carte n’est débitée ni conservée/);
    });

    it('records a valid test card as the new default and redirects (303) to returnUrl?billing_setup=succeeded', async () => {
      const engine = demoEngine();
      const h = make(engine);
      const versionBefore = (await ok(await h.get('/v1/subscription'), Subscription)).version;
      const url = await startSetup(h);
      const { csrf } = await openPage(h, url);
      const response = await submit(h, url, { csrf, ...VALID_CARD });
      assert.equal(response.status, 303);
      assert.equal(response.headers.get('Location'), 'http://billing.test/account/billing?tab=card&billing_setup=succeeded#payment');
      assert.equal(response.headers.get('Referrer-Policy'), 'strict-origin');

      const [first, ...others] = await methods(h);
      assert.deepEqual(first?.card, { brand: 'mastercard', last4: '4444', expMonth: 12, expYear: 2030 });
      assert.equal(first?.isDefault, true);
      assert.equal(first?.type, 'card');
      assert.deepEqual(
        others.map((m) => [m.id, m.isDefault]),
        [
          ['pm_demo_visa', false],
          ['pm_demo_sepa', false],
        ],
      );
      // Payment methods are not versioned.
      assert.equal((await ok(await h.get('/v1/subscription'), Subscription)).version, versionBefore);
    });

    it('keeps no card number and no CVC anywhere in the database', async () => {
      const engine = demoEngine();
      const h = make(engine);
      const url = await startSetup(h);
      const { csrf } = await openPage(h, url);
      assert.equal((await submit(h, url, { csrf, ...VALID_CARD })).status, 303);
      const values = everything(engine.db);
      assert.ok(values.length > 100);
      const digits = VALID_CARD.number.replaceAll(' ', '');
      for (const value of values) {
        const onlyDigits = value.replace(/\D/g, '');
        assert.ok(!onlyDigits.includes(digits.slice(0, 12)), `a card number in the database: ${value}`);
        assert.notEqual(value, VALID_CARD.cvc, 'the CVC in the database');
      }
      const stored = engine.db.prepare(`SELECT * FROM payment_methods WHERE card_last4 = '4444'`).all();
      assert.deepEqual(Object.keys(stored[0] as object).sort(), [
        'card_brand',
        'card_exp_month',
        'card_exp_year',
        'card_last4',
        'created_at',
        'customer_id',
        'id',
        'is_default',
        'label',
        'test_behaviour',
        'type',
      ]);
    });

    it('is single use: the page and the form refuse a used session with 410', async () => {
      const h = make(demoEngine());
      const url = await startSetup(h);
      const { csrf } = await openPage(h, url);
      assert.equal((await submit(h, url, { csrf, ...VALID_CARD })).status, 303);
      const again = await openPage(h, url);
      assert.equal(again.response.status, 410);
      assert.match(again.html, /already been used/);
      assert.equal(again.csrf, '');
      const resubmitted = await submit(h, url, { csrf, ...VALID_CARD, number: '4242 4242 4242 4242' });
      assert.equal(resubmitted.status, 410);
      assert.equal((await methods(h)).filter((m) => m.card?.last4 === '4242').length, 1, 'no second card');
    });

    it('expires after 30 minutes, with a way back', async () => {
      const clock = movableClock();
      const h = make(demoEngine(clock));
      const url = await startSetup(h);
      const { csrf } = await openPage(h, url);
      clock.advance(SETUP_SESSION_TTL_MS);
      const page = await openPage(h, url);
      assert.equal(page.response.status, 410);
      assert.match(page.html, /expired/);
      assert.ok(page.html.includes('billing_setup=canceled'));
      assert.equal((await submit(h, url, { csrf, ...VALID_CARD })).status, 410);
      assert.equal((await methods(h)).length, 2);
    });

    it('answers 404 for an unknown or malformed session id', async () => {
      const h = make(demoEngine());
      const url = await startSetup(h);
      const unknown = url.slice(0, -4) + (url.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      assert.equal((await openPage(h, unknown)).response.status, 404);
      assert.equal((await openPage(h, `${url}x`)).response.status, 404);
      assert.equal((await openPage(h, url.replace(/[^/]+$/, '..%2F..%2Fsubscription'))).response.status, 404);
    });

    it('refuses a wrong or missing CSRF token with 403 and records nothing', async () => {
      const h = make(demoEngine());
      const url = await startSetup(h);
      const other = await openPage(h, await startSetup(h));
      for (const csrf of ['', 'nope', other.csrf]) {
        const response = await submit(h, url, { csrf, ...VALID_CARD });
        assert.equal(response.status, 403, csrf);
      }
      assert.equal((await methods(h)).length, 2);
      // The session is still good for the real form.
      const { csrf } = await openPage(h, url);
      assert.equal((await submit(h, url, { csrf, ...VALID_CARD })).status, 303);
    });

    it('refuses a post from another site (Sec-Fetch-Site, Origin) with 403', async () => {
      const h = make(demoEngine());
      const url = await startSetup(h);
      const { csrf } = await openPage(h, url);
      const refused: Record<string, string | null>[] = [
        { 'Sec-Fetch-Site': 'cross-site' },
        { 'Sec-Fetch-Site': 'same-site' },
        { 'Sec-Fetch-Site': 'none' },
        { Origin: 'https://evil.example' },
        { Origin: 'https://evil.example', 'Sec-Fetch-Site': null },
        { Origin: 'null', 'Sec-Fetch-Site': null },
        { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' },
      ];
      for (const headers of refused) {
        assert.equal((await submit(h, url, { csrf, ...VALID_CARD }, headers)).status, 403, JSON.stringify(headers));
      }
      assert.equal((await methods(h)).length, 2);
    });

    it('takes a post from this page whatever fetch metadata the browser sends', async () => {
      const accepted: Record<string, string | null>[] = [
        {},
        { Origin: null, 'Sec-Fetch-Site': null }, // an older browser: the CSRF token decides
        { Origin: null },
        { 'Sec-Fetch-Site': null },
        { Origin: 'null' }, // a no-referrer context, with Sec-Fetch-Site: same-origin
      ];
      for (const headers of accepted) {
        const h = make(demoEngine());
        const url = await startSetup(h);
        const { csrf } = await openPage(h, url);
        assert.equal((await submit(h, url, { csrf, ...VALID_CARD }, headers)).status, 303, JSON.stringify(headers));
      }
    });

    it('refuses the page to another signed-in customer', async () => {
      const h = make(demoEngine());
      const url = await startSetup(h);
      assert.equal((await openPage(h, url, { Authorization: 'Bearer cus_nosub' })).response.status, 403);
      assert.equal((await openPage(h, url, { Authorization: 'Bearer cus_demo' })).response.status, 200);
    });

    it('re-renders the form with errors (400) for a number failing Luhn, keeping only non-sensitive fields', async () => {
      const h = make(demoEngine());
      const url = await startSetup(h);
      const { csrf } = await openPage(h, url);
      const response = await submit(h, url, { csrf, ...VALID_CARD, number: '4242 4242 4242 4241' });
      assert.equal(response.status, 400);
      const html = await response.text();
      assert.match(html, /This card number is not valid/);
      assert.match(html, /id="number"[^>]*value=""[^>]*aria-invalid="true"/);
      assert.match(html, /value="12\/30"/);
      assert.match(html, /value="Camille Lumière"/);
      assert.ok(!html.includes('4241') && !html.includes('987'), 'neither the number nor the CVC is sent back');
      assert.ok(html.includes(`value="${csrf}"`), 'the same session goes on');
      assert.ok(response.headers.get('Content-Security-Policy'));
      // Corrected, it goes through.
      assert.equal((await submit(h, url, { csrf, ...VALID_CARD })).status, 303);
    });

    it('checks expiry (not in the past), CVC format, name, and declines the declining test card', async () => {
      const clock = movableClock(new Date('2026-03-15T10:00:00Z'));
      const h = make(demoEngine(clock));
      const url = await startSetup(h);
      const { csrf } = await openPage(h, url);
      const cases: [Partial<typeof VALID_CARD>, number, RegExp][] = [
        [{ expiry: '02/26' }, 400, /This card has expired/],
        [{ expiry: '13/30' }, 400, /Enter the expiry as MM\/YY/],
        [{ expiry: 'soon' }, 400, /Enter the expiry as MM\/YY/],
        [{ cvc: '12' }, 400, /Enter the 3 digits/],
        [{ cvc: '1234' }, 400, /Enter the 3 digits/],
        [{ name: '   ' }, 400, /Enter the name on the card/],
        [{ number: '' }, 400, /Enter the card number/],
        [{ number: '4242-4242-4242-424x' }, 400, /not valid/],
        [{ number: '4000 0000 0000 0002' }, 402, /declined/],
      ];
      for (const [change, status, message] of cases) {
        const response = await submit(h, url, { csrf, ...VALID_CARD, ...change });
        assert.equal(response.status, status, JSON.stringify(change));
        assert.match(await response.text(), message);
      }
      // This month is still valid; so is an American Express with a four-digit CVC.
      const amex = await submit(h, url, { csrf, number: '3782 822463 10005', expiry: '03/26', cvc: '1234', name: 'A' });
      assert.equal(amex.status, 303);
      assert.deepEqual((await methods(h))[0]?.card, { brand: 'amex', last4: '0005', expMonth: 3, expYear: 2026 });
    });

    it('replays a setup with the same Idempotency-Key: the same session', async () => {
      const h = make(demoEngine());
      const first = await setup(h, RETURN_URL, 'cus_demo', 'same-key');
      const firstText = await first.text();
      const second = await setup(h, RETURN_URL, 'cus_demo', 'same-key');
      assert.equal(second.headers.get('Idempotent-Replayed'), 'true');
      assert.equal(await second.text(), firstText);
      await problem(await setup(h, `${ORIGIN}/elsewhere`, 'cus_demo', 'same-key'), 422, 'idempotency_key_reused');
    });
  });
}

describe('setup session requests', () => {
  it('requires an Idempotency-Key', async () => {
    const h = harness();
    const response = await h.send('POST', SETUP, { body: { returnUrl: RETURN_URL } });
    const body = await problem(response, 400, 'validation_failed');
    assert.equal(body.fieldErrors?.[0]?.field, 'header.Idempotency-Key');
  });

  it('refuses a returnUrl on another origin, or no URL at all, with 400 on body.returnUrl', async () => {
    const h = harness();
    for (const returnUrl of [
      'https://evil.example/billing',
      '//evil.example/billing',
      'http://billing.test.evil.example/',
      'https://billing.test/billing', // another scheme is another origin
      'http://billing.test:8080/billing',
      'javascript:alert(1)',
      'data:text/html,hi',
      'http://user:pass@billing.test/billing',
      `${ORIGIN}/${'x'.repeat(2100)}`,
    ]) {
      const body = await problem(await setup(h, returnUrl), 400, 'validation_failed');
      assert.deepEqual(body.fieldErrors?.map((e) => e.field), ['body.returnUrl'], returnUrl);
    }
    for (const body of [{}, { returnUrl: '' }, { returnUrl: 42 }]) {
      const response = await h.send('POST', SETUP, { body, headers: { 'Idempotency-Key': `k-${JSON.stringify(body)}` } });
      const problemBody = await problem(response, 400, 'validation_failed');
      assert.deepEqual(problemBody.fieldErrors?.map((e) => e.field), ['body.returnUrl']);
    }
    const notJson = await h.send('POST', SETUP, { body: 'returnUrl=x', headers: { 'Idempotency-Key': 'k-not-json' } });
    await problem(notJson, 400, 'validation_failed');
  });

  it('accepts a path on its own origin, and an origin of allowedReturnOrigins', async () => {
    const h = harness();
    const relative = await startSetup(h, '/account/billing');
    const { html } = await openPage(h, relative);
    assert.ok(html.includes('href="http://billing.test/account/billing?billing_setup=canceled"'), html);

    const allowed = harness(demoEngine(), true, undefined, { allowedReturnOrigins: ['https://app.example.com/'] });
    const url = await startSetup(allowed, 'https://app.example.com/settings/billing');
    const page = await openPage(allowed, url);
    assert.match(page.response.headers.get('Content-Security-Policy') ?? '', /form-action 'self' https:\/\/app\.example\.com/);
    const done = await submit(allowed, url, { csrf: page.csrf, ...VALID_CARD });
    assert.equal(done.headers.get('Location'), 'https://app.example.com/settings/billing?billing_setup=succeeded');
    await problem(await setup(allowed, 'https://other.example.com/'), 400, 'validation_failed');
  });

  it('builds links on publicOrigin when a proxy changes the host', async () => {
    const h = harness(demoEngine(), true, undefined, { publicOrigin: 'https://billing.example.com' });
    await problem(await setup(h, RETURN_URL), 400, 'validation_failed');
    const url = await startSetup(h, 'https://billing.example.com/account');
    assert.match(url, /^https:\/\/billing\.example\.com\/api\/billing\/v1\/payment-methods\/setup\//);
  });

  it('refuses read-only users with 403, before looking at the body', async () => {
    const h = harness();
    await problem(await setup(h, RETURN_URL, 'cus_readonly'), 403, 'forbidden');
    await problem(await setup(h, 'https://evil.example/', 'cus_readonly'), 403, 'forbidden');
    await problem(await setup(h, RETURN_URL, null as unknown as string), 401, 'unauthenticated');
  });

  it('lets a customer without a subscription add a card', async () => {
    const h = harness();
    const session = await ok(await setup(h, RETURN_URL, 'cus_nosub'), SetupSession);
    assert.equal(session.kind, 'redirect');
    if (session.kind !== 'redirect') return;
    const { csrf } = await openPage(h, session.url);
    assert.equal((await submit(h, session.url, { csrf, ...VALID_CARD })).status, 303);
    assert.deepEqual((await methods(h, 'cus_nosub')).map((m) => [m.card?.last4, m.isDefault]), [['4444', true]]);
  });
});

describe('POST /v1/payment-methods/{id}/default', () => {
  const makeDefault = (h: Harness, id: string, customer = 'cus_demo', key = `default-${++keys}`) =>
    h.send('POST', `/v1/payment-methods/${id}/default`, { customer, headers: { 'Idempotency-Key': key } });

  it('makes another method the default and answers the list', async () => {
    const h = harness();
    const list = await ok(await makeDefault(h, 'pm_demo_sepa'), PaymentMethodList);
    assert.deepEqual(
      list.data.map((m) => [m.id, m.isDefault]),
      [
        ['pm_demo_sepa', true],
        ['pm_demo_visa', false],
      ],
    );
    assert.deepEqual(await methods(h), list.data);
    // And back; the same one again is fine.
    await ok(await makeDefault(h, 'pm_demo_visa'), PaymentMethodList);
    const again = await ok(await makeDefault(h, 'pm_demo_visa'), PaymentMethodList);
    assert.equal(again.data.filter((m) => m.isDefault).length, 1);
  });

  it('replays the same Idempotency-Key', async () => {
    const h = harness();
    const first = await makeDefault(h, 'pm_demo_sepa', 'cus_demo', 'click-default');
    const firstText = await first.text();
    await ok(await makeDefault(h, 'pm_demo_visa'), PaymentMethodList);
    const replay = await makeDefault(h, 'pm_demo_sepa', 'cus_demo', 'click-default');
    assert.equal(replay.headers.get('Idempotent-Replayed'), 'true');
    assert.equal(await replay.text(), firstText);
    assert.equal((await methods(h)).find((m) => m.isDefault)?.id, 'pm_demo_visa', 'a replay changes nothing');
  });

  it('answers 404 for another customer’s method and an unknown one, 403 for a read-only user, 400 without a key', async () => {
    const h = harness();
    await problem(await makeDefault(h, 'pm_readonly_mc'), 404, 'not_found');
    await problem(await makeDefault(h, 'pm_nope'), 404, 'not_found');
    await problem(await makeDefault(h, 'pm_readonly_mc', 'cus_readonly'), 403, 'forbidden');
    await problem(await h.send('POST', '/v1/payment-methods/pm_demo_sepa/default'), 400, 'validation_failed');
    assert.equal((await methods(h)).find((m) => m.isDefault)?.id, 'pm_demo_visa');
    assert.equal((await methods(h, 'cus_readonly')).find((m) => m.isDefault)?.id, 'pm_readonly_mc');
  });
});

describe('DELETE /v1/payment-methods/{id}', () => {
  const remove = (h: Harness, id: string, customer = 'cus_demo', key = `remove-${++keys}`) =>
    h.send('DELETE', `/v1/payment-methods/${id}`, { customer, headers: { 'Idempotency-Key': key } });

  it('removes a method that is not the default and answers the list', async () => {
    const h = harness();
    const list = await ok(await remove(h, 'pm_demo_sepa'), PaymentMethodList);
    assert.deepEqual(list.data.map((m) => m.id), ['pm_demo_visa']);
    assert.deepEqual(await methods(h), list.data);
  });

  it('refuses the default method while the subscription renews (422), and keeps it', async () => {
    const h = harness();
    await problem(await remove(h, 'pm_demo_visa'), 422, 'change_not_allowed');
    assert.deepEqual((await methods(h)).map((m) => m.id), ['pm_demo_visa', 'pm_demo_sepa']);
  });

  it('answers 404 for another customer’s method and an unknown one, 403 for a read-only user, 400 without a key', async () => {
    const h = harness();
    await problem(await remove(h, 'pm_readonly_mc'), 404, 'not_found');
    await problem(await remove(h, 'pm_nope'), 404, 'not_found');
    await problem(await remove(h, 'pm_readonly_mc', 'cus_readonly'), 403, 'forbidden');
    await problem(await h.send('DELETE', '/v1/payment-methods/pm_demo_sepa'), 400, 'validation_failed');
    assert.equal((await methods(h)).length, 2);
    assert.equal((await methods(h, 'cus_readonly')).length, 1);
  });

  it('replays the same Idempotency-Key', async () => {
    const h = harness();
    const first = await (await remove(h, 'pm_demo_sepa', 'cus_demo', 'click-remove')).text();
    const replay = await remove(h, 'pm_demo_sepa', 'cus_demo', 'click-remove');
    assert.equal(replay.headers.get('Idempotent-Replayed'), 'true');
    assert.equal(await replay.text(), first);
  });
});

describe('the new card and the subscription', () => {
  it('clears the payment_method_required warning of a preview', async () => {
    const engine = demoEngine();
    // The demo card has expired: a change that costs money now needs a payment method.
    engine.db.prepare(`UPDATE payment_methods SET card_exp_year = 2025 WHERE id = 'pm_demo_visa'`).run();
    const h = harness(engine);
    const upgrade = { timing: 'now', change: { type: 'plan', planId: 'entreprise' } };
    const before = await ok(await h.send('POST', PREVIEW, { body: upgrade }), ChangePreview);
    assert.ok(before.warnings.some((w) => w.code === 'payment_method_required'));

    const url = await startSetup(h);
    const { csrf } = await openPage(h, url);
    assert.equal((await submit(h, url, { csrf, ...VALID_CARD })).status, 303);
    const after = await ok(await h.send('POST', PREVIEW, { body: upgrade }), ChangePreview);
    assert.deepEqual(after.warnings, []);
    assert.equal(after.basedOnVersion, before.basedOnVersion, 'payment methods are not versioned');
  });
});
