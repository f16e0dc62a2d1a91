/**
 * Public: the events the elements fire (exported from the package index and listed in
 * `GlobalEventHandlersEventMap`), so hosts can listen, veto a change or take it over.
 */
import type {
  ChangePreview,
  ChangeRequest,
  Invoice,
  PaymentMethod,
  ScheduledChange,
  SetupSession,
  Subscription,
} from '../contract/index.js';

/**
 * What is about to be committed: a change with its preview, the cancellation of a scheduled
 * change, a new default payment method, or the removal of a payment method that is not the
 * default.
 */
export type PendingChange =
  | { type: 'change'; request: ChangeRequest; preview: ChangePreview }
  | { type: 'cancel_scheduled'; scheduledChange: ScheduledChange }
  | { type: 'default_payment_method'; paymentMethod: PaymentMethod }
  | { type: 'remove_payment_method'; paymentMethod: PaymentMethod };

/**
 * Fired before every mutation. Cancelable: `preventDefault()` stops it, e.g. to open the
 * host's own checkout or approval flow instead.
 */
export class BillingBeforeChangeEvent extends Event {
  static readonly type = 'billing-before-change';
  constructor(readonly change: PendingChange) {
    super(BillingBeforeChangeEvent.type, { bubbles: true, composed: true, cancelable: true });
  }
}

/**
 * Fired after a mutation succeeded, with the subscription as it now is (null for payment
 * methods: a new default or a removal).
 */
export class BillingChangeEvent extends Event {
  static readonly type = 'billing-change';
  constructor(
    readonly change: PendingChange,
    readonly subscription: Subscription | null,
    /** The invoice issued for an immediate change that cost money. */
    readonly invoice: Invoice | null,
  ) {
    super(BillingChangeEvent.type, { bubbles: true, composed: true });
  }
}

/**
 * Asks for one of `planIds` to be chosen (e.g. a module needs the top plan). A
 * `<billing-plan-picker>` on the page answers it by opening the change to the first of those
 * plans; a host can answer it too (call `preventDefault()` to say it did).
 */
export class BillingRequestPlanEvent extends Event {
  static readonly type = 'billing-request-plan';
  constructor(
    readonly planIds: readonly string[],
    /** The module that needs it, if any. */
    readonly moduleId: string | null,
  ) {
    super(BillingRequestPlanEvent.type, { bubbles: true, composed: true, cancelable: true });
  }
}

/**
 * Fired when the endpoint has opened a session to add a payment method. Cancelable. For a
 * `redirect` session the element then opens the hosted page unless `preventDefault()` is
 * called; for a `client_secret` session the host mounts its payment provider's element with
 * `session.clientSecret` (and calls `preventDefault()` to say it did).
 */
export class BillingPaymentMethodSetupEvent extends Event {
  static readonly type = 'billing-payment-method-setup';
  constructor(readonly session: SetupSession) {
    super(BillingPaymentMethodSetupEvent.type, { bubbles: true, composed: true, cancelable: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'billing-before-change': BillingBeforeChangeEvent;
    'billing-change': BillingChangeEvent;
    'billing-request-plan': BillingRequestPlanEvent;
    'billing-payment-method-setup': BillingPaymentMethodSetupEvent;
  }
}
