/**
 * From lines to money owed: the customer's credit balance, the next invoice, and the terms
 * of an invoice (issuing one, which writes to the database, is invoice-issuer.ts's).
 *
 * Credit handling: a change that nets a credit (a downgrade now, a module removed now) is
 * never paid out and never makes an amount due negative; it goes to the customer's credit
 * balance, shown as a line "Added to your credit balance" so that the lines still add up to
 * the amount due (0). The balance is taken off the next amounts due — of a change now or of
 * a period — as a line "Credit balance applied". Both in the reader's language (texts.ts).
 *
 * Invoice status: the reference engine simulates an instant charge to the default payment
 * method, so an invoice is `paid` when it can be charged (or nothing is due) and `open`, due
 * in 30 days, otherwise. A renewal left open makes the subscription `past_due` (see the
 * engine's collection.ts, which also settles open invoices once a working method is there).
 */
import type { InvoiceLine, InvoiceStatus } from '../../../contract/index.js';
import { DAY_MS, nextPeriodEnd, toInstant } from './dates.js';
import type { Holding } from './holding.js';
import type { Offer } from './offer.js';
import type { ChargeOutcome } from './payments.js';
import { recurringLines, recurringTotal } from './pricing.js';
import type { ServerTexts, Wording } from './texts.js';

/** How long an open invoice is given before it is due. */
export const PAYMENT_TERMS_MS = 30 * DAY_MS;

/** The sentences an engine-written `other` line can be; stored with the line (`text_key`). */
export type LineTextKey = 'addedToCreditBalance' | 'creditBalanceApplied';

/** An invoice line as the engine keeps it: the contract's, plus which sentence an `other` line is. */
export type EngineLine = InvoiceLine & { textKey?: LineTextKey };

/**
 * `line` as the contract shows it, described in `wording`'s language where the engine wrote
 * it: plan and module lines by their catalog names, prorations and credit lines by their
 * sentence. Other lines keep their description as stored.
 */
export function describedLine({ textKey, ...line }: EngineLine, wording: Wording): InvoiceLine {
  const itemName = () =>
    line.planId !== undefined
      ? wording.name('plan', line.planId, line.description)
      : line.moduleId !== undefined
        ? wording.name('module', line.moduleId, line.description)
        : null;
  let description: string | null = null;
  if (textKey) description = wording[textKey];
  else if (line.kind === 'plan' || line.kind === 'module') description = itemName();
  else if (line.kind === 'proration_credit' || line.kind === 'proration_charge') {
    const name = itemName();
    if (name !== null) description = (line.kind === 'proration_credit' ? wording.unusedTime : wording.remainingTime)(name);
  }
  return description === null ? line : { ...line, description };
}

export interface Settlement {
  /** The lines given, plus the credit balance line if any; they add up to `dueNow`. */
  lines: EngineLine[];
  /** What the given lines add up to: negative for a net credit. */
  net: number;
  dueNow: number;
  balanceAfter: number;
}

/** How much of a credit `balance` goes to a `net` amount of zero or more: never more than is due. */
const creditFor = (net: number, balance: number) => Math.min(balance, net);

/** Settles `lines` against a credit balance (see above). */
export function settle(lines: InvoiceLine[], balance: number, currency: string, texts: ServerTexts): Settlement {
  const net = lines.reduce((sum, line) => sum + line.amount.amountMinor, 0);
  const other = (textKey: LineTextKey, amountMinor: number): EngineLine => ({
    description: texts[textKey],
    amount: { amountMinor, currency },
    kind: 'other',
    textKey,
  });
  if (net < 0) {
    return { lines: [...lines, other('addedToCreditBalance', -net)], net, dueNow: 0, balanceAfter: balance - net };
  }
  const applied = creditFor(net, balance);
  return {
    lines: applied > 0 ? [...lines, other('creditBalanceApplied', -applied)] : lines,
    net,
    dueNow: net - applied,
    balanceAfter: balance - applied,
  };
}

/** The invoice that opens the period after `periodEnd`, for what `holding` will hold then. */
export function upcomingInvoice(
  offer: Offer,
  holding: Holding,
  anchor: number,
  periodEnd: number,
  balance: number,
  texts: Wording,
) {
  const period = { start: periodEnd, end: nextPeriodEnd(anchor, periodEnd, holding.interval) };
  const settled = settle(recurringLines(offer, holding, period, texts), balance, offer.currency, texts);
  return { period, settled };
}

/**
 * How an invoice for `settlement` issued at `at` stands: paid at once when nothing is due or
 * the default method can be charged (`charge`, asked only when something is due), else open
 * with its amount due.
 */
export function invoiceTerms(
  settlement: Pick<Settlement, 'dueNow'>,
  charge: () => ChargeOutcome,
  at: number,
): { status: Extract<InvoiceStatus, 'paid' | 'open'>; dueAt: number; amountDueMinor: number } {
  const paid = settlement.dueNow === 0 || charge() === 'ok';
  return { status: paid ? 'paid' : 'open', dueAt: at + PAYMENT_TERMS_MS, amountDueMinor: paid ? 0 : settlement.dueNow };
}

/**
 * `inv_2026_0007` / `F-2026-0007`: invoices are numbered per calendar year of issue, in the
 * order they are issued, like a French invoice register.
 */
export function invoiceIdentity(year: number, sequence: number): { id: string; number: string } {
  const padded = String(sequence).padStart(4, '0');
  return { id: `inv_${year}_${padded}`, number: `F-${year}-${padded}` };
}

/** The contract's `nextInvoice` from an upcoming invoice. */
export function nextInvoiceOf({ period, settled }: ReturnType<typeof upcomingInvoice>, currency: string, wording: Wording) {
  return {
    date: toInstant(period.start),
    total: { amountMinor: settled.dueNow, currency },
    lines: settled.lines.map((line) => describedLine(line, wording)),
  };
}

/**
 * `upcomingInvoice`'s date and total without its lines, which is all a change preview shows
 * of it: the same sum (its lines are the plan and paid modules at list price) and the same
 * credit rule, without building and describing the lines.
 */
export function upcomingInvoiceTotal(offer: Offer, holding: Holding, periodEnd: number, balance: number) {
  const net = recurringTotal(offer, holding);
  const dueNow = net < 0 ? 0 : net - creditFor(net, balance);
  return { date: toInstant(periodEnd), total: { amountMinor: dueNow, currency: offer.currency } };
}
