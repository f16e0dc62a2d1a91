/**
 * The real handler over the real reference engine, on an in-memory database seeded with the
 * demo at a fixed instant. Customers authenticate with `Authorization: Bearer <customer id>`.
 */
import type { Clock } from '../../src/server/index.js';
import { createBillingHandler, createReferenceEngine, seedDemo, type BillingEngine } from '../../src/server/index.js';

/** Twelve days into the demo's current period: it started 2026-03-03, its anchor is 2025-02-03. */
export const NOW = new Date('2026-03-15T10:00:00.000Z');
export const fixedClock: Clock = { now: () => new Date(NOW) };
export const BASE = 'http://billing.test/api/billing';

export function bearer(request: Request): string | null {
  return request.headers.get('Authorization')?.replace(/^Bearer /, '') ?? null;
}

export function demoEngine() {
  const engine = createReferenceEngine({ db: ':memory:', clock: fixedClock });
  seedDemo(engine);
  return engine;
}

export interface Harness {
  handler: (request: Request) => Promise<Response>;
  logged: { message: string; details: Record<string, unknown> }[];
  /** GET `path` (relative to the base path) as `customer`; `null` sends no credentials. */
  get(path: string, customer?: string | null, headers?: Record<string, string>): Promise<Response>;
}

export function harness(engine: BillingEngine = demoEngine(), validateResponses = true): Harness {
  const logged: Harness['logged'] = [];
  const handler = createBillingHandler({
    engine,
    resolveCustomer: bearer,
    basePath: '/api/billing',
    validateResponses,
    logger: { error: (message, details) => logged.push({ message, details }) },
  });
  return {
    handler,
    logged,
    get: (path, customer = 'cus_demo', headers = {}) =>
      handler(
        new Request(BASE + path, {
          headers: customer === null ? headers : { Authorization: `Bearer ${customer}`, ...headers },
        }),
      ),
  };
}
