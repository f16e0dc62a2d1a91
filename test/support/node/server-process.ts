/**
 * A billing server in a process of its own, as a host runs it: the real handler over the
 * reference engine on a SQLite file, with the engine's idempotency and setup session stores,
 * on `@hono/node-server` at 127.0.0.1 and a free port. Started (bundled) by `server-processes.ts`:
 *
 *   server-process.ts <db file> <now, ISO 8601>
 *
 * The engine's clock stands still at `now`. Customers authenticate with
 * `Authorization: Bearer <customer id>`. Once listening, it writes one JSON line,
 * `{"port":N}`, to stdout; what the handler or the engine logs goes to stderr, one JSON line
 * each. SIGTERM closes it cleanly; the tests also SIGKILL it.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createReferenceEngine } from '../../../src/server/index.js';
import { referenceHandler } from './reference-handler.js';

const [file, nowIso] = process.argv.slice(2);
if (!file || !nowIso || Number.isNaN(Date.parse(nowIso))) {
  process.stderr.write('usage: server-process.ts <db file> <now, ISO 8601>\n');
  process.exit(2);
}
const now = Date.parse(nowIso);
const clock = { now: () => new Date(now) };

const logger = {
  error(message: string, details: Record<string, unknown> = {}) {
    const { error, ...rest } = details;
    const cause = error instanceof Error ? { error: `${error.name}: ${error.message}`, code: (error as { code?: unknown }).code } : {};
    process.stderr.write(`${JSON.stringify({ message, ...rest, ...cause })}\n`);
  },
};

const engine = createReferenceEngine({ db: file, clock, logger });
const handler = referenceHandler(engine, { now: () => now, logger });

const server = serve({ fetch: handler, port: 0, hostname: '127.0.0.1' }, () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});

process.once('SIGTERM', () => {
  server.close(() => {
    engine.close();
    process.exit(0);
  });
  if ('closeAllConnections' in server) server.closeAllConnections();
});
