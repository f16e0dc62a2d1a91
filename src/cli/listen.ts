/**
 * Serving a handler over HTTP until SIGINT or SIGTERM, answering only the hosts it serves, and
 * saying what happens in one line per event.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../server/handler.js';
import type { createNodeServer as CreateNodeServer } from '../server/node-server.js';
import { isLoopbackHost } from '../server/origin.js';
import { EXIT_START } from './errors.js';
import type { ListenOptions } from './options.js';

/** Log lines on one line each; the stack only of what is a bug (an `error` in the details). */
export const lineLogger: Logger = {
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
export function servedHosts(address: AddressInfo, bound: string, publicOrigin: string | undefined): Set<string> {
  const port = address.port;
  const names = ['localhost', '127.0.0.1', '[::1]'];
  if (isLoopbackHost(bound)) names.push(bound.includes(':') && !bound.startsWith('[') ? `[${bound}]` : bound);
  const hosts = new Set(names.flatMap((name) => [`${name.toLowerCase()}:${port}`, ...(port === 80 ? [name.toLowerCase()] : [])]));
  if (publicOrigin !== undefined) hosts.add(new URL(publicOrigin).host.toLowerCase());
  return hosts;
}

/** Serves `handler` until SIGINT or SIGTERM, then waits for requests in flight and calls `close`. */
export function listen(
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
    process.exit(EXIT_START);
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
