/**
 * Sessions of the hosted test page (see setup-page.ts): who started one, where to send them
 * back, until when, and whether it was used. The store is keyed by a SHA-256 digest of the
 * session id, so it never holds the id itself: reading the store does not open the page.
 *
 * `createMemorySetupSessionStore` is the default, right for one process; the reference
 * engine has one in its SQLite database for hosts running several.
 */
import type { CustomerId } from './billing-engine.js';

export const SETUP_SESSION_TTL_MS = 30 * 60_000;
/** How long a session is remembered after it expired, to tell "expired" from "unknown". */
export const SETUP_SESSION_RETENTION_MS = 24 * 60 * 60_000;

export interface SetupSessionRecord {
  customer: CustomerId;
  /** Absolute, checked when the session was created. */
  returnUrl: string;
  /** The language the page speaks (the element's locale), when it said; else `Accept-Language`. */
  locale?: string | undefined;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  /** When it was used (a card recorded); `null` until then. */
  usedAt: number | null;
}

export interface SetupSessionStore {
  create(key: string, session: Omit<SetupSessionRecord, 'usedAt'>): Promise<void>;
  /** The session, used or expired ones included (for a while), or `null`. */
  get(key: string): Promise<SetupSessionRecord | null>;
  /**
   * Marks the session used at `at`, atomically: `true` for the one call that did, `false`
   * if it was used already, has expired by `at`, or does not exist.
   */
  use(key: string, at: number): Promise<boolean>;
}

/** Sessions in this process's memory; `now` is for tests that move time. */
export function createMemorySetupSessionStore(options: { now?: () => number } = {}): SetupSessionStore {
  const now = options.now ?? Date.now;
  const sessions = new Map<string, SetupSessionRecord>();
  const sweep = () => {
    const at = now();
    for (const [key, session] of sessions) if (session.expiresAt + SETUP_SESSION_RETENTION_MS <= at) sessions.delete(key);
  };
  return {
    async create(key, session) {
      sweep();
      sessions.set(key, { ...session, usedAt: null });
    },
    async get(key) {
      const session = sessions.get(key);
      return session ? { ...session } : null;
    },
    async use(key, at) {
      const session = sessions.get(key);
      if (!session || session.usedAt !== null || session.expiresAt <= at) return false;
      session.usedAt = at;
      return true;
    },
  };
}
