/**
 * The handler's defences, in process over the real reference engine: request bodies limited
 * while they are read (413), links and same-origin checks from `publicOrigin` whatever the
 * request's `Host` says, problem documents with `X-Request-Id` on every refusal, and the
 * `cors` option. Over real HTTP where the `Host` header itself is the point.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import { InvoicePage, InvoicePdfLink, PaymentMethodList, SetupSession } from '../../src/contract/index.js';
import { createBillingHandler, type BillingHandlerOptions, type ReferenceEngine } from '../../src/server/index.js';
import { bearer, demoEngine, harness, movableClock, ok, PREVIEW, problem, type Harness } from './helpers.js';

const PUBLIC = 'https://billing.example.com';
const EVIL = 'http://evil.example';
const SETUP = '/v1/payment-methods/setup';
const GOOD_CARD = { number: '5555 5555 5555 4444', expiry: '12/30', cvc: '987', name: 'Camille Lumière' };
const UPGRADE = { timing: 'now', change: { type: 'plan', planId: 'entreprise' } };

let keys = 0;
const newKey = () => `hardening-${++keys}`;

interface Logged {
  message: string;
  details: Record<string, unknown>;
}

/** The real handler over `engine`, mounted at /api/billing, with what it logs kept. */
function handlerFor(engine: ReferenceEngine, options: Partial<BillingHandlerOptions> = {}) {
  const logged: Logged[] = [];
  const clock = engine.clock;
  const handler = createBillingHandler({
    engine,
    resolveCustomer: bearer,
    basePath: '/api/billing',
    logger: { error: (message, details) => logged.push({ message, details }) },
    idempotencyStore: engine.idempotencyStore,
    now: () => clock.now().getTime(),
    ...options,
  });
  /** A request to `origin` + /api/billing + `path`, as cus_demo unless `customer` is `null`. */
  const send = (origin: string, method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string>; customer?: string | null } = {}) => {
    const { customer = 'cus_demo', headers = {}, body } = init;
    return handler(
      new Request(`${origin}/api/billing${path}`, {
        method,
        headers: { ...(customer === null ? {} : { Authorization: `Bearer ${customer}` }), ...headers },
        ...(body === undefined ? {} : { body, duplex: 'half' }),
      } as RequestInit),
    );
  };
  return { handler, logged, send };
}

/** A JSON text of exactly `size` bytes: `value`, padded with spaces (still the same JSON). */
function paddedJson(value: unknown, size: number): string {
  const text = JSON.stringify(value);
  assert.ok(text.length <= size);
  return text + ' '.repeat(size - text.length);
}

/** A body stream of `total` bytes of `fill` in chunks of `chunk`, counting what was pulled from it. */
function countingStream(total: number, chunk = 16 * 1024, fill = 0x20) {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= total) {
        controller.close();
        return;
      }
      const size = Math.min(chunk, total - pulled);
      pulled += size;
      controller.enqueue(new Uint8Array(size).fill(fill));
    },
  });
  return { stream, pulled: () => pulled };
}

/** A form post as the hosted page's own form sends it. */
function formPost(url: string, body: string, origin: string) {
  return new Request(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin, 'Sec-Fetch-Site': 'same-origin' },
    body,
  });
}

/** Starts a payment method setup on the hosted test page; returns the page's URL. */
async function startSetup(h: Harness, returnUrl = '/account/billing'): Promise<string> {
  const session = await ok(await h.send('POST', SETUP, { body: { returnUrl }, headers: { 'Idempotency-Key': newKey() } }), SetupSession);
  assert.equal(session.kind, 'redirect');
  return session.kind === 'redirect' ? session.url : '';
}

/** Everything a response says: status, headers and body, as one text to search. */
async function everything(response: Response): Promise<string> {
  return [String(response.status), ...[...response.headers].map(([name, value]) => `${name}: ${value}`), await response.text()].join('\n');
}

describe('request bodies are limited while they are read', () => {
  it('refuses a JSON body over 64 KiB with 413 validation_failed on body, and takes one of exactly 64 KiB', async () => {
    const h = harness(demoEngine(), true, undefined, { publicOrigin: 'http://billing.test' });
    const over = await h.send('POST', PREVIEW, { body: paddedJson(UPGRADE, 64 * 1024 + 1) });
    const body = await problem(over, 413, 'validation_failed');
    assert.deepEqual(body.fieldErrors, [{ field: 'body', message: 'must be at most 65536 bytes' }]);
    assert.match(body.detail ?? '', /larger than 65536 bytes/);

    const exactly = await h.send('POST', PREVIEW, { body: paddedJson(UPGRADE, 64 * 1024) });
    assert.equal(exactly.status, 200, await exactly.clone().text());
  });

  it('refuses a declared Content-Length over the limit without reading a byte of the body', async () => {
    const { send } = handlerFor(demoEngine(), { publicOrigin: PUBLIC });
    const body = countingStream(10 * 1024 * 1024);
    const response = await send(PUBLIC, 'POST', PREVIEW, {
      body: body.stream,
      headers: { 'Content-Type': 'application/json', 'Content-Length': String(10 * 1024 * 1024) },
    });
    await problem(response, 413, 'validation_failed');
    // A stream pulls one chunk ahead of its reader on its own; nothing more was asked for.
    assert.ok(body.pulled() <= 16 * 1024, `pulled ${body.pulled()} bytes`);
  });

  it('stops reading a streamed body at the chunk that crosses the limit', async () => {
    const { send } = handlerFor(demoEngine(), { publicOrigin: PUBLIC });
    const body = countingStream(4 * 1024 * 1024);
    const response = await send(PUBLIC, 'POST', PREVIEW, { body: body.stream, headers: { 'Content-Type': 'application/json' } });
    const document = await problem(response, 413, 'validation_failed');
    assert.deepEqual(document.fieldErrors, [{ field: 'body', message: 'must be at most 65536 bytes' }]);
    assert.ok(body.pulled() <= 64 * 1024 + 2 * 16 * 1024, `pulled ${body.pulled()} bytes of 4 MiB`);
  });

  it('leaves the Idempotency-Key of a refused body free, and the database as it was', async () => {
    const engine = demoEngine();
    const h = harness(engine, true, undefined, { publicOrigin: 'http://billing.test' });
    const version = (await (await h.get('/v1/subscription')).json()) as { version: string };
    const headers = { 'Idempotency-Key': 'too-large-then-fine', 'If-Match': `"${version.version}"` };
    const before = snapshot(engine);
    const refused = await h.send('POST', '/v1/subscription/changes', { body: paddedJson(UPGRADE, 70 * 1024), headers });
    await problem(refused, 413, 'validation_failed');
    assert.equal(snapshot(engine), before);
    // The same key with a body of a sensible size runs (no 422, no replay of the 413).
    const fine = await h.send('POST', '/v1/subscription/changes', { body: UPGRADE, headers });
    assert.equal(fine.status, 200, await fine.clone().text());
    assert.equal(fine.headers.get('Idempotent-Replayed'), null);
  });

  it('refuses a card form over 8 KiB on the hosted card page with 413, before the engine sees it', async () => {
    const engine = demoEngine();
    const h = harness(engine, true, undefined, { publicOrigin: 'http://billing.test' });
    const page = await startSetup(h);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await (await h.handler(new Request(page))).text())?.[1] ?? '';
    const fields = new URLSearchParams({ csrf, ...GOOD_CARD, padding: 'x'.repeat(9 * 1024) }).toString();
    const methodsBefore = await ok(await h.get('/v1/payment-methods'), PaymentMethodList);
    const refused = await h.handler(formPost(page, fields, 'http://billing.test'));
    const body = await problem(refused, 413, 'validation_failed');
    assert.deepEqual(body.fieldErrors, [{ field: 'body', message: 'must be at most 8192 bytes' }]);
    assert.deepEqual(await ok(await h.get('/v1/payment-methods'), PaymentMethodList), methodsBefore);
    // The same form without the padding still adds the card: the session was not spent.
    const added = await h.handler(formPost(page, new URLSearchParams({ csrf, ...GOOD_CARD }).toString(), 'http://billing.test'));
    assert.equal(added.status, 303);
  });

  it('refuses a card form over 8 KiB on the hosted pay page with 413', async () => {
    const clock = movableClock();
    const engine = demoEngine(clock);
    const h = harness(engine, true, undefined, { publicOrigin: 'http://billing.test' });
    clock.set('2026-04-03T00:00:01.000Z'); // the renewal fails: the demo card has expired
    const invoice = (await ok(await h.get('/v1/invoices?limit=1'), InvoicePage)).data[0];
    assert.equal(invoice?.status, 'open');
    const payUrl = invoice?.hostedUrl ?? '';
    const csrf = /name="csrf" value="([^"]+)"/.exec(await (await h.handler(new Request(payUrl))).text())?.[1] ?? '';
    const refused = await h.handler(formPost(payUrl, new URLSearchParams({ csrf, ...GOOD_CARD, padding: 'x'.repeat(9000) }).toString(), 'http://billing.test'));
    const body = await problem(refused, 413, 'validation_failed');
    assert.deepEqual(body.fieldErrors, [{ field: 'body', message: 'must be at most 8192 bytes' }]);
    const still = (await ok(await h.get(`/v1/invoices?limit=1`), InvoicePage)).data[0];
    assert.equal(still?.status, 'open');
  });

  it('logs a body the client stopped sending as one line, without an error object, and answers 400', async () => {
    const { send, logged } = handlerFor(demoEngine(), { publicOrigin: PUBLIC });
    let sent = false;
    const broken = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) {
          controller.error(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
          return;
        }
        sent = true;
        controller.enqueue(new TextEncoder().encode('{"timing":'));
      },
    });
    const response = await send(PUBLIC, 'POST', PREVIEW, { body: broken, headers: { 'Content-Type': 'application/json' } });
    await problem(response, 400, 'validation_failed');
    assert.equal(logged.length, 1, JSON.stringify(logged));
    assert.match(logged[0]!.message, /request body could not be read/);
    assert.ok(!('error' in logged[0]!.details), 'no error object (its stack) in the log');
    assert.equal(logged[0]!.details['requestId'], response.headers.get('X-Request-Id'));
  });
});

/** Every row of every table, as one text (a BLOB byte by byte, as Buffer's JSON): equal texts, equal databases. */
function snapshot(engine: ReferenceEngine): string {
  const tables = engine.db.prepare<[], string>(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all();
  return JSON.stringify(tables.map((table) => [table, engine.db.prepare(`SELECT * FROM "${table.replaceAll('"', '""')}"`).raw().all()]));
}

describe('links and same-origin checks come from publicOrigin, never from Host', () => {
  it('with publicOrigin: a setup session, its hosted page, its cancel link and its CSP name only the public origin', async () => {
    const { send, handler } = handlerFor(demoEngine(), { publicOrigin: PUBLIC });
    // A relative returnUrl resolves on the public origin; one on the request's host is refused.
    const session = await ok(
      await send(EVIL, 'POST', SETUP, { body: JSON.stringify({ returnUrl: '/account' }), headers: { 'Idempotency-Key': newKey(), 'Content-Type': 'application/json' } }),
      SetupSession,
    );
    assert.equal(session.kind, 'redirect');
    const pageUrl = session.kind === 'redirect' ? session.url : '';
    assert.ok(pageUrl.startsWith(`${PUBLIC}/api/billing/v1/payment-methods/setup/`), pageUrl);
    const toEvil = await send(EVIL, 'POST', SETUP, {
      body: JSON.stringify({ returnUrl: `${EVIL}/account` }),
      headers: { 'Idempotency-Key': newKey(), 'Content-Type': 'application/json' },
    });
    const refused = await problem(toEvil, 400, 'validation_failed');
    assert.deepEqual(refused.fieldErrors?.map((e) => e.field), ['body.returnUrl']);

    // The hosted page reached through the evil host: cancel link and form-action on the public origin.
    const page = await handler(new Request(pageUrl.replace(PUBLIC, EVIL)));
    assert.equal(page.status, 200);
    const csp = page.headers.get('Content-Security-Policy') ?? '';
    assert.match(csp, new RegExp(`form-action 'self' ${PUBLIC.replaceAll('.', '\\.')}(;|$)`));
    const html = await page.clone().text();
    assert.match(html, new RegExp(`class="cancel" href="${PUBLIC.replaceAll('.', '\\.')}/account\\?billing_setup=canceled"`));
    assert.ok(!(await everything(page)).includes('evil.example'));

    // The page's form checks Origin against the public origin, not against Host.
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const fields = new URLSearchParams({ csrf, ...GOOD_CARD }).toString();
    const forged = await handler(formPost(pageUrl.replace(PUBLIC, EVIL), fields, EVIL));
    assert.equal(forged.status, 403);
    const genuine = await handler(formPost(pageUrl.replace(PUBLIC, EVIL), fields, PUBLIC));
    assert.equal(genuine.status, 303);
    assert.equal(genuine.headers.get('Location'), `${PUBLIC}/account?billing_setup=succeeded`);
  });

  it('with publicOrigin: PDF links and pay links reached through another Host point at the public origin', async () => {
    const clock = movableClock();
    const engine = demoEngine(clock);
    const { send } = handlerFor(engine, { publicOrigin: PUBLIC });
    const invoices = await ok(await send(EVIL, 'GET', '/v1/invoices?limit=1'), InvoicePage);
    const link = await ok(await send(EVIL, 'GET', `/v1/invoices/${invoices.data[0]!.id}/pdf`), InvoicePdfLink);
    assert.ok(link.url.startsWith(`${PUBLIC}/api/billing/v1/invoices/`), link.url);
    clock.set('2026-04-03T00:00:01.000Z');
    const open = (await ok(await send(EVIL, 'GET', '/v1/invoices?limit=1'), InvoicePage)).data[0];
    assert.ok(open?.hostedUrl?.startsWith(`${PUBLIC}/api/billing/v1/invoices/${open.id}/pay?`), open?.hostedUrl ?? 'no pay link');
  });

  it('without publicOrigin, a non-loopback Host gets no link to itself: 500 internal, and the log says to set publicOrigin', async () => {
    const clock = movableClock();
    const engine = demoEngine(clock);
    const { send, logged } = handlerFor(engine);
    const invoiceId = (await ok(await send('http://127.0.0.1:8787', 'GET', '/v1/invoices?limit=1'), InvoicePage)).data[0]!.id;
    clock.set('2026-04-03T00:00:01.000Z'); // an open invoice: its pay link needs the origin

    const asked = [
      await send(EVIL, 'POST', SETUP, { body: JSON.stringify({ returnUrl: `${EVIL}/account` }), headers: { 'Idempotency-Key': newKey(), 'Content-Type': 'application/json' } }),
      await send(EVIL, 'POST', SETUP, { body: JSON.stringify({ returnUrl: '/account' }), headers: { 'Idempotency-Key': newKey(), 'Content-Type': 'application/json' } }),
      await send(EVIL, 'GET', `/v1/invoices/${invoiceId}/pdf`),
      await send(EVIL, 'GET', '/v1/invoices?limit=1'),
    ];
    for (const response of asked) {
      const text = await everything(response.clone());
      assert.ok(!text.includes('evil.example'), text);
      await problem(response, 500, 'internal');
    }
    assert.ok(logged.some((entry) => /publicOrigin is not set/.test(entry.message)), JSON.stringify(logged));
    // Reads that need no origin are served all the same.
    assert.equal((await send(EVIL, 'GET', '/v1/subscription')).status, 200);
  });

  it('without publicOrigin, a hosted page reached through a non-loopback Host does not take that Host as its own origin', async () => {
    const engine = demoEngine();
    const { send, handler } = handlerFor(engine);
    const loopback = 'http://127.0.0.1:8787';
    const session = await ok(
      await send(loopback, 'POST', SETUP, { body: JSON.stringify({ returnUrl: '/account' }), headers: { 'Idempotency-Key': newKey(), 'Content-Type': 'application/json' } }),
      SetupSession,
    );
    const pageUrl = session.kind === 'redirect' ? session.url : '';
    assert.ok(pageUrl.startsWith(`${loopback}/api/billing/v1/payment-methods/setup/`), pageUrl);
    const html = await (await handler(new Request(pageUrl))).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const before = await ok(await send(loopback, 'GET', '/v1/payment-methods'), PaymentMethodList);
    // A post that says it comes from the evil origin, sent to the evil host: not "this page".
    const forged = await handler(formPost(pageUrl.replace(loopback, EVIL), new URLSearchParams({ csrf, ...GOOD_CARD }).toString(), EVIL));
    assert.notEqual(forged.status, 303);
    assert.ok(!(await everything(forged)).includes('evil.example'));
    assert.deepEqual(await ok(await send(loopback, 'GET', '/v1/payment-methods'), PaymentMethodList), before);
  });

  it('without publicOrigin, a loopback request gets links on its own origin (development)', async () => {
    const { send } = handlerFor(demoEngine());
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:8787', 'http://[::1]:8787']) {
      const session = await ok(
        await send(origin, 'POST', SETUP, { body: JSON.stringify({ returnUrl: '/account' }), headers: { 'Idempotency-Key': newKey(), 'Content-Type': 'application/json' } }),
        SetupSession,
      );
      assert.ok(session.kind === 'redirect' && session.url.startsWith(`${origin}/api/billing/v1/payment-methods/setup/`), JSON.stringify(session));
    }
  });

  describe('over real HTTP, with the Host header itself', () => {
    let server: ServerType;
    let port = 0;
    let logged: Logged[] = [];
    before(async () => {
      const made = handlerFor(demoEngine());
      logged = made.logged;
      await new Promise<void>((resolve) => {
        // Its own Response class would otherwise replace the global one for every test of this file.
        server = serve({ fetch: made.handler, port: 0, hostname: '127.0.0.1', overrideGlobalObjects: false }, (info: AddressInfo) => {
          port = info.port;
          resolve();
        });
      });
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    /** POSTs a setup request to 127.0.0.1 with `host` as the Host header. */
    const setupWithHost = (host: string, returnUrl: string) =>
      new Promise<{ status: number; text: string; headers: Record<string, unknown> }>((resolve, reject) => {
        const body = JSON.stringify({ returnUrl });
        const request = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: `/api/billing${SETUP}`,
            headers: { Host: host, Authorization: 'Bearer cus_demo', 'Content-Type': 'application/json', 'Idempotency-Key': newKey(), 'Content-Length': Buffer.byteLength(body) },
          },
          (response) => {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (text += chunk));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, text, headers: response.headers }));
          },
        );
        request.on('error', reject);
        request.end(body);
      });

    it('makes no link to the host a request names', async () => {
      for (const returnUrl of ['/account', `${EVIL}/account`]) {
        const answer = await setupWithHost('evil.example', returnUrl);
        assert.ok(!answer.text.includes('evil.example'), answer.text);
        assert.ok(!JSON.stringify(answer.headers).includes('evil.example'));
        assert.equal(answer.status, 500);
      }
      assert.ok(logged.some((entry) => /publicOrigin is not set/.test(entry.message)));
      const own = await setupWithHost(`127.0.0.1:${port}`, '/account');
      assert.equal(own.status, 200, own.text);
      assert.ok((JSON.parse(own.text) as { url: string }).url.startsWith(`http://127.0.0.1:${port}/api/billing/v1/payment-methods/setup/`));
    });
  });
});

describe('every refusal is a problem document with X-Request-Id', () => {
  it('unknown routes, under the base path and outside it, and unknown methods', async () => {
    const { send, handler } = handlerFor(demoEngine(), { publicOrigin: PUBLIC });
    const answers = [
      await send(PUBLIC, 'GET', '/v1/nothing-here'),
      await send(PUBLIC, 'GET', '/v2/subscription'),
      await send(PUBLIC, 'PUT', '/v1/subscription'),
      await send(PUBLIC, 'PATCH', '/v1/plans', { body: '{}' }),
      await handler(new Request(`${PUBLIC}/elsewhere`)),
      await handler(new Request(`${PUBLIC}/`)),
      await send(PUBLIC, 'OPTIONS', '/v1/subscription'),
    ];
    for (const response of answers) await problem(response, 404, 'not_found');
  });

  it('keeps a plain caller request id and replaces one that is not', async () => {
    const { send } = handlerFor(demoEngine(), { publicOrigin: PUBLIC });
    const kept = await send(PUBLIC, 'GET', '/v1/nothing', { headers: { 'X-Request-Id': 'caller-1234.abcd' } });
    assert.equal(kept.headers.get('X-Request-Id'), 'caller-1234.abcd');
    assert.equal((await problem(kept, 404, 'not_found')).requestId, 'caller-1234.abcd');
    const replaced = await send(PUBLIC, 'GET', '/v1/subscription', { customer: null, headers: { 'X-Request-Id': 'bad id <script>' } });
    assert.match(replaced.headers.get('X-Request-Id') ?? '', /^req_[0-9a-f]{32}$/);
    await problem(replaced, 401, 'unauthenticated');
  });
});

describe('the cors option', () => {
  const APP = 'https://app.example.com';
  const make = (cors: BillingHandlerOptions['cors']) => handlerFor(demoEngine(), { publicOrigin: PUBLIC, ...(cors ? { cors } : {}) });
  const preflight = (origin: string, method = 'POST', requested = 'content-type, idempotency-key, if-match') => ({
    customer: null,
    headers: { Origin: origin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': requested },
  });

  it('answers a preflight from a listed origin with 204 and what the client needs', async () => {
    const { send } = make({ origins: [`${APP}/`], credentials: true, maxAge: 120 });
    const response = await send(PUBLIC, 'OPTIONS', '/v1/subscription/changes', preflight(APP));
    assert.equal(response.status, 204);
    assert.equal(await response.text(), '');
    const header = (name: string) => response.headers.get(name) ?? '';
    assert.equal(header('Access-Control-Allow-Origin'), APP);
    assert.equal(header('Access-Control-Allow-Credentials'), 'true');
    assert.deepEqual(header('Access-Control-Allow-Methods').split(/,\s*/).sort(), ['DELETE', 'GET', 'POST']);
    const allowed = header('Access-Control-Allow-Headers').toLowerCase().split(/,\s*/);
    for (const name of ['content-type', 'idempotency-key', 'if-match', 'accept-language', 'authorization']) assert.ok(allowed.includes(name), name);
    assert.equal(header('Access-Control-Max-Age'), '120');
    assert.match(header('Vary'), /Origin/);
    assert.match(header('X-Request-Id'), /^req_/);
  });

  it('refuses a preflight from any other origin with 403 and no CORS header', async () => {
    const { send } = make({ origins: [APP], credentials: true });
    for (const origin of ['https://evil.example', 'http://app.example.com', 'https://app.example.com.evil.example', 'null']) {
      const response = await send(PUBLIC, 'OPTIONS', '/v1/subscription', preflight(origin, 'GET', 'authorization'));
      assert.equal(response.headers.get('Access-Control-Allow-Origin'), null, origin);
      assert.equal(response.headers.get('Access-Control-Allow-Credentials'), null, origin);
      assert.match(response.headers.get('Vary') ?? '', /Origin/);
      await problem(response, 403, 'forbidden');
    }
  });

  it('lets a listed origin read every response, problems and replays included', async () => {
    const { send } = make({ origins: [APP], credentials: true });
    const check = (response: Response) => {
      assert.equal(response.headers.get('Access-Control-Allow-Origin'), APP);
      assert.equal(response.headers.get('Access-Control-Allow-Credentials'), 'true');
      const exposed = (response.headers.get('Access-Control-Expose-Headers') ?? '').split(/,\s*/);
      for (const name of ['ETag', 'X-Request-Id', 'Idempotent-Replayed', 'Retry-After']) assert.ok(exposed.includes(name), name);
      assert.match(response.headers.get('Vary') ?? '', /Origin/);
    };
    const read = await send(PUBLIC, 'GET', '/v1/subscription', { headers: { Origin: APP } });
    assert.equal(read.status, 200);
    check(read);
    const unauthenticated = await send(PUBLIC, 'GET', '/v1/subscription', { customer: null, headers: { Origin: APP } });
    check(unauthenticated);
    await problem(unauthenticated, 401, 'unauthenticated');
    const missing = await send(PUBLIC, 'GET', '/v1/nowhere', { headers: { Origin: APP } });
    check(missing);
    await problem(missing, 404, 'not_found');
    const headers = { Origin: APP, 'Idempotency-Key': 'cors-replay', 'Content-Type': 'application/json' };
    const first = await send(PUBLIC, 'POST', SETUP, { body: JSON.stringify({ returnUrl: '/account' }), headers });
    assert.equal(first.status, 200);
    check(first);
    const replay = await send(PUBLIC, 'POST', SETUP, { body: JSON.stringify({ returnUrl: '/account' }), headers });
    assert.equal(replay.headers.get('Idempotent-Replayed'), 'true');
    check(replay);
  });

  it('gives any other origin no CORS header, and Vary: Origin', async () => {
    const { send } = make({ origins: [APP] });
    for (const origin of ['https://evil.example', null]) {
      const response = await send(PUBLIC, 'GET', '/v1/subscription', { headers: origin ? { Origin: origin } : {} });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('Access-Control-Allow-Origin'), null);
      assert.equal(response.headers.get('Access-Control-Expose-Headers'), null);
      assert.ok((response.headers.get('Vary') ?? '').split(/,\s*/).includes('Origin'), response.headers.get('Vary') ?? 'no Vary');
    }
    // Without credentials, the flag is never sent.
    const listed = await send(PUBLIC, 'GET', '/v1/subscription', { headers: { Origin: APP } });
    assert.equal(listed.headers.get('Access-Control-Allow-Origin'), APP);
    assert.equal(listed.headers.get('Access-Control-Allow-Credentials'), null);
  });

  it('refuses "*" and origins that are not origins when the handler is made', () => {
    assert.throws(() => make({ origins: ['*'] }), RangeError);
    assert.throws(() => make({ origins: ['https://app.example.com/path'] }), RangeError);
    assert.throws(() => make({ origins: [APP], maxAge: -1 }), RangeError);
  });

  it('without the option, refuses every preflight (403) and adds no CORS header', async () => {
    const { send } = make(undefined);
    const response = await send(PUBLIC, 'OPTIONS', '/v1/subscription', preflight(APP, 'GET', 'authorization'));
    assert.equal(response.headers.get('Access-Control-Allow-Origin'), null);
    await problem(response, 403, 'forbidden');
    const read = await send(PUBLIC, 'GET', '/v1/subscription', { headers: { Origin: APP } });
    assert.equal(read.headers.get('Access-Control-Allow-Origin'), null);
  });
});
