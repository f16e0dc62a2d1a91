import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ChangePreview } from '../../src/contract/index.js';
import { addMonths } from '../../src/server/reference/core/dates.js';
import { remainingCharge, unusedCredit, type Span } from '../../src/server/reference/core/proration.js';
import { demoEngine, movableClock } from './helpers.js';

const YEAR_2000 = Date.UTC(2000, 0, 1);
const YEAR_2100 = Date.UTC(2100, 0, 1);

/** A real billing period: one or twelve calendar months from any instant of this century. */
const period = fc
  .record({ start: fc.integer({ min: YEAR_2000, max: YEAR_2100 }), months: fc.constantFrom(1, 12) })
  .map(({ start, months }): Span => ({ start, end: addMonths(start, months) }));

/** A period and a moment inside it, bounds included. */
const periodAndMoment = period.chain((p) => fc.tuple(fc.constant(p), fc.integer({ min: p.start, max: p.end })));
const price = fc.integer({ min: 0, max: 10_000_000 });

/** |amount − price · remaining / length| ≤ units, in exact integer arithmetic. */
function within(amount: number, exactNumerator: bigint, length: number, units: number, half = false): boolean {
  const scale = half ? 2n : 1n;
  const difference = scale * (BigInt(amount) * BigInt(length) - exactNumerator);
  const bound = BigInt(units) * BigInt(length);
  return difference <= bound && difference >= -bound;
}

describe('proration: one rounding rule, half a minor unit per line', () => {
  it('credit plus charge equals the exact difference (new − old) · remaining / length, within 1 minor unit', () => {
    fc.assert(
      fc.property(periodAndMoment, price, price, ([span, at], oldPrice, newPrice) => {
        const length = span.end - span.start;
        const remaining = BigInt(span.end - at);
        const credit = unusedCredit(oldPrice, span, at);
        const charge = remainingCharge(newPrice, span, at);
        assert.ok(Number.isInteger(credit) && Number.isInteger(charge));
        assert.ok(credit <= 0 && charge >= 0);
        // Each line within half a unit of its exact share, so the sum within one.
        assert.ok(within(credit, -BigInt(oldPrice) * remaining, length, 1, true), `credit ${credit}`);
        assert.ok(within(charge, BigInt(newPrice) * remaining, length, 1, true), `charge ${charge}`);
        assert.ok(within(credit + charge, BigInt(newPrice - oldPrice) * remaining, length, 1), 'sum');
      }),
      { numRuns: 2000 },
    );
  });

  it('never makes an upgrade (new ≥ old) cost less than nothing', () => {
    fc.assert(
      fc.property(periodAndMoment, price, price, ([span, at], a, b) => {
        const [oldPrice, newPrice] = a <= b ? [a, b] : [b, a];
        assert.ok(unusedCredit(oldPrice, span, at) + remainingCharge(newPrice, span, at) >= 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('charges the whole price at the start of the period and nothing at its end', () => {
    fc.assert(
      fc.property(period, price, (span, amount) => {
        assert.equal(remainingCharge(amount, span, span.start), amount);
        assert.equal(unusedCredit(amount, span, span.start), amount === 0 ? 0 : -amount);
        assert.equal(remainingCharge(amount, span, span.end), 0);
        assert.ok(Object.is(unusedCredit(amount, span, span.end), 0), 'a zero credit is 0, not -0');
      }),
    );
  });

  it('rounds halves away from zero, on each line', () => {
    // 3 cents over a 2-ms period, 1 ms left: exactly 1.5 → 2, and the credit −2.
    const span = { start: 0, end: 2 };
    assert.equal(remainingCharge(3, span, 1), 2);
    assert.equal(unusedCredit(3, span, 1), -2);
    // 1.4999… stays 1.
    assert.equal(remainingCharge(14_999, { start: 0, end: 10_000 }, 9_999), 1);
  });

  it('stays exact where floating point would not (10^7 over a year in milliseconds)', () => {
    const year = { start: Date.UTC(2026, 0, 1), end: Date.UTC(2027, 0, 1) };
    const length = year.end - year.start;
    const at = year.start + 1; // 1 ms in: 10^7 · (length − 1) / length = 9 999 999.9996…
    assert.equal(remainingCharge(10_000_000, year, at), 10_000_000);
    assert.equal(remainingCharge(10_000_000, year, year.end - Math.floor(length / 2)), 5_000_000);
  });

  it('refuses negative or fractional prices and empty periods', () => {
    assert.throws(() => remainingCharge(-1, { start: 0, end: 10 }, 5), RangeError);
    assert.throws(() => remainingCharge(1.5, { start: 0, end: 10 }, 5), RangeError);
    assert.throws(() => unusedCredit(1, { start: 10, end: 10 }, 10), RangeError);
  });
});

describe('proration through the reference engine', () => {
  it('at any moment of the period, an upgrade preview has lines adding up to dueNow ≥ 0', async () => {
    const clock = movableClock();
    const engine = demoEngine(clock);
    const periodStart = Date.parse('2026-03-03T00:00:00Z');
    const periodEnd = Date.parse('2026-04-03T00:00:00Z');
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: periodStart, max: periodEnd - 1 }),
        fc.constantFrom<[string, 'month' | 'year']>(['entreprise', 'month'], ['entreprise', 'year'], ['pro', 'year']),
        async (at, [planId, interval]) => {
          clock.set(at);
          const preview = ChangePreview.parse(
            await engine.previewChange('cus_demo', { timing: 'now', change: { type: 'plan', planId, interval } }),
          );
          const sum = preview.lines.reduce((total, line) => total + line.amount.amountMinor, 0);
          assert.equal(sum, preview.dueNow.amountMinor);
          assert.ok(preview.dueNow.amountMinor >= 0);
          assert.ok(preview.lines.every((line) => Number.isInteger(line.amount.amountMinor)));
        },
      ),
      { numRuns: 60 },
    );
    engine.close();
  });
});
