/**
 * Invoice lines from holdings: the full price of a period, and what a change costs now.
 */
import type { Interval, InvoiceLine } from '../../../contract/index.js';
import type { Holding } from './holding.js';
import type { Offer, Prices } from './offer.js';
import { periodEndFrom, toInstant } from './dates.js';
import { remainingCharge, unusedCredit, type Span } from './proration.js';
import type { Wording } from './texts.js';

/** Something billed per period: the plan or a paid module. */
interface Item {
  kind: 'plan' | 'module';
  id: string;
  name: string;
  amountMinor: number;
}

function priceIn(prices: Prices, interval: Interval, what: string, currency: string): number {
  const amount = prices[interval];
  if (amount === undefined) throw new Error(`${what} has no ${interval}ly price in ${currency}.`);
  return amount;
}

/** The plan, then the paid modules, at their price for the holding's interval, named in `wording`'s language. */
function itemsOf(offer: Offer, holding: Holding, wording: Wording): Item[] {
  const plan = offer.plans.get(holding.planId);
  if (!plan) throw new Error(`Unknown plan "${holding.planId}".`);
  const items: Item[] = [
    {
      kind: 'plan',
      id: plan.id,
      name: wording.name('plan', plan.id, plan.name),
      amountMinor: priceIn(plan.prices, holding.interval, `Plan ${plan.id}`, offer.currency),
    },
  ];
  for (const id of holding.paidModuleIds) {
    const module = offer.modules.get(id);
    if (!module) throw new Error(`Unknown module "${id}".`);
    items.push({
      kind: 'module',
      id,
      name: wording.name('module', id, module.name),
      amountMinor: priceIn(module.prices, holding.interval, `Module ${id}`, offer.currency),
    });
  }
  return items;
}

function line(
  item: Item,
  kind: InvoiceLine['kind'],
  description: string,
  amountMinor: number,
  currency: string,
  span: Span,
): InvoiceLine {
  return {
    description,
    amount: { amountMinor, currency },
    kind,
    ...(item.kind === 'plan' ? { planId: item.id } : { moduleId: item.id }),
    periodStart: toInstant(span.start),
    periodEnd: toInstant(span.end),
  };
}

/** A full period of what `holding` holds: one line for the plan, one per paid module. */
export function recurringLines(offer: Offer, holding: Holding, period: Span, wording: Wording): InvoiceLine[] {
  return itemsOf(offer, holding, wording).map((item) => line(item, item.kind, item.name, item.amountMinor, offer.currency, period));
}

/**
 * What `holding` costs per billing interval at list price (plan and paid modules, no credit,
 * no proration): the preview's `recurring` total.
 */
export function recurringTotal(offer: Offer, holding: Holding): number {
  let total = priceIn(offer.plans.get(holding.planId)?.prices ?? {}, holding.interval, `Plan ${holding.planId}`, offer.currency);
  for (const id of holding.paidModuleIds) {
    total += priceIn(offer.modules.get(id)?.prices ?? {}, holding.interval, `Module ${id}`, offer.currency);
  }
  return total;
}

const key = (item: Item) => `${item.kind}:${item.id}`;
const nonZero = (l: InvoiceLine) => l.amount.amountMinor !== 0;

/**
 * What moving from `before` to `after` at `at` costs now, within `period`, described in the
 * reader's language (`texts`): the unused part
 * of every item given up is credited and the remaining part of every item taken on is
 * charged (credits first). Zero lines are left out.
 *
 * An interval change cannot share a period (a month and a year do not end together), so
 * it starts a new period at `at`: everything held is credited for the unused part of the
 * current period and a full new period of `after` is charged; `newPeriod` says which.
 */
export function changeLines(
  offer: Offer,
  before: Holding,
  after: Holding,
  period: Span,
  at: number,
  texts: Wording,
): { lines: InvoiceLine[]; newPeriod: Span | null } {
  const { currency } = offer;
  const rest = { start: at, end: period.end };
  const old = itemsOf(offer, before, texts);
  const next = itemsOf(offer, after, texts);
  const credit = (item: Item) =>
    line(item, 'proration_credit', texts.unusedTime(item.name), unusedCredit(item.amountMinor, period, at), currency, rest);

  if (before.interval !== after.interval) {
    const newPeriod = { start: at, end: periodEndFrom(at, after.interval) };
    return { lines: [...old.map(credit), ...recurringLines(offer, after, newPeriod, texts)].filter(nonZero), newPeriod };
  }

  const kept = new Set(old.filter((a) => next.some((b) => key(a) === key(b) && a.amountMinor === b.amountMinor)).map(key));
  const charge = (item: Item) =>
    line(item, 'proration_charge', texts.remainingTime(item.name), remainingCharge(item.amountMinor, period, at), currency, rest);
  const lines = [...old.filter((i) => !kept.has(key(i))).map(credit), ...next.filter((i) => !kept.has(key(i))).map(charge)];
  return { lines: lines.filter(nonZero), newPeriod: null };
}
