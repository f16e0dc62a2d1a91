/**
 * What the `BillingEngine` interface makes an engine decide that is not the provider's data:
 * permissions, the subscription's version, how a plan relates to the current one, which
 * timings a change may have, and why a module cannot be activated. Kept in this one module so
 * that it can move to helpers shared by every engine (and the host's `resolveCustomer`) when
 * the engine boundary changes.
 */
import { createHash } from 'node:crypto';
import type { Module, Permissions, Plan, Timing } from '../contract/index.js';
import type { StripeCatalogModule, StripeCatalogPlan } from './catalog.js';

/**
 * Every customer may do everything: the host decides who reaches the endpoint at all
 * (`resolveCustomer`). Changes are not offered yet (see `CHANGE_TIMINGS`), so the elements
 * show no change buttons whatever these say.
 */
export function permissionsFor(): Permissions {
  return { changePlan: true, manageModules: true, managePaymentMethods: true, viewInvoices: true };
}

/** The timings this engine offers for plan and module changes: none until changes are implemented. */
export const CHANGE_TIMINGS: readonly Timing[] = [];

/**
 * The subscription's version: a digest of everything a change depends on (items and their
 * prices, status, period, schedule, cancellation). Any change made in Stripe — here or in the
 * Dashboard — moves it.
 */
export function subscriptionVersion(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
}

/** How moving to `plan` relates to the current plan. */
export function planChange(plan: StripeCatalogPlan, current: StripeCatalogPlan | undefined): Plan['change'] {
  const direction =
    current === undefined
      ? 'upgrade'
      : plan.id === current.id
        ? 'current'
        : plan.rank > current.rank
          ? 'upgrade'
          : plan.rank < current.rank
            ? 'downgrade'
            : 'lateral';
  const allowedTimings = direction === 'current' ? [] : [...CHANGE_TIMINGS];
  return { direction, allowedTimings, defaultTiming: allowedTimings[0] ?? null };
}

/** Why `module` cannot be activated now, on `planId` with `activeModuleIds` active (included ones count). */
export function unavailableReasons(
  module: StripeCatalogModule,
  hasPrice: boolean,
  planId: string | undefined,
  activeModuleIds: readonly string[],
): Module['unavailableReasons'] {
  const reasons: Module['unavailableReasons'] = [];
  const { anyOfPlans, allOfModules } = module.requires ?? {};
  if (anyOfPlans && anyOfPlans.length > 0 && (planId === undefined || !anyOfPlans.includes(planId))) reasons.push('plan_required');
  if (allOfModules && allOfModules.some((id) => !activeModuleIds.includes(id))) reasons.push('module_required');
  if (module.forSale === false || !hasPrice) reasons.push('not_for_sale');
  return reasons;
}

/** The timings a module's activation and deactivation may have: none until changes are implemented. */
export function moduleTimings(): Module['allowedTimings'] {
  return { activate: [...CHANGE_TIMINGS], deactivate: [...CHANGE_TIMINGS] };
}
