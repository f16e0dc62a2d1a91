/**
 * What the command line says: `serve`'s options checked into `ServeOptions`, and the JSON
 * files that options name. Anything wrong is a `UsageError` (exit code 2).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isLoopbackHost, normaliseOrigin } from '../server/origin.js';
import { firstLine, UsageError } from './errors.js';

/** Where and how to listen, whatever the engine. */
export interface ListenOptions {
  port: number;
  host: string;
  publicOrigin: string | undefined;
  basePath: string;
}

export type ServeOptions =
  | (ListenOptions & { engine: 'reference'; db: string; seed: boolean; testMode: boolean })
  | (ListenOptions & { engine: 'stripe'; stripeCatalog: string; customer: string | undefined; live: boolean });

export function parseServeOptions(args: string[]): ServeOptions {
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

/** The JSON of the file `flag` names; a file that is missing, unreadable or not JSON is a usage error. */
export function readJson(path: string, flag: string): unknown {
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
