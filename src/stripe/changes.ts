/**
 * Changes made now: a plan (or billing interval) change, a module activated or deactivated.
 * A preview is two `invoices.createPreview` calls with the new items — what is billed now
 * (`proration_behavior: 'always_invoice'` at a `proration_date`) and the renewal after it —
 * and a commit is `subscriptions.update` with the same items, proration and date, so the
 * commit bills what its preview showed. Changes at the period end are in schedules.ts.
 */
import { createHash } from 'node:crypto';
import type Stripe from 'stripe';
import type { ChangePreview, ChangeRequest, ChangeWarning, Interval, InvoiceLine, Money, UsageMetric } from '../contract/index.js';
import { limitWarnings, requestDigest, type PolicyCatalog } from '../server/policy/index.js';
import { BillingEngineError } from '../server/errors.js';
import { priceAt, type LoadedCatalog, type StripeCatalog } from './catalog.js';
import { instant, invoiceLines } from './invoices.js';
import { moneyFromStripe } from './money.js';
import { validateChange } from './policy.js';

/** How long a preview's figures hold: its `proration_date` is reused by the commit until then. */
export const PREVIEW_TTL_SECONDS = 15 * 60;

/** The subscription as the engine reads it (engine.ts). */
export interface CurrentSubscription {
  stripe: Stripe.Subscription;
  planId: string;
  interval: Interval;
  moduleIds: string[];
  activeModuleIds: string[];
  periodStart: number;
  periodEnd: number;
}

/** What a change makes of the subscription: its items for Stripe, and what the contract sees. */
export interface ChangePlan {
  items: Stripe.SubscriptionUpdateParams.Item[];
  planId: string;
  interval: Interval;
  moduleIds: string[];
  removedModuleIds: string[];
}

/** The items `subscriptions.update` needs for `request`, after the rules (policy.ts) allow it. */
export function planChangeItems(catalog: LoadedCatalog, config: StripeCatalog, current: CurrentSubscription, request: ChangeRequest): ChangePlan {
  const decision = validateChange(config, current, request);
  const items: Stripe.SubscriptionUpdateParams.Item[] = [];
  const itemFor = (kind: 'plan' | 'module', id: string) =>
    current.stripe.items.data.find((item) => {
      const known = catalog.byPrice.get(item.price.id);
      return known?.kind === kind && known.id === id;
    });
  const priceOf = (kind: 'plan' | 'module', id: string, interval: Interval) => {
    const entry = (kind === 'plan' ? catalog.plans : catalog.modules).get(id);
    const price = entry ? priceAt(entry, interval) : undefined;
    if (!price) {
      throw new BillingEngineError(kind === 'plan' ? 'plan_not_available' : 'change_not_allowed', {
        detail: `${entry?.name ?? id} is not sold per ${interval}.`,
      });
    }
    return price.priceId;
  };
  const planItem = itemFor('plan', current.planId)!;
  if (decision.planId !== current.planId || decision.interval !== current.interval) {
    items.push({ id: planItem.id, price: priceOf('plan', decision.planId, decision.interval) });
  }
  for (const moduleId of current.moduleIds) {
    const item = itemFor('module', moduleId)!;
    if (!decision.moduleIds.includes(moduleId)) items.push({ id: item.id, deleted: true });
    else if (decision.interval !== current.interval) items.push({ id: item.id, price: priceOf('module', moduleId, decision.interval) });
  }
  for (const moduleId of decision.moduleIds) {
    if (!current.moduleIds.includes(moduleId)) items.push({ price: priceOf('module', moduleId, decision.interval) });
  }
  return { items, ...decision };
}

/** The price of the configuration after the change, per interval, at list prices. */
export function recurringTotal(catalog: LoadedCatalog, plan: ChangePlan): Money {
  const entries = [catalog.plans.get(plan.planId), ...plan.moduleIds.map((id) => catalog.modules.get(id))];
  const prices = entries.map((entry) => (entry ? priceAt(entry, plan.interval) : undefined)).filter((price) => price !== undefined);
  return { amountMinor: prices.reduce((sum, price) => sum + price.money.amountMinor, 0), currency: prices[0]!.money.currency };
}

/**
 * What is billed now, as contract lines adding up to `dueNow`: Stripe's proration lines; a
 * negative total (a downgrade) is credit on the customer's balance, shown as a line of its own.
 */
export function dueNowOf(invoice: Stripe.Invoice, catalog: LoadedCatalog): { lines: InvoiceLine[]; dueNow: Money } {
  const lines = invoiceLines(invoice, invoice.lines.data, catalog);
  const total = moneyFromStripe(invoice.total, invoice.currency);
  if (total.amountMinor >= 0) return { lines, dueNow: total };
  lines.push({ description: 'Credit to your balance', amount: { ...total, amountMinor: -total.amountMinor }, kind: 'other' });
  return { lines, dueNow: { ...total, amountMinor: 0 } };
}

/** Warnings: usage over the new plan's limits (the shared policy's), modules the change takes away. */
export function warningsFor(catalog: PolicyCatalog, plan: ChangePlan, usage: readonly UsageMetric[]): ChangeWarning[] {
  const warnings = limitWarnings(catalog, plan.planId, usage);
  if (plan.removedModuleIds.length > 0) warnings.push({ code: 'modules_will_be_removed', moduleIds: plan.removedModuleIds });
  return warnings;
}

export interface PreviewFigures {
  immediate: Stripe.Invoice;
  renewal: Stripe.Invoice | null;
}

/** The two previews: billed now at `prorationDate`, and the renewal after the change. */
export async function previewInvoices(
  stripe: Stripe,
  customer: string,
  current: CurrentSubscription,
  plan: ChangePlan,
  prorationDate: number,
): Promise<PreviewFigures> {
  const items = plan.items as Stripe.InvoiceCreatePreviewParams.SubscriptionDetails.Item[];
  const immediate = await stripe.invoices.createPreview({
    customer,
    subscription: current.stripe.id,
    subscription_details: { items, proration_behavior: 'always_invoice', proration_date: prorationDate },
  });
  const renewal = current.stripe.cancel_at_period_end
    ? null
    : await stripe.invoices.createPreview({
        customer,
        subscription: current.stripe.id,
        subscription_details: { items, proration_behavior: 'none' },
      });
  return { immediate, renewal };
}

export function previewFromFigures(
  catalog: LoadedCatalog,
  plan: ChangePlan,
  figures: PreviewFigures,
  token: string,
  version: string,
  prorationDate: number,
  warnings: ChangeWarning[],
): ChangePreview {
  const { lines, dueNow } = dueNowOf(figures.immediate, catalog);
  return {
    previewToken: token,
    expiresAt: instant(prorationDate + PREVIEW_TTL_SECONDS),
    basedOnVersion: version,
    timing: 'now',
    effectiveAt: instant(prorationDate),
    lines,
    dueNow,
    nextInvoice: figures.renewal
      ? { date: instant(figures.renewal.next_payment_attempt ?? figures.renewal.created), total: moneyFromStripe(figures.renewal.total, figures.renewal.currency) }
      : null,
    recurring: { interval: plan.interval, total: recurringTotal(catalog, plan) },
    warnings,
  };
}

/**
 * The Idempotency-Key sent to Stripe. With the handler's (the request's `Idempotency-Key`):
 * that key scoped to the customer, so a retry of the same request is applied once by Stripe
 * even when the handler could not replay it. Without one (the engine called directly): derived
 * from the customer, the version decided on, the change and its proration date, so a retry of
 * the same decision is applied once.
 */
export function stripeIdempotencyKey(
  customer: string,
  version: string,
  request: ChangeRequest,
  prorationDate: number,
  requestKey?: string,
): string {
  const parts = requestKey ? [customer, requestKey] : [customer, version, requestDigest(request), prorationDate];
  return `billing-elements-${createHash('sha256').update(JSON.stringify(parts)).digest('base64url')}`;
}
