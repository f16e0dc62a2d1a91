/** Registers every billing element. Import once: `import 'billing-elements/define.js'`. */
import './elements/provider/billing-provider.js';
import './elements/usage-meter/billing-usage-meter.js';
import './elements/module-list/billing-module-list.js';
import './elements/plan-picker/billing-plan-picker.js';
import './elements/invoice-table/billing-invoice-table.js';
import './elements/payment-method/billing-payment-method.js';
import './elements/subscription/billing-subscription.js';
import './elements/dashboard/billing-dashboard.js';
// Types only: brings the events' `GlobalEventHandlersEventMap` entries to a TypeScript app that
// imports nothing but this file, so `addEventListener('billing-change', …)` knows its event.
export type {
  BillingBeforeChangeEvent,
  BillingChangeEvent,
  BillingPaymentMethodSetupEvent,
  BillingRequestPlanEvent,
  PendingChange,
} from './elements/events.js';
