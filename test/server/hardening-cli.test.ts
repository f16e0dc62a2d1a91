/**
 * `billing-elements serve` as a process, reached over loopback with raw HTTP: what it binds
 * to, the hosts it answers (DNS rebinding), what its Node server answers to requests the
 * handler never sees (too-large headers, unparsable requests, odd paths), bodies refused as
 * they stream, an upload the client abandons, the customer cookie, `--public-origin`, and
 * the one-line start errors (a read-only database, a missing optional peer).
 *
 * Every process started is killed after the suite, whatever the assertions did.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { Problem } from '../../src/contract/index.js';
import { killCliProcesses, startCli, type CliProcess } from '../support/node/cli-process.js';
import { hidePeers } from './hide-peers.js';

const dir = mkdtempSync(join(tmpdir(), 'billing-elements-hardening-'));

after(() => {
  killCliProcesses();
  rmSync(dir, { recursive: true, force: true });
});

/** Resolves when `condition` holds, checking every 20 ms; rejects after `ms`. */
async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface RawResponse {
  status: number;
  headers: Map<string, string>;
  body: string;
}

/** Parses one HTTP/1.1 response from `text`, or `null` while it is incomplete. */
function parseResponse(text: string): RawResponse | null {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const headers = new Map(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  const length = Number(headers.get('content-length') ?? 0);
  const body = text.slice(end + 4);
  if (Buffer.byteLength(body) < length) return null;
  return { status: Number(statusLine.split(' ')[1]), headers, body: body.slice(0, length) };
}

/**
 * Sends `head` (and then whatever `feed` writes) on a fresh connection to 127.0.0.1:`port`
 * and resolves with the first response, complete; rejects after `ms` without one.
 */
function rawRequest(port: number, head: string, { ms = 8000, feed }: { ms?: number; feed?: (write: (data: string) => boolean) => void } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let done = false;
    const finish = (error: Error | null, response?: RawResponse) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(response!);
    };
    const timer = setTimeout(() => finish(new Error(`no response within ${ms} ms; received ${JSON.stringify(received.slice(0, 200))}`)), ms);
    socket.on('connect', () => {
      socket.write(head);
      feed?.((data) => !done && !socket.destroyed && socket.write(data));
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const response = parseResponse(received);
      if (response) finish(null, response);
    });
    socket.on('error', (error) => {
      // A server that answered then closed may reset what we were still sending.
      const response = parseResponse(received);
      finish(response ? null : error, response ?? undefined);
    });
    socket.on('close', () => {
      const response = parseResponse(received);
      finish(response ? null : new Error(`closed without a response: ${JSON.stringify(received.slice(0, 200))}`), response ?? undefined);
    });
  });
}

/** Checks a raw response is a problem document with `status` whose requestId is its X-Request-Id. */
function assertProblem(response: RawResponse, status: number): Problem {
  assert.equal(response.status, status, response.body);
  assert.equal(response.headers.get('content-type'), 'application/problem+json');
  const requestId = response.headers.get('x-request-id');
  assert.match(requestId ?? '', /^req_[0-9a-f]{32}$/);
  const body = Problem.parse(JSON.parse(response.body));
  assert.equal(body.status, status);
  assert.equal(body.requestId, requestId);
  return body;
}

const portOf = (url: string) => Number(new URL(url).port);
const get = (path: string, host: string, extra = '') => `GET ${path} HTTP/1.1\r\nHost: ${host}\r\n${extra}Connection: close\r\n\r\n`;

describe('billing-elements serve, over loopback', () => {
  let cli: CliProcess;
  let port = 0;
  let host = '';
  before(async () => {
    cli = startCli(['serve', '--db', join(dir, 'serve.db'), '--port', '0', '--seed', 'demo']);
    const url = await cli.url;
    port = portOf(url);
    host = `127.0.0.1:${port}`;
  });

  it('listens on 127.0.0.1 by default, and on no other interface', async () => {
    assert.match(await cli.url, /^http:\/\/127\.0\.0\.1:\d+\/api\/billing$/);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && !address.internal && address.family === 'IPv4');
    if (!external) return; // no other interface on this machine: nothing more to show
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(port, external.address);
      socket.on('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    assert.equal(refused, 'ECONNREFUSED');
  });

  it('answers the hosts it serves, and refuses any other Host with 421 (DNS rebinding)', async () => {
    for (const served of [host, `localhost:${port}`]) {
      const response = await rawRequest(port, get('/api/billing/v1/plans', served));
      assert.equal(response.status, 200, `${served}: ${response.body}`);
    }
    for (const other of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, 'localhost', `127.0.0.1.evil.example:${port}`]) {
      const response = await rawRequest(port, get('/api/billing/v1/plans', other));
      const body = assertProblem(response, 421);
      assert.deepEqual(body.fieldErrors?.map((e) => e.field), ['header.Host'], other);
      assert.ok(!response.body.includes('"data"'), other);
    }
    // An absolute request target naming another host is refused too, whatever Host says.
    assertProblem(await rawRequest(port, get('http://evil.example/api/billing/v1/plans', host)), 421);
    // No Host at all: a problem document, never the plans.
    const bare = await rawRequest(port, 'GET /api/billing/v1/plans HTTP/1.0\r\n\r\n');
    assert.ok(bare.status === 400 || bare.status === 421, String(bare.status));
    assertProblem(bare, bare.status);
  });

  it('answers what never reaches the handler as problem documents with X-Request-Id', async () => {
    const big = await rawRequest(port, `GET /api/billing/v1/plans HTTP/1.1\r\nHost: ${host}\r\nX-Filler: ${'a'.repeat(20 * 1024)}\r\n\r\n`);
    const tooLarge = assertProblem(big, 431);
    assert.deepEqual(tooLarge.fieldErrors?.map((e) => e.field), ['header']);
    assertProblem(await rawRequest(port, 'GARBAGE\r\n\r\n'), 400);
    assertProblem(await rawRequest(port, `GET /api/billing/v1/plans HTTP/1.1\r\nHost: ${host}\r\nBad Header\r\n\r\n`), 400);
    assertProblem(await rawRequest(port, get('/api/billing\\v1\\plans', host)), 400);
    assertProblem(await rawRequest(port, get('/api/billing/v1/nothing-here', host)), 404);
    assertProblem(await rawRequest(port, get('/elsewhere', host)), 404);
  });

  it('refuses a declared Content-Length over 64 KiB at once, before any of the body is sent', async () => {
    const head =
      `POST /api/billing/v1/subscription/changes/preview HTTP/1.1\r\nHost: ${host}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${10 * 1024 * 1024}\r\n\r\n`;
    const body = assertProblem(await rawRequest(port, head, { ms: 5000 }), 413);
    assert.deepEqual(body.fieldErrors, [{ field: 'body', message: 'must be at most 65536 bytes' }]);
  });

  it('refuses a chunked body as soon as it passes 64 KiB, while the client is still sending', async () => {
    const head =
      `POST /api/billing/v1/subscription/changes/preview HTTP/1.1\r\nHost: ${host}\r\n` +
      'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
    let sent = 0;
    const response = await rawRequest(port, head, {
      ms: 8000,
      feed: (write) => {
        const chunk = ' '.repeat(8 * 1024);
        const timer = setInterval(() => {
          // Never the last chunk: only an answer given mid-stream can end this.
          if (sent >= 4 * 1024 * 1024 || !write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`)) clearInterval(timer);
          else sent += chunk.length;
        }, 2);
      },
    });
    assertProblem(response, 413);
    assert.ok(sent < 4 * 1024 * 1024, `answered only after ${sent} bytes`);
  });

  it('logs an upload the client abandoned as one line, without a stack', async () => {
    const from = cli.output().stderr.length;
    await new Promise<void>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          `POST /api/billing/v1/subscription/changes/preview HTTP/1.1\r\nHost: ${host}\r\n` +
            'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"timing":',
        );
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 200);
      });
      socket.on('error', reject);
    });
    await until(() => /could not be read/.test(cli.output().stderr.slice(from)), 5000, 'the log line');
    // Whatever else arrives comes now.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const lines = cli.output().stderr.slice(from).trimEnd().split('\n');
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0]!, /^billing-elements: .*request body could not be read/);
  });

  it('answers a billing_customer cookie naming nobody, or empty, with 401', async () => {
    for (const cookie of ['billing_customer=cus_nobody', 'billing_customer=', 'theme=dark; billing_customer']) {
      const response = await rawRequest(port, get('/api/billing/v1/subscription', host, `Cookie: ${cookie}\r\n`));
      const body = assertProblem(response, 401);
      assert.equal(body.code, 'unauthenticated', cookie);
    }
    assert.equal((await rawRequest(port, get('/api/billing/v1/subscription', host))).status, 200);
  });

  it('makes links on the loopback origin the request came to, without --public-origin', async () => {
    const body = JSON.stringify({ returnUrl: '/account' });
    const setup = (served: string) =>
      rawRequest(
        port,
        `POST /api/billing/v1/payment-methods/setup HTTP/1.1\r\nHost: ${served}\r\nContent-Type: application/json\r\n` +
          `Idempotency-Key: cli-setup-${served}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      );
    for (const served of [host, `localhost:${port}`]) {
      const response = await setup(served);
      assert.equal(response.status, 200, response.body);
      assert.ok((JSON.parse(response.body) as { url: string }).url.startsWith(`http://${served}/api/billing/v1/payment-methods/setup/`));
    }
  });
});

describe('billing-elements serve --public-origin', () => {
  const PUBLIC = 'https://billing.example.com';
  let cli: CliProcess;
  let port = 0;
  before(async () => {
    cli = startCli(['serve', '--db', join(dir, 'public.db'), '--port', '0', '--seed', 'demo', '--public-origin', `${PUBLIC}/`]);
    port = portOf(await cli.url);
  });

  it('says which public origin it serves, and answers it and loopback, nothing else', async () => {
    assert.match(cli.output().stdout, /public origin https:\/\/billing\.example\.com/);
    for (const served of ['billing.example.com', `127.0.0.1:${port}`]) {
      assert.equal((await rawRequest(port, get('/api/billing/v1/plans', served))).status, 200, served);
    }
    for (const other of ['evil.example', 'billing.example.com:8443', 'billing.example.com.evil.example']) {
      assertProblem(await rawRequest(port, get('/api/billing/v1/plans', other)), 421);
    }
  });

  it('makes every link on the public origin, whichever served host was asked', async () => {
    const body = JSON.stringify({ returnUrl: '/account' });
    for (const served of ['billing.example.com', `127.0.0.1:${port}`]) {
      const response = await rawRequest(
        port,
        `POST /api/billing/v1/payment-methods/setup HTTP/1.1\r\nHost: ${served}\r\nContent-Type: application/json\r\n` +
          `Idempotency-Key: public-${served}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      );
      assert.equal(response.status, 200, response.body);
      assert.ok((JSON.parse(response.body) as { url: string }).url.startsWith(`${PUBLIC}/api/billing/v1/payment-methods/setup/`), response.body);
    }
  });
});

describe('billing-elements serve: arguments and start errors', () => {
  /** stderr of a CLI that exited: one line, no stack. */
  const oneLine = (cli: CliProcess) => {
    const lines = cli.output().stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, cli.output().stderr);
    assert.doesNotMatch(cli.output().stderr, /^\s+at /m);
    return lines[0]!;
  };

  it('refuses a non-loopback --host without --public-origin (exit 2), before binding anything', async () => {
    // 192.0.2.1 (TEST-NET-1) is on no interface: a CLI that tried to listen there would exit 1.
    const cli = startCli(['serve', '--db', join(dir, 'exposed.db'), '--port', '0', '--host', '192.0.2.1']);
    assert.equal(await cli.exited, 2, cli.output().stderr);
    assert.match(cli.output().stderr, /--host 192\.0\.2\.1 is not a loopback address: pass --public-origin/);
    assert.equal(cli.output().stdout, '');
  });

  it('takes a non-loopback --host with --public-origin (it then fails only to listen there), and refuses an origin that is not one', async () => {
    const cli = startCli(['serve', '--db', join(dir, 'exposed.db'), '--port', '0', '--host', '192.0.2.1', '--public-origin', 'https://billing.example.com']);
    assert.equal(await cli.exited, 1, cli.output().stderr);
    assert.match(oneLine(cli), /^billing-elements: listen EADDRNOTAVAIL/);
    const bad = startCli(['serve', '--db', join(dir, 'exposed.db'), '--public-origin', 'https://billing.example.com/path']);
    assert.equal(await bad.exited, 2);
    assert.match(bad.output().stderr, /--public-origin .* is not an origin/);
  });

  it('says in one line that it cannot write a read-only database, and exits 1', async () => {
    const folder = join(dir, 'read-only');
    const file = join(folder, 'billing.db');
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder);
    const db = new BetterSqlite3(file);
    db.exec('CREATE TABLE placeholder (id INTEGER)');
    db.close();
    chmodSync(file, 0o444);
    chmodSync(folder, 0o555);
    chmodSync(dir, 0o755); // mkdtemp's 0700 would hide the folder from another user
    // root writes through file modes: run the CLI as nobody then.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const cli = startCli(['serve', '--db', file, '--port', '0'], { spawnOptions: asNobody });
    try {
      assert.equal(await cli.exited, 1, cli.output().stderr);
      assert.match(oneLine(cli), /^billing-elements: cannot use the database .*billing\.db: .*readonly/);
    } finally {
      chmodSync(folder, 0o755);
    }
  });

  it('says in one line that it cannot make the database folder, and exits 1 (a folder under /proc)', { timeout: 30_000 }, async () => {
    // Node's recursive mkdir never returns for this path: the CLI would spin instead of exiting.
    const cli = startCli(['serve', '--db', '/proc/billing-elements-nowhere/billing.db', '--port', '0']);
    assert.equal(await cli.exited, 1, cli.output().stderr);
    assert.match(oneLine(cli), /^billing-elements: cannot use the database \/proc\/billing-elements-nowhere\/billing\.db: ENOENT/);
  });

  it('says in one line which optional peer is missing, and exits 1; --help needs none', async () => {
    const hide = (peers: string[]) => hidePeers(peers, dir);
    const noSqlite = startCli(['serve', '--db', join(dir, 'peer.db'), '--port', '0'], { nodeArgs: hide(['better-sqlite3']) });
    const noServer = startCli(['serve', '--db', join(dir, 'peer.db'), '--port', '0'], { nodeArgs: hide(['@hono/node-server']) });
    const help = startCli(['--help'], { nodeArgs: hide(['better-sqlite3', '@hono/node-server']) });
    assert.equal(await noSqlite.exited, 1, noSqlite.output().stderr);
    assert.match(oneLine(noSqlite), /^billing-elements: the CLI needs better-sqlite3, an optional peer dependency: npm install better-sqlite3@12$/);
    assert.equal(await noServer.exited, 1, noServer.output().stderr);
    assert.match(oneLine(noServer), /^billing-elements: the CLI needs @hono\/node-server, an optional peer dependency: npm install @hono\/node-server@1$/);
    assert.equal(await help.exited, 0, help.output().stderr);
    assert.match(help.output().stdout, /--public-origin URL/);
  });
});
