/**
 * What the database does wrong that is nobody's bug: another process holds the write lock
 * past the busy timeout (`SQLITE_BUSY*`, `SQLITE_LOCKED*`), the disk is full (`SQLITE_FULL`),
 * the file system failed (`SQLITE_IOERR*`). A transaction that hits one is rolled back, so
 * nothing changed and the same request may simply be sent again: the engine answers 503
 * `engine_unavailable`, retryable, and logs the cause. Every other error stays what it is
 * (a bug, answered 500 by the handler).
 *
 * The mapping is applied once, around every method of the engine and of its SQLite stores
 * (`guardDatabaseFaults`), so no operation can forget it.
 */
import { BillingEngineError } from '../errors.js';

/** Where the engine reports the faults it turns into 503s (the handler's `Logger` fits). */
export interface EngineLogger {
  error(message: string, details: Record<string, unknown>): void;
}

/**
 * SQLite result codes (primary or extended, as better-sqlite3's `SqliteError.code` gives them)
 * that say "not now" rather than "never". `SQLITE_PROTOCOL` is a WAL lock that kept changing
 * under SQLite's retries: contention too.
 */
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|PROTOCOL)(_[A-Z_]+)?$/;

/** The SQLite code of `error` when it means "the database cannot serve this now", else `null`. */
export function unavailableCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNAVAILABLE.test(code) ? code : null;
}

const DETAIL = 'The billing database is busy or cannot be written right now; try again in a moment.';

/** `error` as the engine throws it: `engine_unavailable` (logged) for a database fault, unchanged otherwise. */
export function asEngineError(error: unknown, operation: string, logger: EngineLogger): unknown {
  const code = unavailableCode(error);
  if (code === null) return error;
  logger.error('billing-elements: the billing database could not serve a request', { operation, code, error });
  return new BillingEngineError('engine_unavailable', { detail: DETAIL, cause: error });
}

/**
 * Replaces every method of `target` (an engine or a store, an object of functions) with one
 * that turns database faults into `engine_unavailable`, whether the method throws or rejects.
 * `except` names methods left as they are (`close`).
 */
export function guardDatabaseFaults<T extends object>(target: T, logger: EngineLogger, except: readonly string[] = []): T {
  const guarded: Record<string, unknown> = { ...(target as Record<string, unknown>) };
  for (const [name, value] of Object.entries(target)) {
    if (typeof value !== 'function' || except.includes(name)) continue;
    const method = value as (...args: unknown[]) => unknown;
    guarded[name] = function (this: unknown, ...args: unknown[]): unknown {
      let result: unknown;
      try {
        result = method.apply(this, args);
      } catch (error) {
        throw asEngineError(error, name, logger);
      }
      if (!(result instanceof Promise)) return result;
      return result.catch((error: unknown) => {
        throw asEngineError(error, name, logger);
      });
    };
  }
  return guarded as T;
}
