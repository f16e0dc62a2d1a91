/**
 * Runs in the page for scripts/bench-render.ts: renders <billing-invoice-table> N times with
 * a client whose endpoint answers at once with a 25-invoice page, and measures from the
 * moment the invoices response is handed over to the first frame painted with the rows.
 */
import '../../src/define.js';
import { createBillingClient } from '../../src/client/index.js';

const subscription = {
  id: 'sub', status: 'active', plan: { id: 'pro', name: 'Pro' }, interval: 'month',
  currentPeriod: { start: '2026-11-14T00:00:00Z', end: '2026-12-14T00:00:00Z' }, trialEnd: null,
  activeModuleIds: [], scheduledChanges: [], nextInvoice: null, creditBalance: { amountMinor: 0, currency: 'EUR' },
  permissions: { changePlan: true, manageModules: true, managePaymentMethods: true, viewInvoices: true }, version: '1',
};
const invoices = Array.from({ length: 25 }, (_, index) => ({
  id: `inv_${index}`, number: `F-2026-${String(index).padStart(4, '0')}`, status: index ? 'paid' : 'open',
  issuedAt: '2026-11-14T00:00:00Z', dueAt: null, periodStart: '2026-11-14T00:00:00Z', periodEnd: '2026-12-14T00:00:00Z',
  total: { amountMinor: 7000 + index, currency: 'EUR' }, amountDue: { amountMinor: 0, currency: 'EUR' }, hostedUrl: null, hasPdf: true,
}));

const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));

async function once(): Promise<number> {
  let handedOver = 0;
  const client = createBillingClient({
    baseUrl: '/bench',
    fetch: async (input) => {
      if (!String(input).includes('/v1/invoices')) return Response.json(subscription);
      handedOver = performance.now();
      return Response.json({ data: invoices, nextCursor: 'next' });
    },
  });
  const table = document.createElement('billing-invoice-table');
  table.lang = 'en';
  table.client = client;
  document.body.append(table);
  while (table.shadowRoot?.querySelectorAll('tbody > tr[part="row"]').length !== 25) await new Promise(requestAnimationFrame);
  await frame();
  const painted = performance.now() - handedOver;
  table.remove();
  return painted;
}

(window as unknown as { bench: (runs: number) => Promise<number[]> }).bench = async (runs) => {
  await once(); // warm-up: strings and styles loaded once per page, as on a real page
  const times: number[] = [];
  for (let run = 0; run < runs; run++) times.push(await once());
  return times;
};
