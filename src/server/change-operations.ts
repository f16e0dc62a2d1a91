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
 * Permissions come from `Subscription.permissions`, so every engine is guarded alike. A
 * preview changes nothing and is open to read-only users too (to see what a change would cost).
 */
import { requestSchemas, type Permissions, type Subscription } from '../contract/index.js';
import type { BillingEngine, CustomerId } from './billing-engine.js';
import { BillingEngineError } from './errors.js';
import type { Call, Operations, PayLinker } from './operation.js';
import { versionOfTag } from './representation.js';
import { jsonBody, parseInput } from './validation.js';

export type ChangeEndpoint = 'previewChange' | 'commitChange' | 'cancelScheduledChange';

async function subscriptionOf(engine: BillingEngine, customer: CustomerId, languages: readonly string[]): Promise<Subscription> {
  const subscription = await engine.getSubscription(customer, languages);
  if (subscription === null) throw new BillingEngineError('no_subscription');
  return subscription;
}

function requirePermission(subscription: Subscription, ...anyOf: (keyof Permissions)[]): void {
  if (anyOf.some((permission) => subscription.permissions[permission])) return;
  throw new BillingEngineError('forbidden', { detail: 'This user may not change the subscription.' });
}

/** The version `If-Match` names, checked against `subscription`. */
function ifMatchOf(call: Call, subscription: Subscription): string {
  const raw = call.headers.get('If-Match')?.trim() ?? '';
  if (raw === '') {
    throw new BillingEngineError('precondition_required', {
      detail: 'Send If-Match with the subscription version (its ETag).',
    });
  }
  const version = versionOfTag(raw);
  if (version !== subscription.version) {
    throw new BillingEngineError('version_conflict', {
      detail: 'The subscription changed since it was read.',
      extras: { current: subscription },
    });
  }
  return version;
}

/** Steps 1 and 2 above. */
async function preconditions(engine: BillingEngine, call: Call) {
  const subscription = await subscriptionOf(engine, call.customer, call.languages);
  requirePermission(subscription, 'changePlan', 'manageModules');
  return { subscription, ifMatch: ifMatchOf(call, subscription) };
}

const etag = (subscription: Subscription) => ({ ETag: `"${subscription.version}"` });

export function changeOperations(engine: BillingEngine, withPayLink: PayLinker): Operations<ChangeEndpoint> {
  return {
    async previewChange({ customer, body, languages }) {
      const request = parseInput(requestSchemas.previewChange.body, jsonBody(body), 'body');
      return { body: await engine.previewChange(customer, request, languages) };
    },

    async commitChange(call) {
      const { subscription, ifMatch } = await preconditions(engine, call);
      const request = parseInput(requestSchemas.commitChange.body, jsonBody(call.body), 'body');
      requirePermission(subscription, request.change.type === 'plan' ? 'changePlan' : 'manageModules');
      const result = await engine.commitChange(call.customer, request, ifMatch, call.languages);
      const invoice = result.invoice && (await withPayLink(result.invoice, call));
      return { body: { ...result, invoice }, headers: etag(result.subscription) };
    },

    async cancelScheduledChange(call) {
      const { subscription, ifMatch } = await preconditions(engine, call);
      const id = call.params['id'] ?? '';
      const scheduled = subscription.scheduledChanges.find((change) => change.id === id);
      if (!scheduled) throw new BillingEngineError('not_found', { detail: 'No such scheduled change.' });
      requirePermission(subscription, scheduled.kind === 'plan_change' ? 'changePlan' : 'manageModules');
      const result = await engine.cancelScheduledChange(call.customer, id, ifMatch, call.languages);
      return { body: result, headers: etag(result) };
    },
  };
}
