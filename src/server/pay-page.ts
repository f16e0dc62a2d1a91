/**
 * The hosted test pay page: what a payment provider's hosted invoice page does, for engines
 * without one (test environments). An open invoice of such an engine gets as `hostedUrl` a
 * link to `…/v1/invoices/{id}/pay?customer=…&signature=…&lang=…`; this page shows what is due
 * and takes a test card (hosted-page.ts's form), then sends the customer back to the billing
 * page they came from with `billing_payment=succeeded`.
 *
 * The link authenticates by its signature alone (an HMAC over the customer and the invoice,
 * like the PDF links), so it works without credentials and cannot be turned to another
 * invoice or customer; it has no expiry, like a provider's hosted invoice link, and pays only
 * that invoice, only while it is open. The same protections as the card page: CSRF token,
 * fetch-metadata and `Origin` checks on POST, strict CSP, no framing, `no-store`. The way back
 * is the page's same-origin referrer (or an allowed origin's), checked again on POST.
 */
import { minorUnitDigits } from '../contract/money.js';
import type { Invoice } from '../contract/index.js';
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
  testNumbersHint,
  texts,
  type FormState,
  type Language,
} from './hosted-page.js';
import { constantTimeEqual, type Signer } from './signing.js';

const PURPOSE = 'invoice-pay';

export interface PayPageDeps {
  engine: BillingEngine;
  signer: Signer;
  now: () => number;
  /** Whether a URL may be sent back to after paying (the handler's own origin or an allowed one). */
  mayReturnTo: (url: URL, ownOrigin: string) => boolean;
  testMode: boolean;
}

export interface PayPage {
  /** The link an open invoice's `hostedUrl` carries; `base` is where the contract is mounted (before `/v1/…`). */
  link(base: URL, customer: CustomerId, invoiceId: string, language: string | undefined): Promise<string>;
  show(request: Request, url: URL, invoiceId: string): Promise<Response>;
  submit(request: Request, url: URL, invoiceId: string): Promise<Response>;
}

function formatMoney(language: Language, { amountMinor, currency }: Invoice['amountDue']): string {
  const digits = minorUnitDigits(currency);
  return new Intl.NumberFormat(language, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(amountMinor / 10 ** digits);
}

function closedPage(language: Language, status: number): Response {
  const t = texts[language];
  return htmlResponse({
    language,
    title: t.pay.closedTitle,
    status,
    body: `${banner(t)}<h1>${escapeHtml(t.pay.closedTitle)}</h1><p>${escapeHtml(t.pay.closed)}</p>`,
  });
}

export function createPayPage(deps: PayPageDeps): PayPage {
  const { engine, signer, now, testMode } = deps;
  const csrfTokenOf = (customer: string, invoiceId: string) => signer.sign(`${PURPOSE}-csrf`, customer, invoiceId);

  /** The customer and their open invoice, if the link is genuine and the invoice still open. */
  async function open(url: URL, invoiceId: string): Promise<{ customer: string; invoice: Invoice } | null> {
    const customer = url.searchParams.get('customer') ?? '';
    const signature = url.searchParams.get('signature') ?? '';
    if (!customer || !(await signer.verify(signature, PURPOSE, customer, invoiceId))) return null;
    const invoice = await engine.getInvoice(customer, invoiceId);
    return invoice?.status === 'open' && invoice.amountDue.amountMinor > 0 ? { customer, invoice } : null;
  }

  /** Where to go back after paying: the referring billing page, when it may be returned to. */
  const returnTarget = (candidate: string | null, ownOrigin: string): string | null => {
    try {
      const target = candidate ? new URL(candidate) : null;
      return target && deps.mayReturnTo(target, ownOrigin) ? target.href : null;
    } catch {
      return null;
    }
  };

  function formPage(language: Language, url: URL, invoice: Invoice, csrf: string, back: string | null, state: FormState, status: number) {
    const t = texts[language];
    const amount = formatMoney(language, invoice.amountDue);
    const action = `${url.pathname}${url.search}`;
    const body = `${banner(t)}
<h1>${escapeHtml(t.pay.title(invoice.number))}</h1>
<p class="due">${escapeHtml(t.pay.amountDue)} <strong>${escapeHtml(amount)}</strong></p>
<form method="post" action="${escapeHtml(action)}" novalidate>
<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
${back ? `<input type="hidden" name="return" value="${escapeHtml(back)}">` : ''}
${cardFields(t, state)}
<button type="submit">${escapeHtml(t.pay.submit(amount))}</button>
</form>
${back ? `<a class="cancel" href="${escapeHtml(back)}">${escapeHtml(t.pay.back)}</a>` : ''}
${testNumbersHint(t, testMode)}`;
    return htmlResponse({
      language,
      title: t.pay.title(invoice.number),
      status,
      body,
      formAction: ["'self'", ...(back ? [new URL(back).origin] : [])],
    });
  }

  return {
    async link(base, customer, invoiceId, language) {
      const url = new URL(base);
      url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/invoices/${encodeURIComponent(invoiceId)}/pay`;
      url.search = new URLSearchParams({
        customer,
        signature: await signer.sign(PURPOSE, customer, invoiceId),
        ...(language ? { lang: language } : {}),
      }).toString();
      url.hash = '';
      return url.href;
    },

    async show(request, url, invoiceId) {
      const language = pageLanguage(request.headers.get('Accept-Language'), url.searchParams.get('lang') ?? undefined);
      const opened = await open(url, invoiceId);
      if (!opened) return closedPage(language, 404);
      const back = returnTarget(request.headers.get('Referer'), url.origin);
      const state: FormState = { values: { expiry: '', name: '' }, errors: {} };
      return formPage(language, url, opened.invoice, await csrfTokenOf(opened.customer, invoiceId), back, state, 200);
    },

    async submit(request, url, invoiceId) {
      const language = pageLanguage(request.headers.get('Accept-Language'), url.searchParams.get('lang') ?? undefined);
      if (!fromThisPage(request, url.origin)) return closedPage(language, 403);
      const opened = await open(url, invoiceId);
      if (!opened) return closedPage(language, 404);
      const form = await readForm(request);
      if (!form) return closedPage(language, 403);
      const csrf = await csrfTokenOf(opened.customer, invoiceId);
      if (!constantTimeEqual(form.get('csrf') ?? '', csrf)) return closedPage(language, 403);
      const back = returnTarget(form.get('return'), url.origin);

      const read = readCardForm(form, now(), { testMode });
      if (!('card' in read)) {
        return formPage(language, url, opened.invoice, csrf, back, read, read.errors.number === 'declined' ? 402 : 400);
      }
      if (!engine.payInvoiceWithTestCard) throw new Error('The engine has no payInvoiceWithTestCard.');
      const outcome = await engine.payInvoiceWithTestCard(opened.customer, invoiceId, read.card);
      if (outcome === null) return closedPage(language, 404);
      if (outcome === 'declined') {
        const values = { expiry: form.get('expiry')?.trim() ?? '', name: form.get('name')?.trim() ?? '' };
        const declined: FormState = { values, errors: { number: 'declined' } };
        return formPage(language, url, opened.invoice, csrf, back, declined, 402);
      }
      if (back) {
        const target = new URL(back);
        target.searchParams.set('billing_payment', 'succeeded');
        return new Response(null, { status: 303, headers: { Location: target.href, 'Referrer-Policy': 'strict-origin' } });
      }
      const t = texts[language];
      return htmlResponse({
        language,
        title: t.pay.paidTitle,
        status: 200,
        body: `${banner(t)}<h1>${escapeHtml(t.pay.paidTitle)}</h1><p>${escapeHtml(t.pay.paid(opened.invoice.number))}</p>`,
      });
    },
  };
}
