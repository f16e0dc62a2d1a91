/**
 * What the hosted test pages share — the card page that adds a payment method (setup-page.ts)
 * and the page that pays an open invoice (pay-page.ts): their texts in English and French,
 * the card form and its checks, the test-environment banner, and the response every page is
 * sent with (strict CSP with no script, no framing, `no-store`, `Referrer-Policy: strict-origin`).
 *
 * Neither keeps a card number or a CVC: the number is checked (digits, length, Luhn) and only
 * its brand and last four digits go to the engine, with the expiry; the CVC is checked for
 * format and dropped. The pages say so, in large type.
 */
import { pickLanguage, preferredLanguages } from './accept-language.js';
import { FORM_BODY_LIMIT, readBody } from './body.js';
import {
  cardBrand,
  cardDigits,
  cvcValid,
  DECLINED_TEST_NUMBER,
  DECLINES_CHARGES_TEST_NUMBER,
  expiryAcceptable,
  luhnValid,
  parseExpiry,
  validLength,
} from './card.js';
import type { TestCard } from './billing-engine.js';
import { randomToken } from './signing.js';

/**
 * A submitted card form, read up to `FORM_BODY_LIMIT` (body.ts: a longer one is refused with
 * 413 as it streams), or `null` when it is not a URL-encoded form.
 */
export async function readForm(request: Request): Promise<URLSearchParams | null> {
  const type = request.headers.get('Content-Type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) return null;
  return new URLSearchParams(await readBody(request, FORM_BODY_LIMIT));
}

export const texts = {
  en: {
    title: 'Add a card',
    banner: 'Test environment — no real card is charged or stored',
    bannerDetail:
      'This page stands in for a payment provider. Use a test card number: only its brand, last four digits and expiry are kept.',
    testNumbers: 'Test cards: 4242 4242 4242 4242 (Visa), 5555 5555 5555 4444 (Mastercard), with any future expiry and any CVC. 4000 0000 0000 0002 is declined.',
    testModeNumbers: 'Test mode: 4000 0000 0000 0341 is accepted now and declines at the next renewal.',
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
    pay: {
      title: (number: string) => `Pay invoice ${number}`,
      amountDue: 'Amount due:',
      submit: (amount: string) => `Pay ${amount}`,
      paidTitle: 'Invoice paid',
      paid: (number: string) => `Invoice ${number} is paid. Thank you.`,
      closedTitle: 'Nothing to pay',
      closed: 'This invoice is paid already, or this link does not exist.',
      back: 'Back to the billing page',
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
    testModeNumbers: 'Mode test : 4000 0000 0000 0341 est acceptée maintenant et refusée au prochain renouvellement.',
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
    pay: {
      title: (number: string) => `Payer la facture ${number}`,
      amountDue: 'Montant dû :',
      submit: (amount: string) => `Payer ${amount}`,
      paidTitle: 'Facture payée',
      paid: (number: string) => `La facture ${number} est payée. Merci.`,
      closedTitle: 'Rien à payer',
      closed: 'Cette facture est déjà payée, ou ce lien n’existe pas.',
      back: 'Revenir à la page de facturation',
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

export type Language = keyof typeof texts;
export type Texts = (typeof texts)[Language];
export type FieldName = 'number' | 'expiry' | 'cvc' | 'name';
export type ErrorKey = keyof Texts['errors'];

/** The language of a page: the element's locale when it gave one, else the first of ours in `Accept-Language`. */
export function pageLanguage(acceptLanguage: string | null, locale?: string): Language {
  const asked = [...(locale ? [locale.toLowerCase()] : []), ...preferredLanguages(acceptLanguage)];
  return pickLanguage(asked, Object.keys(texts) as Language[], 'en');
}

export function escapeHtml(text: string): string {
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

export interface PageOptions {
  language: Language;
  title: string;
  body: string;
  /** Origins the form may post to (and be redirected to from there); none for pages without a form. */
  formAction?: string[];
  status: number;
}

export function htmlResponse({ language, title, body, formAction, status }: PageOptions): Response {
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

export function banner(t: Texts): string {
  return `<section class="test" aria-label="${escapeHtml(t.banner)}"><strong>${escapeHtml(t.banner)}</strong><p>${escapeHtml(t.bannerDetail)}</p></section>`;
}

export interface FormState {
  values: { expiry: string; name: string };
  errors: Partial<Record<FieldName, ErrorKey>>;
}

/** The error summary and the card fields (number, expiry, CVC, name) of a form, with their errors. */
export function cardFields(t: Texts, { values, errors }: FormState): string {
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
  return `${summary}
${field('number', t.number, 'type="text" inputmode="numeric" autocomplete="cc-number" maxlength="23" required')}
<div class="row"><div>
${field('expiry', t.expiry, 'type="text" inputmode="numeric" autocomplete="cc-exp" placeholder="MM/YY" maxlength="7" required', values.expiry)}
</div><div>
${field('cvc', t.cvc, 'type="text" inputmode="numeric" autocomplete="cc-csc" maxlength="4" required')}
</div></div>
${field('name', t.name, 'type="text" autocomplete="cc-name" maxlength="100" required', values.name)}`;
}

/** The test numbers a page lists (the test-mode one only in test mode). */
export function testNumbersHint(t: Texts, testMode: boolean): string {
  return `<p class="hint">${escapeHtml(t.testNumbers)}${testMode ? ` ${escapeHtml(t.testModeNumbers)}` : ''}</p>`;
}

/**
 * The card from a submitted form, or what is wrong with it. In test mode,
 * `4000 0000 0000 0341` is a card that declines charges; otherwise it is an ordinary one.
 */
export function readCardForm(form: URLSearchParams, now: number, { testMode = false } = {}): { card: TestCard } | FormState {
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
  const card: TestCard = { brand, last4: digits.slice(-4), expMonth: expiry.month, expYear: expiry.year };
  return { card: testMode && digits === DECLINES_CHARGES_TEST_NUMBER ? { ...card, declinesCharges: true } : card };
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

