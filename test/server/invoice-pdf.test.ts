/**
 * Invoice PDFs: the signed link, the file behind it, what the document shows, and every way
 * a link can be refused — over the real handler and reference engine.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import { InvoicePage, InvoicePdfLink } from '../../src/contract/index.js';
import { createBillingHandler, PDF_LINK_TTL_MS } from '../../src/server/index.js';
import { BASE, bearer, demoEngine, harness, movableClock, NOW, ok, problem, type Harness } from './helpers.js';
import { pdfTextRuns } from './pdf-text.js';

const DEMO_INVOICE = 'inv_2026_0005'; // F-2026-0005, open, Pro + e-signature + accounting export

async function linkFor(h: Harness, invoiceId = DEMO_INVOICE, customer = 'cus_demo'): Promise<InvoicePdfLink> {
  return ok(await h.get(`/v1/invoices/${invoiceId}/pdf`, customer), InvoicePdfLink);
}

/** Fetches a link as a browser following it would: no credentials. */
async function download(h: Harness, url: string): Promise<Response> {
  return h.handler(new Request(url));
}

async function pdfOf(response: Response): Promise<{ bytes: Uint8Array; text: string; runs: string[] }> {
  assert.equal(response.status, 200, await response.clone().text());
  const bytes = new Uint8Array(await response.arrayBuffer());
  const runs = pdfTextRuns(bytes);
  return { bytes, runs, text: runs.join('\n') };
}

function tamper(url: string, name: string, change: (value: string) => string): string {
  const tampered = new URL(url);
  tampered.searchParams.set(name, change(tampered.searchParams.get(name) ?? ''));
  return tampered.href;
}

describe('GET /v1/invoices/{id}/pdf', () => {
  it('answers a signed link to a file route of the handler, valid five minutes', async () => {
    const h = harness();
    const link = await linkFor(h);
    const url = new URL(link.url);
    assert.equal(`${url.origin}${url.pathname}`, `${BASE}/v1/invoices/${DEMO_INVOICE}/pdf/file`);
    assert.deepEqual([...url.searchParams.keys()], ['customer', 'expires', 'signature']);
    assert.match(url.searchParams.get('signature') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.equal(link.expiresAt, new Date(NOW.getTime() + PDF_LINK_TTL_MS).toISOString());
    assert.equal(Number(url.searchParams.get('expires')) * 1000, Date.parse(link.expiresAt));
  });

  it('serves a PDF that pdf-lib loads, with the invoice number in its title and drawn on the page', async () => {
    const h = harness();
    const response = await download(h, (await linkFor(h)).url);
    assert.equal(response.headers.get('Content-Type'), 'application/pdf');
    assert.equal(response.headers.get('Content-Disposition'), 'attachment; filename="F-2026-0005.pdf"');
    assert.equal(response.headers.get('X-Content-Type-Options'), 'nosniff');
    assert.match(response.headers.get('Cache-Control') ?? '', /no-store/);
    const { bytes, runs } = await pdfOf(response);
    assert.equal(Buffer.from(bytes.subarray(0, 5)).toString('latin1'), '%PDF-');
    assert.equal(Number(response.headers.get('Content-Length')), bytes.length);

    const doc = await PDFDocument.load(bytes);
    assert.equal(doc.getPageCount(), 1);
    assert.equal(doc.getTitle(), 'Facture F-2026-0005');
    assert.equal(doc.getAuthor(), 'billing-elements demo SaaS');
    assert.ok(runs.includes('F-2026-0005'), `drawn: ${runs.join(' | ')}`);
  });

  it('shows seller, customer, dates, period, each line with its period and amount, and totals — in French for a French customer', async () => {
    const h = harness();
    const { runs } = await pdfOf(await download(h, (await linkFor(h)).url));
    for (const expected of [
      // Seller (the reference engine's default) and customer, address included.
      'billing-elements demo SaaS',
      'N° de TVA : FR00 123456789',
      'Facturé à',
      'Atelier Lumière SARL',
      '8 rue des Artisans',
      '69002 Lyon',
      'compta@atelier-lumiere.fr',
      // Title, number, dates, period.
      'FACTURE',
      'Payée',
      'Date d’émission',
      '3 mars 2026',
      'Date d’échéance',
      '2 avril 2026',
      '3 mars – 3 avr. 2026',
      // Lines: description, amount (fr: comma decimals, space before €).
      'Pro',
      '49,00 €',
      'Signature électronique',
      '9,00 €',
      'Export comptable',
      '12,00 €',
      'Total',
      '70,00 €',
      'Reste à payer',
    ]) {
      assert.ok(runs.includes(expected), `"${expected}" is not drawn; drawn: ${runs.join(' | ')}`);
    }
    // Every line shows its period.
    assert.equal(runs.filter((run) => run === '3 mars – 3 avr. 2026').length, 4);
  });

  it('writes thousands the French way, with a space the standard font can encode', async () => {
    const engine = demoEngine();
    engine.db.prepare(`UPDATE invoice_lines SET amount_minor = 123456 WHERE invoice_id = ? AND position = 0`).run(DEMO_INVOICE);
    engine.db.prepare(`UPDATE invoices SET total_minor = 125556 WHERE id = ?`).run(DEMO_INVOICE);
    const h = harness(engine);
    const { runs } = await pdfOf(await download(h, (await linkFor(h)).url));
    assert.ok(runs.includes('1 234,56 €'), runs.join(' | '));
    assert.ok(runs.includes('1 255,56 €'), runs.join(' | '));
    assert.ok(runs.every((run) => !/[\u00A0\u202F?]/.test(run)), 'no no-break space, nothing replaced by "?"');
  });

  it('is in English, with English money and dates, for an English customer', async () => {
    const engine = demoEngine();
    engine.db.prepare(`UPDATE customers SET locale = 'en' WHERE id = 'cus_demo'`).run();
    const h = harness(engine);
    const response = await download(h, (await linkFor(h)).url);
    const { bytes, runs } = await pdfOf(response);
    assert.equal((await PDFDocument.load(bytes)).getTitle(), 'Invoice F-2026-0005');
    for (const expected of ['INVOICE', 'Billed to', 'Issue date', 'March 3, 2026', 'Mar 3 – Apr 3, 2026', '€49.00', '€70.00', 'Amount due']) {
      assert.ok(runs.includes(expected), `"${expected}" is not drawn; drawn: ${runs.join(' | ')}`);
    }
  });

  it('shows the proration lines of a change, localized, with their own period', async () => {
    const engine = demoEngine();
    const h = harness(engine);
    const committed = await h.send('POST', '/v1/subscription/changes', {
      body: { timing: 'now', change: { type: 'plan', planId: 'entreprise' } },
      headers: { 'Idempotency-Key': 'upgrade', 'If-Match': '3' },
    });
    const { invoice } = (await committed.json()) as { invoice: { id: string; number: string } };
    const { runs } = await pdfOf(await download(h, (await linkFor(h, invoice.id)).url));
    assert.ok(runs.includes(invoice.number));
    assert.ok(runs.includes('Temps non utilisé sur Pro'), runs.join(' | '));
    assert.ok(runs.includes('Temps restant sur Entreprise'), runs.join(' | '));
    assert.ok(runs.includes('15 mars – 3 avr. 2026'), runs.join(' | '));
  });

  it('lets a read-only user download their own invoices', async () => {
    const h = harness();
    const { runs } = await pdfOf(await download(h, (await linkFor(h, 'inv_2026_0002', 'cus_readonly')).url));
    assert.ok(runs.includes('Boulangerie Martin'));
    assert.ok(runs.includes('F-2026-0002'));
  });

  it('says every issued invoice has a PDF, and a draft has none', async () => {
    const engine = demoEngine();
    const h = harness(engine);
    const page = await ok(await h.get('/v1/invoices?limit=100'), InvoicePage);
    assert.ok(page.data.length > 0 && page.data.every((invoice) => invoice.hasPdf));
    engine.db.prepare(`UPDATE invoices SET status = 'draft' WHERE id = ?`).run(DEMO_INVOICE);
    const draft = (await (await h.get(`/v1/invoices/${DEMO_INVOICE}`)).json()) as { hasPdf: boolean };
    assert.equal(draft.hasPdf, false);
    await problem(await h.get(`/v1/invoices/${DEMO_INVOICE}/pdf`), 404, 'not_found');
  });
});

describe('refused PDF links', () => {
  it('answers 404 for another customer’s invoice and for an unknown one, 401 without credentials', async () => {
    const h = harness();
    // inv_2026_0002 is Boulangerie Martin's (cus_readonly).
    await problem(await h.get('/v1/invoices/inv_2026_0002/pdf'), 404, 'not_found');
    await problem(await h.get('/v1/invoices/inv_nope/pdf'), 404, 'not_found');
    await problem(await h.get(`/v1/invoices/${DEMO_INVOICE}/pdf`, null), 401, 'unauthenticated');
  });

  it('answers 403 for a tampered signature, customer, invoice or expiry', async () => {
    const h = harness();
    const { url } = await linkFor(h);
    const flip = (value: string) => (value[0] === 'A' ? 'B' : 'A') + value.slice(1);
    const tampered = [
      tamper(url, 'signature', flip),
      tamper(url, 'signature', (value) => value.slice(0, -1) + (value.endsWith('A') ? 'B' : 'A')),
      tamper(url, 'signature', () => ''),
      tamper(url, 'customer', () => 'cus_readonly'),
      tamper(url, 'expires', (value) => String(Number(value) + 3600)),
      url.replace(DEMO_INVOICE, 'inv_2026_0004'),
    ];
    for (const each of tampered) {
      const body = await problem(await download(h, each), 403, 'forbidden');
      assert.match(body.detail ?? '', /not valid/);
    }
    const bare = new URL(url);
    bare.search = '';
    await problem(await download(h, bare.href), 403, 'forbidden');
  });

  it('answers 403 once the link has expired, and a new link works', async () => {
    const clock = movableClock();
    const h = harness(demoEngine(clock));
    const { url } = await linkFor(h);
    clock.advance(PDF_LINK_TTL_MS - 1000);
    assert.equal((await download(h, url)).status, 200);
    clock.advance(1000);
    const body = await problem(await download(h, url), 403, 'forbidden');
    assert.match(body.detail ?? '', /expired/);
    assert.equal((await download(h, (await linkFor(h)).url)).status, 200);
  });

  it('accepts links across handlers that share the engine’s signing secret, and only those', async () => {
    const engine = demoEngine();
    const make = (signingSecret?: Uint8Array) =>
      createBillingHandler({
        engine,
        resolveCustomer: bearer,
        basePath: '/api/billing',
        publicOrigin: new URL(BASE).origin,
        now: () => NOW.getTime(),
        ...(signingSecret ? { signingSecret } : {}),
      });
    const first = make(engine.signingSecret);
    const linkResponse = await first(
      new Request(`${BASE}/v1/invoices/${DEMO_INVOICE}/pdf`, { headers: { Authorization: 'Bearer cus_demo' } }),
    );
    const { url } = InvoicePdfLink.parse(await linkResponse.json());
    assert.equal((await make(engine.signingSecret)(new Request(url))).status, 200);
    assert.equal((await make()(new Request(url))).status, 403);
  });
});

describe('an engine that keeps its PDFs elsewhere ({ url })', () => {
  /** The reference engine, answering where its provider would keep each document. */
  const elsewhere = (url: (invoiceId: string) => string) => {
    const engine = demoEngine();
    return harness({ ...engine, renderInvoicePdf: async (_customer, invoiceId) => ({ url: url(invoiceId) }) });
  };

  it('redirects the checked link to the document, and never before the check', async () => {
    const h = elsewhere((id) => `https://files.example/invoices/${id}.pdf?token=secret`);
    const { url } = await linkFor(h);
    const response = await download(h, url);
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('Location'), `https://files.example/invoices/${DEMO_INVOICE}.pdf?token=secret`);
    assert.match(response.headers.get('Cache-Control') ?? '', /no-store/);
    const tampered = await download(h, tamper(url, 'signature', (value) => `${value.slice(0, -1)}A`));
    assert.equal(tampered.status, 403);
    assert.equal(tampered.headers.get('Location'), null);
  });

  it('refuses a URL that is not https (500, logged), so a link never sends the reader to plain http', async () => {
    const h = elsewhere((id) => `http://files.example/${id}.pdf`);
    const response = await download(h, (await linkFor(h)).url);
    assert.equal(response.status, 500);
    assert.equal(response.headers.get('Location'), null);
  });
});
