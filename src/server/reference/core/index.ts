/**
 * The billing core: the reference engine's rules as pure functions — dates, proration,
 * pricing, what a subscription holds and how changes move it, invoicing against a credit
 * balance, the offer's shape, the texts the engine writes, the change rules (what a change
 * does, when it may happen, its warnings), how plans and modules stand for a subscription,
 * and the subscription as the contract shows it.
 *
 * It imports the contract's types and the engine error type (`../../errors.ts`) and nothing
 * else: no database, no `node:*` module, nothing of the handler, so it runs in a browser as
 * well. The reference engine reads and writes SQLite around it; the Storybook endpoint
 * (stories/support/fake-endpoint.ts) keeps its state in memory around it. Both compute every
 * figure here, so a story and the server cannot disagree (test/server/core.test.ts checks
 * the imports, test/server/story-endpoint.test.ts the figures).
 */
export * from './dates.js';
export * from './proration.js';
export * from './offer.js';
export * from './holding.js';
export * from './texts.js';
export * from './pricing.js';
export * from './invoicing.js';
export * from './payments.js';
export * from './timings.js';
export * from './module-standing.js';
export * from './change-rules.js';
export * from './subscription-view.js';
