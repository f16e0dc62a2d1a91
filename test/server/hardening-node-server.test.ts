/**
 * The CLI's HTTP server (`createNodeServer`, node-server.ts) with small limits, on loopback:
 * slow clients timed out (408), idle keep-alive connections closed, connections capped,
 * headers capped (431), hosts it does not serve refused (421), a handler that throws
 * answered 500 — every answer of its own a problem document with `X-Request-Id`.
 */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { Problem } from '../../src/contract/index.js';
import { createNodeServer, type NodeServerOptions } from '../../src/server/node-server.js';

const servers = new Set<Server>();
const sockets = new Set<Socket>();
after(() => {
  for (const socket of sockets) socket.destroy();
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
});

async function listen(options: Partial<NodeServerOptions> = {}) {
  const logged: string[] = [];
  const server = createNodeServer({
    fetch: async (request) => {
      if (request.method === 'POST') await request.text();
      if (new URL(request.url).pathname === '/throw') throw new Error('the handler broke');
      return new Response('fine', { headers: { 'Content-Type': 'text/plain' } });
    },
    log: (line) => logged.push(line),
    ...options,
  });
  servers.add(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return { server, port, host: `127.0.0.1:${port}`, logged };
}

interface Exchange {
  /** Everything received, as text. */
  text: string;
  /** Milliseconds from the connection to the server closing it. */
  closedAfter: number;
}

/** Connects, writes `data`, and collects what comes back until the server closes (or `ms` pass: rejects). */
function exchange(port: number, data: string, ms = 5000): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1', () => socket.write(data));
    sockets.add(socket);
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open ${ms} ms; received ${JSON.stringify(text.slice(0, 200))}`));
    }, ms);
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closedAfter: Date.now() - started });
    });
  });
}

/** The first response of `text`: status, lower-cased headers, body. */
function firstResponse(text: string) {
  const end = text.indexOf('\r\n\r\n');
  assert.ok(end > 0, `no response in ${JSON.stringify(text)}`);
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const headers = new Map(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  const length = Number(headers.get('content-length') ?? 0);
  return { status: Number(statusLine.split(' ')[1]), headers, body: text.slice(end + 4, end + 4 + length) };
}

function assertProblem(text: string, status: number): Problem {
  const response = firstResponse(text);
  assert.equal(response.status, status, text);
  assert.equal(response.headers.get('content-type'), 'application/problem+json');
  const body = Problem.parse(JSON.parse(response.body));
  assert.equal(body.status, status);
  assert.match(response.headers.get('x-request-id') ?? '', /^req_[0-9a-f]{32}$/);
  assert.equal(body.requestId, response.headers.get('x-request-id'));
  return body;
}

describe('createNodeServer', () => {
  it('answers headers that do not arrive in time with 408, and closes', async () => {
    const { port, host } = await listen({ limits: { headersTimeout: 300, requestTimeout: 600, connectionsCheckingInterval: 50 } });
    const slow = await exchange(port, `GET / HTTP/1.1\r\nHost: ${host}\r\nX-Still-Typing: a`);
    assertProblem(slow.text, 408);
    assert.ok(slow.closedAfter >= 250 && slow.closedAfter < 2000, `closed after ${slow.closedAfter} ms`);
  });

  it('answers a body that does not arrive in time with 408, and closes', async () => {
    const { port, host } = await listen({ limits: { headersTimeout: 300, requestTimeout: 600, connectionsCheckingInterval: 50 } });
    const slow = await exchange(port, `POST / HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 100\r\n\r\n0123456789`);
    assertProblem(slow.text, 408);
    assert.ok(slow.closedAfter >= 500 && slow.closedAfter < 2500, `closed after ${slow.closedAfter} ms`);
  });

  it('closes an idle keep-alive connection', async () => {
    const { port, host } = await listen({ limits: { keepAliveTimeout: 100, connectionsCheckingInterval: 50 } });
    const idle = await exchange(port, `GET / HTTP/1.1\r\nHost: ${host}\r\n\r\n`, 4000);
    assert.equal(firstResponse(idle.text).status, 200);
    assert.equal(firstResponse(idle.text).body, 'fine');
    // Node adds up to a second to the keep-alive timeout; the default Node server waits 5 s.
    assert.ok(idle.closedAfter < 2500, `closed after ${idle.closedAfter} ms`);
  });

  it('closes connections past maxConnections as they open, and takes new ones once there is room', async () => {
    const { port, host, server } = await listen({ limits: { maxConnections: 2, headersTimeout: 5000, requestTimeout: 10_000 } });
    const held = await Promise.all(
      [1, 2].map(
        () =>
          new Promise<Socket>((resolve) => {
            const socket = connect(port, '127.0.0.1', () => resolve(socket));
            sockets.add(socket);
          }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const third = await exchange(port, `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`, 3000);
    assert.equal(third.text, '', 'the third connection is closed unanswered');
    for (const socket of held) socket.destroy();
    await new Promise<void>((resolve) => {
      const check = () => server.getConnections((_, count) => (count === 0 ? resolve() : setTimeout(check, 20)));
      check();
    });
    const fourth = await exchange(port, `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    assert.equal(firstResponse(fourth.text).status, 200);
  });

  it('answers headers over maxHeaderSize with 431', async () => {
    const { port, host } = await listen({ limits: { maxHeaderSize: 1024 } });
    const big = await exchange(port, `GET / HTTP/1.1\r\nHost: ${host}\r\nX-Filler: ${'a'.repeat(2048)}\r\n\r\n`);
    const body = assertProblem(big.text, 431);
    assert.deepEqual(body.fieldErrors, [{ field: 'header', message: 'request line and headers must be at most 1024 bytes' }]);
    const fits = await exchange(port, `GET / HTTP/1.1\r\nHost: ${host}\r\nX-Filler: ${'a'.repeat(512)}\r\nConnection: close\r\n\r\n`);
    assert.equal(firstResponse(fits.text).status, 200);
  });

  it('refuses a Host or request target it does not serve with 421, before the handler', async () => {
    let reached = 0;
    const allowed = new Set<string>();
    const { port, host } = await listen({
      allowedHosts: () => allowed,
      fetch: async () => {
        reached++;
        return new Response('fine');
      },
    });
    allowed.add(host);
    const refusals = [
      `GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n`,
      `GET http://evil.example/ HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
    ];
    for (const request of refusals) {
      const body = assertProblem((await exchange(port, request)).text, 421);
      assert.deepEqual(body.fieldErrors?.map((e) => e.field), ['header.Host']);
    }
    assert.equal(reached, 0);
    assert.equal(firstResponse((await exchange(port, `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)).text).status, 200);
    assert.equal(reached, 1);
  });

  it('answers a handler that throws with a 500 problem document, and logs one line', async () => {
    const { port, host, logged } = await listen();
    const broken = await exchange(port, `GET /throw HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    const body = assertProblem(broken.text, 500);
    assert.equal(body.code, 'internal');
    assert.doesNotMatch(broken.text, /the handler broke/);
    assert.equal(logged.length, 1);
    assert.equal(logged[0], `billing-elements: request failed (${body.requestId})`);
  });

  it('answers requests Node or the adapter cannot read with 400 problem documents', async () => {
    const { port, host } = await listen();
    for (const request of [
      'NOT HTTP AT ALL\r\n\r\n',
      `GET / HTTP/1.1\r\nHost: ${host}\r\nNo colon here\r\n\r\n`,
      `GET /a\\b HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: [bad\r\nConnection: close\r\n\r\n`,
    ]) {
      assertProblem((await exchange(port, request)).text, 400);
    }
  });
});
