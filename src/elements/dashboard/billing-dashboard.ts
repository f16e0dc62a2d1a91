import { BillingDashboard } from './dashboard.js';

export { BillingDashboard };

if (!customElements.get('billing-dashboard')) customElements.define('billing-dashboard', BillingDashboard);

declare global {
  interface HTMLElementTagNameMap {
    'billing-dashboard': BillingDashboard;
  }
}
