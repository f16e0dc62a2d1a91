/**
 * Every GET carries a strong ETag of its exact bytes and is revalidated with If-None-Match
 * (304, no body); JSON above 1 KiB is gzipped for clients that accept it. Through the real
 * handler, and over real HTTP for the compression a browser decodes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { request as httpRequest } from 'node:http';
import { Subscription, type ChangeRequest } from '../../src/contract/index.js';
import { createNodeServer } from '../../src/server/node-server.js';
import { digest, GZIP_THRESHOLD_BYTES } from '../../src/server/representation.js';
import { changeCalls, demoEngine, harness, ok } from './helpers.js';

const GETS = ['/v1/subscription', '/v1/plans', '/v1/modules', '/v1/usage', '/v1/invoices', '/v1/payment-methods'];
const activateReminders: ChangeRequest = { timing: 'now', change: { type: 'module', moduleId: 'auto-reminders', action: 'activate' } };

describe('conditional GETs', () => {
  for (const path of GETS) {
    it(`GET ${path}: a strong ETag of its bytes, revalidated with If-None-Match → 304`, async () => {
      const h = harness();
      const first = await h.get(path);
      const text = await first.text();
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('Cache-Control'), 'private, no-cache');
      assert.match(first.headers.get('Vary') ?? '', /Accept-Language/);
      const etag = first.headers.get('ETag') ?? '';
      assert.ok(etag.endsWith(`${digest(text)}"`), `${etag} is the digest of the body`);

      const again = await h.get(path, 'cus_demo', { 'If-None-Match': etag });
      assert.equal(again.status, 304);
      assert.equal(await again.text(), '');
      assert.equal(again.headers.get('ETag'), etag);
      assert.match(again.headers.get('X-Request-Id') ?? '', /^req_[0-9a-f]{32}$/);

      const other = await h.get(path, 'cus_demo', { 'If-None-Match': '"0000000000000000"' });
      assert.equal(other.status, 200);
      assert.equal(await other.text(), text);
    });
  }

  it('gives another tag to another language, another customer and a changed subscription', async () => {
    const h = harness();
    const tagOf = async (customer: string, language: string) =>
      (await h.get('/v1/subscription', customer, { 'Accept-Language': language })).headers.get('ETag');
    const french = await tagOf('cus_demo', 'fr');
    assert.notEqual(await tagOf('cus_demo', 'en'), french);
    assert.notEqual(await tagOf('cus_readonly', 'fr'), french);

    const stale = await h.get('/v1/subscription', 'cus_demo', { 'Accept-Language': 'fr', 'If-None-Match': french ?? '' });
    assert.equal(stale.status, 304);
    assert.equal((await changeCalls(h).commit(activateReminders)).status, 200);
    const fresh = await h.get('/v1/subscription', 'cus_demo', { 'Accept-Language': 'fr', 'If-None-Match': french ?? '' });
    assert.equal(fresh.status, 200, 'a change is never answered 304');
    assert.ok((await ok(fresh, Subscription)).activeModuleIds.includes('auto-reminders'));
  });

  it("the subscription's tag starts with its version, and If-Match takes the whole tag", async () => {
    const h = harness();
    const response = await h.get('/v1/subscription');
    const etag = response.headers.get('ETag') ?? '';
    const { version } = await ok(response, Subscription);
    assert.match(etag, new RegExp(`^"${version}\\+[0-9a-f]{16}"$`));
    assert.equal((await changeCalls(h).commit(activateReminders, { ifMatch: etag })).status, 200);
  });
});

describe('gzip over HTTP', () => {
  let port = 0;
  const server = createNodeServer({ fetch: harness(demoEngine()).handler });
  before(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve(void (port = (server.address() as AddressInfo).port)))));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** node:http, not fetch: fetch would decode the body and hide what was sent. */
  const get = (path: string, headers: Record<string, string>) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; bytes: Buffer }>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, path: `/api/billing${path}`, headers: { Authorization: 'Bearer cus_demo', ...headers } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }));
        },
      );
      req.on('error', reject);
      req.end();
    });

  it('gzips JSON above 1 KiB for a client that accepts it, with its own tag', async () => {
    const plain = await get('/v1/modules', {});
    assert.ok(plain.bytes.length >= GZIP_THRESHOLD_BYTES, `modules are ${plain.bytes.length} bytes`);
    assert.equal(plain.headers['content-encoding'], undefined);

    const zipped = await get('/v1/modules', { 'Accept-Encoding': 'br, gzip;q=0.8' });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.ok(zipped.bytes.length < plain.bytes.length / 2, `${zipped.bytes.length} of ${plain.bytes.length} bytes`);
    assert.deepEqual(gunzipSync(zipped.bytes), plain.bytes);
    assert.equal(zipped.headers['etag'], String(plain.headers['etag']).replace(/"$/, '-gzip"'));

    const revalidated = await get('/v1/modules', { 'Accept-Encoding': 'gzip', 'If-None-Match': String(zipped.headers['etag']) });
    assert.equal(revalidated.status, 304);
  });

  it('sends small bodies and clients that refuse gzip the JSON as it is', async () => {
    const refused = await get('/v1/modules', { 'Accept-Encoding': 'gzip;q=0, identity' });
    assert.equal(refused.headers['content-encoding'], undefined);
    const small = await get('/v1/payment-methods', { 'Accept-Encoding': 'gzip' });
    assert.ok(small.bytes.length < GZIP_THRESHOLD_BYTES);
    assert.equal(small.headers['content-encoding'], undefined);
  });
});
