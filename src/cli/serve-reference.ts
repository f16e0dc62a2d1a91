/** `billing-elements serve`: the contract served from the SQLite reference engine. */
import { dirname, resolve } from 'node:path';
import { isMissingPeer, PEERS } from '../server/peer.js';
import { demoCustomerResolver } from './demo-customer.js';
import { makeDirectory } from './directories.js';
import { firstLine, StartError } from './errors.js';
import { lineLogger, listen } from './listen.js';
import type { ServeOptions } from './options.js';
import { hasPdfLib, load, missingPeer } from './peers.js';

export async function runReferenceServe(options: Extract<ServeOptions, { engine: 'reference' }>): Promise<void> {
  const { createBillingHandler } = await load(() => import('../server/handler.js'));
  const { createNodeServer } = await load(() => import('../server/node-server.js'));
  const { createReferenceEngine } = await load(() => import('../server/reference/reference-engine.js'));
  const { seedDemo, demoIdentity } = await load(() => import('../server/reference/seed.js'));

  const dbPath = options.db === ':memory:' ? options.db : resolve(options.db);
  let engine: ReturnType<typeof createReferenceEngine>;
  try {
    if (dbPath !== ':memory:') makeDirectory(dirname(dbPath));
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
