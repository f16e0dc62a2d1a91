/**
 * Classes, client, store, strings and types, with no side effect: nothing is registered.
 * Register with `billing-elements/define.js` or one `billing-elements/billing-*.js` entry.
 */
export { BillingProvider } from './elements/provider/provider.js';
export { BillingUsageMeter } from './elements/usage-meter/usage-meter.js';
export { BillingModuleList, isUnusedPaidModule } from './elements/module-list/module-list.js';
export { BillingPlanPicker } from './elements/plan-picker/plan-picker.js';
export { recommendPlan, limitFor, type Recommendation } from './elements/plan-picker/recommend.js';
export { BillingInvoiceTable, safeHttpUrl } from './elements/invoice-table/invoice-table.js';
export { invoicesCsv, csvField } from './elements/invoice-table/csv.js';
export { BillingPaymentMethod } from './elements/payment-method/payment-method.js';
export { cardExpiry, brandMark, brandName, type ExpiryStatus } from './elements/payment-method/card-expiry.js';
export { BillingSubscription } from './elements/subscription/subscription.js';
export { configurationPrice, openInvoice } from './elements/subscription/summary.js';
export { BillingDashboard, DASHBOARD_SECTIONS, type DashboardSection } from './elements/dashboard/dashboard.js';
export { review, type Review, type PlanVerdict, type ModulesVerdict, type UsageVerdict, type BillingVerdict } from './elements/dashboard/review.js';
export {
  BillingBeforeChangeEvent,
  BillingChangeEvent,
  BillingRequestPlanEvent,
  BillingPaymentMethodSetupEvent,
  type PendingChange,
} from './elements/events.js';
export { usageStatus, usageRatio, forecastLimit, type UsageStatus } from './elements/usage-meter/usage-status.js';
export { billingContext, type BillingConfig } from './elements/context.js';
export * from './client/index.js';
export * from './store/index.js';
export { languageFor, loadStrings, registerStrings, type Strings, type StringOverrides } from './i18n/index.js';
export { en } from './i18n/en.js';
export { fr } from './i18n/fr.js';
