// The elements the dashboard's sections show.
import '../invoice-table/billing-invoice-table.js';
import '../module-list/billing-module-list.js';
import '../payment-method/billing-payment-method.js';
import '../plan-picker/billing-plan-picker.js';
import '../subscription/billing-subscription.js';
import '../usage-meter/billing-usage-meter.js';
import { BillingDashboard } from './dashboard.js';

export { BillingDashboard };

if (!customElements.get('billing-dashboard')) customElements.define('billing-dashboard', BillingDashboard);

declare global {
  interface HTMLElementTagNameMap {
    'billing-dashboard': BillingDashboard;
  }
}
