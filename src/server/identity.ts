/**
 * Who is asking, as the host says: `resolveCustomer(request)` answers the customer and what
 * this user may do. Permissions are the host's (its users and roles), never the engine's:
 * the handler enforces them before calling the engine and puts them on every subscription it
 * answers, so an engine reports facts only.
 */
import type { Permissions, Subscription } from '../contract/index.js';
import type { CustomerId, EngineSubscription } from './billing-engine.js';
import { versionOf } from './subscription-version.js';

export interface ResolvedCustomer {
  customerId: CustomerId;
  permissions: Permissions;
}

/** What `resolveCustomer` answers: a customer id alone grants every permission (a host without roles); `null` → 401. */
export type CustomerResolution = ResolvedCustomer | CustomerId | null;

export type CustomerResolver = (request: Request) => CustomerResolution | Promise<CustomerResolution>;

/** Everything: what a customer id alone grants. */
export const EVERY_PERMISSION: Permissions = Object.freeze({
  changePlan: true,
  manageModules: true,
  managePaymentMethods: true,
  viewInvoices: true,
});

/** A user who may look at the subscription and its invoices and change nothing. */
export const READ_ONLY_PERMISSIONS: Permissions = Object.freeze({
  changePlan: false,
  manageModules: false,
  managePaymentMethods: false,
  viewInvoices: true,
});

const NAMES = ['changePlan', 'manageModules', 'managePaymentMethods', 'viewInvoices'] as const;

/** One frozen object per combination, so that a subscription dressed with them can be kept (`withPermissions`). */
const canonical = new Map<number, Permissions>();

function canonicalPermissions(permissions: Permissions): Permissions {
  const mask = NAMES.reduce((bits, name, index) => (permissions[name] === true ? bits | (1 << index) : bits), 0);
  let kept = canonical.get(mask);
  if (kept === undefined) {
    kept = Object.freeze(Object.fromEntries(NAMES.map((name, index) => [name, (mask & (1 << index)) !== 0])) as Permissions);
    canonical.set(mask, kept);
  }
  return kept;
}

/** The host's answer for `request`, as one shape; `null` when nobody is recognised. */
export async function resolveIdentity(resolve: CustomerResolver, request: Request): Promise<ResolvedCustomer | null> {
  const resolved = await resolve(request);
  if (resolved === null || resolved === '') return null;
  if (typeof resolved === 'string') return { customerId: resolved, permissions: EVERY_PERMISSION };
  if (!resolved.customerId) return null;
  return { customerId: resolved.customerId, permissions: canonicalPermissions(resolved.permissions) };
}

const dressed = new WeakMap<object, Map<Permissions, Subscription>>();

/**
 * The engine's subscription as this user sees it: the host's permissions on the engine's
 * facts (whatever permissions an engine may still report are replaced), and its version (the
 * engine's, or derived: subscription-version.ts). A frozen subscription gives the same frozen
 * result for the same permissions, so the handler keeps its checked JSON.
 */
export function presentSubscription(subscription: EngineSubscription, permissions: Permissions): Subscription {
  const version = versionOf(subscription);
  if (!Object.isFrozen(subscription)) return { ...subscription, permissions, version };
  let byPermissions = dressed.get(subscription);
  if (byPermissions === undefined) dressed.set(subscription, (byPermissions = new Map()));
  let result = byPermissions.get(permissions);
  if (result === undefined) {
    result = Object.freeze({ ...subscription, permissions, version });
    byPermissions.set(permissions, result);
  }
  return result;
}
