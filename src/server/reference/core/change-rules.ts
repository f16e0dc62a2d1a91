/**
 * What a subscription change does, decided without a database: which changes are allowed
 * and when, what the change holds and costs now (proration, settled against the credit
 * balance), what the next invoice becomes, and the warnings of the preview. The reference
 * engine commits what these rules decide in one SQLite transaction (its changes.ts); the
 * Storybook endpoint keeps it in memory.
 *
 * A change `now` applies at once, prorated (pricing.ts, proration.ts). A change at
 * `period_end` waits for the rollover; a new plan change for the period end replaces the one
 * scheduled before it, and a plan change now drops the scheduled one.
 */
import type { ChangePreview, ChangeRequest, ChangeWarning, Subscription, Timing, UsageMetric } from '../../../contract/index.js';
import { BillingEngineError } from '../../errors.js';
import { limitWarnings } from '../../policy/usage.js';
import { toInstant } from './dates.js';
import {
  applyChange,
  applyChanges,
  missingRequirements,
  modulesInEffect,
  type Holding,
  type HoldingChange,
  type PendingChange,
} from './holding.js';
import { describedLine, settle, upcomingInvoiceTotal, type Settlement } from './invoicing.js';
import type { Offer } from './offer.js';
import type { ChargeOutcome } from './payments.js';
import { policyCatalogOf } from './policy-catalog.js';
import { changeLines, recurringTotal } from './pricing.js';
import type { Span } from './proration.js';
import type { Wording } from './texts.js';
import { moduleTimings, planChangeTimings } from './timings.js';

/** Statuses that renew; a paused or canceled subscription has no next invoice, no rollover and no change. */
export const RENEWING: ReadonlySet<Subscription['status']> = new Set(['trialing', 'active', 'past_due']);

/** A subscription as the change rules need it. */
export interface SubscriptionStanding {
  /** The catalog in the subscription's currency. */
  offer: Offer;
  status: Subscription['status'];
  /** What it holds now. */
  holding: Holding;
  /** Changes due at the end of the current period, in the order they apply. */
  pending: readonly PendingChange[];
  period: Span;
  /** Where its billing periods are counted from (dates.ts, `nextPeriodEnd`). */
  anchor: number;
  creditBalance: number;
  /** Usage in the period in progress, weighed against a new plan's limits (read only when the plan changes). */
  usage(): readonly Pick<UsageMetric, 'metricKey' | 'used'>[];
  /** What charging the default payment method at `at` would do. */
  charge(at: number): ChargeOutcome;
}

/** What a change does, computed the same way for a preview and for a commit. */
export interface ChangeEvaluation {
  change: HoldingChange;
  effectiveAt: number;
  /** What the subscription holds once committed (as before, for a change at period end). */
  holding: Holding;
  /** Set when the change starts a new period now (an interval switch). */
  newPeriod: Span | null;
  /** What is charged now; `null` at period end. */
  settlement: Settlement | null;
  /** The pending changes still due after the commit (the same objects as in the standing). */
  keptSchedule: PendingChange[];
  warnings: ChangeWarning[];
  nextInvoice: ChangePreview['nextInvoice'];
  /** The configuration once the change has taken effect (with the changes due at the same time). */
  after: Holding;
}

type Refusal = 'change_not_allowed' | 'plan_not_available' | 'timing_not_supported' | 'payment_failed';

const refuse = (code: Refusal, detail: string) => new BillingEngineError(code, { detail });

/** The requested change in the terms of a holding (a plan change keeps the interval unless it names one). */
export function requestedChange(holding: Holding, { change }: ChangeRequest): HoldingChange {
  return change.type === 'plan'
    ? { type: 'plan', planId: change.planId, interval: change.interval ?? holding.interval }
    : { type: 'module', moduleId: change.moduleId, action: change.action };
}

export function checkPlanChange(
  { offer, holding, pending }: SubscriptionStanding,
  change: Extract<HoldingChange, { type: 'plan' }>,
  timing: Timing,
): void {
  const target = offer.plans.get(change.planId);
  const current = offer.plans.get(holding.planId);
  if (!current) throw new Error(`The subscription's plan "${holding.planId}" is not in the catalog.`);
  if (!target || (!target.forSale && target.id !== current.id) || target.prices[change.interval] === undefined) {
    throw refuse('plan_not_available', `The plan "${change.planId}" is not available ${change.interval}ly.`);
  }
  if (target.id === current.id && change.interval === holding.interval) {
    throw refuse('change_not_allowed', 'This is already the current plan.');
  }
  if (!planChangeTimings(target, current).includes(timing)) {
    throw refuse('timing_not_supported', `This plan change cannot take effect at "${timing}".`);
  }
  const scheduled = pending.find((p) => p.change.type === 'plan')?.change;
  if (timing === 'period_end' && scheduled?.type === 'plan' && scheduled.planId === change.planId && scheduled.interval === change.interval) {
    throw refuse('change_not_allowed', 'This plan change is already scheduled.');
  }
}

export function checkModuleChange(
  { offer, holding, pending }: SubscriptionStanding,
  change: Extract<HoldingChange, { type: 'module' }>,
  timing: Timing,
): void {
  const module = offer.modules.get(change.moduleId);
  if (!module) throw refuse('change_not_allowed', `There is no module "${change.moduleId}".`);
  const included = offer.plans.get(holding.planId)?.includedModuleIds.includes(module.id) ?? false;
  const paid = holding.paidModuleIds.includes(module.id);
  const deactivationScheduled = pending.some((p) => p.change.type === 'module' && p.change.moduleId === module.id);
  const timings = moduleTimings(included, deactivationScheduled);

  if (change.action === 'activate') {
    if (included) throw refuse('change_not_allowed', `${module.name} comes with the current plan.`);
    if (paid) throw refuse('change_not_allowed', `${module.name} is already active.`);
    if (!module.forSale || module.prices[holding.interval] === undefined) {
      throw refuse('change_not_allowed', `${module.name} is not sold on its own.`);
    }
    if (!timings.activate.includes(timing)) {
      throw refuse('timing_not_supported', `A module can only be activated at: ${timings.activate.join(', ')}.`);
    }
    const missing = missingRequirements(offer, holding, module.id);
    if (missing) {
      throw new BillingEngineError('module_requirements_not_met', {
        detail: `${module.name} needs ${[...(missing.anyOfPlans ?? []), ...(missing.allOfModules ?? [])].join(', ')}.`,
        extras: { missing },
      });
    }
    return;
  }
  if (included) throw refuse('change_not_allowed', `${module.name} comes with the current plan and goes with it.`);
  if (!paid) throw refuse('change_not_allowed', `${module.name} is not active.`);
  if (timing === 'period_end' && deactivationScheduled) {
    throw refuse('change_not_allowed', `${module.name} is already scheduled to stop at the end of the period.`);
  }
  if (!timings.deactivate.includes(timing)) {
    throw refuse('timing_not_supported', `A module can only be deactivated at: ${timings.deactivate.join(', ')}.`);
  }
}

/** Usage above the new plan's limits, and the modules that go with the change without being named by it. */
export function changeWarnings(
  standing: SubscriptionStanding,
  before: Holding,
  after: Holding,
  change: HoldingChange,
): ChangeWarning[] {
  const { offer } = standing;
  const warnings: ChangeWarning[] = [];
  if (before.planId !== after.planId) warnings.push(...limitWarnings(policyCatalogOf(offer), after.planId, standing.usage()));
  // The module a deactivation names goes without saying; what goes with it does not.
  const named = change.type === 'module' ? change.moduleId : null;
  const kept = new Set(modulesInEffect(offer, after));
  const removed = modulesInEffect(offer, before).filter((id) => !kept.has(id) && id !== named);
  if (removed.length > 0) warnings.push({ code: 'modules_will_be_removed', moduleIds: removed });
  return warnings;
}

/** What `request` does to the subscription at `at`, or the refusal (a `BillingEngineError`) it meets. */
export function evaluateChange(standing: SubscriptionStanding, request: ChangeRequest, at: number, texts: Wording): ChangeEvaluation {
  const { status, holding, offer, pending, period, creditBalance } = standing;
  const currency = offer.currency;
  if (!RENEWING.has(status)) throw refuse('change_not_allowed', `The subscription is ${status}.`);
  const change = requestedChange(holding, request);
  if (change.type === 'plan') checkPlanChange(standing, change, request.timing);
  else checkModuleChange(standing, change, request.timing);

  if (request.timing === 'period_end') {
    const keptSchedule = pending.filter((p) => !(change.type === 'plan' && p.change.type === 'plan'));
    const before = applyChanges(offer, holding, keptSchedule.map((p) => p.change));
    const after = applyChange(offer, before, change);
    return {
      change,
      effectiveAt: period.end,
      holding,
      newPeriod: null,
      settlement: null,
      keptSchedule,
      warnings: changeWarnings(standing, before, after, change),
      nextInvoice: upcomingInvoiceTotal(offer, after, period.end, creditBalance),
      after,
    };
  }

  const after = applyChange(offer, holding, change);
  const { lines, newPeriod } = changeLines(offer, holding, after, period, at, texts);
  const settlement = settle(lines, creditBalance, currency, texts);
  // A plan chosen now overrides the one scheduled; modules gone now need no scheduled stop.
  const keptSchedule = pending.filter((p) =>
    p.change.type === 'plan' ? change.type !== 'plan' : after.paidModuleIds.includes(p.change.moduleId),
  );
  const projected = applyChanges(offer, after, keptSchedule.map((p) => p.change));
  const warnings = changeWarnings(standing, holding, after, change);
  if (settlement.dueNow > 0 && standing.charge(at) !== 'ok') warnings.push({ code: 'payment_method_required' });
  return {
    change,
    effectiveAt: at,
    holding: after,
    newPeriod,
    settlement,
    keptSchedule,
    warnings,
    nextInvoice: upcomingInvoiceTotal(offer, projected, newPeriod?.end ?? period.end, settlement.balanceAfter),
    after,
  };
}

/**
 * A change that costs money now is charged at once: refused with `payment_failed` while a
 * renewal is unpaid (`past_due`) or when the default method declines (a test card), so
 * nothing changes. Without a usable method at all it goes through with an open invoice
 * (the `payment_method_required` warning said so).
 */
export function checkPayable(standing: SubscriptionStanding, evaluation: ChangeEvaluation, at: number): void {
  if ((evaluation.settlement?.dueNow ?? 0) <= 0) return;
  if (standing.status === 'past_due') {
    throw refuse('payment_failed', 'Pay the open invoice first: a renewal payment failed.');
  }
  if (standing.charge(at) === 'declined') throw refuse('payment_failed', 'The payment method was declined.');
}

/** A preview's figures, in `wording`'s language: all of `ChangePreview` but its token and version. */
export function previewFigures(
  { offer }: SubscriptionStanding,
  request: ChangeRequest,
  evaluation: ChangeEvaluation,
  wording: Wording,
): Omit<ChangePreview, 'previewToken' | 'expiresAt' | 'basedOnVersion'> {
  const { currency } = offer;
  return {
    timing: request.timing,
    effectiveAt: toInstant(evaluation.effectiveAt),
    lines: (evaluation.settlement?.lines ?? []).map((line) => describedLine(line, wording)),
    dueNow: { amountMinor: evaluation.settlement?.dueNow ?? 0, currency },
    nextInvoice: evaluation.nextInvoice,
    recurring: {
      interval: evaluation.after.interval,
      total: { amountMinor: recurringTotal(offer, evaluation.after), currency },
    },
    warnings: evaluation.warnings,
  };
}
