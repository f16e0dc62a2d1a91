import type { Invoice, Money, Module, Plan, Subscription } from '../../contract/index.js';

/**
 * What the subscription costs per billing interval at list price: its plan and the paid
 * modules it holds now (a module stopping at the end of the period still counts until then).
 * `null` when a price is missing from the catalog (an endpoint that lists none).
 */
export function configurationPrice(subscription: Subscription, plans: readonly Plan[], modules: readonly Module[]): Money | null {
  const planPrice = plans.find((plan) => plan.id === subscription.plan.id)?.prices.find((p) => p.interval === subscription.interval)?.price;
  if (!planPrice) return null;
  let total = planPrice.amountMinor;
  for (const module of modules) {
    const held = module.state === 'active' || module.state === 'deactivation_scheduled';
    if (!held || !module.price) continue;
    // A module priced for another interval than the subscription's cannot be added up honestly.
    if (module.interval && module.interval !== subscription.interval) return null;
    if (module.price.currency !== planPrice.currency) return null;
    total += module.price.amountMinor;
  }
  return { amountMinor: total, currency: planPrice.currency };
}

/** The oldest open invoice with something due (the one a failed renewal left), if any. */
export function openInvoice(invoices: readonly Invoice[] | undefined): Invoice | null {
  const open = (invoices ?? []).filter((invoice) => invoice.status === 'open' && invoice.amountDue.amountMinor > 0);
  return open.at(-1) ?? null;
}
