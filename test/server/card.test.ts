/**
 * The checks of the hosted test page, one by one: card numbers, brands, expiry, CVC, and
 * the page language.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cardBrand, cardDigits, cvcValid, expiryAcceptable, luhnValid, parseExpiry, validLength } from '../../src/server/card.js';
import { pageLanguage, readCardForm, returnUrlWith } from '../../src/server/setup-page.js';

const NOW = Date.parse('2026-03-15T10:00:00Z');

describe('card numbers', () => {
  const valid: [string, string][] = [
    ['4242 4242 4242 4242', 'visa'],
    ['4000-0566-5566-5556', 'visa'],
    ['5555 5555 5555 4444', 'mastercard'],
    ['2223 0031 2200 3222', 'mastercard'],
    ['3782 822463 10005', 'amex'],
    ['6011 1111 1111 1117', 'discover'],
  ];
  for (const [number, brand] of valid) {
    it(`accepts ${number} as ${brand}`, () => {
      const digits = cardDigits(number);
      assert.ok(digits);
      assert.ok(luhnValid(digits));
      assert.equal(cardBrand(digits), brand);
      assert.ok(validLength(digits, cardBrand(digits)));
    });
  }

  it('refuses a wrong check digit, letters, and lengths a brand does not have', () => {
    assert.equal(luhnValid('4242424242424241'), false);
    assert.equal(cardDigits('4242 4242 4242 424a'), null);
    assert.equal(cardDigits('4242.4242.4242.4242'), null);
    assert.equal(validLength('42424242424242', 'visa'), false);
    assert.equal(validLength('378282246310005', 'visa'), false);
    assert.equal(luhnValid(''), false);
  });

  it('reads the whole form into display data only', () => {
    const form = new URLSearchParams({ number: '4242 4242 4242 4242', expiry: ' 4 / 2031 ', cvc: '123', name: 'Ada' });
    assert.deepEqual(readCardForm(form, NOW), { card: { brand: 'visa', last4: '4242', expMonth: 4, expYear: 2031 } });
  });
});

describe('expiry and CVC', () => {
  it('parses MM/YY and MM/YYYY', () => {
    assert.deepEqual(parseExpiry('12/30'), { month: 12, year: 2030 });
    assert.deepEqual(parseExpiry('1/2029'), { month: 1, year: 2029 });
    assert.equal(parseExpiry('00/30'), null);
    assert.equal(parseExpiry('13/30'), null);
    assert.equal(parseExpiry('12-30'), null);
    assert.equal(parseExpiry('12/3'), null);
  });

  it('accepts this month, refuses last month and more than twenty years ahead', () => {
    assert.equal(expiryAcceptable({ month: 3, year: 2026 }, NOW), 'ok');
    assert.equal(expiryAcceptable({ month: 2, year: 2026 }, NOW), 'past');
    assert.equal(expiryAcceptable({ month: 12, year: 2025 }, NOW), 'past');
    assert.equal(expiryAcceptable({ month: 3, year: 2046 }, NOW), 'ok');
    assert.equal(expiryAcceptable({ month: 4, year: 2046 }, NOW), 'too_far');
  });

  it('wants three digits, four for American Express', () => {
    assert.ok(cvcValid('123', 'visa'));
    assert.ok(!cvcValid('1234', 'visa'));
    assert.ok(cvcValid('1234', 'amex'));
    assert.ok(!cvcValid('123', 'amex'));
    assert.ok(!cvcValid('12a', 'mastercard'));
  });
});

describe('the page', () => {
  it('speaks the first of its languages the browser prefers, English otherwise', () => {
    assert.equal(pageLanguage(null), 'en');
    assert.equal(pageLanguage('fr-FR,fr;q=0.9,en;q=0.8'), 'fr');
    assert.equal(pageLanguage('de-DE,de;q=0.9,fr;q=0.5,en;q=0.4'), 'fr');
    assert.equal(pageLanguage('en;q=0.5, fr;q=0.8'), 'fr');
    assert.equal(pageLanguage('fr;q=0, en'), 'en');
    assert.equal(pageLanguage('*'), 'en');
  });

  it('adds the outcome to the return URL, keeping its query and fragment', () => {
    assert.equal(returnUrlWith('https://a.example/b?c=1#d', 'succeeded'), 'https://a.example/b?c=1&billing_setup=succeeded#d');
    assert.equal(returnUrlWith('https://a.example/b?billing_setup=old', 'canceled'), 'https://a.example/b?billing_setup=canceled');
  });
});
