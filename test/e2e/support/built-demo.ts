/**
 * The demo page as a host would ship it: built by Vite for production into a directory of its
 * own, served as static files by a bare `node:http` server with the headers a test chooses,
 * the reference handler mounted at `/api/billing` on a SQLite file of its own, its clock
 * pinned (as `BILLING_DEMO_NOW` pins `npm start`'s). Nothing from Vite's dev server (its
 * client, its injected styles) reaches the page.
 */
import { getRequestListener } from '@hono/node-server';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import assert from 'node:assert/strict';
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';
import { build } from 'vite';
import { chromiumLaunchOptions } from '../../support/chromium.js';
import { demoHostHandler, pinnedDemoEngine } from '../../support/node/reference-handler.js';

/** The demo's clock in these tests, the browser tests' `TEST_NOW`. */
export const DEMO_NOW = '2026-11-26T10:00:00Z';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

export interface BuiltDemo {
  origin: string;
  /**
   * The next request with `method` to a path ending in `pathEnd` (under `/api/billing`) is
   * answered 500 `internal` without reaching the engine: a failure the client does not retry.
   */
  failNext(method: string, pathEnd: string): void;
  close(): Promise<void>;
}

/**
 * Builds the demo (about a second) and serves it; `headers` go on every static file (the
 * handler's answers and hosted pages keep their own).
 */
export async function serveBuiltDemo({ headers = {} }: { headers?: Record<string, string> } = {}): Promise<BuiltDemo> {
  const dir = mkdtempSync(join(tmpdir(), 'billing-demo-build-'));
  const outDir = join(dir, 'dist');
  await build({
    root: 'demo',
    configFile: false,
    logLevel: 'silent',
    publicDir: false,
    // As vite.config.ts: legacy decorators (TOOLCHAIN.md).
    oxc: { decorator: { legacy: true }, assumptions: { setPublicClassFields: true }, typescript: { removeClassFieldsWithoutInitializer: true } },
    build: { outDir, emptyOutDir: true, target: 'es2022' },
  });

  const engine = pinnedDemoEngine(join(dir, 'demo.db'), DEMO_NOW);
  const handler = demoHostHandler(engine, { testMode: true });
  const api = getRequestListener(handler);

  const failures: { method: string; pathEnd: string }[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const failure = failures.findIndex((candidate) => candidate.method === req.method && path.endsWith(candidate.pathEnd));
    if (path.startsWith('/api/billing/') && failure >= 0) {
      failures.splice(failure, 1);
      const problem = { type: 'about:blank', title: 'Internal error', status: 500, code: 'internal', requestId: 'req_e2e_failure', retryable: false };
      res.writeHead(500, { 'Content-Type': 'application/problem+json', 'X-Request-Id': problem.requestId }).end(JSON.stringify(problem));
      return;
    }
    if (path.startsWith('/api/billing/')) return void api(req, res);
    const file = normalize(join(outDir, path === '/' ? 'index.html' : path));
    let body: Buffer;
    try {
      if (!file.startsWith(outDir)) throw new Error('outside the build');
      body = readFileSync(file);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store', ...headers }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    failNext: (method, pathEnd) => void failures.push({ method, pathEnd }),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A new page of `context` on the built demo, failing the test on any page error, once the
 * dashboard shows its verdicts; with the response of the page itself.
 */
export async function openBuiltDemo(context: BrowserContext, demo: BuiltDemo): Promise<{ page: Page; response: Response | null }> {
  const page = await context.newPage();
  page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
  const response = await page.goto(demo.origin);
  await page.locator('billing-dashboard [part="verdict"]').first().waitFor();
  return { page, response };
}

/** Debian's Chromium, as the other end-to-end tests launch it (TOOLCHAIN.md). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions);
}

export interface Violation {
  /** The page it happened on. */
  url: string;
  directive: string;
  blockedURI: string;
  sample: string;
  source: string;
}

/**
 * Every `securitypolicyviolation` on every page of `context`, across navigations (the hosted
 * pages included), and Chromium's console reports of a refused script, style or Trusted Types
 * assignment, in case one comes without the event.
 */
export async function recordViolations(context: BrowserContext): Promise<{ events: Violation[]; console: string[] }> {
  const events: Violation[] = [];
  const console: string[] = [];
  await context.exposeBinding('reportSecurityPolicyViolation', ({ page }, violation: Omit<Violation, 'url'>) => {
    events.push({ url: page.url(), ...violation });
  });
  await context.addInitScript(() => {
    const report = (window as unknown as { reportSecurityPolicyViolation: (violation: unknown) => void }).reportSecurityPolicyViolation;
    document.addEventListener(
      'securitypolicyviolation',
      (event) =>
        report({
          directive: event.effectiveDirective,
          blockedURI: event.blockedURI,
          sample: event.sample,
          source: `${event.sourceFile}:${event.lineNumber}`,
        }),
      true,
    );
  });
  context.on('console', (message) => {
    if (/Content Security Policy|Trusted Type|TrustedHTML|TrustedScript/i.test(message.text())) console.push(message.text());
  });
  return { events, console };
}
