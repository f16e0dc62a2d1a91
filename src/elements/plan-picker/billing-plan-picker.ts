import { BillingPlanPicker } from './plan-picker.js';

export { BillingPlanPicker };

if (!customElements.get('billing-plan-picker')) customElements.define('billing-plan-picker', BillingPlanPicker);

declare global {
  interface HTMLElementTagNameMap {
    'billing-plan-picker': BillingPlanPicker;
  }
}
