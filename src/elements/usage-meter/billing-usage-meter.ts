import { BillingUsageMeter } from './usage-meter.js';

export { BillingUsageMeter };

if (!customElements.get('billing-usage-meter')) customElements.define('billing-usage-meter', BillingUsageMeter);

declare global {
  interface HTMLElementTagNameMap {
    'billing-usage-meter': BillingUsageMeter;
  }
}
