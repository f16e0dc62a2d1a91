/**
 * A stateful stand-in of the Stripe API for the Stripe engine's tests: a `node:http` server on
 * 127.0.0.1 that the official SDK is pointed at (`host`, `port`, `protocol: 'http'`).
 *
 * - It answers exactly the calls the engine and `stripe-setup` (src/stripe/setup/) make (see
 *   `routes`), with the request encoding
 *   the SDK uses (form-encoded bodies, `a[b][0]=…` query strings, `expand[]`), Stripe's list
 *   objects (`has_more`, `starting_after`) and Stripe's error body
 *   (`{ error: { type, code, message, param } }`) for 400, 401 and 404. A parameter a route
 *   does not know is refused (400 `parameter_unknown`), as Stripe does, so the engine cannot
 *   send what this stand-in would silently ignore.
 * - Every object it holds and answers is typed with the SDK's own types (`Stripe.Invoice`,
 *   `Stripe.Subscription`…): a field missing or of the wrong type fails `npm run typecheck`
 *   against Stripe's published types.
 * - Its clock is fixed (`now`); seeding helpers build a catalog, customers, subscriptions,
 *   invoices with lines and payment methods.
 *
 * What it does not model is listed in docs/stripe.md.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

type Interval = 'month' | 'year';

/** A parsed query string or form body: `a[b][0]=x` → `{ a: { b: ['x'] } }`. */
type Params = { [key: string]: string | Params | (string | Params)[] };

export function parseParams(encoded: string): Params {
  const root: Params = {};
  for (const pair of encoded.split('&')) {
    if (pair === '') continue;
    const [rawKey = '', rawValue = ''] = pair.split('=');
    const key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
    const value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
    const path = key.split('[').map((part, index) => (index === 0 ? part : part.replace(/\]$/, '')));
    let node: Params | (string | Params)[] = root;
    for (let i = 0; i < path.length; i++) {
      const part = path[i]!;
      const last = i === path.length - 1;
      const nextIsIndex = !last && /^\d*$/.test(path[i + 1]!);
      if (Array.isArray(node)) {
        const index = part === '' ? node.length : Number(part);
        if (last) node[index] = value;
        else node = (node[index] ??= nextIsIndex ? ([] as unknown as Params) : {}) as Params;
      } else if (last) {
        node[part] = value;
      } else {
        node = (node[part] ??= nextIsIndex ? [] : {}) as Params | (string | Params)[];
      }
    }
  }
  return root;
}

class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

const missing = (what: string, id: string, param = 'id') =>
  new StripeApiError(404, 'invalid_request_error', `No such ${what}: '${id}'`, 'resource_missing', param);

/** A recurring Price as tests and `prices.create` give it to the stand-in. */
interface PriceInput {
  id: string;
  product: string;
  currency: string;
  unitAmount: number;
  interval: Interval;
  lookupKey?: string;
  metadata?: Record<string, string>;
}

export interface StandInOptions {
  /** The stand-in's clock (Unix seconds), used for objects it creates. */
  now: number;
}

interface StoredInvoice {
  invoice: Stripe.Invoice;
  /** Every line (the invoice itself carries the first 10, as Stripe's do). */
  lines: Stripe.InvoiceLineItem[];
  sequence: number;
}

export interface StandIn {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Every request answered, as `METHOD /path` (no query), in order. */
  readonly calls: string[];
  /** The `Idempotency-Key` of every POST that carried one (the SDK adds its own to some), by call, in order. */
  readonly idempotencyKeys: { call: string; key: string }[];
  readonly customers: Map<string, Stripe.Customer>;
  readonly products: Map<string, Stripe.Product>;
  readonly prices: Map<string, Stripe.Price>;
  readonly subscriptions: Map<string, Stripe.Subscription>;
  readonly paymentMethods: Map<string, Stripe.PaymentMethod>;
  readonly checkoutSessions: Map<string, Stripe.Checkout.Session>;
  readonly schedules: Map<string, Stripe.SubscriptionSchedule>;
  invoice(id: string): Stripe.Invoice | undefined;
  addProduct(input: { id: string; name: string; description?: string; metadata?: Record<string, string> }): Stripe.Product;
  addPrice(input: PriceInput): Stripe.Price;
  addCustomer(input: { id: string; email?: string; balance?: number }): Stripe.Customer;
  addPaymentMethod(input: { id: string; customer: string; brand: string; last4: string; expMonth: number; expYear: number; isDefault?: boolean }): Stripe.PaymentMethod;
  addSubscription(input: {
    id: string;
    customer: string;
    prices: string[];
    periodStart: number;
    status?: Stripe.Subscription.Status;
    cancelAtPeriodEnd?: boolean;
  }): Stripe.Subscription;
  addInvoice(input: {
    id: string;
    customer: string;
    number: string | null;
    status: 'draft' | 'open' | 'paid' | 'void' | 'uncollectible';
    created: number;
    subscription?: string;
    lines: { price?: string; description: string; amount: number; periodStart: number; periodEnd: number; proration?: boolean }[];
  }): Stripe.Invoice;
  close(): Promise<void>;
}

export function periodEnd(start: number, interval: Interval): number {
  const date = new Date(start * 1000);
  if (interval === 'month') date.setUTCMonth(date.getUTCMonth() + 1);
  else date.setUTCFullYear(date.getUTCFullYear() + 1);
  return Math.floor(date.getTime() / 1000);
}

function list<T extends { id: string }>(url: string, all: T[], params: Params): Stripe.ApiList<T> {
  const limit = params.limit === undefined ? 10 : Number(params.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new StripeApiError(400, 'invalid_request_error', 'Invalid integer: limit', 'parameter_invalid_integer', 'limit');
  }
  let start = 0;
  if (typeof params.starting_after === 'string') {
    const index = all.findIndex((item) => item.id === params.starting_after);
    if (index === -1) throw missing('object', params.starting_after, 'starting_after');
    start = index + 1;
  }
  const data = all.slice(start, start + limit);
  return { object: 'list', url, data, has_more: start + limit < all.length };
}

/** Keeps the fields named by `allowed`; anything else is `parameter_unknown`, as Stripe answers. */
function only(params: Params, allowed: readonly string[]): Params {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) {
      throw new StripeApiError(400, 'invalid_request_error', `Received unknown parameter: ${key}`, 'parameter_unknown', key);
    }
  }
  return params;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export async function startStandIn(options: StandInOptions): Promise<StandIn> {
  const { now } = options;
  const customers = new Map<string, Stripe.Customer>();
  const products = new Map<string, Stripe.Product>();
  const prices = new Map<string, Stripe.Price>();
  const subscriptions = new Map<string, Stripe.Subscription>();
  const paymentMethods = new Map<string, Stripe.PaymentMethod>();
  const checkoutSessions = new Map<string, Stripe.Checkout.Session>();
  const schedules = new Map<string, Stripe.SubscriptionSchedule>();
  const invoices = new Map<string, StoredInvoice>();
  const calls: string[] = [];
  const idempotencyKeys: { call: string; key: string }[] = [];
  let sequence = 0;
  let url = '';

  function createProduct(input: { id: string; name: string; description?: string; metadata?: Record<string, string> }): Stripe.Product {
    const product: Stripe.Product = {
      id: input.id,
      object: 'product',
      active: true,
      created: now,
      default_price: null,
      description: input.description ?? null,
      images: [],
      livemode: false,
      marketing_features: [],
      metadata: input.metadata ?? {},
      name: input.name,
      package_dimensions: null,
      shippable: null,
      tax_details: null,
      type: 'service',
      updated: now,
      url: null,
    };
    products.set(product.id, product);
    return product;
  }

  function createPrice(input: PriceInput): Stripe.Price {
    const created: Stripe.Price = {
      id: input.id,
      object: 'price',
      active: true,
      billing_scheme: 'per_unit',
      created: now,
      currency: input.currency,
      custom_unit_amount: null,
      livemode: false,
      lookup_key: input.lookupKey ?? null,
      metadata: input.metadata ?? {},
      nickname: null,
      product: input.product,
      recurring: { interval: input.interval, interval_count: 1, meter: null, trial_period_days: null, usage_type: 'licensed' },
      tax_behavior: 'unspecified',
      tiers_mode: null,
      transform_quantity: null,
      type: 'recurring',
      unit_amount: input.unitAmount,
      unit_amount_decimal: Stripe.Decimal.from(input.unitAmount),
    };
    prices.set(created.id, created);
    return created;
  }

  const price = (id: string) => {
    const found = prices.get(id);
    if (!found) throw new Error(`stand-in seed: no price ${id}`);
    return found;
  };
  const intervalOf = (found: Stripe.Price): Interval => (found.recurring?.interval === 'year' ? 'year' : 'month');

  function lineItem(
    invoiceId: string | null,
    currency: string,
    subscription: string | null,
    input: { id: string; price?: string; description: string; amount: number; periodStart: number; periodEnd: number; proration?: boolean },
  ): Stripe.InvoiceLineItem {
    const linePrice = input.price === undefined ? undefined : price(input.price);
    return {
      id: input.id,
      object: 'line_item',
      amount: input.amount,
      currency,
      description: input.description,
      discount_amounts: [],
      discountable: true,
      discounts: [],
      invoice: invoiceId,
      livemode: false,
      metadata: {},
      parent:
        subscription === null
          ? null
          : {
              type: 'subscription_item_details',
              invoice_item_details: null,
              subscription_item_details: {
                invoice_item: null,
                proration: input.proration ?? false,
                proration_details: input.proration ? { credited_items: null } : null,
                subscription,
                subscription_item: `si_${input.id}`,
              },
            },
      period: { start: input.periodStart, end: input.periodEnd },
      pretax_credit_amounts: [],
      pricing: linePrice
        ? {
            type: 'price_details',
            price_details: { price: linePrice.id, product: typeof linePrice.product === 'string' ? linePrice.product : linePrice.product.id },
            unit_amount_decimal: Stripe.Decimal.from(linePrice.unit_amount ?? 0),
          }
        : null,
      quantity: 1,
      quantity_decimal: Stripe.Decimal.from(1),
      subscription,
      subtotal: input.amount,
      taxes: [],
    };
  }

  function invoiceObject(input: {
    id: string | null;
    customer: string;
    number: string | null;
    status: Stripe.Invoice.Status | null;
    created: number;
    currency: string;
    subscription: string | null;
    lines: Stripe.InvoiceLineItem[];
    billingReason: Stripe.Invoice.BillingReason;
  }): Stripe.Invoice {
    const total = input.lines.reduce((sum, line) => sum + line.amount, 0);
    const paid = input.status === 'paid' ? total : 0;
    const finalized = input.status !== 'draft' && input.status !== null;
    const remaining = input.status === 'open' ? total : 0;
    const periodStart = Math.min(...input.lines.map((line) => line.period.start), input.created);
    const periodEnd = Math.max(...input.lines.map((line) => line.period.end), input.created);
    return {
      // Stripe's previews have no id; the type says `string`, and the SDK's own previews carry ''.
      id: input.id ?? '',
      object: 'invoice',
      account_country: 'DE',
      account_name: 'Stand-in Seller',
      account_tax_ids: null,
      amount_due: total,
      amount_overpaid: 0,
      amount_paid: paid,
      amount_remaining: remaining,
      amount_shipping: 0,
      application: null,
      attempt_count: input.status === 'paid' || input.status === 'open' ? 1 : 0,
      attempted: input.status === 'paid' || input.status === 'open',
      automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
      automatically_finalizes_at: null,
      billing_reason: input.billingReason,
      collection_method: 'charge_automatically',
      created: input.created,
      currency: input.currency,
      custom_fields: null,
      customer: input.customer,
      customer_account: null,
      customer_address: null,
      customer_email: customers.get(input.customer)?.email ?? null,
      customer_name: null,
      customer_phone: null,
      customer_shipping: null,
      customer_tax_exempt: 'none',
      default_payment_method: null,
      default_source: null,
      default_tax_rates: [],
      description: null,
      discounts: [],
      due_date: null,
      effective_at: finalized ? input.created : null,
      ending_balance: finalized ? 0 : null,
      footer: null,
      from_invoice: null,
      hosted_invoice_url: finalized && input.id !== null ? `${url}/invoice/${input.id}` : null,
      invoice_pdf: finalized && input.id !== null ? `${url}/invoice/${input.id}/pdf` : null,
      issuer: { type: 'self' },
      last_finalization_error: null,
      latest_revision: null,
      lines: { object: 'list', url: `/v1/invoices/${input.id ?? 'upcoming'}/lines`, data: input.lines.slice(0, 10), has_more: input.lines.length > 10 },
      livemode: false,
      metadata: {},
      next_payment_attempt: input.status === null ? input.created : input.status === 'open' ? input.created + 3 * 86_400 : null,
      number: input.number,
      on_behalf_of: null,
      parent:
        input.subscription === null
          ? null
          : {
              type: 'subscription_details',
              quote_details: null,
              subscription_details: { metadata: {}, subscription: input.subscription },
            },
      payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
      period_end: periodEnd,
      period_start: periodStart,
      post_payment_credit_notes_amount: 0,
      pre_payment_credit_notes_amount: 0,
      receipt_number: null,
      rendering: null,
      shipping_cost: null,
      shipping_details: null,
      starting_balance: 0,
      statement_descriptor: null,
      status: input.status,
      status_transitions: {
        finalized_at: finalized ? input.created : null,
        marked_uncollectible_at: input.status === 'uncollectible' ? input.created : null,
        paid_at: input.status === 'paid' ? input.created : null,
        voided_at: input.status === 'void' ? input.created : null,
      },
      subtotal: total,
      subtotal_excluding_tax: total,
      test_clock: null,
      total,
      total_discount_amounts: [],
      total_excluding_tax: total,
      total_pretax_credit_amounts: [],
      total_taxes: [],
      webhooks_delivered_at: input.created,
    };
  }

  /** The invoice Stripe would issue at the renewal of a subscription with `items`, the period ending at `start`. */
  function upcoming(customer: string, subscription: Stripe.Subscription, items: Stripe.SubscriptionItem[], start: number): Stripe.Invoice {
    const lines = items.map((entry, index) => {
      const itemPrice = entry.price;
      const product = products.get(typeof itemPrice.product === 'string' ? itemPrice.product : itemPrice.product.id);
      return lineItem(null, subscription.currency, subscription.id, {
        id: `il_upcoming_${index}`,
        price: itemPrice.id,
        description: `1 × ${product?.name ?? itemPrice.id}`,
        amount: (itemPrice.unit_amount ?? 0) * (entry.quantity ?? 1),
        periodStart: start,
        periodEnd: periodEnd(start, intervalOf(itemPrice)),
      });
    });
    return invoiceObject({
      id: null,
      customer,
      number: null,
      status: null,
      created: start,
      currency: subscription.currency,
      subscription: subscription.id,
      lines,
      billingReason: 'upcoming',
    });
  }

  function subscriptionOf(customer: string, subscriptionId: string): Stripe.Subscription {
    const subscription = subscriptions.get(subscriptionId);
    if (!subscription || subscription.customer !== customer) throw missing('subscription', subscriptionId, 'subscription');
    return subscription;
  }

  function subscriptionItem(subscriptionId: string, id: string, itemPrice: Stripe.Price, start: number, end: number): Stripe.SubscriptionItem {
    const plan: Stripe.Plan = {
      id: itemPrice.id,
      object: 'plan',
      active: true,
      amount: itemPrice.unit_amount,
      amount_decimal: itemPrice.unit_amount_decimal,
      billing_scheme: 'per_unit',
      created: itemPrice.created,
      currency: itemPrice.currency,
      interval: intervalOf(itemPrice),
      interval_count: 1,
      livemode: false,
      metadata: {},
      meter: null,
      nickname: null,
      product: itemPrice.product as string,
      tiers_mode: null,
      transform_usage: null,
      trial_period_days: null,
      usage_type: 'licensed',
    };
    return {
      id,
      object: 'subscription_item',
      billing_thresholds: null,
      created: start,
      current_period_end: end,
      current_period_start: start,
      current_trial: null,
      discounts: [],
      metadata: {},
      plan,
      price: itemPrice,
      quantity: 1,
      subscription: subscriptionId,
      tax_rates: [],
    };
  }

  type LineInput = { price?: string; description: string; amount: number; periodStart: number; periodEnd: number; proration?: boolean };

  /**
   * A change of items at `at`, as Stripe prorates it (per second): within the same interval,
   * unused time of the old items is credited and the rest of the period charged at the new
   * prices; a switch of interval starts a new period at `at`, crediting the old one and
   * charging the new in full.
   */
  function changeItems(subscription: Stripe.Subscription, changes: Params[], at: number) {
    const first = subscription.items.data[0]!;
    const [start, end] = [first.current_period_start, first.current_period_end];
    const before = subscription.items.data;
    let after = [...before];
    for (const change of changes) {
      only(change, ['id', 'price', 'deleted']);
      const id = text(change.id);
      const priceId = text(change.price);
      if (id !== undefined) {
        const index = after.findIndex((item) => item.id === id);
        if (index === -1) throw missing('subscription item', id, 'items');
        if (change.deleted === 'true') after.splice(index, 1);
        else if (priceId !== undefined) after[index] = subscriptionItem(subscription.id, id, price(priceId), start, end);
      } else if (priceId !== undefined) {
        after.push(subscriptionItem(subscription.id, `si_${subscription.id}_${++sequence}`, price(priceId), start, end));
      } else {
        throw new StripeApiError(400, 'invalid_request_error', 'An item needs an id or a price', 'parameter_missing', 'items');
      }
    }
    if (after.length === 0) throw new StripeApiError(400, 'invalid_request_error', 'A subscription needs an item', 'parameter_invalid', 'items');
    const interval = intervalOf(after[0]!.price);
    if (after.some((item) => intervalOf(item.price) !== interval)) {
      throw new StripeApiError(400, 'invalid_request_error', 'Every item must be billed at the same interval', 'parameter_invalid', 'items');
    }
    const name = (item: Stripe.SubscriptionItem) => products.get(item.price.product as string)?.name ?? item.price.id;
    const amount = (item: Stripe.SubscriptionItem) => (item.price.unit_amount ?? 0) * (item.quantity ?? 1);
    const lines: LineInput[] = [];
    const switched = interval !== intervalOf(first.price);
    const factor = (end - at) / (end - start);
    const same = (a: Stripe.SubscriptionItem, b: Stripe.SubscriptionItem) => a.id === b.id && a.price.id === b.price.id;
    for (const item of before) {
      if (!switched && after.some((other) => same(item, other))) continue;
      lines.push({ price: item.price.id, description: `Unused time on ${name(item)}`, amount: -Math.round(amount(item) * factor), periodStart: at, periodEnd: end, proration: true });
    }
    if (switched) {
      const newEnd = periodEnd(at, interval);
      after = after.map((item) => subscriptionItem(subscription.id, item.id, item.price, at, newEnd));
      for (const item of after) lines.push({ price: item.price.id, description: `1 × ${name(item)}`, amount: amount(item), periodStart: at, periodEnd: newEnd });
    } else {
      for (const item of after) {
        if (before.some((other) => same(item, other))) continue;
        lines.push({ price: item.price.id, description: `Remaining time on ${name(item)}`, amount: Math.round(amount(item) * factor), periodStart: at, periodEnd: end, proration: true });
      }
    }
    return { items: after, lines };
  }

  /** The items the subscription renews with: the next phase's, when a schedule has one from the period end. */
  function renewalItems(subscription: Stripe.Subscription): Stripe.SubscriptionItem[] {
    const schedule = typeof subscription.schedule === 'string' ? schedules.get(subscription.schedule) : undefined;
    const end = subscription.items.data[0]!.current_period_end;
    const next = schedule?.phases.find((phase) => phase.start_date === end);
    if (!next) return subscription.items.data;
    return next.items.map((item, index) => subscriptionItem(subscription.id, `si_next_${index}`, price(item.price as string), end, periodEnd(end, intervalOf(price(item.price as string)))));
  }

  function scheduleObject(subscription: Stripe.Subscription, id: string): Stripe.SubscriptionSchedule {
    const first = subscription.items.data[0]!;
    return {
      id,
      object: 'subscription_schedule',
      application: null,
      billing_mode: { flexible: null, type: 'classic' },
      canceled_at: null,
      completed_at: null,
      created: now,
      current_phase: { start_date: first.current_period_start, end_date: first.current_period_end },
      customer: subscription.customer,
      customer_account: null,
      default_settings: {
        application_fee_percent: null,
        billing_cycle_anchor: 'automatic',
        billing_thresholds: null,
        collection_method: 'charge_automatically',
        default_payment_method: null,
        description: null,
        invoice_settings: { account_tax_ids: null, custom_fields: null, days_until_due: null, description: null, footer: null, issuer: { type: 'self' } },
        on_behalf_of: null,
        transfer_data: null,
      },
      end_behavior: 'release',
      livemode: false,
      metadata: {},
      pause_schedules: [],
      phases: [phaseObject(subscription.currency, subscription.items.data.map((item) => item.price.id), first.current_period_start, first.current_period_end)],
      released_at: null,
      released_subscription: null,
      status: 'active',
      subscription: subscription.id,
      test_clock: null,
    };
  }

  function phaseObject(currency: string, priceIds: string[], start: number, end: number): Stripe.SubscriptionSchedule.Phase {
    return {
      add_invoice_items: [],
      application_fee_percent: null,
      billing_cycle_anchor: null,
      billing_thresholds: null,
      collection_method: null,
      currency,
      default_payment_method: null,
      description: null,
      discounts: [],
      end_date: end,
      invoice_settings: null,
      items: priceIds.map((priceId) => ({ billing_thresholds: null, discounts: [], metadata: {}, plan: priceId, price: priceId, quantity: 1 })),
      metadata: {},
      on_behalf_of: null,
      proration_behavior: 'none',
      start_date: start,
      transfer_data: null,
      trial_end: null,
    };
  }

  const behaviour = (value: unknown) => {
    const named = text(value) ?? 'create_prorations';
    if (!['always_invoice', 'none', 'create_prorations'].includes(named)) {
      throw new StripeApiError(400, 'invalid_request_error', `Invalid proration_behavior: ${named}`, 'parameter_invalid', 'proration_behavior');
    }
    if (named === 'create_prorations') {
      throw new StripeApiError(400, 'invalid_request_error', 'This stand-in does not keep pending invoice items', 'parameter_invalid', 'proration_behavior');
    }
    return named as 'always_invoice' | 'none';
  };
  const itemList = (value: unknown): Params[] => (Array.isArray(value) ? value.filter((entry): entry is Params => typeof entry === 'object') : []);
  const idempotent = new Map<string, unknown>();

  const ordered = () =>
    [...invoices.values()].sort((a, b) => b.invoice.created - a.invoice.created || b.sequence - a.sequence);

  const requiredError = (param: string) =>
    new StripeApiError(400, 'invalid_request_error', `Missing required param: ${param}.`, 'parameter_missing', param);
  const required = (params: Params, param: string): string => {
    const value = text(params[param]);
    if (value === undefined || value === '') throw requiredError(param);
    return value;
  };
  /** `metadata[key]=value` pairs; on create an empty value is left out, on update it removes the key (`keepEmpty`). */
  const metadataOf = (value: Params[string] | undefined, keepEmpty = false): Record<string, string> => {
    if (value === undefined) return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new StripeApiError(400, 'invalid_request_error', 'Invalid object', 'parameter_invalid', 'metadata');
    }
    const result: Record<string, string> = {};
    for (const [key, entry] of Object.entries(value)) {
      if (typeof entry !== 'string' || key.length > 40 || entry.length > 500) {
        throw new StripeApiError(400, 'invalid_request_error', `Invalid metadata[${key}]`, 'parameter_invalid', `metadata[${key}]`);
      }
      if (entry !== '' || keepEmpty) result[key] = entry;
    }
    return result;
  };

  type Route = { method: 'GET' | 'POST'; pattern: RegExp; handle: (match: string[], params: Params, idempotencyKey?: string) => unknown };
  /** `GET /v1/<path>/<id>`: the object kept in `table`, or Stripe's 404 for a `kind` it does not have. */
  const retrieve = <T>(path: string, table: Map<string, T>, kind: string): Route => ({
    method: 'GET',
    pattern: new RegExp(`^/v1/${path}/([^/]+)$`),
    handle: ([id = ''], params) => {
      only(params, []);
      return table.get(id) ?? missing(kind, id);
    },
  });
  const routes: Route[] = [
    {
      method: 'GET',
      pattern: /^\/v1\/prices$/,
      handle: (_, params) => {
        only(params, ['limit', 'starting_after', 'expand', 'active', 'lookup_keys', 'product']);
        const expand = Array.isArray(params.expand) ? params.expand : [];
        const lookupKeys = Array.isArray(params.lookup_keys) ? params.lookup_keys : undefined;
        if (lookupKeys && lookupKeys.length > 10) {
          throw new StripeApiError(400, 'invalid_request_error', 'lookup_keys: at most 10', 'parameter_invalid', 'lookup_keys');
        }
        const all = [...prices.values()].filter(
          (entry) =>
            (params.active === undefined || String(entry.active) === params.active) &&
            (params.product === undefined || entry.product === params.product) &&
            (lookupKeys === undefined || (entry.lookup_key !== null && lookupKeys.includes(entry.lookup_key))),
        );
        const page = list('/v1/prices', all, params);
        if (!expand.includes('data.product')) return page;
        return { ...page, data: page.data.map((entry) => ({ ...entry, product: products.get(entry.product as string)! })) };
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/prices$/,
      handle: (_, params) => {
        only(params, ['product', 'currency', 'unit_amount', 'recurring', 'lookup_key', 'transfer_lookup_key', 'metadata']);
        const productId = required(params, 'product');
        if (!products.has(productId)) throw missing('product', productId, 'product');
        const currency = required(params, 'currency');
        const unitAmount = Number(required(params, 'unit_amount'));
        if (!Number.isInteger(unitAmount) || unitAmount < 0) {
          throw new StripeApiError(400, 'invalid_request_error', 'Invalid integer: unit_amount', 'parameter_invalid_integer', 'unit_amount');
        }
        const recurring = params.recurring;
        if (typeof recurring !== 'object' || Array.isArray(recurring)) throw requiredError('recurring');
        only(recurring, ['interval']);
        const interval = recurring.interval;
        if (interval !== 'month' && interval !== 'year') {
          throw new StripeApiError(400, 'invalid_request_error', 'Invalid recurring[interval]', 'parameter_invalid', 'recurring[interval]');
        }
        const lookupKey = text(params.lookup_key);
        if (lookupKey !== undefined) {
          const holder = [...prices.values()].find((entry) => entry.lookup_key === lookupKey);
          if (holder && params.transfer_lookup_key !== 'true') {
            throw new StripeApiError(400, 'invalid_request_error', `A price (\`${holder.id}\`) already uses that lookup key.`, 'lookup_key_already_exists', 'lookup_key');
          }
          if (holder) holder.lookup_key = null;
        }
        return createPrice({ id: `price_${++sequence}`, product: productId, currency, unitAmount, interval, lookupKey, metadata: metadataOf(params.metadata) });
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/prices\/([^/]+)$/,
      handle: ([id = ''], params) => {
        only(params, ['active']);
        const found = prices.get(id);
        if (!found) return missing('price', id);
        if (params.active !== undefined) found.active = params.active === 'true';
        return found;
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/products$/,
      handle: (_, params) => {
        only(params, ['limit', 'starting_after', 'active']);
        const all = [...products.values()].filter((entry) => params.active === undefined || String(entry.active) === params.active);
        return list('/v1/products', all, params);
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/products$/,
      handle: (_, params) => {
        only(params, ['name', 'description', 'metadata']);
        const name = required(params, 'name');
        const description = text(params.description);
        if (description === '') throw new StripeApiError(400, 'invalid_request_error', 'You passed an empty string for description', 'parameter_invalid_empty', 'description');
        return createProduct({ id: `prod_${++sequence}`, name, metadata: metadataOf(params.metadata), ...(description === undefined ? {} : { description }) });
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/products\/([^/]+)$/,
      handle: ([id = ''], params) => {
        only(params, ['name', 'description', 'metadata', 'active']);
        const product = products.get(id);
        if (!product) return missing('product', id);
        const name = text(params.name);
        if (name !== undefined) product.name = name;
        const description = text(params.description);
        // An empty string unsets a field, as Stripe does.
        if (description !== undefined) product.description = description === '' ? null : description;
        if (params.active !== undefined) product.active = params.active === 'true';
        const metadata = metadataOf(params.metadata, true);
        for (const [key, value] of Object.entries(metadata)) {
          if (value === '') delete product.metadata[key];
          else product.metadata[key] = value;
        }
        product.updated = now;
        return product;
      },
    },
    retrieve('products', products, 'product'),
    retrieve('customers', customers, 'customer'),
    {
      method: 'POST',
      pattern: /^\/v1\/customers\/([^/]+)$/,
      handle: ([id = ''], params) => {
        only(params, ['invoice_settings']);
        const customer = customers.get(id);
        if (!customer) return missing('customer', id);
        const settings = params.invoice_settings;
        if (settings !== undefined) {
          if (typeof settings !== 'object' || Array.isArray(settings)) {
            throw new StripeApiError(400, 'invalid_request_error', 'Invalid object', 'parameter_invalid', 'invoice_settings');
          }
          only(settings, ['default_payment_method']);
          const methodId = text(settings.default_payment_method);
          if (methodId !== undefined) {
            const method = paymentMethods.get(methodId);
            if (!method || method.customer !== id) throw missing('PaymentMethod', methodId, 'invoice_settings[default_payment_method]');
            customer.invoice_settings = { ...customer.invoice_settings, default_payment_method: methodId };
          }
        }
        return customer;
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/customers\/([^/]+)\/payment_methods$/,
      handle: ([id = ''], params) => {
        only(params, ['limit', 'starting_after']);
        if (!customers.has(id)) return missing('customer', id);
        const all = [...paymentMethods.values()].filter((method) => method.customer === id).sort((a, b) => b.created - a.created);
        return list(`/v1/customers/${id}/payment_methods`, all, params);
      },
    },
    retrieve('payment_methods', paymentMethods, 'PaymentMethod'),
    {
      method: 'POST',
      pattern: /^\/v1\/payment_methods\/([^/]+)\/detach$/,
      handle: ([id = ''], params) => {
        only(params, []);
        const method = paymentMethods.get(id);
        if (!method) return missing('PaymentMethod', id);
        if (method.customer === null) {
          throw new StripeApiError(400, 'invalid_request_error', 'The payment method is not attached to a customer', 'payment_method_unexpected_state');
        }
        const owner = customers.get(method.customer as string);
        if (owner && owner.invoice_settings.default_payment_method === id) {
          owner.invoice_settings = { ...owner.invoice_settings, default_payment_method: null };
        }
        method.customer = null;
        return method;
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/subscriptions$/,
      handle: (_, params) => {
        only(params, ['customer', 'status', 'limit', 'starting_after']);
        const status = text(params.status);
        const all = [...subscriptions.values()]
          .filter((subscription) => params.customer === undefined || subscription.customer === params.customer)
          // Stripe leaves canceled subscriptions out unless asked for `all` (or `canceled`).
          .filter((subscription) => (status === 'all' ? true : status !== undefined ? subscription.status === status : subscription.status !== 'canceled'))
          .sort((a, b) => b.created - a.created);
        return list('/v1/subscriptions', all, params);
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/invoices$/,
      handle: (_, params) => {
        only(params, ['customer', 'status', 'created', 'limit', 'starting_after']);
        const created = typeof params.created === 'object' && !Array.isArray(params.created) ? only(params.created, ['gte', 'lte', 'gt', 'lt']) : {};
        const bound = (key: string) => (created[key] === undefined ? undefined : Number(created[key]));
        const [gte, lte, gt, lt] = [bound('gte'), bound('lte'), bound('gt'), bound('lt')];
        const status = text(params.status);
        if (status !== undefined && !['draft', 'open', 'paid', 'void', 'uncollectible'].includes(status)) {
          throw new StripeApiError(400, 'invalid_request_error', `Invalid status: ${status}`, 'parameter_invalid', 'status');
        }
        const all = ordered()
          .map((stored) => stored.invoice)
          .filter((invoice) => params.customer === undefined || invoice.customer === params.customer)
          .filter((invoice) => status === undefined || invoice.status === status)
          .filter((invoice) => gte === undefined || invoice.created >= gte)
          .filter((invoice) => lte === undefined || invoice.created <= lte)
          .filter((invoice) => gt === undefined || invoice.created > gt)
          .filter((invoice) => lt === undefined || invoice.created < lt);
        if (typeof params.starting_after === 'string' && !invoices.has(params.starting_after)) {
          throw missing('invoice', params.starting_after, 'starting_after');
        }
        // A cursor outside the filtered list still marks a position: after it in Stripe's order.
        const cursor = typeof params.starting_after === 'string' ? invoices.get(params.starting_after) : undefined;
        if (cursor && !all.some((invoice) => invoice.id === cursor.invoice.id)) {
          const after = all.filter((invoice) => {
            const stored = invoices.get(invoice.id)!;
            return stored.invoice.created < cursor.invoice.created || (stored.invoice.created === cursor.invoice.created && stored.sequence < cursor.sequence);
          });
          const { starting_after: _cursor, ...rest } = params;
          return list('/v1/invoices', after, rest);
        }
        return list('/v1/invoices', all, params);
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/invoices\/create_preview$/,
      handle: (_, params) => {
        only(params, ['customer', 'subscription', 'subscription_details']);
        const customer = text(params.customer);
        const subscriptionId = text(params.subscription);
        if (customer === undefined || subscriptionId === undefined) {
          throw new StripeApiError(400, 'invalid_request_error', 'This stand-in previews an existing subscription only', 'parameter_missing');
        }
        if (!customers.has(customer)) return missing('customer', customer, 'customer');
        const subscription = subscriptionOf(customer, subscriptionId);
        const details = params.subscription_details;
        if (details === undefined) return upcoming(customer, subscription, renewalItems(subscription), subscription.items.data[0]!.current_period_end);
        if (typeof details !== 'object' || Array.isArray(details)) {
          throw new StripeApiError(400, 'invalid_request_error', 'Invalid object', 'parameter_invalid', 'subscription_details');
        }
        only(details, ['items', 'proration_behavior', 'proration_date']);
        const at = details.proration_date === undefined ? now : Number(details.proration_date);
        const { items, lines } = changeItems(subscription, itemList(details.items), at);
        if (behaviour(details.proration_behavior) === 'none') return upcoming(customer, subscription, items, items[0]!.current_period_end);
        return invoiceObject({
          id: null,
          customer,
          number: null,
          status: null,
          created: at,
          currency: subscription.currency,
          subscription: subscription.id,
          lines: lines.map((line, index) => lineItem(null, subscription.currency, subscription.id, { ...line, id: `il_preview_${index}` })),
          billingReason: 'subscription_update',
        });
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/subscriptions\/([^/]+)$/,
      handle: ([id = ''], params, key) => {
        only(params, ['items', 'proration_behavior', 'proration_date', 'payment_behavior']);
        if (key !== undefined && idempotent.has(key)) return idempotent.get(key);
        const subscription = subscriptions.get(id);
        if (!subscription) return missing('subscription', id);
        if (params.payment_behavior !== undefined && params.payment_behavior !== 'error_if_incomplete') {
          throw new StripeApiError(400, 'invalid_request_error', 'This stand-in models payment_behavior=error_if_incomplete only', 'parameter_invalid', 'payment_behavior');
        }
        const at = params.proration_date === undefined ? now : Number(params.proration_date);
        const first = subscription.items.data[0]!;
        if (at < first.current_period_start || at > first.current_period_end) {
          throw new StripeApiError(400, 'invalid_request_error', 'proration_date must be within the current period', 'parameter_invalid', 'proration_date');
        }
        const { items, lines } = changeItems(subscription, itemList(params.items), at);
        const customer = customers.get(subscription.customer as string)!;
        if (behaviour(params.proration_behavior) === 'always_invoice' && lines.length > 0) {
          const total = lines.reduce((sum, line) => sum + line.amount, 0);
          if (total > 0 && customer.invoice_settings.default_payment_method === null) {
            throw new StripeApiError(402, 'card_error', 'The customer has no payment method to charge', 'card_declined');
          }
          const invoiceId = `in_${subscription.id}_${++sequence}`;
          const invoiceLines = lines.map((line, index) => lineItem(invoiceId, subscription.currency, subscription.id, { ...line, id: `il_${invoiceId}_${index}` }));
          const invoice = invoiceObject({
            id: invoiceId,
            customer: customer.id,
            number: `INV-S${sequence}`,
            status: 'paid',
            created: at,
            currency: subscription.currency,
            subscription: subscription.id,
            lines: invoiceLines,
            billingReason: 'subscription_update',
          });
          // A negative total is credit on the customer's balance; nothing is charged.
          if (total < 0) customer.balance += total;
          invoices.set(invoiceId, { invoice, lines: invoiceLines, sequence });
          subscription.latest_invoice = invoiceId;
        }
        subscription.items = { ...subscription.items, data: items };
        if (key !== undefined) idempotent.set(key, subscription);
        return subscription;
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/invoices\/([^/]+)$/,
      handle: ([id = ''], params) => {
        only(params, []);
        return invoices.get(id)?.invoice ?? missing('invoice', id);
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/invoices\/([^/]+)\/lines$/,
      handle: ([id = ''], params) => {
        only(params, ['limit', 'starting_after']);
        const stored = invoices.get(id);
        if (!stored) return missing('invoice', id);
        return list(`/v1/invoices/${id}/lines`, stored.lines, params);
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/subscription_schedules$/,
      handle: (_, params, key) => {
        only(params, ['from_subscription']);
        if (key !== undefined && idempotent.has(key)) return idempotent.get(key);
        const subscriptionId = text(params.from_subscription);
        const subscription = subscriptionId === undefined ? undefined : subscriptions.get(subscriptionId);
        if (!subscription) return missing('subscription', subscriptionId ?? '', 'from_subscription');
        if (subscription.schedule !== null) {
          throw new StripeApiError(400, 'invalid_request_error', `The subscription is already managed by ${String(subscription.schedule)}`, 'resource_already_exists', 'from_subscription');
        }
        const schedule = scheduleObject(subscription, `sub_sched_${++sequence}`);
        schedules.set(schedule.id, schedule);
        subscription.schedule = schedule.id;
        if (key !== undefined) idempotent.set(key, schedule);
        return schedule;
      },
    },
    retrieve('subscription_schedules', schedules, 'subscription_schedule'),
    {
      method: 'POST',
      pattern: /^\/v1\/subscription_schedules\/([^/]+)$/,
      handle: ([id = ''], params, key) => {
        only(params, ['phases', 'end_behavior', 'proration_behavior']);
        if (key !== undefined && idempotent.has(key)) return idempotent.get(key);
        const schedule = schedules.get(id);
        if (!schedule) return missing('subscription_schedule', id);
        if (schedule.status !== 'active' && schedule.status !== 'not_started') {
          throw new StripeApiError(400, 'invalid_request_error', `You cannot update a schedule that is ${schedule.status}`, 'parameter_invalid');
        }
        if (params.end_behavior !== undefined && params.end_behavior !== 'release') {
          throw new StripeApiError(400, 'invalid_request_error', 'This stand-in models end_behavior=release only', 'parameter_invalid', 'end_behavior');
        }
        if (params.proration_behavior !== undefined && params.proration_behavior !== 'none') {
          throw new StripeApiError(400, 'invalid_request_error', 'This stand-in models proration_behavior=none only', 'parameter_invalid', 'proration_behavior');
        }
        const subscription = subscriptions.get(schedule.subscription as string)!;
        const phases = itemList(params.phases).map((phase, index) => {
          only(phase, ['items', 'start_date', 'end_date']);
          const priceIds = itemList(phase.items).map((item) => {
            only(item, ['price', 'quantity']);
            const priceId = text(item.price);
            if (priceId === undefined || !prices.has(priceId)) throw missing('price', priceId ?? '', `phases[${index}][items]`);
            if (item.quantity !== undefined && item.quantity !== '1') {
              throw new StripeApiError(400, 'invalid_request_error', 'This stand-in models a quantity of 1 only', 'parameter_invalid');
            }
            return priceId;
          });
          const start = Number(phase.start_date);
          const end = Number(phase.end_date);
          if (!Number.isInteger(start) || !Number.isInteger(end) || end <= start) {
            throw new StripeApiError(400, 'invalid_request_error', 'A phase needs a start_date before its end_date', 'parameter_invalid', `phases[${index}]`);
          }
          return phaseObject(subscription.currency, priceIds, start, end);
        });
        if (phases.length === 0) throw new StripeApiError(400, 'invalid_request_error', 'A schedule needs a phase', 'parameter_missing', 'phases');
        for (let i = 1; i < phases.length; i++) {
          if (phases[i]!.start_date !== phases[i - 1]!.end_date) {
            throw new StripeApiError(400, 'invalid_request_error', 'Phases must follow one another', 'parameter_invalid', 'phases');
          }
        }
        if (phases[0]!.start_date !== schedule.phases[0]!.start_date) {
          throw new StripeApiError(400, 'invalid_request_error', 'The current phase’s start_date cannot change', 'parameter_invalid', 'phases[0][start_date]');
        }
        schedule.phases = phases;
        if (key !== undefined) idempotent.set(key, schedule);
        return schedule;
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/subscription_schedules\/([^/]+)\/release$/,
      handle: ([id = ''], params) => {
        only(params, []);
        const schedule = schedules.get(id);
        if (!schedule) return missing('subscription_schedule', id);
        if (schedule.status !== 'active') {
          throw new StripeApiError(400, 'invalid_request_error', `You cannot release a schedule that is ${schedule.status}`, 'parameter_invalid');
        }
        const subscription = subscriptions.get(schedule.subscription as string)!;
        subscription.schedule = null;
        schedule.status = 'released';
        schedule.released_at = now;
        schedule.released_subscription = subscription.id;
        schedule.subscription = null;
        return schedule;
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/checkout\/sessions$/,
      handle: (_, params) => {
        only(params, ['mode', 'customer', 'currency', 'locale', 'success_url', 'cancel_url']);
        if (params.mode !== 'setup') {
          throw new StripeApiError(400, 'invalid_request_error', 'This stand-in creates setup sessions only', 'parameter_invalid', 'mode');
        }
        const customer = text(params.customer);
        if (customer === undefined || !customers.has(customer)) return missing('customer', customer ?? '', 'customer');
        for (const param of ['currency', 'success_url', 'cancel_url'] as const) {
          if (typeof params[param] !== 'string') {
            throw new StripeApiError(400, 'invalid_request_error', `Missing required param: ${param}.`, 'parameter_missing', param);
          }
        }
        const id = `cs_test_${++sequence}`;
        const session: Stripe.Checkout.Session = {
          id,
          object: 'checkout.session',
          adaptive_pricing: null,
          after_expiration: null,
          allow_promotion_codes: null,
          allowed_payment_method_types: null,
          amount_subtotal: null,
          amount_total: null,
          automatic_tax: { enabled: false, liability: null, provider: null, status: null },
          billing_address_collection: null,
          cancel_url: text(params.cancel_url)!,
          client_reference_id: null,
          client_secret: null,
          collected_information: null,
          consent: null,
          consent_collection: null,
          created: now,
          currency: text(params.currency)!,
          currency_conversion: null,
          custom_fields: [],
          custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
          customer,
          customer_account: null,
          customer_creation: null,
          customer_details: null,
          customer_email: null,
          discounts: null,
          expires_at: now + 86_400,
          integration_identifier: null,
          invoice: null,
          invoice_creation: null,
          livemode: false,
          locale: text(params.locale) ?? null,
          managed_payments: null,
          metadata: {},
          mode: 'setup',
          origin_context: null,
          payment_intent: null,
          payment_link: null,
          payment_method_collection: null,
          payment_method_configuration_details: null,
          payment_method_options: null,
          payment_method_types: ['card'],
          payment_status: 'no_payment_required',
          permissions: null,
          recovered_from: null,
          saved_payment_method_options: null,
          setup_intent: `seti_${id}`,
          shipping_address_collection: null,
          shipping_cost: null,
          shipping_options: [],
          status: 'open',
          submit_type: null,
          subscription: null,
          success_url: text(params.success_url)!,
          total_details: null,
          ui_mode: 'hosted',
          url: `${url}/checkout/${id}`,
          wallet_options: null,
        };
        checkoutSessions.set(id, session);
        return session;
      },
    },
  ];

  /** A minimal PDF, served where `invoice_pdf` points. */
  const pdf = (number: string) =>
    Buffer.from(`%PDF-1.4\n% stand-in invoice ${number}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const target = new URL(request.url ?? '/', 'http://stand-in');
    const method = request.method ?? 'GET';
    calls.push(`${method} ${target.pathname}`);
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'Content-Type': 'application/json', 'Request-Id': `req_${calls.length}` });
      response.end(JSON.stringify(body));
    };
    try {
      const pdfMatch = /^\/invoice\/([^/]+)\/pdf$/.exec(target.pathname);
      if (method === 'GET' && pdfMatch) {
        const stored = invoices.get(pdfMatch[1]!);
        if (!stored?.invoice.invoice_pdf) throw missing('invoice', pdfMatch[1]!);
        response.writeHead(200, { 'Content-Type': 'application/pdf' });
        response.end(pdf(stored.invoice.number ?? stored.invoice.id));
        return;
      }
      if (!/^Bearer sk_test_\w+$/.test(request.headers.authorization ?? '')) {
        throw new StripeApiError(401, 'invalid_request_error', 'Invalid API Key provided');
      }
      let body = '';
      for await (const chunk of request) body += String(chunk);
      const params = parseParams(method === 'GET' ? target.search.slice(1) : body);
      for (const route of routes) {
        if (route.method !== method) continue;
        const match = route.pattern.exec(target.pathname);
        if (!match) continue;
        const key = request.headers['idempotency-key'];
        if (method === 'POST' && typeof key === 'string') idempotencyKeys.push({ call: `${method} ${target.pathname}`, key });
        const result = route.handle(match.slice(1).map(decodeURIComponent), params, typeof key === 'string' ? key : undefined);
        if (result instanceof StripeApiError) throw result;
        send(200, result);
        return;
      }
      throw new StripeApiError(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${target.pathname}).`);
    } catch (error) {
      if (!(error instanceof StripeApiError)) {
        send(500, { error: { type: 'api_error', message: String(error) } });
        return;
      }
      send(error.status, {
        error: { type: error.type, message: error.message, ...(error.code ? { code: error.code } : {}), ...(error.param ? { param: error.param } : {}) },
      });
    }
  }

  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  url = `http://127.0.0.1:${port}`;

  return {
    url,
    port,
    calls,
    idempotencyKeys,
    customers,
    products,
    prices,
    subscriptions,
    paymentMethods,
    checkoutSessions,
    schedules,
    invoice: (id) => invoices.get(id)?.invoice,
    addProduct: (input) => createProduct(input),
    addPrice(input) {
      if (!products.has(input.product)) throw new Error(`stand-in seed: no product ${input.product}`);
      return createPrice(input);
    },
    addCustomer(input) {
      const customer: Stripe.Customer = {
        id: input.id,
        object: 'customer',
        balance: input.balance ?? 0,
        created: now,
        default_source: null,
        description: null,
        email: input.email ?? null,
        invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
        livemode: false,
        metadata: {},
        shipping: null,
      };
      customers.set(customer.id, customer);
      return customer;
    },
    addPaymentMethod(input) {
      const method: Stripe.PaymentMethod = {
        id: input.id,
        object: 'payment_method',
        billing_details: { address: null, email: null, name: null, phone: null, tax_id: null },
        card: {
          brand: input.brand,
          checks: null,
          country: 'DE',
          display_brand: input.brand,
          exp_month: input.expMonth,
          exp_year: input.expYear,
          funding: 'credit',
          generated_from: null,
          last4: input.last4,
          networks: { available: [input.brand], preferred: null },
          regulated_status: 'unregulated',
          three_d_secure_usage: { supported: true },
          wallet: null,
        },
        created: now - 1000 + ++sequence,
        customer: input.customer,
        customer_account: null,
        livemode: false,
        metadata: {},
        type: 'card',
      };
      paymentMethods.set(method.id, method);
      const customer = customers.get(input.customer);
      if (customer && input.isDefault) customer.invoice_settings = { ...customer.invoice_settings, default_payment_method: method.id };
      return method;
    },
    addSubscription(input) {
      const first = price(input.prices[0]!);
      const end = periodEnd(input.periodStart, intervalOf(first));
      const items = input.prices.map((priceId, index) => subscriptionItem(input.id, `si_${input.id}_${index}`, price(priceId), input.periodStart, end));
      const subscription: Stripe.Subscription = {
        id: input.id,
        object: 'subscription',
        application: null,
        application_fee_percent: null,
        automatic_tax: { disabled_reason: null, enabled: false, liability: null },
        billing_cycle_anchor: input.periodStart,
        billing_cycle_anchor_config: null,
        billing_mode: { flexible: null, type: 'classic' },
        billing_schedules: [],
        billing_thresholds: null,
        cancel_at: null,
        cancel_at_period_end: input.cancelAtPeriodEnd ?? false,
        canceled_at: null,
        cancellation_details: null,
        collection_method: 'charge_automatically',
        created: input.periodStart,
        currency: first.currency,
        customer: input.customer,
        customer_account: null,
        days_until_due: null,
        default_payment_method: null,
        default_source: null,
        description: null,
        discounts: [],
        ended_at: null,
        invoice_settings: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: { type: 'self' } },
        items: { object: 'list', url: `/v1/subscription_items?subscription=${input.id}`, data: items, has_more: false },
        latest_invoice: null,
        livemode: false,
        managed_payments: null,
        metadata: {},
        next_pending_invoice_item_invoice: null,
        on_behalf_of: null,
        pause_collection: null,
        payment_settings: null,
        pending_invoice_item_interval: null,
        pending_setup_intent: null,
        pending_update: null,
        schedule: null,
        start_date: input.periodStart,
        status: input.status ?? 'active',
        test_clock: null,
        transfer_data: null,
        trial_end: null,
        trial_settings: null,
        trial_start: null,
      };
      subscriptions.set(subscription.id, subscription);
      return subscription;
    },
    addInvoice(input) {
      const firstPrice = input.lines.find((line) => line.price !== undefined)?.price;
      const currency = firstPrice === undefined ? 'eur' : price(firstPrice).currency;
      const lines = input.lines.map((line, index) =>
        lineItem(input.id, currency, input.subscription ?? null, { ...line, id: `il_${input.id}_${index}` }),
      );
      const invoice = invoiceObject({
        id: input.id,
        customer: input.customer,
        number: input.number,
        status: input.status,
        created: input.created,
        currency,
        subscription: input.subscription ?? null,
        lines,
        billingReason: input.subscription === undefined ? 'manual' : 'subscription_cycle',
      });
      invoices.set(invoice.id, { invoice, lines, sequence: ++sequence });
      return invoice;
    },
    // Idempotent: a test may close the stand-in to see Stripe out of reach.
    close: () =>
      (closed ??= new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      })),
  };
}
