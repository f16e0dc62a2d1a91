/**
 * The hosted test page: what a payment provider's hosted card page does, for test
 * environments. `POST /v1/payment-methods/setup` (when the engine has no provider session of
 * its own) redirects the customer to `…/v1/payment-methods/setup/{session}`; this page takes
 * a test card and sends them back to `returnUrl` with `billing_setup=succeeded` (or
 * `canceled` from its cancel link).
 *
 * It never keeps a card number or a CVC: the number is checked (digits, length, Luhn) and
 * only its brand and last four digits go to the engine, with the expiry; the CVC is checked
 * for format and dropped. The page says so, in large type.
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
import {
  cardBrand,
  cardDigits,
  cvcValid,
  DECLINED_TEST_NUMBER,
  expiryAcceptable,
  luhnValid,
  parseExpiry,
  validLength,
} from './card.js';
import type { BillingEngine, CustomerId, TestCard } from './engine.js';
import type { SetupSessionRecord, SetupSessionStore } from './setup-sessions.js';
import { constantTimeEqual, randomToken, sha256, type Signer } from './signing.js';

const MAX_FORM_BYTES = 8 * 1024;

const texts = {
  en: {
    title: 'Add a card',
    banner: 'Test environment — no real card is charged or stored',
    bannerDetail:
      'This page stands in for a payment provider. Use a test card number: only its brand, last four digits and expiry are kept.',
    testNumbers: 'Test cards: 4242 4242 4242 4242 (Visa), 5555 5555 5555 4444 (Mastercard), with any future expiry and any CVC. 4000 0000 0000 0002 is declined.',
    number: 'Card number',
    expiry: 'Expiry (MM/YY)',
    cvc: 'CVC',
    name: 'Name on the card',
    submit: 'Save the card',
    cancel: 'Cancel and go back',
    expires: (time: string) => `This page expires at ${time} UTC.`,
    errorsHeading: 'Please correct the following:',
    errors: {
      numberMissing: 'Enter the card number.',
      numberInvalid: 'This card number is not valid (check the digits).',
      declined: 'This test card is declined. Use another one.',
      expiryInvalid: 'Enter the expiry as MM/YY.',
      expiryPast: 'This card has expired.',
      expiryTooFar: 'This expiry date is too far away.',
      cvcInvalid: 'Enter the 3 digits on the back of the card (4 on the front for American Express).',
      nameMissing: 'Enter the name on the card.',
      nameTooLong: 'This name is too long.',
    },
    gone: {
      unknownTitle: 'Link not found',
      unknown: 'This card setup link does not exist. Start again from your billing page.',
      usedTitle: 'Link already used',
      used: 'This card setup link has already been used. Start again from your billing page to add another card.',
      expiredTitle: 'Link expired',
      expired: 'This card setup link has expired. Start again from your billing page.',
      forbiddenTitle: 'Not allowed',
      forbidden: 'This form could not be accepted. Reload the page from your billing page and try again.',
      failedTitle: 'Card not saved',
      failed: 'The card could not be saved. Nothing was recorded; start again from your billing page.',
      back: 'Back to the billing page',
    },
  },
  fr: {
    title: 'Ajouter une carte',
    banner: 'Environnement de test — aucune vraie carte n’est débitée ni conservée',
    bannerDetail:
      'Cette page tient lieu de prestataire de paiement. Utilisez un numéro de carte de test : seuls la marque, les quatre derniers chiffres et l’expiration sont conservés.',
    testNumbers:
      'Cartes de test : 4242 4242 4242 4242 (Visa), 5555 5555 5555 4444 (Mastercard), avec une date future et un CVC quelconques. 4000 0000 0000 0002 est refusée.',
    number: 'Numéro de carte',
    expiry: 'Expiration (MM/AA)',
    cvc: 'CVC',
    name: 'Nom sur la carte',
    submit: 'Enregistrer la carte',
    cancel: 'Annuler et revenir',
    expires: (time: string) => `Cette page expire à ${time} UTC.`,
    errorsHeading: 'Veuillez corriger ce qui suit :',
    errors: {
      numberMissing: 'Saisissez le numéro de carte.',
      numberInvalid: 'Ce numéro de carte n’est pas valide (vérifiez les chiffres).',
      declined: 'Cette carte de test est refusée. Utilisez-en une autre.',
      expiryInvalid: 'Saisissez l’expiration au format MM/AA.',
      expiryPast: 'Cette carte a expiré.',
      expiryTooFar: 'Cette date d’expiration est trop lointaine.',
      cvcInvalid: 'Saisissez les 3 chiffres au dos de la carte (4 au recto pour American Express).',
      nameMissing: 'Saisissez le nom figurant sur la carte.',
      nameTooLong: 'Ce nom est trop long.',
    },
    gone: {
      unknownTitle: 'Lien introuvable',
      unknown: 'Ce lien d’ajout de carte n’existe pas. Recommencez depuis votre page de facturation.',
      usedTitle: 'Lien déjà utilisé',
      used: 'Ce lien d’ajout de carte a déjà servi. Recommencez depuis votre page de facturation pour ajouter une autre carte.',
      expiredTitle: 'Lien expiré',
      expired: 'Ce lien d’ajout de carte a expiré. Recommencez depuis votre page de facturation.',
      forbiddenTitle: 'Action refusée',
      forbidden: 'Ce formulaire n’a pas pu être accepté. Rouvrez la page depuis votre page de facturation et réessayez.',
      failedTitle: 'Carte non enregistrée',
      failed: 'La carte n’a pas pu être enregistrée. Rien n’a été conservé ; recommencez depuis votre page de facturation.',
      back: 'Revenir à la page de facturation',
    },
  },
} as const;

type Language = keyof typeof texts;
type Texts = (typeof texts)[Language];
type FieldName = 'number' | 'expiry' | 'cvc' | 'name';
type ErrorKey = keyof Texts['errors'];

/** The language of the page: the first of ours in `Accept-Language`, by weight. */
export function pageLanguage(acceptLanguage: string | null): Language {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { language: tag.toLowerCase().split('-')[0] ?? '', q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  const match = ranked.find((entry): entry is typeof entry & { language: Language } => Object.hasOwn(texts, entry.language));
  return match?.language ?? 'en';
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** `returnUrl` with `billing_setup=<outcome>` added to its query (its fragment kept). */
export function returnUrlWith(returnUrl: string, outcome: 'succeeded' | 'canceled'): string {
  const url = new URL(returnUrl);
  url.searchParams.set('billing_setup', outcome);
  return url.href;
}

const STYLE = `
:root{color-scheme:light dark;font:16px/1.5 system-ui,sans-serif}
body{margin:0;padding:1.5rem 1rem;background:Canvas;color:CanvasText}
main{max-width:28rem;margin:0 auto}
.test{border:3px dashed #b45309;background:#fef3c7;color:#451a03;padding:.75rem 1rem;border-radius:.5rem;margin:0 0 1.5rem}
.test strong{display:block;font-size:1.15rem}
.test p{margin:.25rem 0 0}
h1{font-size:1.5rem;margin:0 0 1rem}
label{display:block;font-weight:600;margin-top:1rem}
input{box-sizing:border-box;width:100%;font:inherit;padding:.5rem .625rem;margin-top:.25rem;border:1px solid GrayText;border-radius:.375rem;background:Field;color:FieldText}
input[aria-invalid=true]{border:2px solid #b91c1c}
.row{display:flex;gap:1rem}.row>div{flex:1}
.error{color:#b91c1c;margin:.25rem 0 0;font-size:.9rem}
.summary{border:2px solid #b91c1c;border-radius:.5rem;padding:.5rem 1rem;margin-bottom:1rem}
.summary p{margin:0}.summary ul{margin:.25rem 0 0;padding-left:1.25rem}.summary a{color:inherit}
button{margin-top:1.5rem;width:100%;font:inherit;font-weight:600;padding:.625rem;border:0;border-radius:.375rem;background:#1d4ed8;color:#fff;cursor:pointer}
button:focus-visible,a:focus-visible,input:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.cancel{display:block;text-align:center;margin-top:1rem}
.hint,.expires{font-size:.875rem;opacity:.85}
@media (prefers-color-scheme:dark){.test{background:#451a03;color:#fef3c7}.error{color:#fca5a5}input[aria-invalid=true],.summary{border-color:#fca5a5}}
@media (forced-colors:active){.test,.summary{border-color:CanvasText}}
`;

interface PageOptions {
  language: Language;
  title: string;
  body: string;
  /** Origins the form may post to (and be redirected to from there); none for pages without a form. */
  formAction?: string[];
  status: number;
}

function htmlResponse({ language, title, body, formAction, status }: PageOptions): Response {
  const nonce = randomToken(16);
  const html = `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
  const csp = [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    `form-action ${formAction?.length ? formAction.join(' ') : "'none'"}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  return new Response(html, {
    status,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': csp,
      // Other sites (the return page among them) see the origin only, never the session URL;
      // this page's own form posts still carry Origin (`no-referrer` would make it "null").
      'Referrer-Policy': 'strict-origin',
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    },
  });
}

function banner(t: Texts): string {
  return `<section class="test" aria-label="${escapeHtml(t.banner)}"><strong>${escapeHtml(t.banner)}</strong><p>${escapeHtml(t.bannerDetail)}</p></section>`;
}

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

interface FormState {
  values: { expiry: string; name: string };
  errors: Partial<Record<FieldName, ErrorKey>>;
}

function formPage(
  language: Language,
  session: SetupSessionRecord,
  action: URL,
  csrfToken: string,
  state: FormState,
  status: number,
): Response {
  const t = texts[language];
  const { values, errors } = state;
  const field = (name: FieldName, label: string, attributes: string, value = '') => {
    const error = errors[name];
    const described = error ? ` aria-invalid="true" aria-describedby="${name}-error"` : '';
    return `<label for="${name}">${escapeHtml(label)}</label>
<input id="${name}" name="${name}" ${attributes} value="${escapeHtml(value)}"${described}>
${error ? `<p class="error" id="${name}-error">${escapeHtml(t.errors[error])}</p>` : ''}`;
  };
  const errorList = (Object.entries(errors) as [FieldName, ErrorKey][]).map(
    ([name, key]) => `<li><a href="#${name}">${escapeHtml(t.errors[key])}</a></li>`,
  );
  const summary = errorList.length
    ? `<div class="summary" role="alert"><p>${escapeHtml(t.errorsHeading)}</p><ul>${errorList.join('')}</ul></div>`
    : '';
  const expiresAt = new Date(session.expiresAt).toISOString().slice(11, 16);
  const body = `${banner(t)}
<h1>${escapeHtml(t.title)}</h1>
${summary}
<form method="post" action="${escapeHtml(action.pathname)}" novalidate>
<input type="hidden" name="csrf" value="${escapeHtml(csrfToken)}">
${field('number', t.number, 'type="text" inputmode="numeric" autocomplete="cc-number" maxlength="23" required')}
<div class="row"><div>
${field('expiry', t.expiry, 'type="text" inputmode="numeric" autocomplete="cc-exp" placeholder="MM/YY" maxlength="7" required', values.expiry)}
</div><div>
${field('cvc', t.cvc, 'type="text" inputmode="numeric" autocomplete="cc-csc" maxlength="4" required')}
</div></div>
${field('name', t.name, 'type="text" autocomplete="cc-name" maxlength="100" required', values.name)}
<button type="submit">${escapeHtml(t.submit)}</button>
</form>
<a class="cancel" href="${escapeHtml(returnUrlWith(session.returnUrl, 'canceled'))}">${escapeHtml(t.cancel)}</a>
<p class="hint">${escapeHtml(t.testNumbers)}</p>
<p class="expires">${escapeHtml(t.expires(expiresAt))}</p>`;
  return htmlResponse({
    language,
    title: t.title,
    status,
    body,
    formAction: ["'self'", new URL(session.returnUrl).origin],
  });
}

/** The card from a submitted form, or what is wrong with it. */
export function readCardForm(form: URLSearchParams, now: number): { card: TestCard } | FormState {
  const values = { expiry: (form.get('expiry') ?? '').trim().slice(0, 16), name: (form.get('name') ?? '').trim().slice(0, 200) };
  const errors: FormState['errors'] = {};
  const rawNumber = form.get('number') ?? '';
  const digits = cardDigits(rawNumber);
  const brand = digits ? cardBrand(digits) : 'unknown';
  if (rawNumber.trim() === '') errors.number = 'numberMissing';
  else if (!digits || !validLength(digits, brand) || !luhnValid(digits)) errors.number = 'numberInvalid';
  const expiry = parseExpiry(values.expiry);
  if (!expiry) errors.expiry = 'expiryInvalid';
  else {
    const verdict = expiryAcceptable(expiry, now);
    if (verdict === 'past') errors.expiry = 'expiryPast';
    if (verdict === 'too_far') errors.expiry = 'expiryTooFar';
  }
  if (!cvcValid(form.get('cvc') ?? '', brand)) errors.cvc = 'cvcInvalid';
  if (values.name === '') errors.name = 'nameMissing';
  else if (values.name.length > 100) errors.name = 'nameTooLong';
  if (!errors.number && digits === DECLINED_TEST_NUMBER) errors.number = 'declined';
  if (Object.keys(errors).length > 0 || !digits || !expiry) return { values, errors };
  return { card: { brand, last4: digits.slice(-4), expMonth: expiry.month, expYear: expiry.year } };
}

/**
 * Whether a POST comes from this page, by fetch metadata and `Origin` when the browser sends
 * them (the CSRF token is checked besides). The page's `Referrer-Policy: strict-origin` keeps
 * `Origin` on its own form posts; `Origin: null` (a `no-referrer` context) is only taken
 * along with `Sec-Fetch-Site: same-origin`.
 */
export function fromThisPage(request: Request, ownOrigin: string): boolean {
  const site = request.headers.get('Sec-Fetch-Site');
  const origin = request.headers.get('Origin');
  if (site !== null && site !== 'same-origin') return false;
  if (origin === null) return true;
  return origin === 'null' ? site === 'same-origin' : origin === ownOrigin;
}

export interface SetupPageDeps {
  engine: BillingEngine;
  sessions: SetupSessionStore;
  signer: Signer;
  now: () => number;
  /** Who the host recognises on the request, if anyone (never required here). */
  resolveCustomer: (request: Request) => CustomerId | null | Promise<CustomerId | null>;
  onError: (error: unknown) => void;
}

export interface SetupPage {
  /** `url` is the page's public URL; `sessionId` its last path segment. */
  show(request: Request, url: URL, sessionId: string): Promise<Response>;
  submit(request: Request, url: URL, sessionId: string): Promise<Response>;
}

export function createSetupPage(deps: SetupPageDeps): SetupPage {
  const { engine, sessions, signer, now } = deps;
  const csrfTokenOf = (sessionId: string) => signer.sign('setup-csrf', sessionId);

  /** The session if the page may be shown for it, or the page saying why not. */
  async function open(
    request: Request,
    language: Language,
    sessionId: string,
  ): Promise<{ refusal: Response } | { key: string; session: SetupSessionRecord }> {
    const key = /^[A-Za-z0-9_-]{43}$/.test(sessionId) ? await sha256(sessionId) : null;
    const session = key ? await sessions.get(key) : null;
    if (!key || !session) return { refusal: messagePage(language, 'unknown', null) };
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
    return { key, session };
  }

  return {
    async show(request, url, sessionId) {
      const language = pageLanguage(request.headers.get('Accept-Language'));
      const opened = await open(request, language, sessionId);
      if ('refusal' in opened) return opened.refusal;
      const state: FormState = { values: { expiry: '', name: '' }, errors: {} };
      return formPage(language, opened.session, url, await csrfTokenOf(sessionId), state, 200);
    },

    async submit(request, url, sessionId) {
      const language = pageLanguage(request.headers.get('Accept-Language'));
      if (!fromThisPage(request, url.origin)) return messagePage(language, 'forbidden', null);
      const opened = await open(request, language, sessionId);
      if ('refusal' in opened) return opened.refusal;
      const { key, session } = opened;
      const text = await request.text();
      const type = request.headers.get('Content-Type') ?? '';
      if (text.length > MAX_FORM_BYTES || !type.startsWith('application/x-www-form-urlencoded')) {
        return messagePage(language, 'forbidden', null);
      }
      const form = new URLSearchParams(text);
      const expected = await csrfTokenOf(sessionId);
      if (!constantTimeEqual(form.get('csrf') ?? '', expected)) return messagePage(language, 'forbidden', null);

      const read = readCardForm(form, now());
      if (!('card' in read)) {
        const status = read.errors.number === 'declined' ? 402 : 400;
        return formPage(language, session, url, expected, read, status);
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
