import type { UsageMetric } from '../../src/index.js';

/**
 * Usage of "Atelier Lumière SARL", the French small business of the reference seed, on the
 * Pro plan, as the endpoint would report it on 26 November 2026 — twelve days into a monthly
 * period. Fixed instants, so every screenshot of a story is the same.
 */
export const AS_OF = '2026-11-26T09:30:00Z';
export const PERIOD_START = '2026-11-14T00:00:00Z';
export const PERIOD_END = '2026-12-14T00:00:00Z';
/** Where the reference engine starts stock metrics, which never reset. */
export const STOCK_PERIOD_START = '1970-01-01T00:00:00Z';

/** A usage metric of the current monthly period, with `overrides` on top. */
export function usageMetric(overrides: Partial<UsageMetric> & Pick<UsageMetric, 'metricKey' | 'name' | 'unit'>): UsageMetric {
  return {
    used: 0,
    limit: null,
    warnAt: 0.8,
    periodStart: PERIOD_START,
    resetsAt: PERIOD_END,
    asOf: AS_OF,
    ...overrides,
  };
}

export const clients = usageMetric({
  metricKey: 'clients',
  name: 'Clients',
  unit: 'client',
  used: 312,
  limit: 500,
  // A stock: counted since the account opened, never reset.
  periodStart: STOCK_PERIOD_START,
  resetsAt: null,
});

export const documents = usageMetric({ metricKey: 'documents', name: 'Documents', unit: 'document', used: 870, limit: 1000 });

export const orders = usageMetric({ metricKey: 'orders', name: 'Orders', unit: 'order', used: 140, limit: 300 });

/** What `GET /v1/usage` answers by default. */
export const seededUsage: UsageMetric[] = [clients, documents, orders];
