/**
 * `billing-elements/server/testing.js`: the contract's behavioural tests, for any
 * `BillingEngine`. An adapter author calls `runConformanceSuite` from a `node:test` file with a
 * factory of fresh engines; the reference engine runs the same suite in the repository's tests.
 *
 * ```ts
 * import { runConformanceSuite } from 'billing-elements/server/testing.js';
 *
 * runConformanceSuite({
 *   name: 'my engine',
 *   setup: async () => ({ engine: await myTestEngine(), customers: { subscribed: 'cus_1', other: 'cus_2' } }),
 * });
 * ```
 *
 * Decisions:
 * - Node only: it registers `node:test` tests (`describe`/`it`) and asserts with
 *   `node:assert/strict`. It imports the contract and the handler, never the reference engine.
 * - Everything goes through the real handler (`createBillingHandler`) with Fetch API
 *   `Request`s, as a browser would call it, and every answer is parsed with the contract's
 *   zod schemas; the handler's own response validation stays on, and anything it logs fails
 *   the check.
 * - `setup` is called before **each** check and `teardown` after it, so every check starts from
 *   the fixture's state and checks do not depend on one another's order.
 * - Assertions are relative to what the engine itself reports — a preview's lines against its
 *   own `dueNow`, a commit against the preview before it, a filtered page against the full
 *   list — never to the reference engine's catalog or figures, so another catalog passes.
 * - Each behaviour is a plain async function of `conformanceChecks`
 *   (`conformanceChecks.previewsSumUp(fixture)`) that rejects with an `AssertionError`;
 *   `runConformanceSuite` registers each as a test. A check may be called on its own, e.g. to
 *   show that a broken engine fails it.
 * - Customers are named by the header `X-Conformance-Customer`, mapped to the fixture's
 *   customers by `fixtureCustomerResolver`, the one place that knows `resolveCustomer`'s shape.
 * - Where engines legitimately differ, `capabilities` say so: the `timings` an engine offers
 *   (without `period_end`, the scheduled change check is not registered) and whether its
 *   invoices' PDFs come as bytes from `renderInvoicePdf`.
 */
import { describe, it } from 'node:test';
import { conformanceCheckTitles, conformanceChecks, type ConformanceCapabilities, type ConformanceCheckName } from './checks.js';
import type { ConformanceFixture } from './driver.js';

export {
  conformanceChecks,
  conformanceCheckTitles,
  type ConformanceCapabilities,
  type ConformanceCheck,
  type ConformanceCheckName,
} from './checks.js';
export {
  CONFORMANCE_BASE,
  CUSTOMER_HEADER,
  createDriver,
  fixtureCustomerResolver,
  type ConformanceCustomers,
  type ConformanceFixture,
  type Driver,
  type SendOptions,
} from './driver.js';

export interface ConformanceSuiteOptions {
  /** The engine's name, in the suite's title. */
  name: string;
  /**
   * A fresh engine in a known state, called before each check (see `ConformanceFixture` for
   * the customers it must hold). Keep it cheap: it runs once per check.
   */
  setup: () => ConformanceFixture | Promise<ConformanceFixture>;
  capabilities?: ConformanceCapabilities;
  /** Only these checks (default: every check that applies to the capabilities). */
  only?: readonly ConformanceCheckName[];
}

/** The checks that apply to an engine with these capabilities. */
export function applicableChecks(capabilities: ConformanceCapabilities = {}): ConformanceCheckName[] {
  const timings = capabilities.timings ?? ['now', 'period_end'];
  return (Object.keys(conformanceChecks) as ConformanceCheckName[]).filter(
    (name) => name !== 'scheduledChangeAndCancel' || timings.includes('period_end'),
  );
}

/** Registers the conformance suite as `node:test` tests: one `describe`, one `it` per check. */
export function runConformanceSuite(options: ConformanceSuiteOptions): void {
  const names = applicableChecks(options.capabilities).filter((name) => !options.only || options.only.includes(name));
  describe(`billing engine conformance: ${options.name}`, () => {
    for (const name of names) {
      it(conformanceCheckTitles[name], async () => {
        const fixture = await options.setup();
        try {
          await conformanceChecks[name](fixture, options.capabilities);
        } finally {
          await fixture.teardown?.();
        }
      });
    }
  });
}
