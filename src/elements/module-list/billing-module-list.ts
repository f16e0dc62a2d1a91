import { BillingModuleList } from './module-list.js';

export { BillingModuleList };

if (!customElements.get('billing-module-list')) customElements.define('billing-module-list', BillingModuleList);

declare global {
  interface HTMLElementTagNameMap {
    'billing-module-list': BillingModuleList;
  }
}
