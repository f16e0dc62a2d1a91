/**
 * The read endpoints: straight to the engine, with the invoice query validated.
 */
import { INVOICE_PAGE_DEFAULT, requestSchemas } from '../contract/index.js';
import type { BillingEngine } from './billing-engine.js';
import { BillingEngineError } from './errors.js';
import { presentSubscription } from './identity.js';
import type { Call, Operations, PayLinker } from './operation.js';
import { parseInput } from './validation.js';

export type ReadEndpoint =
  | 'getSubscription'
  | 'listPlans'
  | 'listModules'
  | 'listUsage'
  | 'listInvoices'
  | 'getInvoice'
  | 'listPaymentMethods';

/** Invoices need the user's `viewInvoices` (403 otherwise), checked here so every engine is guarded alike. */
export function requireInvoiceAccess(call: Pick<Call, 'permissions'>): void {
  if (!call.permissions.viewInvoices) {
    throw new BillingEngineError('forbidden', { detail: 'This user may not view invoices.' });
  }
}

export function readOperations(engine: BillingEngine, withPayLink: PayLinker): Operations<ReadEndpoint> {
  return {
    async getSubscription({ customer, languages, permissions }) {
      const subscription = await engine.getSubscription(customer, languages);
      if (subscription === null) throw new BillingEngineError('no_subscription');
      const shown = presentSubscription(subscription, permissions);
      return { body: shown, headers: { ETag: `"${shown.version}"` } };
    },
    listPlans: async ({ customer, languages }) => ({ body: { data: await engine.listPlans(customer, languages) } }),
    listModules: async ({ customer, languages }) => ({ body: { data: await engine.listModules(customer, languages) } }),
    listUsage: async ({ customer, languages }) => ({ body: { data: await engine.listUsage(customer, languages) } }),
    async listInvoices(call) {
      requireInvoiceAccess(call);
      const parsed = parseInput(requestSchemas.listInvoices.query, call.query, 'query');
      const page = await engine.listInvoices(call.customer, { ...parsed, limit: parsed.limit ?? INVOICE_PAGE_DEFAULT });
      const data = await Promise.all(page.data.map((invoice) => withPayLink(invoice, call)));
      return { body: { ...page, data } };
    },
    async getInvoice(call) {
      requireInvoiceAccess(call);
      const id = call.params['id'];
      const invoice = id ? await engine.getInvoice(call.customer, id, call.languages) : null;
      if (invoice === null) throw new BillingEngineError('not_found', { detail: 'No such invoice.' });
      return { body: await withPayLink(invoice, call) };
    },
    listPaymentMethods: async ({ customer }) => ({ body: { data: await engine.listPaymentMethods(customer) } }),
  };
}
