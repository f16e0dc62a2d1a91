#!/usr/bin/env node
/**
 * `billing-elements serve`: the contract served over HTTP from the SQLite reference engine,
 * for demos, Storybook and developing a host against a real endpoint.
 *
 * What it needs — `hono`, `@hono/node-server` and `better-sqlite3`, optional peer
 * dependencies (peer.ts) — is imported when it starts serving, so a missing one is a one-line
 * message and exit code 1, as is a database it cannot open or write; usage errors exit with 2.
 * Without `pdf-lib` it serves, says so in one line, and answers invoice PDFs with 503.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Logger } from './handler.js';
import type { ResolvedCustomer } from './identity.js';
import { isLoopbackHost, normaliseOrigin } from './origin.js';
import { isMissingPeer, PEERS, type Peer } from './peer.js';

/** The seeded demo owner (seed.ts), named here so that `--help` needs no optional peer. */
const DEMO_CUSTOMER = 'cus_demo';

const HELP = `Usage: billing-elements serve --db FILE [options]

Serves the billing endpoint contract from the SQLite reference engine.

Options:
  --db FILE              SQLite database, created with its directory if missing
  --port N               port to listen on (default 8787; 0 picks a free one)
  --host ADDRESS         address to listen on (default 127.0.0.1)
  --public-origin URL    the origin browsers reach this server at, e.g. https://billing.example.com;
                         required when --host is not a loopback address
  --base-path PATH       where the endpoint is mounted (default /api/billing)
  --seed demo            add the demo customers unless they are there already
  --test-mode            test cards that decline at renewal, POST /v1/test/period-end (demos only)
  -h, --help             show this help

Every request is answered as the demo customer (${DEMO_CUSTOMER}) unless a
billing_customer cookie names another customer of the database, e.g.
  document.cookie = 'billing_customer=cus_readonly'
(a cookie naming no customer is answered 401). This is a demo convenience, not
authentication: never expose this server. It answers only the hosts it serves
(localhost, 127.0.0.1, [::1] on its port, and the --public-origin host).`;

/** Wrong arguments: exit code 2. */
class UsageError extends Error {}
/** The server cannot start (a missing peer, a database it cannot open or write): exit code 1. */
class StartError extends Error {}

function cookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('Cookie') ?? '').split(';')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === name) return value ?? '';
  }
  return undefined;
}

/**
 * Demo only: the customer is whoever the `billing_customer` cookie names, so one browser can
 * switch between the seeded customers; no cookie is the demo owner, a cookie naming nobody is
 * nobody (401). A real host resolves the customer from its own session.
 */
function demoCustomerResolver(
  engine: { hasCustomer(customer: string): Promise<boolean> },
  identity: (customer: string) => ResolvedCustomer,
) {
  return async (request: Request) => {
    const named = cookie(request, 'billing_customer');
    if (named === undefined) return identity(DEMO_CUSTOMER);
    return named !== '' && (await engine.hasCustomer(named)) ? identity(named) : null;
  };
}

function parseServeOptions(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: 'string' },
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      'public-origin': { type: 'string' },
      'base-path': { type: 'string', default: '/api/billing' },
      seed: { type: 'string' },
      'test-mode': { type: 'boolean', default: false },
    },
  });
  if (!values.db) throw new UsageError('--db is required.');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${values.port} is not a port.`);
  if (values.seed !== undefined && values.seed !== 'demo') throw new UsageError(`--seed ${values.seed}: only "demo" exists.`);
  if (!values['base-path'].startsWith('/')) throw new UsageError('--base-path must start with "/".');
  let publicOrigin: string | undefined;
  if (values['public-origin'] !== undefined) {
    try {
      publicOrigin = normaliseOrigin(values['public-origin']);
    } catch {
      throw new UsageError(`--public-origin ${values['public-origin']} is not an origin (scheme, host and port, e.g. https://billing.example.com).`);
    }
  }
  if (!isLoopbackHost(values.host) && publicOrigin === undefined) {
    throw new UsageError(
      `--host ${values.host} is not a loopback address: pass --public-origin, the origin browsers reach this server at (e.g. https://billing.example.com).`,
    );
  }
  return {
    db: values.db,
    port,
    host: values.host,
    publicOrigin,
    basePath: values['base-path'],
    seed: values.seed === 'demo',
    testMode: values['test-mode'],
  };
}

function missingPeer(peer: Peer): StartError {
  return new StartError(`the CLI needs ${peer}, an optional peer dependency: npm install ${PEERS[peer]}`);
}

/** A module an optional peer provides, or a `StartError` saying how to install it. */
async function load<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isMissingPeer(error)) throw missingPeer(error.peer);
    const message = error instanceof Error ? error.message : String(error);
    const peer = /(@hono\/node-server|better-sqlite3|hono)/.exec(message)?.[1] as Peer | undefined;
    if (peer && (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') throw missingPeer(peer);
    if (peer) throw new StartError(`${peer} could not be loaded: ${firstLine(message)}`);
    throw error;
  }
}

/** Whether pdf-lib can be found, without loading it (the reference engine loads it with the first PDF). */
function hasPdfLib(): boolean {
  try {
    import.meta.resolve('pdf-lib');
    return true;
  } catch {
    return false;
  }
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}

/** Log lines on one line each; the stack only of what is a bug (an `error` in the details). */
const lineLogger: Logger = {
  error(message, details) {
    const { error, ...rest } = details;
    const fields = Object.entries(rest)
      .filter(([, value]) => value === null || ['string', 'number', 'boolean'].includes(typeof value))
      .map(([key, value]) => `${key}=${String(value)}`);
    console.error([message, ...fields].join(' '));
    if (error !== undefined) console.error(error);
  },
};

/** The `host:port`s this server answers (see node-server.ts): loopback names on its port, and the public origin's. */
function servedHosts(address: AddressInfo, bound: string, publicOrigin: string | undefined): Set<string> {
  const port = address.port;
  const names = ['localhost', '127.0.0.1', '[::1]'];
  if (isLoopbackHost(bound)) names.push(bound.includes(':') && !bound.startsWith('[') ? `[${bound}]` : bound);
  const hosts = new Set(names.flatMap((name) => [`${name.toLowerCase()}:${port}`, ...(port === 80 ? [name.toLowerCase()] : [])]));
  if (publicOrigin !== undefined) hosts.add(new URL(publicOrigin).host.toLowerCase());
  return hosts;
}

async function runServe(args: string[]): Promise<void> {
  const options = parseServeOptions(args);
  const { createBillingHandler } = await load(() => import('./handler.js'));
  const { createNodeServer } = await load(() => import('./node-server.js'));
  const { createReferenceEngine } = await load(() => import('./reference/reference-engine.js'));
  const { seedDemo, demoIdentity } = await load(() => import('./reference/seed.js'));

  const dbPath = options.db === ':memory:' ? options.db : resolve(options.db);
  let engine: ReturnType<typeof createReferenceEngine>;
  try {
    if (dbPath !== ':memory:') mkdirSync(dirname(dbPath), { recursive: true });
    engine = createReferenceEngine({ db: dbPath });
    if (options.seed) {
      console.log(seedDemo(engine) ? 'Seeded the demo customers.' : 'The demo customers are already there.');
    }
  } catch (error) {
    if (isMissingPeer(error)) throw missingPeer(error.peer);
    const code = (error as { code?: unknown }).code;
    const why = error instanceof Error ? firstLine(error.message) : String(error);
    const hint = code === 'SQLITE_READONLY' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? ' (check its permissions, or pass another --db)' : '';
    throw new StartError(`cannot use the database ${dbPath}: ${why}${hint}`);
  }

  const handler = createBillingHandler({
    engine,
    idempotencyStore: engine.idempotencyStore,
    // PDF links and hosted test page sessions outlive a restart of the CLI.
    signingSecret: engine.signingSecret,
    setupSessionStore: engine.setupSessionStore,
    resolveCustomer: demoCustomerResolver(engine, demoIdentity),
    basePath: options.basePath,
    testMode: options.testMode,
    logger: lineLogger,
    ...(options.publicOrigin ? { publicOrigin: options.publicOrigin } : {}),
  });
  let hosts = new Set<string>();
  const server: Server = createNodeServer({ fetch: handler, allowedHosts: () => hosts, log: (line, error) => lineLogger.error(line, { error }) });
  server.on('error', (error) => {
    console.error(`billing-elements: ${error.message}`);
    engine.close();
    process.exit(1);
  });
  server.listen(options.port, options.host, () => {
    const address = server.address() as AddressInfo;
    hosts = servedHosts(address, options.host, options.publicOrigin);
    const host = address.address.includes(':') ? `[${address.address}]` : address.address;
    const publicNote = options.publicOrigin ? ` (public origin ${options.publicOrigin})` : '';
    console.log(`billing-elements: serving http://${host}:${address.port}${options.basePath} from ${dbPath}${publicNote}`);
    if (!hasPdfLib()) {
      console.error(`billing-elements: invoice PDFs need pdf-lib, an optional peer dependency: npm install ${PEERS['pdf-lib']} (until then they are answered 503)`);
    }
  });
  const stop = () => {
    // close() waits for requests in flight, then the database is closed cleanly (WAL checkpoint).
    server.close(() => {
      engine.close();
      process.exit(0);
    });
    // Idle keep-alive connections would hold close() until they time out.
    server.closeIdleConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    console.log(HELP);
    return;
  }
  if (command !== 'serve') throw new UsageError(`Unknown command "${command}".`);
  if (rest.includes('-h') || rest.includes('--help')) {
    console.log(HELP);
    return;
  }
  await runServe(rest);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof StartError) {
    console.error(`billing-elements: ${error.message}`);
    process.exit(1);
  }
  // parseArgs reports unknown or malformed options with a TypeError carrying a code.
  const usageProblem = error instanceof UsageError || (error instanceof TypeError && 'code' in error);
  if (!usageProblem) throw error;
  console.error(`billing-elements: ${error.message}\nRun "billing-elements --help" for usage.`);
  process.exit(2);
});
