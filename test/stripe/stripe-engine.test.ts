/**
 * The Stripe engine (`billing-elements/stripe.js`) over the official SDK, pointed at a
 * stateful stand-in of the Stripe API (stand-in.ts): the conformance suite's checks for what
 * the engine supports, then what is particular to Stripe.
 */
import { runConformanceSuite, type ConformanceCheckName } from '../../src/server/testing/index.js';
import { NOW, OTHER, SUBSCRIBED, WITHOUT_SUBSCRIPTION, stripeFixture } from './fixture.js';

/** The checks of the read side and payment methods; changes are not supported yet (docs/stripe.md). */
const SUPPORTED_CHECKS: readonly ConformanceCheckName[] = ['readSide', 'conditionalGet', 'invoicePaging', 'invoiceFilters', 'isolation'];

runConformanceSuite({
  name: 'the Stripe engine (stand-in of the Stripe API)',
  capabilities: { timings: [] },
  only: SUPPORTED_CHECKS,
  setup: async () => {
    const fixture = await stripeFixture();
    return {
      engine: fixture.engine,
      customers: { subscribed: SUBSCRIBED, other: OTHER, withoutSubscription: WITHOUT_SUBSCRIPTION },
      now: NOW,
      teardown: fixture.close,
    };
  },
});
