import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Invoice, PaymentMethod } from '../../src/contract/index.js';
import { csvField, invoicesCsv } from '../../src/elements/invoice-table/csv.js';
import { toQuery } from '../../src/elements/invoice-table/invoice-pages.js';
import { safeHttpUrl } from '../../src/elements/invoice-table/invoice-table.js';
import { brandName, cardExpiry } from '../../src/elements/payment-method/card-expiry.js';

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
  });

  it('writes a header and one row per invoice, amounts in decimal with a dot, CRLF line ends', () => {
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
