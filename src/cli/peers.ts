/**
 * The optional peer dependencies the command needs (`hono`, `@hono/node-server`,
 * `better-sqlite3`; src/server/peer.ts), loaded when it starts serving so that `--help` needs
 * none: a missing one is a `StartError` naming the package to install.
 */
import { isMissingPeer, PEERS, type Peer } from '../server/peer.js';
import { firstLine, StartError } from './errors.js';

export function missingPeer(peer: Peer): StartError {
  return new StartError(`the CLI needs ${peer}, an optional peer dependency: npm install ${PEERS[peer]}`);
}

/** A module an optional peer provides, or a `StartError` saying how to install it. */
export async function load<T>(load: () => Promise<T>): Promise<T> {
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
export function hasPdfLib(): boolean {
  try {
    import.meta.resolve('pdf-lib');
    return true;
  } catch {
    return false;
  }
}
