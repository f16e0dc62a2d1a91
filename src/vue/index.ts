/**
 * Types for the billing elements in Vue templates (`vue-tsc`, `strictTemplates` included):
 * each tag is declared in Vue's `GlobalComponents` with its properties (as attributes,
 * `base-url="…"`, or bindings, `:now="date"`) and its events (`@billing-change="…"`, typed
 * with the event's class). The approach of Vue's guide, “Web Components → TypeScript”.
 *
 * Types only: `import type {} from 'billing-elements/vue'` once in the project (e.g. in
 * `env.d.ts`). At run time, register the elements (`import 'billing-elements/define.js'`) and
 * tell Vue's compiler they are custom elements:
 * `vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('billing-') } } })`.
 */
import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';
import type {
  BillingBeforeChangeEvent,
  BillingChangeEvent,
  BillingPaymentMethodSetupEvent,
  BillingRequestPlanEvent,
} from '../elements/events.js';
import type { BillingDashboard } from '../elements/dashboard/dashboard.js';
import type { BillingInvoiceTable } from '../elements/invoice-table/invoice-table.js';
import type { BillingModuleList } from '../elements/module-list/module-list.js';
import type { BillingPaymentMethod } from '../elements/payment-method/payment-method.js';
import type { BillingPlanPicker } from '../elements/plan-picker/plan-picker.js';
import type { BillingProvider } from '../elements/provider/provider.js';
import type { BillingHostProperties } from '../elements/shared/host.js';
import type { BillingSubscription } from '../elements/subscription/subscription.js';
import type { BillingUsageMeter } from '../elements/usage-meter/usage-meter.js';

type EventMap = { [name: string]: Event };

/** A custom element as Vue's template type checker sees a component: its props and its emits. */
export type DefineCustomElement<Element extends HTMLElement, Props extends keyof Element, Events extends EventMap = Record<never, never>> = new () => Element & {
  /** @deprecated For template type checking only: not on the element. */
  $props: HTMLAttributes & Partial<Pick<Element, Props>> & PublicProps;
  /** @deprecated For template type checking only: not on the element. */
  $emit: EmitFn<{ [K in keyof Events]: (event: Events[K]) => void }>;
};

type Host = keyof BillingHostProperties;

// Type literals, not interfaces: an interface extending `EventMap` would take its index signature, and any event name.
type ChangeEvents = {
  'billing-before-change': BillingBeforeChangeEvent;
  'billing-change': BillingChangeEvent;
};

type AllEvents = ChangeEvents & {
  'billing-request-plan': BillingRequestPlanEvent;
  'billing-payment-method-setup': BillingPaymentMethodSetupEvent;
};

declare module 'vue' {
  interface GlobalComponents {
    'billing-provider': DefineCustomElement<BillingProvider, Host | 'locale', AllEvents>;
    'billing-dashboard': DefineCustomElement<BillingDashboard, Host | 'sections', AllEvents>;
    'billing-subscription': DefineCustomElement<BillingSubscription, Host, ChangeEvents>;
    'billing-usage-meter': DefineCustomElement<BillingUsageMeter, Host | 'metric'>;
    'billing-module-list': DefineCustomElement<BillingModuleList, Host, ChangeEvents & Pick<AllEvents, 'billing-request-plan'>>;
    'billing-plan-picker': DefineCustomElement<BillingPlanPicker, Host, ChangeEvents>;
    'billing-payment-method': DefineCustomElement<BillingPaymentMethod, Host, ChangeEvents & Pick<AllEvents, 'billing-payment-method-setup'>>;
    'billing-invoice-table': DefineCustomElement<BillingInvoiceTable, Host | 'pageSize'>;
  }
}
