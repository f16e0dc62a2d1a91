/** Registers every billing element. Import once: `import 'billing-elements/define.js'`. */
import './elements/provider/billing-provider.js';
import './elements/usage-meter/billing-usage-meter.js';
import './elements/module-list/billing-module-list.js';
import './elements/plan-picker/billing-plan-picker.js';
import './elements/invoice-table/billing-invoice-table.js';
import './elements/payment-method/billing-payment-method.js';
import './elements/subscription/billing-subscription.js';
import './elements/dashboard/billing-dashboard.js';
