import { BillingProvider } from './provider.js';

export { BillingProvider };

if (!customElements.get('billing-provider')) customElements.define('billing-provider', BillingProvider);

declare global {
  interface HTMLElementTagNameMap {
    'billing-provider': BillingProvider;
  }
}
