/**
 * The hosted test page: what a payment provider's hosted card page does, for test
 * environments. `POST /v1/payment-methods/setup` (when the engine has no provider session of
 * its own) redirects the customer to `…/v1/payment-methods/setup/{session}`; this page takes
 * a test card and sends them back to `returnUrl` with `billing_setup=succeeded` (or
 * `canceled` from its cancel link). It speaks the language the element asked for (`locale`
 * in the setup request), else the browser's. The card form is hosted-page.ts's.
 *
 * Security:
 * - the session id is 256 random bits, stored only as a digest, valid 30 minutes, single use;
 * - the form carries a CSRF token (an HMAC of the session id) checked on POST, and the POST
 *   is refused when `Sec-Fetch-Site` says another site or `Origin` is another origin;
 * - a customer the host recognises on the request (`resolveCustomer`) must be the one who
 *   started the session; the page itself works without credentials (bearer-token hosts);
 * - strict CSP (no script at all; styles by nonce; forms only to this origin and the return
 *   origin; no framing), `Referrer-Policy: strict-origin` so the session URL never leaks to
 *   the return page (only the origin does), `no-store`;
 * - the return URL was checked when the session was created (same origin or allow-list).
 */
import type { BillingEngine, CustomerId } from './billing-engine.js';
import {
  banner,
  cardFields,
  escapeHtml,
  fromThisPage,
  htmlResponse,
  pageLanguage,
  readCardForm,
  readForm,
  returnUrlWith,
  testNumbersHint,
  texts,
  type FormState,
  type Language,
} from './hosted-page.js';
import type { SetupSessionRecord, SetupSessionStore } from './setup-sessions.js';
import { constantTimeEqual, sha256, type Signer } from './signing.js';

export { fromThisPage, pageLanguage, readCardForm, returnUrlWith } from './hosted-page.js';

type Gone = 'unknown' | 'used' | 'expired' | 'forbidden' | 'failed';
const GONE_STATUS: Record<Gone, number> = { unknown: 404, used: 410, expired: 410, forbidden: 403, failed: 500 };

function messagePage(language: Language, kind: Gone, backUrl: string | null): Response {
  const t = texts[language];
  const title = t.gone[`${kind}Title`];
  const back = backUrl ? `<p><a href="${escapeHtml(backUrl)}">${escapeHtml(t.gone.back)}</a></p>` : '';
  return htmlResponse({
    language,
    title,
    status: GONE_STATUS[kind],
    body: `${banner(t)}<h1>${escapeHtml(title)}</h1><p>${escapeHtml(t.gone[kind])}</p>${back}`,
  });
}

function formPage(
  language: Language,
  session: SetupSessionRecord,
  action: URL,
  csrfToken: string,
  state: FormState,
  status: number,
  testMode: boolean,
): Response {
  const t = texts[language];
  const expiresAt = new Date(session.expiresAt).toISOString().slice(11, 16);
  const body = `${banner(t)}
<h1>${escapeHtml(t.title)}</h1>
<form method="post" action="${escapeHtml(action.pathname)}" novalidate>
<input type="hidden" name="csrf" value="${escapeHtml(csrfToken)}">
${cardFields(t, state)}
<button type="submit">${escapeHtml(t.submit)}</button>
</form>
<a class="cancel" href="${escapeHtml(returnUrlWith(session.returnUrl, 'canceled'))}">${escapeHtml(t.cancel)}</a>
${testNumbersHint(t, testMode)}
<p class="expires">${escapeHtml(t.expires(expiresAt))}</p>`;
  return htmlResponse({
    language,
    title: t.title,
    status,
    body,
    formAction: ["'self'", new URL(session.returnUrl).origin],
  });
}

export interface SetupPageDeps {
  engine: BillingEngine;
  sessions: SetupSessionStore;
  signer: Signer;
  now: () => number;
  /** Who the host recognises on the request, if anyone (never required here). */
  resolveCustomer: (request: Request) => CustomerId | null | Promise<CustomerId | null>;
  onError: (error: unknown) => void;
  /** Test mode: the card that declines charges (`4000 0000 0000 0341`) is taken as such. */
  testMode: boolean;
}

export interface SetupPage {
  /** `url` is the page's public URL; `sessionId` its last path segment. */
  show(request: Request, url: URL, sessionId: string): Promise<Response>;
  submit(request: Request, url: URL, sessionId: string): Promise<Response>;
}

export function createSetupPage(deps: SetupPageDeps): SetupPage {
  const { engine, sessions, signer, now, testMode } = deps;
  const csrfTokenOf = (sessionId: string) => signer.sign('setup-csrf', sessionId);

  /** The session if the page may be shown for it (and the page's language), or the page saying why not. */
  async function open(
    request: Request,
    sessionId: string,
  ): Promise<{ refusal: Response } | { key: string; session: SetupSessionRecord; language: Language }> {
    const accepted = request.headers.get('Accept-Language');
    const key = /^[A-Za-z0-9_-]{43}$/.test(sessionId) ? await sha256(sessionId) : null;
    const session = key ? await sessions.get(key) : null;
    if (!key || !session) return { refusal: messagePage(pageLanguage(accepted), 'unknown', null) };
    const language = pageLanguage(accepted, session.locale);
    if (session.usedAt !== null) return { refusal: messagePage(language, 'used', null) };
    if (session.expiresAt <= now()) {
      return { refusal: messagePage(language, 'expired', returnUrlWith(session.returnUrl, 'canceled')) };
    }
    let recognised: CustomerId | null = null;
    try {
      recognised = await deps.resolveCustomer(request);
    } catch {
      recognised = null;
    }
    if (recognised && recognised !== session.customer) return { refusal: messagePage(language, 'forbidden', null) };
    return { key, session, language };
  }

  return {
    async show(request, url, sessionId) {
      const opened = await open(request, sessionId);
      if ('refusal' in opened) return opened.refusal;
      const state: FormState = { values: { expiry: '', name: '' }, errors: {} };
      return formPage(opened.language, opened.session, url, await csrfTokenOf(sessionId), state, 200, testMode);
    },

    async submit(request, url, sessionId) {
      if (!fromThisPage(request, url.origin)) {
        return messagePage(pageLanguage(request.headers.get('Accept-Language')), 'forbidden', null);
      }
      const opened = await open(request, sessionId);
      if ('refusal' in opened) return opened.refusal;
      const { key, session, language } = opened;
      const form = await readForm(request);
      if (!form) return messagePage(language, 'forbidden', null);
      const expected = await csrfTokenOf(sessionId);
      if (!constantTimeEqual(form.get('csrf') ?? '', expected)) return messagePage(language, 'forbidden', null);

      const read = readCardForm(form, now(), { testMode });
      if (!('card' in read)) {
        const status = read.errors.number === 'declined' ? 402 : 400;
        return formPage(language, session, url, expected, read, status, testMode);
      }
      if (!(await sessions.use(key, now()))) return messagePage(language, 'used', null);
      try {
        if (!engine.addTestCard) throw new Error('The engine has no addTestCard.');
        await engine.addTestCard(session.customer, read.card);
      } catch (error) {
        deps.onError(error);
        return messagePage(language, 'failed', returnUrlWith(session.returnUrl, 'canceled'));
      }
      return new Response(null, {
        status: 303,
        headers: { Location: returnUrlWith(session.returnUrl, 'succeeded'), 'Referrer-Policy': 'strict-origin' },
      });
    },
  };
}
