/**
 * Invoice PDFs behind short-lived signed links.
 *
 * `GET /v1/invoices/{id}/pdf` (authenticated like every endpoint) checks that the invoice is
 * the customer's and has a PDF, and answers `{ url, expiresAt }`: a link to
 * `…/v1/invoices/{id}/pdf/file?customer=…&expires=…&signature=…`, valid five minutes. The file
 * route authenticates by that signature alone — an HMAC-SHA256 over the customer, the invoice
 * id and the expiry — so it works from a plain link or a download attribute, with no
 * credentials. A tampered or expired link gets 403; the signature is checked before the
 * expiry, so a forged link learns nothing.
 *
 * The customer id travels in the link: signed, so it cannot be changed, but readable. Hosts
 * whose customer ids must stay private can map them in `resolveCustomer` to opaque ones.
 */
import type { InvoicePdfLink } from '../contract/index.js';
import type { BillingEngine, CustomerId } from './billing-engine.js';
import { BillingEngineError } from './errors.js';
import { isLoopbackHost } from './origin.js';
import type { Signer } from './signing.js';

export const PDF_LINK_TTL_MS = 5 * 60_000;
const PURPOSE = 'invoice-pdf';

export interface PdfLinks {
  /** A signed link to the PDF, from the URL `GET …/pdf` was reached at, in the reader's language. */
  link(pdfEndpoint: URL, customer: CustomerId, invoiceId: string, languages: readonly string[]): Promise<InvoicePdfLink>;
  /** The file route: checks the link, then serves the document. */
  serve(url: URL, invoiceId: string): Promise<Response>;
}

/** A file name safe in a header and on every file system. */
function fileName(number: string): string {
  const safe = number.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '');
  return `${safe || 'invoice'}.pdf`;
}

/**
 * Where the engine keeps the document (e.g. Stripe's `invoice_pdf`): a redirect, once the
 * link is checked. Only `https:` (or `http:` on a loopback host, for tests and stand-ins).
 */
function redirectTo(location: string): Response {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    throw new BillingEngineError('internal', { detail: 'The engine gave an invoice PDF URL that is not a URL.' });
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new BillingEngineError('internal', { detail: 'The engine gave an invoice PDF URL that is not https.' });
  }
  return new Response(null, { status: 302, headers: { Location: url.href, 'Cache-Control': 'private, no-store' } });
}

export function createPdfLinks(engine: BillingEngine, signer: Signer, now: () => number): PdfLinks {
  const refuse = (detail: string) => new BillingEngineError('forbidden', { detail });

  return {
    async link(pdfEndpoint, customer, invoiceId, languages) {
      const invoice = await engine.getInvoice(customer, invoiceId);
      if (invoice === null || !invoice.hasPdf) {
        throw new BillingEngineError('not_found', { detail: invoice ? 'This invoice has no PDF.' : 'No such invoice.' });
      }
      const expiresAt = Math.floor((now() + PDF_LINK_TTL_MS) / 1000) * 1000;
      const expires = String(expiresAt / 1000);
      const url = new URL(pdfEndpoint);
      url.pathname = `${url.pathname.replace(/\/+$/, '')}/file`;
      url.search = new URLSearchParams({
        customer,
        expires,
        signature: await signer.sign(PURPOSE, customer, invoiceId, expires),
        // Outside the signature: it only chooses the document's language.
        ...(languages[0] ? { lang: languages[0] } : {}),
      }).toString();
      url.hash = '';
      return { url: url.href, expiresAt: new Date(expiresAt).toISOString() };
    },

    async serve(url, invoiceId) {
      const customer = url.searchParams.get('customer') ?? '';
      const expires = url.searchParams.get('expires') ?? '';
      const signature = url.searchParams.get('signature') ?? '';
      if (!customer || !/^\d{1,12}$/.test(expires) || !(await signer.verify(signature, PURPOSE, customer, invoiceId, expires))) {
        throw refuse('This link to an invoice PDF is not valid.');
      }
      if (now() >= Number(expires) * 1000) throw refuse('This link to an invoice PDF has expired; ask for a new one.');
      const invoice = await engine.getInvoice(customer, invoiceId);
      const lang = url.searchParams.get('lang');
      const languages = lang && /^[A-Za-z0-9-]{1,35}$/.test(lang) ? [lang] : [];
      const pdf = invoice?.hasPdf ? await engine.renderInvoicePdf(customer, invoiceId, languages) : null;
      if (invoice === null || pdf === null) throw new BillingEngineError('not_found', { detail: 'No such invoice.' });
      if (!(pdf instanceof Uint8Array)) return redirectTo(pdf.url);
      // A copy on a plain ArrayBuffer, whatever the engine's bytes sit on.
      return new Response(new Uint8Array(pdf), {
        status: 200,
        headers: {
          'Content-Type': 'application/pdf',
          'Content-Disposition': `attachment; filename="${fileName(invoice.number)}"`,
          'Content-Length': String(pdf.byteLength),
          'Cache-Control': 'private, no-store',
          'X-Content-Type-Options': 'nosniff',
        },
      });
    },
  };
}
