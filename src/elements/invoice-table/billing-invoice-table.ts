import { BillingInvoiceTable } from './invoice-table.js';

export { BillingInvoiceTable };

if (!customElements.get('billing-invoice-table')) customElements.define('billing-invoice-table', BillingInvoiceTable);

declare global {
  interface HTMLElementTagNameMap {
    'billing-invoice-table': BillingInvoiceTable;
  }
}
