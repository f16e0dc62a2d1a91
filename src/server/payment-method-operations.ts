/**
 * The payment method mutations, behind the handler's idempotency layer (so a repeated setup
 * click replays the same session, and a repeated "make default" the same list).
 *
 * All three need the user's `managePaymentMethods` permission, from the host's
 * `resolveCustomer` (403 `forbidden` for a read-only user); payment methods are not versioned,
 * so no `If-Match`.
 *
 * `returnUrl` must be on the handler's public origin (see origin.ts) or on an
 * origin of `allowedReturnOrigins`; anything else is 400 `validation_failed` on
 * `body.returnUrl` here, so no session ever redirects elsewhere (no open redirect).
 */
import { requestSchemas } from '../contract/index.js';
import type { BillingEngine } from './billing-engine.js';
import { BillingEngineError } from './errors.js';
import type { Call, Operations } from './operation.js';
import { SETUP_SESSION_TTL_MS, type SetupSessionStore } from './setup-sessions.js';
import { randomToken, sha256 } from './signing.js';
import { jsonBody, parseInput } from './validation.js';

export type PaymentMethodEndpoint = 'setupPaymentMethod' | 'setDefaultPaymentMethod' | 'removePaymentMethod';

export interface PaymentMethodDeps {
  sessions: SetupSessionStore;
  now: () => number;
  /** Origins `returnUrl` may point at besides the handler's own, e.g. `https://app.example.com`. */
  allowedReturnOrigins: ReadonlySet<string>;
}

const MAX_RETURN_URL = 2048;

function requirePermission(call: Call): void {
  if (!call.permissions.managePaymentMethods) {
    throw new BillingEngineError('forbidden', { detail: 'This user may not manage payment methods.' });
  }
}

/** `returnUrl` made absolute against the handler's origin, if it may be redirected to. */
export function checkedReturnUrl(returnUrl: string, ownOrigin: string, allowed: ReadonlySet<string>): string {
  let url: URL | null = null;
  try {
    url = new URL(returnUrl, ownOrigin);
  } catch {
    // Reported below.
  }
  const acceptable =
    url !== null &&
    returnUrl.length <= MAX_RETURN_URL &&
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    url.username === '' &&
    url.password === '' &&
    (url.origin === ownOrigin || allowed.has(url.origin));
  if (!url || !acceptable) {
    const message = 'must be a URL on this site or on an allowed origin';
    throw new BillingEngineError('validation_failed', {
      detail: `body.returnUrl ${message}.`,
      extras: { fieldErrors: [{ field: 'body.returnUrl', message }] },
    });
  }
  return url.href;
}

export function paymentMethodOperations(engine: BillingEngine, deps: PaymentMethodDeps): Operations<PaymentMethodEndpoint> {
  return {
    async setupPaymentMethod(call) {
      requirePermission(call);
      const request = parseInput(requestSchemas.setupPaymentMethod.body, jsonBody(call.body), 'body');
      const returnUrl = checkedReturnUrl(request.returnUrl, call.url.origin, deps.allowedReturnOrigins);
      const locale = request.locale ?? call.languages[0];
      const session = await engine.createSetupSession(call.customer, { returnUrl, ...(locale ? { locale } : {}) });
      if (session !== null) return { body: session };
      if (!engine.addTestCard) {
        throw new Error('The engine asked for the hosted test page (createSetupSession returned null) but has no addTestCard.');
      }
      // The hosted test page (setup-page.ts), at this endpoint's URL plus the session id.
      const id = randomToken();
      const expiresAt = deps.now() + SETUP_SESSION_TTL_MS;
      await deps.sessions.create(await sha256(id), { customer: call.customer, returnUrl, locale, expiresAt });
      const page = new URL(call.url);
      page.pathname = `${page.pathname.replace(/\/+$/, '')}/${id}`;
      page.search = '';
      page.hash = '';
      return { body: { kind: 'redirect', url: page.href, expiresAt: new Date(expiresAt).toISOString() } };
    },

    async setDefaultPaymentMethod(call) {
      requirePermission(call);
      const methods = await engine.setDefaultPaymentMethod(call.customer, call.params['id'] ?? '');
      if (methods === null) throw new BillingEngineError('not_found', { detail: 'No such payment method.' });
      return { body: { data: methods } };
    },

    async removePaymentMethod(call) {
      requirePermission(call);
      const methods = await engine.removePaymentMethod(call.customer, call.params['id'] ?? '');
      if (methods === null) throw new BillingEngineError('not_found', { detail: 'No such payment method.' });
      return { body: { data: methods } };
    },
  };
}
