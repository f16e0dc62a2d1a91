/**
 * React components for the billing elements, made with `@lit/react`: props are set as
 * properties (objects such as `client`, `strings` or a `Date` for `now` pass as they are),
 * events are `onBilling…` props with the event's class as their type, and a ref is the
 * element itself. Importing this module registers every element.
 *
 * ```tsx
 * import { BillingProvider, BillingDashboard } from 'billing-elements/react';
 * <BillingProvider baseUrl="/api/billing"><BillingDashboard onBillingChange={(e) => …} /></BillingProvider>
 * ```
 *
 * Its types also declare the raw tags for React 19 JSX (see `./jsx.ts`).
 */
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import {
  BillingBeforeChangeEvent,
  BillingChangeEvent,
  BillingPaymentMethodSetupEvent,
  BillingRequestPlanEvent,
} from '../elements/events.js';
import { BillingProvider as BillingProviderElement } from '../elements/provider/billing-provider.js';
import { BillingDashboard as BillingDashboardElement } from '../elements/dashboard/billing-dashboard.js';
import { BillingSubscription as BillingSubscriptionElement } from '../elements/subscription/billing-subscription.js';
import { BillingUsageMeter as BillingUsageMeterElement } from '../elements/usage-meter/billing-usage-meter.js';
import { BillingModuleList as BillingModuleListElement } from '../elements/module-list/billing-module-list.js';
import { BillingPlanPicker as BillingPlanPickerElement } from '../elements/plan-picker/billing-plan-picker.js';
import { BillingPaymentMethod as BillingPaymentMethodElement } from '../elements/payment-method/billing-payment-method.js';
import { BillingInvoiceTable as BillingInvoiceTableElement } from '../elements/invoice-table/billing-invoice-table.js';

export type { BillingIntrinsicElements, BillingHostJsxProps, BillingChangeJsxEvents, BillingAllJsxEvents } from './jsx.js';

// The event names, typed with their classes (src/elements/events.ts).
const beforeChange = BillingBeforeChangeEvent.type as EventName<BillingBeforeChangeEvent>;
const change = BillingChangeEvent.type as EventName<BillingChangeEvent>;
const requestPlan = BillingRequestPlanEvent.type as EventName<BillingRequestPlanEvent>;
const paymentMethodSetup = BillingPaymentMethodSetupEvent.type as EventName<BillingPaymentMethodSetupEvent>;

/** The events of the elements that change the subscription. */
const changeEvents = { onBillingBeforeChange: beforeChange, onBillingChange: change };
/** Every event: the provider and the dashboard see those of the elements inside them (they bubble). */
const allEvents = { ...changeEvents, onBillingRequestPlan: requestPlan, onBillingPaymentMethodSetup: paymentMethodSetup };

export const BillingProvider = createComponent({
  react: React,
  tagName: 'billing-provider',
  elementClass: BillingProviderElement,
  events: allEvents,
  displayName: 'BillingProvider',
});

export const BillingDashboard = createComponent({
  react: React,
  tagName: 'billing-dashboard',
  elementClass: BillingDashboardElement,
  events: allEvents,
  displayName: 'BillingDashboard',
});

export const BillingSubscription = createComponent({
  react: React,
  tagName: 'billing-subscription',
  elementClass: BillingSubscriptionElement,
  events: changeEvents,
  displayName: 'BillingSubscription',
});

export const BillingUsageMeter = createComponent({
  react: React,
  tagName: 'billing-usage-meter',
  elementClass: BillingUsageMeterElement,
  displayName: 'BillingUsageMeter',
});

export const BillingModuleList = createComponent({
  react: React,
  tagName: 'billing-module-list',
  elementClass: BillingModuleListElement,
  events: { ...changeEvents, onBillingRequestPlan: requestPlan },
  displayName: 'BillingModuleList',
});

export const BillingPlanPicker = createComponent({
  react: React,
  tagName: 'billing-plan-picker',
  elementClass: BillingPlanPickerElement,
  events: changeEvents,
  displayName: 'BillingPlanPicker',
});

export const BillingPaymentMethod = createComponent({
  react: React,
  tagName: 'billing-payment-method',
  elementClass: BillingPaymentMethodElement,
  events: { ...changeEvents, onBillingPaymentMethodSetup: paymentMethodSetup },
  displayName: 'BillingPaymentMethod',
});

export const BillingInvoiceTable = createComponent({
  react: React,
  tagName: 'billing-invoice-table',
  elementClass: BillingInvoiceTableElement,
  displayName: 'BillingInvoiceTable',
});
