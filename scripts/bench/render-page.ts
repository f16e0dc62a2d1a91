/**
 * Runs in the page for scripts/bench-render.ts: renders <billing-invoice-table> with a client
 * whose endpoint answers at once with N invoices, and times, from the moment the invoices
 * response is handed over: the first rows in the DOM (Lit's update done; up to 100, the
 * table adds the rest after that frame), their layout (forced once), and the next frame (the
 * paint of that layout happens before it begins: quantized to the frame, about 16.7 ms);
 * then every row in the DOM and laid out.
 */
import '../../src/define.js';
import { createBillingClient } from '../../src/client/index.js';
import type { BillingInvoiceTable } from '../../src/index.js';

const subscription = {
  id: 'sub', status: 'active', plan: { id: 'pro', name: 'Pro' }, interval: 'month',
  currentPeriod: { start: '2026-11-14T00:00:00Z', end: '2026-12-14T00:00:00Z' }, trialEnd: null,
  activeModuleIds: [], scheduledChanges: [], nextInvoice: null, creditBalance: { amountMinor: 0, currency: 'EUR' },
  permissions: { changePlan: true, manageModules: true, managePaymentMethods: true, viewInvoices: true }, version: '1',
};
const invoicesOf = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    id: `inv_${index}`, number: `F-2026-${String(index).padStart(4, '0')}`, status: index ? 'paid' : 'open',
    issuedAt: '2026-11-14T00:00:00Z', dueAt: null, periodStart: '2026-11-14T00:00:00Z', periodEnd: '2026-12-14T00:00:00Z',
    total: { amountMinor: 7000 + index, currency: 'EUR' }, amountDue: { amountMinor: 0, currency: 'EUR' }, hostedUrl: null, hasPdf: true,
  }));

export interface Timing {
  /** The first rows (all of them up to 100, see invoice-table.ts) in the DOM. */
  dom: number;
  /** Those laid out. */
  layout: number;
  /** The frame after: they have been painted. */
  frame: number;
  /** Every row in the DOM and laid out (the rest come after the first rows' frame). */
  all: number;
}

let page = 0;
async function once(rows: number): Promise<Timing> {
  let handedOver = 0;
  const invoices = invoicesOf(rows);
  const client = createBillingClient({
    // A new endpoint each time: nothing cached from the run before.
    baseUrl: `/bench/${++page}`,
    fetch: async (input) => {
      if (!String(input).includes('/v1/invoices')) return Response.json(subscription);
      handedOver = performance.now();
      return Response.json({ data: invoices, nextCursor: null });
    },
  });
  const table = document.createElement('billing-invoice-table') as BillingInvoiceTable;
  table.lang = 'en';
  table.now = '2026-11-26T10:00:00Z';
  table.client = client;
  document.body.append(table);
  const rowCount = () => table.shadowRoot?.querySelectorAll('tbody > tr[part="row"]').length ?? 0;
  const first = Math.min(rows, 100);
  while (rowCount() < first) await table.updateComplete.then(() => (rowCount() >= first ? undefined : new Promise((resolve) => setTimeout(resolve))));
  const dom = performance.now() - handedOver;
  table.shadowRoot!.querySelector('table')!.getBoundingClientRect();
  const layout = performance.now() - handedOver;
  const frame = (await new Promise<number>((resolve) => requestAnimationFrame(resolve))) - handedOver;
  while (rowCount() < rows) await new Promise((resolve) => requestAnimationFrame(resolve)).then(() => table.updateComplete);
  table.shadowRoot!.querySelector('table')!.getBoundingClientRect();
  const all = performance.now() - handedOver;
  table.remove();
  return { dom, layout, frame: Math.max(frame, layout), all: Math.max(all, layout) };
}

(window as unknown as { bench: (rows: number, runs: number) => Promise<Timing[]> }).bench = async (rows, runs) => {
  await once(rows); // warm-up: strings and styles loaded once per page, as on a real page
  const times: Timing[] = [];
  for (let run = 0; run < runs; run++) times.push(await once(rows));
  return times;
};
