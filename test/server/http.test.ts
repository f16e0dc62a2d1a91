import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import { Problem, Subscription } from '../../src/contract/index.js';
import { killCliProcesses, startCli } from '../support/node/cli-process.js';
import { harness } from './helpers.js';

describe('over real HTTP (@hono/node-server)', () => {
  let server: ServerType;
  let base = '';
  before(async () => {
    const { handler } = harness();
    await new Promise<void>((resolve) => {
      server = serve({ fetch: handler, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
        base = `http://127.0.0.1:${info.port}/api/billing`;
        resolve();
      });
    });
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('serves the subscription with its ETag, request id and no-cache', async () => {
    const response = await fetch(`${base}/v1/subscription`, { headers: { Authorization: 'Bearer cus_demo' } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('etag') ?? '', /^"3\+[0-9a-f]{16}-gzip"$/, 'fetch accepts gzip');
    assert.equal(response.headers.get('cache-control'), 'private, no-cache');
    assert.match(response.headers.get('x-request-id') ?? '', /^req_/);
    assert.equal(Subscription.parse(await response.json()).plan.name, 'Pro');
  });

  it('answers problems as application/problem+json', async () => {
    const response = await fetch(`${base}/v1/invoices?limit=abc`, { headers: { Authorization: 'Bearer cus_demo' } });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('content-type'), 'application/problem+json');
    const body = Problem.parse(await response.json());
    assert.deepEqual(body.fieldErrors, [{ field: 'query.limit', message: 'must be a number' }]);
    assert.equal(body.requestId, response.headers.get('x-request-id'));
  });
});

describe('the billing-elements CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'billing-elements-cli-'));
  after(() => {
    killCliProcesses();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the database directory, seeds the demo, serves it, and stops on SIGINT', async () => {
    const db = join(dir, 'nested', 'demo.db');
    const cli = startCli(['serve', '--db', db, '--port', '0', '--seed', 'demo']);
    const url = await cli.url;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/api\/billing$/);
    assert.ok(existsSync(db));
    assert.match(cli.output().stdout, /Seeded the demo customers/);

    const as = async (cookie?: string) => {
      const response = await fetch(`${url}/v1/subscription`, cookie ? { headers: { Cookie: cookie } } : {});
      return { status: response.status, body: (await response.json()) as { plan?: { id: string }; code?: string } };
    };
    assert.equal((await as()).body.plan?.id, 'pro');
    assert.equal((await as('theme=dark; billing_customer=cus_readonly')).body.plan?.id, 'essentiel');
    assert.equal((await as('billing_customer=cus_nosub')).body.code, 'no_subscription');
    // A cookie naming nobody is nobody: it must not fall back to the demo owner.
    const nobody = await as('billing_customer=cus_nobody');
    assert.deepEqual([nobody.status, nobody.body.code], [401, 'unauthenticated']);

    cli.child.kill('SIGINT');
    assert.equal(await cli.exited, 0);
    assert.ok(!existsSync(`${db}-wal`), 'the database was closed cleanly');

    const again = startCli(['serve', '--db', db, '--port', '0', '--seed', 'demo']);
    await again.url;
    assert.match(again.output().stdout, /already there/);
    again.child.kill('SIGTERM');
    assert.equal(await again.exited, 0);
  });

  it('prints its usage on --help and refuses bad arguments', async () => {
    const help = startCli(['--help']);
    assert.equal(await help.exited, 0);
    assert.match(help.output().stdout, /Usage: billing-elements serve --db FILE/);

    for (const args of [['serve'], ['serve', '--db', join(dir, 'x.db'), '--port', 'http'], ['serve', '--nope'], ['launch']]) {
      const bad = startCli(args);
      assert.equal(await bad.exited, 2, args.join(' '));
      assert.match(bad.output().stderr, /billing-elements --help/);
    }
  });
});
