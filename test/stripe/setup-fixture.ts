/**
 * Customers seeded into a stand-in whose catalog `stripe-setup` created (setup.ts): the price
 * ids come from the `StripeCatalog` it answered, not from the stand-in's seed helpers, so the
 * conformance suite run over them shows that catalog drives the engine.
 */
import type { StripeCatalog } from '../../src/stripe/index.js';
import type { StandIn } from './stand-in.js';

export const SETUP_NOW = new Date('2026-11-15T12:00:00Z');
const seconds = (iso: string) => Date.parse(iso) / 1000;

export const SETUP_SUBSCRIBED = 'cus_setup_subscribed';
export const SETUP_OTHER = 'cus_setup_other';
export const SETUP_NONE = 'cus_setup_none';

function monthly(catalog: StripeCatalog, kind: 'plans' | 'modules', id: string): string {
  const entry = catalog[kind].find((candidate) => candidate.id === id);
  const price = entry?.prices.month;
  if (price === undefined) throw new Error(`setup fixture: no monthly price for ${id}`);
  return price;
}

/**
 * On the demo catalog: the subscribed customer on Pro monthly with E-signature (three monthly
 * invoices, one paid, one open, and a card), the other on Essentiel (one paid invoice, a card),
 * and a customer without a subscription.
 */
export function seedSetupCustomers(standIn: StandIn, catalog: StripeCatalog): void {
  const pro = monthly(catalog, 'plans', 'pro');
  const essentiel = monthly(catalog, 'plans', 'essentiel');
  const signature = monthly(catalog, 'modules', 'e-signature');

  standIn.addCustomer({ id: SETUP_SUBSCRIBED, email: 'compta@atelier-lumiere.example' });
  standIn.addPaymentMethod({ id: 'pm_setup_visa', customer: SETUP_SUBSCRIBED, brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030, isDefault: true });
  standIn.addSubscription({ id: 'sub_setup_subscribed', customer: SETUP_SUBSCRIBED, prices: [pro, signature], periodStart: seconds('2026-11-01T00:00:00Z') });
  const months: [string, 'paid' | 'open', string, string][] = [
    ['in_setup_sep', 'paid', '2026-09-01T00:00:00Z', '2026-10-01T00:00:00Z'],
    ['in_setup_oct', 'paid', '2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z'],
    ['in_setup_nov', 'open', '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z'],
  ];
  months.forEach(([id, status, start, end], index) =>
    standIn.addInvoice({
      id,
      customer: SETUP_SUBSCRIBED,
      number: `SETUP-${index + 1}`,
      status,
      created: seconds(start),
      subscription: 'sub_setup_subscribed',
      lines: [
        { price: pro, description: '1 × Pro', amount: 4900, periodStart: seconds(start), periodEnd: seconds(end) },
        { price: signature, description: '1 × Signature électronique', amount: 900, periodStart: seconds(start), periodEnd: seconds(end) },
      ],
    }),
  );

  standIn.addCustomer({ id: SETUP_OTHER });
  standIn.addPaymentMethod({ id: 'pm_setup_other', customer: SETUP_OTHER, brand: 'mastercard', last4: '4444', expMonth: 3, expYear: 2031, isDefault: true });
  standIn.addSubscription({ id: 'sub_setup_other', customer: SETUP_OTHER, prices: [essentiel], periodStart: seconds('2026-11-05T00:00:00Z') });
  standIn.addInvoice({
    id: 'in_setup_other',
    customer: SETUP_OTHER,
    number: 'SETUP-100',
    status: 'paid',
    created: seconds('2026-11-05T00:00:00Z'),
    subscription: 'sub_setup_other',
    lines: [{ price: essentiel, description: '1 × Essentiel', amount: 1900, periodStart: seconds('2026-11-05T00:00:00Z'), periodEnd: seconds('2026-12-05T00:00:00Z') }],
  });

  standIn.addCustomer({ id: SETUP_NONE });
}
