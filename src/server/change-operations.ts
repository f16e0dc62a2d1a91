/**
 * The subscription change endpoints. What they check, in this order, after the handler has
 * authenticated the customer and (for mutations) claimed the Idempotency-Key:
 *
 * 1. the subscription exists (404 `no_subscription`);
 * 2. mutations: the user may change something at all (403 `forbidden` — a read-only user is
 *    refused whatever the request says); `If-Match` is there (428 `precondition_required`)
 *    and names the current version, quoted or bare (412 `version_conflict` with `current`);
 * 3. the body (400 `validation_failed`; malformed JSON included);
 * 4. mutations: the permission this change needs, `changePlan` or `manageModules` (403), and
 *    for a cancel, that the scheduled change exists (404 `not_found`);
 * 5. the engine: the version again, atomically with the change (412), the preview token
 *    (409 `preview_expired` / `preview_stale`), then the business rules (422).
 *
 * Permissions are the host's (`resolveCustomer`, identity.ts), checked here so every engine
 * is guarded alike, and put on every subscription answered. A preview changes nothing and is
 * open to read-only users too (to see what a change would cost).
 */
import { requestSchemas, type Permissions } from '../contract/index.js';
import type { BillingEngine, CustomerId, EngineSubscription } from './billing-engine.js';
import { BillingEngineError } from './errors.js';
import { presentSubscription } from './identity.js';
import { versionOf } from './subscription-version.js';
import type { Call, Operations, PayLinker } from './operation.js';
import { versionOfTag } from './representation.js';
import { jsonBody, parseInput } from './validation.js';

export type ChangeEndpoint = 'previewChange' | 'commitChange' | 'cancelScheduledChange';

async function subscriptionOf(engine: BillingEngine, customer: CustomerId, languages: readonly string[]): Promise<EngineSubscription> {
  const subscription = await engine.getSubscription(customer, languages);
  if (subscription === null) throw new BillingEngineError('no_subscription');
  return subscription;
}

function requirePermission(call: Call, ...anyOf: (keyof Permissions)[]): void {
  if (anyOf.some((permission) => call.permissions[permission])) return;
  throw new BillingEngineError('forbidden', { detail: 'This user may not change the subscription.' });
}

/**
 * The engine's own `version_conflict` (a change committed between the handler's check and
 * the engine's) is answered with the subscription as it now is, read again and with this
 * user's permissions: an engine reports that the version moved, the handler says to what.
 */
async function answeringConflicts<T>(engine: BillingEngine, call: Call, task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (error) {
    if (!(error instanceof BillingEngineError) || error.code !== 'version_conflict') throw error;
    const current = await engine.getSubscription(call.customer, call.languages);
    const { current: _reported, ...extras } = error.extras ?? {};
    throw new BillingEngineError('version_conflict', {
      ...(error.detail === undefined ? {} : { detail: error.detail }),
      extras: current === null ? extras : { ...extras, current: presentSubscription(current, call.permissions) },
    });
  }
}

/** The version `If-Match` names, checked against `subscription`. */
function ifMatchOf(call: Call, subscription: EngineSubscription): string {
  const raw = call.headers.get('If-Match')?.trim() ?? '';
  if (raw === '') {
    throw new BillingEngineError('precondition_required', {
      detail: 'Send If-Match with the subscription version (its ETag).',
    });
  }
  const version = versionOfTag(raw);
  if (version !== versionOf(subscription)) {
    throw new BillingEngineError('version_conflict', {
      detail: 'The subscription changed since it was read.',
      extras: { current: presentSubscription(subscription, call.permissions) },
    });
  }
  return version;
}

/** Steps 1 and 2 above. */
async function preconditions(engine: BillingEngine, call: Call) {
  const subscription = await subscriptionOf(engine, call.customer, call.languages);
  requirePermission(call, 'changePlan', 'manageModules');
  return { subscription, ifMatch: ifMatchOf(call, subscription) };
}

const etag = (subscription: EngineSubscription) => ({ ETag: `"${versionOf(subscription)}"` });

export function changeOperations(engine: BillingEngine, withPayLink: PayLinker): Operations<ChangeEndpoint> {
  return {
    async previewChange({ customer, body, languages }) {
      const request = parseInput(requestSchemas.previewChange.body, jsonBody(body), 'body');
      const preview = await engine.previewChange(customer, request, languages);
      if (preview.basedOnVersion !== undefined) return { body: { ...preview, basedOnVersion: preview.basedOnVersion } };
      // An engine without versions: the version of the subscription as it is now (read after the preview).
      return { body: { ...preview, basedOnVersion: versionOf(await subscriptionOf(engine, customer, languages)) } };
    },

    async commitChange(call) {
      const { ifMatch } = await preconditions(engine, call);
      const request = parseInput(requestSchemas.commitChange.body, jsonBody(call.body), 'body');
      requirePermission(call, request.change.type === 'plan' ? 'changePlan' : 'manageModules');
      // Present: the handler's idempotency layer refused the commit without one (428).
      const context = { idempotencyKey: call.headers.get('Idempotency-Key') ?? '' };
      const result = await answeringConflicts(engine, call, () => engine.commitChange(call.customer, request, ifMatch, call.languages, context));
      const invoice = result.invoice && (await withPayLink(result.invoice, call));
      return { body: { subscription: presentSubscription(result.subscription, call.permissions), invoice }, headers: etag(result.subscription) };
    },

    async cancelScheduledChange(call) {
      const { subscription, ifMatch } = await preconditions(engine, call);
      const id = call.params['id'] ?? '';
      const scheduled = subscription.scheduledChanges.find((change) => change.id === id);
      if (!scheduled) throw new BillingEngineError('not_found', { detail: 'No such scheduled change.' });
      requirePermission(call, scheduled.kind === 'plan_change' ? 'changePlan' : 'manageModules');
      const result = await answeringConflicts(engine, call, () => engine.cancelScheduledChange(call.customer, id, ifMatch, call.languages));
      return { body: presentSubscription(result, call.permissions), headers: etag(result) };
    },
  };
}
