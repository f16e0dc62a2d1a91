/**
 * `billing-elements/server/policy.js`: the policy every billing engine shares, computed from a
 * description of the catalog and the facts of a subscription, so that an engine reports facts
 * and leaves the decisions that do not depend on where data lives to these helpers:
 *
 * - plans: how a plan relates to the current one and when moving to it may happen
 *   (`offeredPlanChange` → `Plan.change`; `planChangeTimings` checks a requested change);
 * - modules: why one cannot be activated, which active ones need it, when it may start or
 *   stop (`modulePolicy` → the policy parts of `Module`; `missingRequirements` for
 *   `module_requirements_not_met`);
 * - usage: what is used beyond a plan's limits (`limitWarnings` → `usage_exceeds_new_limit`,
 *   `usageBeyondLimits`, `usageNearLimits` for recommendations);
 * - preview tokens: signed claims binding a preview to its customer, change, version and
 *   instant (`createPreviewTokens`, `changeKey`, `requestDigest`).
 *
 * The timings an engine can carry out are a parameter (`EngineTimings`), so one rule set fits
 * an engine that activates modules only now and one that can schedule everything. Imports
 * only the contract (and `node:crypto` for the tokens). docs/server.md, "Policy helpers for
 * engine authors".
 */
export type {
  EngineTimings,
  PolicyCatalog,
  PolicyLimit,
  PolicyModule,
  PolicyPlan,
  PolicyScheduledChange,
  PolicySubscription,
} from './catalog.js';
export { moduleOf, planOf } from './catalog.js';
export { defaultTiming, offeredPlanChange, planChange, planChangeTimings, planDirection, type PlanDirection, type Ranked } from './plans.js';
export {
  deactivationScheduled,
  dependentModuleIds,
  isIncluded,
  missingRequirements,
  modulePolicy,
  moduleTimings,
  unavailableReasons,
  type MissingRequirements,
  type ModulePolicy,
  type UnavailableReason,
} from './modules.js';
export { limitOf, limitWarnings, usageBeyondLimits, usageNearLimits, type LimitExcess, type MetricUse } from './usage.js';
export {
  createPreviewTokens,
  changeKey,
  requestDigest,
  type PreviewClaims,
  type PreviewTokenCheck,
  type PreviewTokenRefusal,
  type PreviewTokens,
} from './preview-tokens.js';
