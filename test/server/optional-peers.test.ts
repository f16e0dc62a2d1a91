/**
 * The server's packages (hono, pdf-lib, better-sqlite3, @hono/node-server) are optional peer
 * dependencies: each test runs a child process in which some of them look uninstalled
 * (hide-peers.ts) and checks the one line that says what to install — from importing the
 * handler, creating the reference engine, asking for an invoice PDF, and starting the CLI —
 * and that the client needs none of them. Each case has a control where nothing is hidden.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { hidePeers } from './hide-peers.js';

const ROOT = join(import.meta.dirname, '../..');
const url = (path: string) => pathToFileURL(join(ROOT, path)).href;
const dir = mkdtempSync(join(tmpdir(), 'billing-elements-peers-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], hidden: string[], until?: RegExp): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...hidePeers(hidden, dir), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out: ${stdout}\n${stderr}`));
    }, 120_000);
    const check = () => {
      if (until?.test(stdout + stderr)) child.kill('SIGTERM');
    };
    child.stdout.on('data', (chunk: Buffer) => ((stdout += chunk.toString()), check()));
    child.stderr.on('data', (chunk: Buffer) => ((stderr += chunk.toString()), check()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs `body` (an ES module's text) in a child process; it prints one JSON line, parsed here. */
async function script(name: string, body: string, hidden: string[]): Promise<Record<string, unknown>> {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, body);
  const result = await run([file], hidden);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '') as Record<string, unknown>;
}

const importHandler = `
try {
  const { createBillingHandler } = await import(${JSON.stringify(url('src/server/handler-entry.ts'))});
  console.log(JSON.stringify({ imported: typeof createBillingHandler }));
} catch (error) {
  console.log(JSON.stringify({ name: error.name, message: error.message }));
}`;

const createEngine = `
const { createReferenceEngine } = await import(${JSON.stringify(url('src/server/index.ts'))});
try {
  const engine = createReferenceEngine({ db: ':memory:' });
  console.log(JSON.stringify({ created: typeof engine.getSubscription }));
  engine.close();
} catch (error) {
  console.log(JSON.stringify({ name: error.name, message: error.message }));
}`;

const invoicePdf = `
const { harness } = await import(${JSON.stringify(url('test/server/helpers.ts'))});
const h = harness();
const link = await h.get('/v1/invoices/inv_2026_0005/pdf');
const file = await h.handler(new Request((await link.json()).url));
const type = file.headers.get('Content-Type');
const body = type.includes('json') ? await file.json() : (await file.arrayBuffer()).byteLength;
console.log(JSON.stringify({ link: link.status, status: file.status, type, body, logged: h.logged.map((entry) => entry.message) }));`;

const importClient = `
const client = await import(${JSON.stringify(url('src/client/index.ts'))});
console.log(JSON.stringify({ imported: typeof client.createBillingClient }));`;

const SERVER_PEERS = ['hono', 'pdf-lib', 'better-sqlite3', '@hono/node-server'];

// Each case is its own child processes: they run side by side.
describe('optional peer dependencies of the server', { concurrency: true }, () => {
  it('importing the handler without hono throws one line naming it', async () => {
    const missing = await script('import-handler', importHandler, ['hono']);
    assert.deepEqual(missing, {
      name: 'MissingPeerError',
      message:
        'billing-elements: the billing handler (billing-elements/handler.js and /server.js) needs hono, an optional peer dependency: npm install hono@4',
    });
    assert.deepEqual(await script('import-handler', importHandler, []), { imported: 'function' });
  });

  it('the handler needs neither pdf-lib, better-sqlite3 nor @hono/node-server to load', async () => {
    assert.deepEqual(await script('import-handler', importHandler, ['pdf-lib', 'better-sqlite3', '@hono/node-server']), {
      imported: 'function',
    });
  });

  it('creating the reference engine without better-sqlite3 throws one line naming it', async () => {
    assert.deepEqual(await script('create-engine', createEngine, ['better-sqlite3']), {
      name: 'MissingPeerError',
      message: 'billing-elements: the reference engine needs better-sqlite3, an optional peer dependency: npm install better-sqlite3@12',
    });
    assert.deepEqual(await script('create-engine', createEngine, []), { created: 'function' });
  });

  it('an invoice PDF without pdf-lib is a 503 problem, and the log says what to install', async () => {
    const missing = await script('invoice-pdf', invoicePdf, ['pdf-lib']);
    assert.equal(missing.link, 200, 'the link is made without pdf-lib');
    assert.equal(missing.status, 503);
    assert.equal(missing.type, 'application/problem+json');
    const problem = missing.body as { code: string; detail: string; retryable: boolean };
    assert.equal(problem.code, 'engine_unavailable');
    assert.equal(problem.detail, 'This server cannot do that yet: a package it needs is not installed.');
    assert.deepEqual(missing.logged, ['billing-elements: drawing invoice PDFs needs pdf-lib, an optional peer dependency: npm install pdf-lib@1']);

    const present = await script('invoice-pdf', invoicePdf, []);
    assert.equal(present.status, 200);
    assert.equal(present.type, 'application/pdf');
    assert.ok((present.body as number) > 1000);
    assert.deepEqual(present.logged, []);
  });

  it('the client needs none of the server packages', async () => {
    assert.deepEqual(await script('import-client', importClient, SERVER_PEERS), { imported: 'function' });
  });

  describe('billing-elements serve', { concurrency: true }, () => {
    const cli = (hidden: string[], until?: RegExp) =>
      run([join(ROOT, 'src/cli/index.ts'), 'serve', '--db', join(dir, `cli-${hidden.join('-') || 'all'}.db`), '--port', '0'], hidden, until);

    it('without hono: one line naming it, exit code 1', async () => {
      const result = await cli(['hono']);
      assert.equal(result.code, 1, result.stderr);
      assert.equal(result.stderr, 'billing-elements: the CLI needs hono, an optional peer dependency: npm install hono@4\n');
    });

    it('without pdf-lib: serves, and says in one line that invoice PDFs need it', async () => {
      const result = await cli(['pdf-lib'], /answered 503\)\n/);
      assert.match(result.stdout, /^billing-elements: serving http:\/\/127\.0\.0\.1:\d+\/api\/billing from /);
      assert.equal(
        result.stderr,
        'billing-elements: invoice PDFs need pdf-lib, an optional peer dependency: npm install pdf-lib@1 (until then they are answered 503)\n',
      );
      const control = await cli([], /serving http/);
      assert.equal(control.stderr, '');
    });
  });
});
