/**
 * Billing servers in processes of their own on one SQLite file (`server-process.ts`), for the
 * tests of what several processes, and a process killed mid-write, do to the database.
 * Loopback only. Also: a temporary folder per test, demo customers cloned for tests that need
 * many, the same handler in this process, and requests as the tests send them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Database } from 'better-sqlite3';
import { build } from 'esbuild';
import { DEMO_CUSTOMER_ID, type BillingHandlerOptions, type ReferenceEngine } from '../../../src/server/index.js';
import { referenceHandler } from './reference-handler.js';

const here = fileURLToPath(new URL('.', import.meta.url));
/** Inside the project's node_modules, so that the bundles' package imports resolve. */
const bundles = fileURLToPath(new URL('../../../node_modules/.cache/billing-elements-tests/', import.meta.url));
const built = new Map<string, Promise<string>>();

/**
 * `script` (a file of this folder) bundled with our sources into one JavaScript file, packages
 * left as imports: a child process then starts in a fraction of the time `--import tsx` takes,
 * which matters when a test starts many. Built once per test process, removed when it exits.
 */
function bundled(script: string): Promise<string> {
  let output = built.get(script);
  if (!output) {
    const outfile = join(bundles, `${basename(script, '.ts')}-${process.pid}.mjs`);
    output = build({
      entryPoints: [join(here, script)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'error',
    }).then(() => {
      process.once('exit', () => rmSync(outfile, { force: true }));
      return outfile;
    });
    built.set(script, output);
  }
  return output;
}

/** Runs `script` (a file of this folder) with `args` in a Node process, with pipes on stdin, stdout and stderr. */
export async function spawnScript(script: string, args: string[]): Promise<ChildProcess> {
  return spawn(process.execPath, [await bundled(script), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
}

/** A folder under the system's temporary one, removed by `dispose`. */
export function temporaryFolder(prefix: string): { path: string; file(name: string): string; dispose(): void } {
  const path = mkdtempSync(join(tmpdir(), `billing-${prefix}-`));
  return { path, file: (name) => join(path, name), dispose: () => rmSync(path, { recursive: true, force: true }) };
}

export interface ServerProcess {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly pid: number;
  /** What it logged (stderr), one entry per line. */
  readonly logged: string[];
  /** Sends `signal` and resolves once the process is gone. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

const START_TIMEOUT_MS = 20_000;

/** Starts `server-process.ts` on `file` with its clock at `now`; resolves once it listens. */
export async function startServerProcess(file: string, now: Date): Promise<ServerProcess> {
  const child = await spawnScript('server-process.ts', [file, now.toISOString()]);
  const logged: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => logged.push(line));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server-process.ts did not start: ${logged.join('\n')}`)), START_TIMEOUT_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server-process.ts exited (${code ?? signal}) before listening: ${logged.join('\n')}`));
    });
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { port: number }).port);
    });
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    logged,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export interface SendOptions {
  customer?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A request to a billing endpoint mounted at the root of `origin`, as `customer` (a bearer token). */
export function billingRequest(
  origin: string,
  method: string,
  path: string,
  { customer = DEMO_CUSTOMER_ID, body, headers = {} }: SendOptions = {},
): Request {
  return new Request(origin + path, {
    method,
    headers: {
      Authorization: `Bearer ${customer}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** The same, sent over HTTP (to a server process). */
export const send = (origin: string, method: string, path: string, options?: SendOptions): Promise<Response> =>
  fetch(billingRequest(origin, method, path, options));

/**
 * Adds customers like the demo one (`cus_demo`): the same subscription (plan, modules, period,
 * version) and a copy of its default card, no invoices. For tests that need many customers
 * in the same position.
 */
export function cloneDemoCustomer(db: Database, ids: readonly string[]): void {
  const copy = db.transaction((id: string) => {
    const sub = `sub_${id}`;
    db.prepare(`
      INSERT INTO customers (id, name, email, locale, currency, created_at, address, credit_balance_minor)
      SELECT ?, name, email, locale, currency, created_at, address, credit_balance_minor FROM customers WHERE id = ?`).run(
      id,
      DEMO_CUSTOMER_ID,
    );
    db.prepare(`
      INSERT INTO subscriptions (id, customer_id, plan_id, interval, status, started_at, billing_anchor,
        current_period_start, current_period_end, trial_end, version)
      SELECT ?, ?, plan_id, interval, status, started_at, billing_anchor, current_period_start, current_period_end,
        trial_end, version FROM subscriptions WHERE customer_id = ?`).run(sub, id, DEMO_CUSTOMER_ID);
    db.prepare(`
      INSERT INTO subscription_modules (subscription_id, module_id, activated_at)
      SELECT ?, sm.module_id, sm.activated_at FROM subscription_modules sm
      JOIN subscriptions s ON s.id = sm.subscription_id WHERE s.customer_id = ?`).run(sub, DEMO_CUSTOMER_ID);
    db.prepare(`
      INSERT INTO payment_methods (id, customer_id, type, is_default, card_brand, card_last4, card_exp_month, card_exp_year,
        label, created_at)
      SELECT 'pm_' || ?, ?, type, is_default, card_brand, card_last4, card_exp_month, card_exp_year, label, created_at
      FROM payment_methods WHERE customer_id = ? AND is_default = 1`).run(id, id, DEMO_CUSTOMER_ID);
  });
  for (const id of ids) copy.immediate(id);
}

export interface LocalServer {
  send(method: string, path: string, options?: SendOptions): Promise<Response>;
  /** What the handler logged. */
  logged: { message: string; details: Record<string, unknown> }[];
}

/**
 * The handler in this process, set up as `server-process.ts` sets it up (the engine's stores,
 * bearer customers, the engine's clock), called as a function on a loopback URL. `options`
 * replace any of that (e.g. `idempotencyStore` for the in-memory default).
 */
export function localServer(engine: ReferenceEngine, options: Partial<BillingHandlerOptions> = {}): LocalServer {
  const logged: LocalServer['logged'] = [];
  const handler = referenceHandler(engine, {
    now: () => engine.clock.now().getTime(),
    logger: { error: (message, details) => logged.push({ message, details }) },
    ...options,
  });
  return { send: (method, path, sent) => handler(billingRequest('http://127.0.0.1', method, path, sent)), logged };
}
