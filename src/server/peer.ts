/**
 * The server's packages are optional peer dependencies of billing-elements, so that a
 * front-end install of the elements pulls none of them. When one is missing, the code that
 * needs it says so in one line, naming what to install, instead of a module resolution
 * stack trace:
 *
 * - `hono` — the handler's router: importing `billing-elements/handler.js` or `/server.js`
 *   throws a `MissingPeerError`;
 * - `better-sqlite3` — the reference engine: `createReferenceEngine()` throws one;
 * - `pdf-lib` — invoice PDFs of the reference engine, loaded when the first PDF is asked
 *   for: that request is answered 503 `engine_unavailable` and the handler logs the line;
 * - `@hono/node-server` — the CLI's HTTP server: the CLI prints the line and exits with 1.
 *
 * No Node API here: `billing-elements/handler.js` uses this module.
 */
/** The server's optional peer dependencies, with the version range to install. */
export const PEERS = {
  hono: 'hono@4',
  'pdf-lib': 'pdf-lib@1',
  'better-sqlite3': 'better-sqlite3@12',
  '@hono/node-server': '@hono/node-server@1',
} as const;

export type Peer = keyof typeof PEERS;

/** A peer dependency that is not installed. Its message is one line, ready to print. */
export class MissingPeerError extends Error {
  readonly code = 'ERR_BILLING_PEER_MISSING';
  readonly peer: Peer;

  constructor(peer: Peer, purpose: string, options?: { cause?: unknown }) {
    super(`billing-elements: ${purpose} needs ${peer}, an optional peer dependency: npm install ${PEERS[peer]}`, options);
    this.name = 'MissingPeerError';
    this.peer = peer;
  }
}

/** Whether `error` is a `MissingPeerError`, even one from another copy of this module. */
export function isMissingPeer(error: unknown): error is MissingPeerError {
  return error instanceof Error && (error as { code?: unknown }).code === 'ERR_BILLING_PEER_MISSING';
}

/**
 * Whether `error` says that `peer` itself could not be found — not one of its own imports,
 * not a broken install of it (those keep their own error).
 */
export function isPeerNotFound(error: unknown, peer: Peer): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  const message = error instanceof Error ? error.message : '';
  return message.includes(`'${peer}'`) || message.includes(`"${peer}"`);
}

/** `import()` of an optional peer; a `MissingPeerError` for `purpose` when it is not installed. */
export async function importPeer<T>(peer: Peer, purpose: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isPeerNotFound(error, peer)) throw new MissingPeerError(peer, purpose, { cause: error });
    throw error;
  }
}
