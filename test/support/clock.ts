/**
 * The moment the browser tests take as now, in one browser-safe module: the reference
 * server's clock starts there (billing-test-server.ts), and the tests give it to the
 * elements' `now`, so dates, expiry warnings and forecasts are the same whatever day the
 * tests run.
 */
export const TEST_NOW_ISO = '2026-11-26T10:00:00Z';
