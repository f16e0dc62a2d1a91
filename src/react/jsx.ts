/**
 * Types for the raw tags in React 19 JSX (`<billing-dashboard>` without the wrappers of
 * `billing-elements/react`). React 19 sets a prop as a property when the element has one of
 * that name (so register the elements before rendering, e.g. `import 'billing-elements/define.js'`),
 * else as an attribute, and adds an `on<event-name>` prop as a listener of `<event-name>`:
 * `onbilling-change={(event) => …}`.
 *
 * Types only: `import type {} from 'billing-elements/react/jsx'` once in the project (or
 * import anything from `billing-elements/react`, whose types include these).
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { BillingClient } from '../client/index.js';
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
import type { NowValue } from '../elements/shared/clock.js';
import type { BillingSubscription } from '../elements/subscription/subscription.js';
import type { BillingUsageMeter } from '../elements/usage-meter/usage-meter.js';
import type { StringOverrides } from '../i18n/index.js';

/** What every billing element takes, as attributes (kebab-case) or properties (camelCase). */
export interface BillingHostJsxProps {
  'base-url'?: string | undefined;
  baseUrl?: string | undefined;
  'support-url'?: string | undefined;
  supportUrl?: string | undefined;
  /** An ISO 8601 instant as an attribute; also a `Date` or milliseconds as a property. */
  now?: NowValue | undefined;
  client?: BillingClient | undefined;
  strings?: StringOverrides | undefined;
}

/** Listeners of the events every element may fire or let bubble up (React 19: `on` + the event name). */
export interface BillingChangeJsxEvents {
  'onbilling-before-change'?: ((event: BillingBeforeChangeEvent) => void) | undefined;
  'onbilling-change'?: ((event: BillingChangeEvent) => void) | undefined;
}

export interface BillingAllJsxEvents extends BillingChangeJsxEvents {
  'onbilling-request-plan'?: ((event: BillingRequestPlanEvent) => void) | undefined;
  'onbilling-payment-method-setup'?: ((event: BillingPaymentMethodSetupEvent) => void) | undefined;
}

/** The props of `<tag>` whose element class is `E`. */
export type BillingJsxProps<E extends HTMLElement, Own> = DetailedHTMLProps<HTMLAttributes<E>, E> & Own;

export interface BillingIntrinsicElements {
  'billing-provider': BillingJsxProps<
    BillingProvider,
    Omit<BillingHostJsxProps, 'now'> & BillingAllJsxEvents & { locale?: string | undefined; now?: NowValue | undefined }
  >;
  'billing-dashboard': BillingJsxProps<BillingDashboard, BillingHostJsxProps & BillingAllJsxEvents & { sections?: string | undefined }>;
  'billing-subscription': BillingJsxProps<BillingSubscription, BillingHostJsxProps & BillingChangeJsxEvents>;
  'billing-usage-meter': BillingJsxProps<BillingUsageMeter, BillingHostJsxProps & { metric?: string | undefined }>;
  'billing-module-list': BillingJsxProps<
    BillingModuleList,
    BillingHostJsxProps & BillingChangeJsxEvents & Pick<BillingAllJsxEvents, 'onbilling-request-plan'>
  >;
  'billing-plan-picker': BillingJsxProps<BillingPlanPicker, BillingHostJsxProps & BillingChangeJsxEvents>;
  'billing-payment-method': BillingJsxProps<
    BillingPaymentMethod,
    BillingHostJsxProps & BillingChangeJsxEvents & Pick<BillingAllJsxEvents, 'onbilling-payment-method-setup'>
  >;
  'billing-invoice-table': BillingJsxProps<
    BillingInvoiceTable,
    BillingHostJsxProps & { 'page-size'?: number | string | undefined; pageSize?: number | undefined }
  >;
}

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface IntrinsicElements extends BillingIntrinsicElements {}
  }
}
