import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BillingClient } from '../../src/client/index.js';
import type { Invoice, InvoiceListQuery, PaymentMethod } from '../../src/contract/index.js';
import { csvField, csvFormat, invoicesCsv } from '../../src/elements/invoice-table/csv.js';
import { listAllInvoices, toQuery } from '../../src/elements/invoice-table/invoice-pages.js';
import { safeHttpUrl } from '../../src/elements/invoice-table/invoice-table.js';
import { brandMark, brandName, cardExpiry } from '../../src/elements/payment-method/card-expiry.js';
import { reloadAfterPayment } from '../../src/elements/payment-method/payment-method.js';
import { BillingStore, type ResourceKey } from '../../src/store/index.js';

const invoice = (overrides: Partial<Invoice>): Invoice => ({
  id: 'inv_1',
  number: 'F-2026-0001',
  status: 'paid',
  issuedAt: '2026-11-14T00:00:00.000Z',
  dueAt: null,
  periodStart: '2026-11-14T00:00:00.000Z',
  periodEnd: '2026-12-14T00:00:00.000Z',
  total: { amountMinor: 123456, currency: 'EUR' },
  amountDue: { amountMinor: 0, currency: 'EUR' },
  hostedUrl: null,
  hasPdf: true,
  ...overrides,
});

describe('CSV export', () => {
  it('quotes every field and doubles quotes', () => {
    assert.equal(csvField('a "quoted", text'), '"a ""quoted"", text"');
    assert.equal(csvField('line\nbreak'), '"line\nbreak"');
  });

  it('neutralises text a spreadsheet would run as a formula, but not our numbers', () => {
    for (const formula of ['=1+1', '+cmd', '-2+3', '@SUM(A1)', '\tx', '\rx']) {
      assert.equal(csvField(formula), `"'${formula.replaceAll('"', '""')}"`);
    }
    assert.equal(csvField('-12.50', { text: false }), '"-12.50"');
    assert.equal(csvField('-12,50', { text: false }), '"-12,50"');
  });

  it('neutralises a formula behind leading whitespace, and full-width formula signs', () => {
    const hostile = [
      ' =1+1',
      '   +cmd',
      '\u00A0-2+3', // no-break space
      '\u3000@SUM(A1)', // ideographic space
      '\n=cmd|"/c calc"!A1',
      ' \t=1',
      '\uFF1D1+1', // ＝
      '\uFF0Bcmd', // ＋
      '\uFF0D2+3', // －
      '\uFF20SUM(A1)', // ＠
      '  \uFF1DHYPERLINK("x")',
    ];
    for (const formula of hostile) assert.equal(csvField(formula), `"'${formula.replaceAll('"', '""')}"`, JSON.stringify(formula));
  });

  it('leaves ordinary text alone, formula signs inside it included', () => {
    for (const text of ['F-2026-0001', 'Paid', 'a=b', 'Total + tax', '  leading spaces', 'x@example.com', '']) {
      assert.equal(csvField(text), `"${text}"`);
    }
  });

  it('separates fields with ; and writes decimal commas for French, , and points otherwise', () => {
    assert.deepEqual(csvFormat('fr'), { separator: ';', decimalMark: ',' });
    assert.deepEqual(csvFormat('fr-FR'), { separator: ';', decimalMark: ',' });
    assert.deepEqual(csvFormat('fr_CA'), { separator: ';', decimalMark: ',' });
    assert.deepEqual(csvFormat('FR-be'), { separator: ';', decimalMark: ',' });
    assert.deepEqual(csvFormat('en'), { separator: ',', decimalMark: '.' });
    assert.deepEqual(csvFormat('en-GB'), { separator: ',', decimalMark: '.' });
    assert.deepEqual(csvFormat('de'), { separator: ',', decimalMark: '.' });
    assert.deepEqual(csvFormat('fy'), { separator: ',', decimalMark: '.' });
  });

  it('writes a French file: semicolons, decimal commas, negative amounts still numbers, hostile text neutralised', () => {
    const csv = invoicesCsv(
      [
        invoice({}),
        invoice({ number: ' =1+1', total: { amountMinor: -1200, currency: 'EUR' }, amountDue: { amountMinor: 0, currency: 'EUR' } }),
        invoice({ number: '\uFF20x', total: { amountMinor: 500, currency: 'JPY' }, amountDue: { amountMinor: 500, currency: 'JPY' } }),
      ],
      ['Numéro', 'Date', 'Début', 'Fin', 'Statut', 'Total', 'Dû', 'Devise'],
      (status) => (status === 'paid' ? 'Payée' : status),
      csvFormat('fr'),
    );
    assert.equal(
      csv,
      '"Numéro";"Date";"Début";"Fin";"Statut";"Total";"Dû";"Devise"\r\n' +
        '"F-2026-0001";"2026-11-14";"2026-11-14";"2026-12-14";"Payée";"1234,56";"0,00";"EUR"\r\n' +
        `"' =1+1";"2026-11-14";"2026-11-14";"2026-12-14";"Payée";"-12,00";"0,00";"EUR"\r\n` +
        `"'\uFF20x";"2026-11-14";"2026-11-14";"2026-12-14";"Payée";"500";"500";"JPY"\r\n`,
    );
  });

  it('writes a header and one row per invoice, amounts in decimal with a dot, CRLF line ends (English and by default)', () => {
    const csv = invoicesCsv(
      [invoice({}), invoice({ number: '=HYPERLINK("x")', status: 'open', amountDue: { amountMinor: 500, currency: 'JPY' }, total: { amountMinor: 500, currency: 'JPY' } })],
      ['Number', 'Date', 'Start', 'End', 'Status', 'Total', 'Due', 'Currency'],
      (status) => status.toUpperCase(),
    );
    assert.equal(
      csv,
      '"Number","Date","Start","End","Status","Total","Due","Currency"\r\n' +
        '"F-2026-0001","2026-11-14","2026-11-14","2026-12-14","PAID","1234.56","0.00","EUR"\r\n' +
        `"'=HYPERLINK(""x"")","2026-11-14","2026-11-14","2026-12-14","OPEN","500","500","JPY"\r\n`,
    );
  });
});

describe('invoice filters', () => {
  it('sends calendar days as instants, the end day included', () => {
    assert.deepEqual(toQuery({ status: 'paid', from: '2026-03-01', to: '2026-06-30' }, 25), {
      limit: 25,
      status: 'paid',
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-07-01T00:00:00.000Z',
    });
    assert.deepEqual(toQuery({}, 10), { limit: 10 });
  });
});

describe('all invoices for an export', () => {
  /** A client serving `count` invoices in pages of the requested size, recording each query. */
  const pagingClient = (count: number, { repeatCursor = false } = {}) => {
    const queries: InvoiceListQuery[] = [];
    const all = Array.from({ length: count }, (_, index) => invoice({ id: `inv_${index}`, number: `F-${index}` }));
    const client = {
      listInvoices: async (query: InvoiceListQuery) => {
        queries.push(query);
        const start = query.cursor ? Number(query.cursor) : 0;
        const end = start + (query.limit ?? 12);
        return { data: all.slice(start, end), nextCursor: end < count ? (repeatCursor ? '1' : String(end)) : null };
      },
    } as unknown as BillingClient;
    return { client, queries };
  };

  it('follows the cursor to the last page, 100 at a time, with the filters', async () => {
    const { client, queries } = pagingClient(250);
    const invoices = await listAllInvoices(client, { status: 'paid', from: '2026-01-01' });
    assert.equal(invoices.length, 250);
    assert.equal(new Set(invoices.map((each) => each.id)).size, 250);
    assert.deepEqual(
      queries.map((query) => [query.limit, query.status, query.from, query.cursor]),
      [
        [100, 'paid', '2026-01-01T00:00:00.000Z', undefined],
        [100, 'paid', '2026-01-01T00:00:00.000Z', '100'],
        [100, 'paid', '2026-01-01T00:00:00.000Z', '200'],
      ],
    );
  });

  it('stops with an error when the endpoint gives the same cursor twice', async () => {
    const { client } = pagingClient(250, { repeatCursor: true });
    await assert.rejects(listAllInvoices(client, {}), { code: 'invalid_response' });
  });
});

describe('after a payment or a new default method', () => {
  /** A store whose client counts the reads of each resource. */
  const countingStore = () => {
    const reads: Partial<Record<ResourceKey, number>> = {};
    const read = (key: ResourceKey, value: unknown) => async () => {
      reads[key] = (reads[key] ?? 0) + 1;
      return value;
    };
    const client = {
      getSubscription: read('subscription', { id: 'sub', version: '2' }),
      listInvoices: read('invoices', { data: [], nextCursor: null }),
      listPaymentMethods: read('paymentMethods', { data: [] }),
    } as unknown as BillingClient;
    return { store: new BillingStore(client), reads };
  };

  it('reloads the subscription, and the latest invoices when the page shows them', async () => {
    const { store, reads } = countingStore();
    await store.load('subscription');
    reloadAfterPayment(store);
    await store.load('subscription');
    assert.deepEqual(reads, { subscription: 2 });

    await store.load('invoices');
    reloadAfterPayment(store);
    await store.load('invoices');
    assert.deepEqual(reads, { subscription: 3, invoices: 2 });
  });
});

describe('links', () => {
  it('keeps only http and https URLs', () => {
    assert.equal(safeHttpUrl('https://pay.example.com/x', 'https://app.example.com/'), 'https://pay.example.com/x');
    assert.equal(safeHttpUrl('/pay/1', 'https://app.example.com/billing'), 'https://app.example.com/pay/1');
    for (const bad of ['javascript:alert(1)', 'data:text/html,x', 'JAVASCRIPT:alert(1)', 'vbscript:x', null, '']) {
      assert.equal(safeHttpUrl(bad, 'https://app.example.com/'), null);
    }
  });
});

describe('card expiry', () => {
  const card = (expMonth: number, expYear: number): PaymentMethod => ({
    id: 'pm',
    type: 'card',
    isDefault: true,
    card: { brand: 'visa', last4: '4242', expMonth, expYear },
  });
  const now = Date.parse('2026-11-26T10:00:00Z');

  it('is valid through the last day of the expiry month, and "soon" within 30 days', () => {
    assert.equal(cardExpiry(card(11, 2026), now), 'soon');
    assert.equal(cardExpiry(card(12, 2026), now), 'ok');
    assert.equal(cardExpiry(card(12, 2026), Date.parse('2026-12-05T00:00:00Z')), 'soon');
    assert.equal(cardExpiry(card(1, 2027), now), 'ok');
    assert.equal(cardExpiry(card(10, 2026), now), 'expired');
    assert.equal(cardExpiry(card(11, 2026), Date.parse('2026-12-01T00:00:00Z')), 'expired');
    assert.equal(cardExpiry({ id: 's', type: 'sepa_debit', isDefault: false }, now), 'ok');
  });

  it('names brands', () => {
    assert.equal(brandName('visa'), 'Visa');
    assert.equal(brandName('amex'), 'American Express');
    assert.equal(brandName('elo'), 'Elo');
    assert.equal(brandName('MasterCard'), 'Mastercard');
    assert.equal(brandName('hipercard'), 'Hipercard');
    assert.equal(brandName('china_union_pay'), 'China union pay');
  });

  it('prints a short mark per brand that fits the badge', () => {
    const marks: Record<string, string> = {
      visa: 'VISA',
      mastercard: 'MC',
      amex: 'AMEX',
      american_express: 'AMEX',
      discover: 'DISC',
      cb: 'CB',
      cartes_bancaires: 'CB',
      unionpay: 'UPAY',
      jcb: 'JCB',
      diners: 'DC',
      eftpos_au: 'EFT',
    };
    for (const [brand, mark] of Object.entries(marks)) assert.equal(brandMark(brand), mark, brand);
    // Case and surrounding spaces do not matter.
    assert.equal(brandMark(' MasterCard '), 'MC');
  });

  it('abbreviates unknown brands: initials of several words, else the first four letters', () => {
    assert.equal(brandMark('hipercard'), 'HIPE');
    assert.equal(brandMark('mir'), 'MIR');
    assert.equal(brandMark('china_union_pay'), 'CUP');
    assert.equal(brandMark('carte-bleue'), 'CB');
    assert.equal(brandMark('BancoEstado'), 'BE');
    assert.equal(brandMark('one two three four five'), 'OTTF');
    assert.equal(brandMark('élan'), 'ÉLAN');
    assert.equal(brandMark(''), 'CARD');
    assert.equal(brandMark('__'), 'CARD');
    for (const brand of ['hipercard', 'a_very_long_brand_name_indeed', 'Ünïcödé', 'x'.repeat(40)]) {
      assert.ok(Array.from(brandMark(brand)).length <= 4, brand);
    }
  });
});

describe('money', () => {
  it('scales minor units by ISO 4217 digits, not by display conventions', async () => {
    const { formatMoney } = await import('../../src/elements/shared/format.js');
    // Intl puts no-break spaces between figures and currency codes: compare with plain spaces.
    const money = (...args: Parameters<typeof formatMoney>) => formatMoney(...args).replace(/\s/g, ' ');
    assert.equal(money('en', { amountMinor: 100000, currency: 'HUF' }), 'HUF 1,000.00');
    assert.equal(money('en', { amountMinor: 1500, currency: 'JPY' }), '¥1,500');
    assert.equal(money('en', { amountMinor: 1234, currency: 'KWD' }), 'KWD 1.234');
    assert.equal(money('fr', { amountMinor: 123456, currency: 'EUR' }), '1 234,56 €');
  });
});
