/**
 * A change preview shows the next invoice's date and total only, and the core computes them
 * without building the invoice's lines (`upcomingInvoiceTotal`). They must be the figures the
 * whole invoice (`upcomingInvoice`, what the subscription shows once the change is made) has.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createChangeStamp } from '../../src/server/reference/change-stamp.js';
import { addMonths } from '../../src/server/reference/core/dates.js';
import { nextInvoiceOf, upcomingInvoice, upcomingInvoiceTotal } from '../../src/server/reference/core/invoicing.js';
import type { Holding } from '../../src/server/reference/core/holding.js';
import { wordingFor } from '../../src/server/reference/core/texts.js';
import { createOfferReader } from '../../src/server/reference/offer-reader.js';
import { demoEngine, NOW } from './helpers.js';

describe('the next invoice a change preview shows', () => {
  it('has the date and total of the whole upcoming invoice, whatever the plan, modules, interval and credit balance', () => {
    const { db } = demoEngine();
    const offer = createOfferReader(db, createChangeStamp(db))('EUR');
    const wording = wordingFor(offer, 'en');
    const sold = [...offer.modules.values()].filter((module) => module.forSale).map((module) => module.id);
    assert.ok(offer.plans.size >= 3 && sold.length >= 4, 'the demo catalog has plans and modules to combine');

    const holding = fc.record({
      planId: fc.constantFrom(...offer.plans.keys()),
      interval: fc.constantFrom('month' as const, 'year' as const),
      paidModuleIds: fc.subarray(sold),
    });
    const anchor = NOW.getTime();
    fc.assert(
      fc.property(holding, fc.nat({ max: 500_000 }), fc.nat({ max: 24 }), (held: Holding, balance, months) => {
        const periodEnd = addMonths(anchor, months + 1);
        const whole = nextInvoiceOf(upcomingInvoice(offer, held, anchor, periodEnd, balance, wording), offer.currency, wording);
        const shown = upcomingInvoiceTotal(offer, held, periodEnd, balance);
        assert.deepEqual(shown, { date: whole.date, total: whole.total });
        assert.ok(shown.total.amountMinor >= 0);
      }),
      { numRuns: 300 },
    );
  });
});
