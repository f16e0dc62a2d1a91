#!/usr/bin/env node
/**
 * `billing-elements serve`: the contract served over HTTP from the SQLite reference engine,
 * for demos, Storybook and developing a host against a real endpoint — or, with
 * `--engine stripe`, from a Stripe account (`STRIPE_SECRET_KEY`). `billing-elements
 * stripe-setup`: creates a catalog's Products and Prices in a Stripe account and prints the
 * `StripeCatalog` naming them.
 *
 * What it needs — `hono`, `@hono/node-server` and `better-sqlite3`, optional peer
 * dependencies (src/server/peer.ts) — is imported when it starts serving, so a missing one is a one-line
 * message and exit code 1, as is a database it cannot open or write; usage errors exit with 2.
 * Without `pdf-lib` it serves, says so in one line, and answers invoice PDFs with 503.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type StripeSdk from 'stripe';
import type { Logger } from '../server/handler.js';
import type { createNodeServer as CreateNodeServer } from '../server/node-server.js';
import type { ResolvedCustomer } from '../server/identity.js';
import { isLoopbackHost, normaliseOrigin } from '../server/origin.js';
import { isMissingPeer, PEERS, type Peer } from '../server/peer.js';

/** The seeded demo owner (seed.ts), named here so that `--help` needs no optional peer. */
const DEMO_CUSTOMER = 'cus_demo';

const HELP = `Usage: billing-elements serve --db FILE [options]
       billing-elements serve --engine stripe --stripe-catalog FILE [--customer ID] [options]
       billing-elements stripe-setup [--catalog FILE] [--out FILE]

serve: serves the billing endpoint contract from the SQLite reference engine,
or from a Stripe account with --engine stripe.

Options:
  --db FILE              SQLite database, created with its directory if missing
  --port N               port to listen on (default 8787; 0 picks a free one)
  --host ADDRESS         address to listen on (default 127.0.0.1)
  --public-origin URL    the origin browsers reach this server at, e.g. https://billing.example.com;
                         required when --host is not a loopback address
  --base-path PATH       where the endpoint is mounted (default /api/billing)
  --seed demo            add the demo customers unless they are there already
  --test-mode            test cards that decline at renewal, POST /v1/test/period-end (demos only)
  --engine NAME          reference (default) or stripe
  -h, --help             show this help

Every request is answered as the demo customer (${DEMO_CUSTOMER}) unless a
billing_customer cookie names another customer of the database, e.g.
  document.cookie = 'billing_customer=cus_readonly'
(a cookie naming no customer is answered 401). This is a demo convenience, not
authentication: never expose this server. It answers only the hosts it serves
(localhost, 127.0.0.1, [::1] on its port, and the --public-origin host).

With --engine stripe (the secret key in STRIPE_SECRET_KEY, never on the command line):
  --stripe-catalog FILE  the StripeCatalog JSON that stripe-setup wrote (required)
  --customer ID          the Stripe customer (cus_...) a request without a
                         billing_customer cookie is answered as (default: none, 401)
  --live                 accept a live-mode key (sk_live_...); test-mode keys only otherwise
--db, --seed and --test-mode are the reference engine's: Stripe holds the data.

stripe-setup: creates in the Stripe account of STRIPE_SECRET_KEY the Products and
monthly and yearly Prices of a catalog, finding what a previous run created
(Products by metadata, Prices by lookup key), and prints the StripeCatalog JSON.
  --catalog FILE         the catalog JSON (default: the demo catalog of --seed demo)
  --language TAG         the demo catalog's names in this language (default: its own, fr)
  --out FILE             write the StripeCatalog JSON there instead of printing it
  --dry-run              only read the account and say what would be created or updated
  --live                 accept a live-mode key (sk_live_...)`;

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

interface ListenOptions {
  port: number;
  host: string;
  publicOrigin: string | undefined;
  basePath: string;
}

type ServeOptions =
  | (ListenOptions & { engine: 'reference'; db: string; seed: boolean; testMode: boolean })
  | (ListenOptions & { engine: 'stripe'; stripeCatalog: string; customer: string | undefined; live: boolean });

function parseServeOptions(args: string[]): ServeOptions {
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
      engine: { type: 'string', default: 'reference' },
      'stripe-catalog': { type: 'string' },
      customer: { type: 'string' },
      live: { type: 'boolean', default: false },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${values.port} is not a port.`);
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
  const listen: ListenOptions = { port, host: values.host, publicOrigin, basePath: values['base-path'] };

  if (values.engine === 'stripe') {
    for (const [flag, given] of [['--db', values.db !== undefined], ['--seed', values.seed !== undefined], ['--test-mode', values['test-mode']]] as const) {
      if (given) throw new UsageError(`${flag} is for the reference engine: with --engine stripe, Stripe holds the data.`);
    }
    if (!values['stripe-catalog']) throw new UsageError('--engine stripe needs --stripe-catalog FILE, the StripeCatalog JSON that "billing-elements stripe-setup" writes.');
    if (values.customer === '') throw new UsageError('--customer must name a Stripe customer (cus_...).');
    return { ...listen, engine: 'stripe', stripeCatalog: values['stripe-catalog'], customer: values.customer, live: values.live };
  }
  if (values.engine !== 'reference') throw new UsageError(`--engine ${values.engine}: only "reference" and "stripe" exist.`);
  for (const [flag, given] of [['--stripe-catalog', values['stripe-catalog'] !== undefined], ['--customer', values.customer !== undefined], ['--live', values.live]] as const) {
    if (given) throw new UsageError(`${flag} is for --engine stripe.`);
  }
  if (!values.db) throw new UsageError('--db is required.');
  if (values.seed !== undefined && values.seed !== 'demo') throw new UsageError(`--seed ${values.seed}: only "demo" exists.`);
  return { ...listen, engine: 'reference', db: values.db, seed: values.seed === 'demo', testMode: values['test-mode'] };
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

/** The `host:port`s this server answers (see src/server/node-server.ts): loopback names on its port, and the public origin's. */
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
  if (options.engine === 'stripe') await runStripeServe(options);
  else await runReferenceServe(options);
}

async function runReferenceServe(options: Extract<ServeOptions, { engine: 'reference' }>): Promise<void> {
  const { createBillingHandler } = await load(() => import('../server/handler.js'));
  const { createNodeServer } = await load(() => import('../server/node-server.js'));
  const { createReferenceEngine } = await load(() => import('../server/reference/reference-engine.js'));
  const { seedDemo, demoIdentity } = await load(() => import('../server/reference/seed.js'));

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
  listen(createNodeServer, handler, options, `from ${dbPath}`, () => engine.close(), () => {
    if (!hasPdfLib()) {
      console.error(`billing-elements: invoice PDFs need pdf-lib, an optional peer dependency: npm install ${PEERS['pdf-lib']} (until then they are answered 503)`);
    }
  });
}

/** The Stripe key from the environment (never a flag: keys do not belong in shell history), checked. */
async function stripeClient(live: boolean, purpose: string) {
  const { checkStripeKey, stripeApiBase } = await import('../stripe/setup/key.js');
  const checked = checkStripeKey(process.env.STRIPE_SECRET_KEY, { allowLive: live, liveHint: `pass --live to ${purpose} in live mode, or use a test-mode key (sk_test_...).` });
  if (!checked.ok) throw new UsageError(checked.message);
  let base: ReturnType<typeof stripeApiBase>;
  try {
    base = stripeApiBase(process.env.STRIPE_API_BASE);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  let Stripe: typeof StripeSdk;
  try {
    Stripe = (await import('stripe')).default;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND') {
      throw new StartError('the CLI needs stripe for --engine stripe and stripe-setup, an optional peer dependency: npm install stripe@23');
    }
    throw error;
  }
  const stripe = new Stripe(checked.key, { ...base, appInfo: { name: 'billing-elements' } });
  return { stripe, mode: checked.mode };
}

/** What went wrong talking to Stripe, in one line (the SDK's message, or its cause's). */
function stripeProblem(error: unknown): string {
  let current: unknown = error;
  // The engine wraps the SDK's errors (engine_unavailable); the SDK's own message says more.
  while (current instanceof Error && current.cause instanceof Error && (current as { code?: unknown }).code === 'engine_unavailable') current = current.cause;
  return current instanceof Error ? firstLine(current.message) : String(current);
}

function readJson(path: string, flag: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${flag} ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : firstLine((error as Error).message)}.`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${flag} ${path} is not JSON: ${firstLine((error as Error).message)}`);
  }
}

async function runStripeServe(options: Extract<ServeOptions, { engine: 'stripe' }>): Promise<void> {
  const { parseStripeCatalog } = await import('../stripe/setup/catalog-file.js');
  let catalog: ReturnType<typeof parseStripeCatalog>;
  try {
    catalog = parseStripeCatalog(readJson(options.stripeCatalog, '--stripe-catalog'));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--stripe-catalog ${options.stripeCatalog}: ${(error as Error).message}`);
  }
  const { stripe, mode } = await stripeClient(options.live, 'serve');
  const { createBillingHandler } = await load(() => import('../server/handler.js'));
  const { createNodeServer } = await load(() => import('../server/node-server.js'));
  const { createStripeEngine } = await import('../stripe/engine.js');
  const { loadCatalog } = await import('../stripe/catalog.js');
  const { EVERY_PERMISSION } = await import('../server/identity.js');
  const { orNull } = await import('../stripe/errors.js');

  // Read the catalog now, so that a wrong key or a Price the account does not have stops the
  // start rather than the first request (the engine reads it again, once, for itself).
  try {
    await loadCatalog(stripe, catalog);
  } catch (error) {
    throw new StartError(`cannot use the Stripe catalog ${options.stripeCatalog}: ${stripeProblem(error)}`);
  }
  const engine = createStripeEngine({ stripe, catalog });

  // Demo only, as for the reference engine: the cookie names the customer; here any customer
  // of the Stripe account (retrieved once, then remembered), else --customer, else nobody.
  const known = new Set<string>();
  const exists = async (customer: string) => {
    if (known.has(customer)) return true;
    // Stripe out of reach is 503 engine_unavailable for the request, as from the engine.
    const found = await orNull(() => stripe.customers.retrieve(customer));
    if (found === null || ('deleted' in found && found.deleted)) return false;
    known.add(customer);
    return true;
  };
  if (options.customer !== undefined) {
    let found: boolean;
    try {
      found = await exists(options.customer);
    } catch (error) {
      throw new StartError(`cannot check --customer ${options.customer}: ${stripeProblem(error)}`);
    }
    if (!found) throw new StartError(`--customer ${options.customer}: no such customer in this Stripe account (${mode} mode).`);
  }
  const resolveCustomer = async (request: Request) => {
    const named = cookie(request, 'billing_customer');
    const customer = named ?? options.customer;
    if (customer === undefined || customer === '' || !(await exists(customer))) return null;
    return { customerId: customer, permissions: EVERY_PERMISSION };
  };

  const handler = createBillingHandler({
    engine,
    resolveCustomer,
    basePath: options.basePath,
    logger: lineLogger,
    ...(options.publicOrigin ? { publicOrigin: options.publicOrigin } : {}),
  });
  const who = options.customer === undefined ? 'no --customer: requests need a billing_customer cookie' : `as ${options.customer}`;
  listen(createNodeServer, handler, options, `from Stripe (${mode} mode, ${catalog.plans.length} plans, ${catalog.modules.length} modules; ${who})`, () => {});
}

/** Serves `handler` until SIGINT or SIGTERM, then waits for requests in flight and calls `close`. */
function listen(
  createNodeServer: typeof CreateNodeServer,
  handler: (request: Request) => Promise<Response>,
  options: ListenOptions,
  source: string,
  close: () => void,
  onListening: () => void = () => {},
): void {
  let hosts = new Set<string>();
  const server: Server = createNodeServer({ fetch: handler, allowedHosts: () => hosts, log: (line, error) => lineLogger.error(line, { error }) });
  server.on('error', (error) => {
    console.error(`billing-elements: ${error.message}`);
    close();
    process.exit(1);
  });
  server.listen(options.port, options.host, () => {
    const address = server.address() as AddressInfo;
    hosts = servedHosts(address, options.host, options.publicOrigin);
    const host = address.address.includes(':') ? `[${address.address}]` : address.address;
    const publicNote = options.publicOrigin ? ` (public origin ${options.publicOrigin})` : '';
    console.log(`billing-elements: serving http://${host}:${address.port}${options.basePath} ${source}${publicNote}`);
    onListening();
  });
  const stop = () => {
    // close() waits for requests in flight, then the database is closed cleanly (WAL checkpoint).
    server.close(() => {
      close();
      process.exit(0);
    });
    // Idle keep-alive connections would hold close() until they time out.
    server.closeIdleConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function runStripeSetup(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      catalog: { type: 'string' },
      language: { type: 'string' },
      out: { type: 'string' },
      live: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  if (values['dry-run'] && values.out !== undefined) throw new UsageError('--dry-run writes nothing: leave out --out.');
  if (values.catalog !== undefined && values.language !== undefined) throw new UsageError('--language is for the demo catalog: a --catalog file has its own names.');
  const { parseSetupCatalog } = await import('../stripe/setup/source.js');
  let source: ReturnType<typeof parseSetupCatalog>;
  if (values.catalog !== undefined) {
    try {
      source = parseSetupCatalog(readJson(values.catalog, '--catalog'));
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`--catalog ${values.catalog}: ${(error as Error).message}`);
    }
  }
  const { stripe, mode } = await stripeClient(values.live, 'set up');
  if (values.catalog === undefined) {
    const { demoSetupCatalog } = await load(() => import('../stripe/setup/demo-source.js'));
    try {
      source = await demoSetupCatalog(values.language === undefined ? [] : [values.language]);
    } catch (error) {
      if (isMissingPeer(error)) throw new StartError(`the demo catalog needs ${error.peer}, an optional peer dependency: npm install ${PEERS[error.peer]} (or pass --catalog FILE)`);
      throw error;
    }
  }
  const { setupStripeCatalog } = await import('../stripe/setup/setup.js');
  let result: Awaited<ReturnType<typeof setupStripeCatalog>>;
  try {
    result = await setupStripeCatalog({ stripe, catalog: source!, log: (line) => console.error(line), dryRun: values['dry-run'] });
  } catch (error) {
    throw new StartError(`stripe-setup (${mode} mode): ${stripeProblem(error)}`);
  }
  if (values['dry-run']) {
    const changes = result.updated.products.length + result.updated.prices.length;
    console.error(
      `billing-elements: ${mode} mode, dry run: would create ${result.created.products.length} Products and ${result.created.prices.length} Prices, update ${changes}; nothing was written`,
    );
    return;
  }
  const json = `${JSON.stringify(result.catalog, null, 2)}\n`;
  const summary = `${mode} mode: created ${result.created.products.length} Products and ${result.created.prices.length} Prices, updated ${result.updated.products.length + result.updated.prices.length}`;
  if (values.out !== undefined) {
    const out = resolve(values.out);
    try {
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, json);
    } catch (error) {
      throw new StartError(`cannot write ${out}: ${firstLine((error as Error).message)}`);
    }
    console.error(`billing-elements: ${summary}; the StripeCatalog is in ${out}`);
  } else {
    console.error(`billing-elements: ${summary}`);
    process.stdout.write(json);
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    console.log(HELP);
    return;
  }
  if (command !== 'serve' && command !== 'stripe-setup') throw new UsageError(`Unknown command "${command}".`);
  if (rest.includes('-h') || rest.includes('--help')) {
    console.log(HELP);
    return;
  }
  if (command === 'stripe-setup') await runStripeSetup(rest);
  else await runServe(rest);
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
