#!/usr/bin/env node
/**
 * `billing-elements serve`: the contract served over HTTP from the SQLite reference engine,
 * for demos, Storybook and developing a host against a real endpoint.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { createBillingHandler } from './handler.js';
import { createReferenceEngine, type ReferenceEngine } from './reference/reference-engine.js';
import { DEMO_CUSTOMER_ID, seedDemo } from './reference/seed.js';

const HELP = `Usage: billing-elements serve --db FILE [options]

Serves the billing endpoint contract from the SQLite reference engine.

Options:
  --db FILE          SQLite database, created with its directory if missing
  --port N           port to listen on (default 8787; 0 picks a free one)
  --host ADDRESS     address to listen on (default 127.0.0.1)
  --base-path PATH   where the endpoint is mounted (default /api/billing)
  --seed demo        add the demo customers unless they are there already
  --test-mode        test cards that decline at renewal, POST /v1/test/period-end (demos only)
  -h, --help         show this help

Every request is answered as the demo customer (${DEMO_CUSTOMER_ID}) unless a
billing_customer cookie names another customer of the database, e.g.
  document.cookie = 'billing_customer=cus_readonly'
This is a demo convenience, not authentication: never expose this server.`;

class UsageError extends Error {}

function cookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('Cookie') ?? '').split(';')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === name) return value;
  }
  return undefined;
}

/**
 * Demo only: the customer is whoever the `billing_customer` cookie names, so one browser can
 * switch between the seeded customers. A real host resolves it from its own session.
 */
function demoCustomerResolver(engine: ReferenceEngine) {
  return async (request: Request) => {
    const named = cookie(request, 'billing_customer');
    return named && (await engine.hasCustomer(named)) ? named : DEMO_CUSTOMER_ID;
  };
}

function parseServeOptions(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: 'string' },
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
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
  return {
    db: values.db,
    port,
    host: values.host,
    basePath: values['base-path'],
    seed: values.seed === 'demo',
    testMode: values['test-mode'],
  };
}

function runServe(args: string[]): void {
  const options = parseServeOptions(args);
  const dbPath = options.db === ':memory:' ? options.db : resolve(options.db);
  if (dbPath !== ':memory:') mkdirSync(dirname(dbPath), { recursive: true });
  const engine = createReferenceEngine({ db: dbPath });
  if (options.seed) {
    console.log(seedDemo(engine) ? 'Seeded the demo customers.' : 'The demo customers are already there.');
  }
  const handler = createBillingHandler({
    engine,
    idempotencyStore: engine.idempotencyStore,
    // PDF links and hosted test page sessions outlive a restart of the CLI.
    signingSecret: engine.signingSecret,
    setupSessionStore: engine.setupSessionStore,
    resolveCustomer: demoCustomerResolver(engine),
    basePath: options.basePath,
    testMode: options.testMode,
  });
  const server = serve({ fetch: handler, port: options.port, hostname: options.host }, (info) => {
    const host = info.address.includes(':') ? `[${info.address}]` : info.address;
    console.log(`billing-elements: serving http://${host}:${info.port}${options.basePath} from ${dbPath}`);
  });
  server.on('error', (error) => {
    console.error(`billing-elements: ${error.message}`);
    engine.close();
    process.exit(1);
  });
  const stop = () => {
    // close() waits for requests in flight, then the database is closed cleanly (WAL checkpoint).
    server.close(() => {
      engine.close();
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function main(argv: string[]): void {
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
  runServe(rest);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  // parseArgs reports unknown or malformed options with a TypeError carrying a code.
  const usageProblem = error instanceof UsageError || (error instanceof TypeError && 'code' in error);
  if (!usageProblem) throw error;
  console.error(`billing-elements: ${error.message}\nRun "billing-elements --help" for usage.`);
  process.exit(2);
}
