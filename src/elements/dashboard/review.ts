/**
 * The monthly review of the help article, as four verdicts computed from the data the
 * elements already have: does the plan fit, are the paid modules used, which usage is near
 * or over its limit, and do the charges match the configuration. Pure functions: the
 * dashboard renders them, tests check them on figures.
 */
import type { Invoice, InvoiceLine, Money, Module, PaymentMethod, Plan, Subscription, UsageMetric } from '../../contract/index.js';
import { isUnusedPaidModule } from '../module-list/module-list.js';
import { cardExpiry } from '../payment-method/card-expiry.js';
import { limitFor, overLimits, recommendPlan } from '../plan-picker/recommend.js';
import { openInvoice } from '../subscription/summary.js';
import { forecastLimit, usageRatio, usageStatus } from '../usage-meter/usage-status.js';

export type Tone = 'ok' | 'warning' | 'danger';

export type PlanVerdict =
  /** Over a limit of the current plan; `next` is one plan up, if there is one. */
  | { kind: 'over'; tone: 'danger'; metrics: UsageMetric[]; current: Plan; next: Plan | null }
  /** Near a limit: `reachAt` when the pace says it will be reached before the reset. */
  | { kind: 'up'; tone: 'warning'; metric: UsageMetric; limit: number; reachAt: Date | null; current: Plan; next: Plan }
  /** One plan down would fit; `saving` per month on the plan's price. */
  | { kind: 'down'; tone: 'ok'; current: Plan; lower: Plan; saving: Money | null }
  | { kind: 'fits'; tone: 'ok'; current: Plan | null };

export type ModulesVerdict =
  | { kind: 'unused'; tone: 'warning'; modules: Module[]; monthlyCost: Money | null }
  /** The unused ones are already stopping at the end of the period. */
  | { kind: 'stopping'; tone: 'ok'; modules: Module[] }
  | { kind: 'used'; tone: 'ok' }
  | { kind: 'none'; tone: 'ok' };

export interface UsageFinding {
  metric: UsageMetric;
  /** When the limit will be reached at the current pace, if before the reset. */
  reachAt: Date | null;
}

export type UsageVerdict =
  | { kind: 'over' | 'near'; tone: Tone; findings: UsageFinding[] }
  | { kind: 'within'; tone: 'ok' };

/** A difference between the last invoice and the next one, by plan or module. */
export interface BillingChange {
  kind: 'added' | 'removed' | 'changed';
  name: string;
  /** What it adds to (or takes off, as a positive amount for `removed`) the recurring charges. */
  amount: Money;
}

export interface BillingVerdict {
  tone: Tone;
  next: Subscription['nextInvoice'];
  /** The next invoice's lines add up to its total, and it bills the plan and modules the subscription will hold. */
  matches: boolean;
  /** The sum of the next invoice's lines, when it differs from its total. */
  linesTotal: Money | null;
  /** The current period's invoice, compared with the next one (when its lines are known). */
  last: Invoice | null;
  changes: BillingChange[];
  unpaid: Invoice | null;
  card: 'ok' | 'soon' | 'expired' | 'none';
  /** The default card's expiry month (first day, UTC) when it is `soon` or `expired`. */
  cardExpiresIn: Date | null;
}

export interface ReviewInput {
  subscription: Subscription;
  plans: readonly Plan[];
  modules: readonly Module[];
  usage: readonly UsageMetric[];
  paymentMethods?: readonly PaymentMethod[] | undefined;
  /** The latest invoices, newest first. */
  invoices?: readonly Invoice[] | undefined;
  /** The invoice of the current period with its lines, when known. */
  lastInvoice?: Invoice | null | undefined;
  now: number;
}

export interface Review {
  plan: PlanVerdict;
  modules: ModulesVerdict;
  usage: UsageVerdict;
  billing: BillingVerdict;
}

const money = (amountMinor: number, currency: string): Money => ({ amountMinor, currency });

function planPrice(plan: Plan, interval: 'month' | 'year'): Money | undefined {
  return plan.prices.find((price) => price.interval === interval)?.price;
}

/** A price per month: a yearly one divided by twelve (rounded to the minor unit). */
function monthly(price: Money | null | undefined, interval: 'month' | 'year' | undefined): Money | null {
  if (!price) return null;
  return interval === 'year' ? money(Math.round(price.amountMinor / 12), price.currency) : price;
}

/** When `metric` reaches its limit at the current pace, if that is before it resets. */
function reachDate(metric: UsageMetric): Date | null {
  const forecast = forecastLimit(metric);
  return forecast instanceof Date ? forecast : null;
}

export function planVerdict({ subscription, plans, usage }: ReviewInput): PlanVerdict {
  const byRank = [...plans].sort((a, b) => a.rank - b.rank);
  const index = byRank.findIndex((plan) => plan.id === subscription.plan.id);
  const current = byRank[index];
  if (!current) return { kind: 'fits', tone: 'ok', current: null };
  const next = byRank[index + 1] ?? null;
  const over = overLimits(current, usage);
  if (over.length) return { kind: 'over', tone: 'danger', metrics: over, current, next };
  const recommendation = recommendPlan(plans, current.id, usage);
  if (recommendation.direction === 'up') {
    // The metric closest to its limit, relatively: the one that decides.
    const ratio = (metric: UsageMetric) => usageRatio({ used: metric.used, limit: limitFor(current, metric.metricKey) });
    const metric = [...usage].sort((a, b) => ratio(b) - ratio(a))[0]!;
    const limit = limitFor(current, metric.metricKey)!;
    return { kind: 'up', tone: 'warning', metric, limit, reachAt: reachDate({ ...metric, limit }), current, next: recommendation.plan };
  }
  if (recommendation.direction === 'down') {
    const interval = subscription.interval;
    const mine = planPrice(current, interval);
    const theirs = planPrice(recommendation.plan, interval);
    const saving =
      mine && theirs && mine.currency === theirs.currency ? monthly(money(mine.amountMinor - theirs.amountMinor, mine.currency), interval) : null;
    return { kind: 'down', tone: 'ok', current, lower: recommendation.plan, saving };
  }
  return { kind: 'fits', tone: 'ok', current };
}

export function modulesVerdict({ modules, now }: ReviewInput): ModulesVerdict {
  const paid = modules.filter((module) => module.price && module.price.amountMinor > 0 && (module.state === 'active' || module.state === 'deactivation_scheduled'));
  if (paid.length === 0) return { kind: 'none', tone: 'ok' };
  const unusedPaid = paid.filter((module) => isUnusedPaidModule(module, now));
  // Those already stopping at the end of the period leave nothing to decide, but are not "used".
  const unused = unusedPaid.filter((module) => module.state === 'active');
  if (unused.length === 0) {
    return unusedPaid.length ? { kind: 'stopping', tone: 'ok', modules: unusedPaid } : { kind: 'used', tone: 'ok' };
  }
  const costs = unused.map((module) => monthly(module.price, module.interval));
  const currency = costs[0]?.currency;
  const total = costs.every((cost) => cost && cost.currency === currency)
    ? money(costs.reduce((sum, cost) => sum + cost!.amountMinor, 0), currency!)
    : null;
  return { kind: 'unused', tone: 'warning', modules: unused, monthlyCost: total };
}

/** How soon a stock (a metric that never resets) must reach its limit to be worth a warning. */
const STOCK_WARNING_MS = 30 * 86_400_000;

/**
 * Metrics at or over their limit; else those past their warning threshold, or that the pace
 * says will reach the limit before they reset (a metric at 47 % can be one) — for a stock,
 * within 30 days.
 */
export function usageVerdict({ usage }: ReviewInput): UsageVerdict {
  const over = usage.filter((metric) => ['over', 'reached'].includes(usageStatus(metric)));
  if (over.length) return { kind: 'over', tone: 'danger', findings: over.map((metric) => ({ metric, reachAt: null })) };
  const soon = (metric: UsageMetric, reachAt: Date | null) =>
    reachAt !== null && (metric.resetsAt !== null || reachAt.getTime() - Date.parse(metric.asOf) <= STOCK_WARNING_MS);
  const near = usage
    .map((metric) => ({ metric, reachAt: reachDate(metric) }))
    .filter(({ metric, reachAt }) => usageStatus(metric) === 'warning' || soon(metric, reachAt));
  if (near.length) return { kind: 'near', tone: 'warning', findings: near };
  return { kind: 'within', tone: 'ok' };
}

/** Plan and module lines by what they bill, with their amounts. */
function items(lines: readonly InvoiceLine[]): Map<string, InvoiceLine> {
  const found = new Map<string, InvoiceLine>();
  for (const line of lines) {
    if (line.kind === 'plan' && line.planId) found.set(`plan:${line.planId}`, line);
    if (line.kind === 'module' && line.moduleId) found.set(`module:${line.moduleId}`, line);
  }
  return found;
}

/** What the subscription will hold when the next invoice is issued: plan and paid modules. */
function expectedItems({ subscription, modules }: ReviewInput): Set<string> {
  const planChange = subscription.scheduledChanges.find((change) => change.kind === 'plan_change');
  const expected = new Set([`plan:${planChange?.toPlanId ?? subscription.plan.id}`]);
  for (const module of modules) {
    const paid = module.price !== null && module.price.amountMinor > 0;
    if (paid && (module.state === 'active' || module.state === 'activation_scheduled')) expected.add(`module:${module.id}`);
  }
  return expected;
}

export function billingVerdict(input: ReviewInput): BillingVerdict {
  const { subscription, invoices, lastInvoice, paymentMethods, modules, now } = input;
  const next = subscription.nextInvoice;
  let matches = true;
  let linesTotal: Money | null = null;
  const changes: BillingChange[] = [];
  if (next) {
    const sum = next.lines.reduce((total, line) => total + line.amount.amountMinor, 0);
    if (sum !== next.total.amountMinor) {
      matches = false;
      linesTotal = money(sum, next.total.currency);
    }
    const billed = [...items(next.lines).keys()].sort();
    const expected = [...expectedItems(input)].sort();
    if (billed.join() !== expected.join()) matches = false;
    if (lastInvoice?.lines) {
      const before = items(lastInvoice.lines);
      const after = items(next.lines);
      const nameOf = (key: string, line: InvoiceLine) =>
        line.moduleId ? (modules.find((module) => module.id === line.moduleId)?.name ?? line.description) : line.description;
      for (const [key, line] of after) {
        const old = before.get(key);
        if (!old) changes.push({ kind: 'added', name: nameOf(key, line), amount: line.amount });
        else if (old.amount.amountMinor !== line.amount.amountMinor && old.amount.currency === line.amount.currency) {
          changes.push({ kind: 'changed', name: nameOf(key, line), amount: money(line.amount.amountMinor - old.amount.amountMinor, line.amount.currency) });
        }
      }
      for (const [key, line] of before) if (!after.has(key)) changes.push({ kind: 'removed', name: nameOf(key, line), amount: line.amount });
    }
  }
  const unpaid = openInvoice(invoices);
  const methods = paymentMethods ?? [];
  const method = methods.find((candidate) => candidate.isDefault) ?? methods[0];
  const card = paymentMethods === undefined ? 'ok' : method ? cardExpiry(method, now) : 'none';
  const cardExpiresIn = method?.card && card !== 'ok' && card !== 'none' ? new Date(Date.UTC(method.card.expYear, method.card.expMonth - 1, 1)) : null;
  const tone: Tone =
    unpaid || !matches || card === 'expired' || (card === 'none' && next !== null) ? 'danger' : card === 'soon' ? 'warning' : 'ok';
  return { tone, next, matches, linesTotal, last: lastInvoice ?? null, changes, unpaid, card, cardExpiresIn };
}

/**
 * The invoice that opened the current period (its renewal), whose lines the next invoice is
 * compared with: issued for exactly the current period.
 */
export function currentPeriodInvoice(subscription: Subscription, invoices: readonly Invoice[] | undefined): Invoice | null {
  const { start, end } = subscription.currentPeriod;
  return (
    invoices?.find(
      (invoice) => invoice.status !== 'void' && Date.parse(invoice.periodStart) === Date.parse(start) && Date.parse(invoice.periodEnd) === Date.parse(end),
    ) ?? null
  );
}

export function review(input: ReviewInput): Review {
  return { plan: planVerdict(input), modules: modulesVerdict(input), usage: usageVerdict(input), billing: billingVerdict(input) };
}
