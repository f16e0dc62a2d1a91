import { BillingPaymentMethod } from './payment-method.js';

export { BillingPaymentMethod };

if (!customElements.get('billing-payment-method')) customElements.define('billing-payment-method', BillingPaymentMethod);

declare global {
  interface HTMLElementTagNameMap {
    'billing-payment-method': BillingPaymentMethod;
  }
}
