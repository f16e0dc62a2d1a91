/**
 * The handler under generated requests (fast-check), over the real reference engine on an
 * in-memory SQLite database: bodies shaped after the contract's request schemas and garbage,
 * query strings, headers (Accept-Language, If-Match, If-None-Match, Idempotency-Key,
 * Content-Type, Origin…) and paths under the base path and outside it, the hosted pages and
 * signed links included.
 *
 * Properties, for every request:
 * - the status is 2xx, 3xx or 4xx, never 5xx;
 * - the response carries X-Request-Id, and a 4xx is an application/problem+json document
 *   whose requestId is that header (the hosted pages' HTML answers excepted: they speak to a
 *   browser, and say so as text/html);
 * - after a 4xx, every row of every table is as it was before the request.
 *
 * `FUZZ_RUNS` sets the number of requests (default 2,000; `npm run fuzz` runs 10,000) and
 * `FUZZ_SEED` replays a run. The requests run one after the other against one engine, so the
 * 2xx mutations among them build up states no hand-written test reaches. The engine's clock
 * stands still (no test mode, whose period-end route moves it): nothing expires during a run,
 * so a 4xx has no housekeeping to do (purging expired idempotency keys) and must write nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InvoicePdfLink, Problem, SetupSession } from '../../src/contract/index.js';
import { BASE, demoEngine, harness, ok } from './helpers.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 2000);
const SEED = process.env['FUZZ_SEED'] === undefined ? Math.floor(Math.random() * 0x7fffffff) : Number(process.env['FUZZ_SEED']);
const ORIGIN = new URL(BASE).origin;
const APP = 'https://app.example.com';

// ---------------------------------------------------------------- building blocks

const PLANS = ['essentiel', 'pro', 'entreprise'];
const MODULES = ['e-invoicing', 'e-signature', 'accounting-export', 'multi-currency', 'auto-reminders', 'signature-workflows'];
const CUSTOMERS = ['cus_demo', 'cus_readonly', 'cus_nosub'];

/** Printable ASCII and a little Latin-1: what a header value may hold (no CR, LF or NUL). */
const headerChar = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)) },
  { weight: 1, arbitrary: fc.integer({ min: 0xa0, max: 0xff }).map((code) => String.fromCharCode(code)) },
  { weight: 1, arbitrary: fc.constant('\t') },
);
const headerText = (maxLength = 40) => fc.string({ unit: headerChar, maxLength });

/** A string that is sometimes one of `known`, sometimes close to one, sometimes anything. */
const nearly = (known: readonly string[]) =>
  fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...known) },
    { weight: 1, arbitrary: fc.constantFrom(...known).map((value) => value.toUpperCase()) },
    { weight: 1, arbitrary: fc.constantFrom(...known).map((value) => ` ${value}`) },
    { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 1, arbitrary: fc.constantFrom('', '0', 'null', '__proto__', 'constructor', 'a'.repeat(300)) },
  );

/** Any JSON value, of limited depth. */
const anyJson = fc.jsonValue({ maxDepth: 3 });

/** A value that is usually of the right kind, sometimes of any kind, sometimes missing. */
const maybe = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 6, arbitrary }, { weight: 1, arbitrary: anyJson }, { weight: 1, arbitrary: fc.constant(undefined) });

const timing = maybe(nearly(['now', 'period_end']));
const interval = maybe(nearly(['month', 'year']));
const change = fc.oneof(
  fc.record({ type: maybe(nearly(['plan'])), planId: maybe(nearly(PLANS)), interval }, { requiredKeys: ['type', 'planId'] }),
  fc.record({ type: maybe(nearly(['module'])), moduleId: maybe(nearly(MODULES)), action: maybe(nearly(['activate', 'deactivate'])) }, { requiredKeys: ['type'] }),
  anyJson,
);
const changeRequest = fc.record(
  { timing, change, previewToken: maybe(fc.oneof(fc.string({ maxLength: 60 }), fc.base64String({ maxLength: 80 }))), extra: anyJson },
  { requiredKeys: ['timing', 'change'] },
);
const returnUrl = fc.oneof(
  fc.constantFrom('/account/billing', `${ORIGIN}/account`, `${ORIGIN}/a?b=c#d`, `${APP}/billing`, 'https://evil.example/', '//evil.example/x', 'javascript:alert(1)', 'data:text/html,x', 'http://user:pass@billing.test/', `${ORIGIN}/${'x'.repeat(2100)}`),
  fc.string({ maxLength: 40 }),
  fc.webUrl(),
);
const setupRequest = fc.record(
  { returnUrl: maybe(returnUrl), locale: maybe(nearly(['fr', 'en', 'en-GB', 'de', 'x', 'en-1', 'en-u-ca', 'sgn-BE-FR', 'zz-ZZ-abcdefghi'])) },
  { requiredKeys: ['returnUrl'] },
);

const TEST_CARDS = ['4242 4242 4242 4242', '5555555555554444', '4000 0000 0000 0002', '4000 0000 0000 0341', '378282246310005', '1234'];
const cardForm = (csrf: fc.Arbitrary<string>) =>
  fc
    .record(
      {
        csrf,
        number: nearly(TEST_CARDS),
        expiry: nearly(['12/30', '01/20', '13/30', '12/99', '1230']),
        cvc: nearly(['123', '1234', '12']),
        name: fc.oneof(fc.constant('Camille Lumière'), fc.string({ maxLength: 30 })),
        return: fc.oneof(fc.constant(`${ORIGIN}/account`), fc.constant('https://evil.example/'), fc.string({ maxLength: 20 })),
      },
      { requiredKeys: [] },
    )
    .map((fields) => new URLSearchParams(fields as Record<string, string>).toString());

/** A body of exactly `size` bytes: JSON padded with spaces. */
const padded = (size: number) => JSON.stringify({ timing: 'now', change: { type: 'plan', planId: 'entreprise' } }).padEnd(size, ' ');

type Body = string | Uint8Array<ArrayBuffer> | undefined;

const body = (csrf: fc.Arbitrary<string>): fc.Arbitrary<Body> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 6, arbitrary: changeRequest.map((value) => JSON.stringify(value)) },
    { weight: 3, arbitrary: setupRequest.map((value) => JSON.stringify(value)) },
    { weight: 2, arbitrary: anyJson.map((value) => JSON.stringify(value)) },
    { weight: 2, arbitrary: fc.string({ maxLength: 80 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 80 }).map((bytes) => new Uint8Array(bytes)) },
    { weight: 2, arbitrary: cardForm(csrf) },
    { weight: 1, arbitrary: fc.constantFrom(65_535, 65_536, 65_537, 8_193).map(padded) },
    { weight: 1, arbitrary: fc.constantFrom('{', '[]', 'null', '"x"', '{"timing":"now","change":null}', '\uFEFF{}', '{"__proto__":{"timing":"now"}}') },
    // Nested as deep as 64 KiB allows, where a recursive walk would overflow the stack.
    { weight: 1, arbitrary: fc.constantFrom(`${'['.repeat(30_000)}${']'.repeat(30_000)}`, `{"timing":"now","change":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`) },
  );

/** A path segment: an id of the demo, something close, or anything (percent-encoded or raw). */
const segment = (known: readonly string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...known) },
    { weight: 2, arbitrary: fc.string({ maxLength: 16 }).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.constantFrom('', '.', '..', '%', '%zz', '%2F', '%00', '%C0%AF', '%E2%82', ';x=1', '@', '~', '*', "'", '%25', 'a%2Fb', '\u00e9') },
    { weight: 1, arbitrary: fc.webSegment() },
  );

const query = fc.oneof(
  { weight: 4, arbitrary: fc.constant('') },
  {
    weight: 4,
    arbitrary: fc
      .record(
        {
          limit: nearly(['1', '25', '100', '101', '0', '-1', '2.5', '1e2', 'abc', ' 10']),
          cursor: fc.oneof(fc.string({ maxLength: 30 }), fc.base64String({ maxLength: 40 })),
          status: nearly(['draft', 'open', 'paid', 'void', 'uncollectible']),
          from: nearly(['2026-01-01T00:00:00Z', '2026-01-01', '2026-02-30T00:00:00Z', '9999-12-31T23:59:59.999Z']),
          to: nearly(['2026-12-31T00:00:00Z', 'yesterday']),
          customer: nearly(CUSTOMERS),
          expires: nearly(['0', '9999999999', '1773572400']),
          signature: fc.base64String({ maxLength: 50 }),
          lang: nearly(['fr', 'en', 'de', 'x']),
        },
        { requiredKeys: [] },
      )
      .map((fields) => `?${new URLSearchParams(fields as Record<string, string>).toString()}`),
  },
  { weight: 1, arbitrary: fc.webQueryParameters().map((text) => `?${text}`) },
  { weight: 1, arbitrary: fc.constantFrom('?', '?limit', '?limit=1&limit=2', '?%zz=1', '?limit=%E2%82', '?&&&', '?status[]=open', '?a=b#frag') },
);

// ---------------------------------------------------------------- the world

describe('the handler under generated requests', () => {
  it(`answers ${RUNS} generated requests within the contract, and changes nothing on a 4xx`, { timeout: 600_000 }, async (t) => {
    const engine = demoEngine();
    const h = harness(engine, true, engine.idempotencyStore, {
      publicOrigin: ORIGIN,
      setupSessionStore: engine.setupSessionStore,
      signingSecret: engine.signingSecret,
      cors: { origins: [APP], credentials: true },
    });

    // Things worth aiming at, made the way a browser would come by them.
    const invoiceIds = ((await (await h.get('/v1/invoices?limit=100')).json()) as { data: { id: string }[] }).data.map((i) => i.id);
    const pdfLink = await ok(await h.get(`/v1/invoices/${invoiceIds[0]}/pdf`), InvoicePdfLink);
    const sessions: string[] = [];
    const csrfTokens: string[] = [];
    for (let i = 0; i < 3; i++) {
      const session = await ok(
        await h.send('POST', '/v1/payment-methods/setup', { body: { returnUrl: '/account' }, headers: { 'Idempotency-Key': `fuzz-setup-${i}` } }),
        SetupSession,
      );
      const url = session.kind === 'redirect' ? session.url : '';
      sessions.push(url.slice(url.lastIndexOf('/') + 1));
      csrfTokens.push(/name="csrf" value="([^"]+)"/.exec(await (await h.handler(new Request(url))).text())?.[1] ?? '');
    }
    const pdfPath = new URL(pdfLink.url).pathname.replace('/api/billing', '') + new URL(pdfLink.url).search;

    const ids = [...invoiceIds.slice(0, 3), 'pm_demo_visa', 'pm_demo_sepa', 'pm_readonly_mc', 'sch_1', ...sessions];
    const anyMethod = fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD');
    /** A route and, mostly, its own method. */
    const at = (method: string, path: fc.Arbitrary<string>, weight: number) => ({
      weight,
      arbitrary: fc.tuple(fc.oneof({ weight: 6, arbitrary: fc.constant(method) }, { weight: 1, arbitrary: anyMethod }), path),
    });
    const id = segment(ids);
    const route = fc.oneof(
      // The contract's endpoints, with ids of the demo and others.
      at('GET', fc.constantFrom('/v1/subscription', '/v1/plans', '/v1/modules', '/v1/usage', '/v1/invoices', '/v1/payment-methods'), 8),
      at('POST', fc.constantFrom('/v1/subscription/changes/preview', '/v1/subscription/changes'), 10),
      at('POST', fc.constant('/v1/payment-methods/setup'), 3),
      at('GET', id.map((value) => `/v1/invoices/${value}`), 3),
      at('GET', id.map((value) => `/v1/invoices/${value}/pdf`), 2),
      at('GET', id.map((value) => `/v1/invoices/${value}/pdf/file`), 1),
      // A valid signed link, in any language it may be asked in.
      at('GET', nearly(['fr', 'en', 'de', 'x', 'a-b', 'en-1', 'root']).map((lang) => `${pdfPath}&lang=${encodeURIComponent(lang)}`), 1),
      at('POST', id.map((value) => `/v1/invoices/${value}/pay`), 1),
      at('DELETE', id.map((value) => `/v1/subscription/scheduled-changes/${value}`), 3),
      at('DELETE', id.map((value) => `/v1/payment-methods/${value}`), 2),
      at('POST', id.map((value) => `/v1/payment-methods/${value}/default`), 2),
      at('POST', id.map((value) => `/v1/payment-methods/setup/${value}`), 3),
      at('GET', id.map((value) => `/v1/payment-methods/setup/${value}`), 1),
      // Anything under the base path.
      at('GET', fc.array(segment(['v1', 'v2', 'invoices', 'pdf', 'file', 'setup']), { maxLength: 5 }).map((parts) => `/${parts.join('/')}`), 2),
      at('GET', fc.constantFrom('', '/', '//v1/plans', '/v1//plans', '/v1/plans/', '/V1/PLANS', '/v1/./plans', '/v1/../v1/plans', '/v1/plans%2F', '/v1/invoices/%2E%2E'), 1),
    );
    // And outside it.
    const outside = fc.tuple(anyMethod, fc.oneof(fc.webPath(), fc.constantFrom('/', '/api', '/api/billin', '/api/billingv1/plans', '/API/billing/v1/plans', '/api/billing/../billing/v1/plans')));

    const request = fc.record({
      where: fc.oneof(
        { weight: 12, arbitrary: fc.tuple(route, query).map(([[method, path], search]) => ({ method, target: `${BASE}${path}${search}` })) },
        { weight: 1, arbitrary: fc.tuple(outside, query).map(([[method, path], search]) => ({ method, target: `${ORIGIN}${path}${search}` })) },
      ),
      headers: fc.record(
        {
          Authorization: fc.oneof(
            { weight: 12, arbitrary: fc.constant('Bearer cus_demo') },
            { weight: 4, arbitrary: nearly(CUSTOMERS).map((customer) => `Bearer ${customer}`) },
            { weight: 1, arbitrary: headerText() },
          ),
          'Accept-Language': fc.oneof(
            // Tags Intl refuses among them (x, a-b, en-u, en-1, en-gb-oed, i-klingon, root).
            fc.constantFrom('fr', 'fr-FR,fr;q=0.9,en;q=0.8', 'en', 'de-CH;q=0.5, *', 'x', 'a-b', 'en-u', 'en-1', 'en-gb-oed', 'x-private', 'zz-ZZ', 'en;q=0', 'fr;q=abc', 'fr;q=-1', 'en;q=1e400', 'i-klingon', 'sgn-BE-FR', 'en-US-u-ca-buddhist', 'ar-EG-u-nu-arab', 'tlh', 'root', 'und', 'zh-Hant-TW', 'fr,'.repeat(100)),
            headerText(),
          ),
          'If-Match': fc.oneof(fc.constantFrom('"3"', '3', '"4"', 'W/"3"', '*', '""', '"3", "4"', '"-1"', '"1e3"', '"99999999999999999999"'), headerText(20)),
          'Idempotency-Key': fc.oneof(fc.constantFrom('k1', 'k2', 'k3', '"k1"', ' k2 ', 'a'.repeat(256)), headerText(30)),
          'Content-Type': fc.oneof(
            fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x', 'application/problem+json', 'APPLICATION/JSON'),
            headerText(30),
          ),
          'X-Request-Id': fc.oneof(fc.constantFrom('caller-1234.abcd', 'short', 'x'.repeat(129)), headerText(40)),
          Origin: fc.oneof(fc.constantFrom(APP, ORIGIN, 'https://evil.example', 'null'), headerText(20)),
          'Sec-Fetch-Site': fc.constantFrom('same-origin', 'cross-site', 'none'),
          'Accept-Encoding': fc.oneof(fc.constantFrom('gzip', 'gzip, deflate, br', 'identity', 'gzip;q=0', '*', 'br'), headerText(20)),
          'If-None-Match': fc.oneof(fc.constantFrom('*', '"3"', 'W/"x"', '"a", "b"'), headerText(40)),
          'Access-Control-Request-Method': fc.constantFrom('GET', 'POST', 'DELETE', 'PUT'),
          Cookie: headerText(30),
          Referer: fc.oneof(fc.constantFrom(`${ORIGIN}/account`, 'https://evil.example/'), headerText(30)),
        },
        { requiredKeys: ['Authorization'] },
      ),
      body: body(fc.oneof(fc.constantFrom(...csrfTokens), fc.string({ maxLength: 50 }))),
    });

    // ---------------------------------------------------------------- the database

    const tables = engine.db.prepare<[], string>(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all();
    assert.ok(tables.length > 5, tables.join());
    const reads = tables.map((table) => ({ table, statement: engine.db.prepare(`SELECT * FROM "${table.replaceAll('"', '""')}"`).raw() }));
    /** Every row of every table, one text per table (a BLOB is written out byte by byte, as Buffer's JSON). */
    const snapshot = () => reads.map(({ statement }) => JSON.stringify(statement.all()));
    const changedTables = (before: string[], after: string[]) => tables.filter((_, index) => before[index] !== after[index]);
    // Rows this connection inserted, updated or deleted so far: while it stands still, so does
    // the database, and the snapshot is not taken again (it costs more than most requests).
    const writes = engine.db.prepare<[], number>('SELECT total_changes()').pluck();

    // ---------------------------------------------------------------- the property

    const statuses = new Map<number, number>();
    let html4xx = 0;
    let last = snapshot();
    let lastWrites = writes.get();
    const started = performance.now();
    const property = fc.asyncProperty(request, async ({ where: { method, target }, headers, body: sent }) => {
      const withBody = sent !== undefined && method !== 'GET' && method !== 'HEAD';
      const response = await h.handler(new Request(target, { method, headers, ...(withBody ? { body: sent } : {}) }));
      const status = response.status;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      const text = method === 'HEAD' ? '' : await response.text();
      const describe = () => `${method} ${target} ${JSON.stringify(headers)} ${withBody ? JSON.stringify(typeof sent === 'string' ? sent.slice(0, 300) : `<${sent?.length} bytes>`) : ''} → ${status} ${text.slice(0, 500)}`;

      assert.ok(status >= 200 && status < 500, describe());
      const requestId = response.headers.get('X-Request-Id');
      assert.ok(requestId !== null && requestId.length > 0, `no X-Request-Id: ${describe()}`);

      const written = writes.get();
      const now = written === lastWrites ? last : snapshot();
      lastWrites = written;
      if (status >= 400) {
        const type = response.headers.get('Content-Type') ?? '';
        const hostedPage = /\/v1\/(payment-methods\/setup\/[^/]+|invoices\/[^/]+\/pay)$/.test(new URL(target).pathname);
        if (type.startsWith('text/html') && hostedPage) {
          html4xx++;
        } else {
          assert.equal(type, 'application/problem+json', describe());
          if (method !== 'HEAD') {
            const problem = Problem.parse(JSON.parse(text));
            assert.equal(problem.status, status, describe());
            assert.equal(problem.requestId, requestId, describe());
          }
        }
        const changed = changedTables(last, now);
        assert.deepEqual(changed, [], `the database changed on a ${status} (${changed.join(', ')}): ${describe()}`);
      }
      last = now;
    });
    await fc.assert(property, { numRuns: RUNS, seed: SEED, endOnFailure: true, includeErrorInReport: true });

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const counts = [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`);
    const total = [...statuses.values()].reduce((sum, count) => sum + count, 0);
    t.diagnostic(`fuzz: ${total} requests in ${seconds} s (FUZZ_SEED=${SEED}); statuses ${counts.join(' ')}; ${html4xx} of the 4xx were hosted pages (HTML)`);
    assert.ok(total >= RUNS);
  });
});
