import { BillingSubscription } from './subscription.js';

export { BillingSubscription };

if (!customElements.get('billing-subscription')) customElements.define('billing-subscription', BillingSubscription);

declare global {
  interface HTMLElementTagNameMap {
    'billing-subscription': BillingSubscription;
  }
}
