/**
 * Subscription changes: the rules that allow them, what they cost (preview), applying or
 * scheduling them (commit) and taking a scheduled one back (cancel).
 *
 * A change `now` applies at once, prorated (see pricing.ts and proration.ts), and issues an
 * invoice when it costs money. A change at `period_end` is stored and applied by the
 * rollover; a new scheduled plan change replaces the one scheduled before it, and a change
 * of plan now drops the scheduled one. Every commit and cancel is one SQLite transaction.
 */
import type { Database } from 'better-sqlite3';
import type {
  ChangePreview,
  ChangeRequest,
  ChangeResult,
  ChangeWarning,
  CommitChangeRequest,
  Subscription,
  Timing,
} from '../../contract/index.js';
import { BillingEngineError } from '../errors.js';
import type { Account, Accounts, SubscriptionRow } from './account.js';
import { moduleTimings, planChangeTimings } from './catalog.js';
import type { Clock } from './clock.js';
import { toInstant } from './dates.js';
import {
  applyChange,
  applyChanges,
  missingRequirements,
  modulesInEffect,
  type Holding,
  type HoldingChange,
} from './holding.js';
import { describedLine, nextInvoiceOf, settle, upcomingInvoice, type InvoiceIssuer, type Settlement } from './invoicing.js';
import type { PaymentMethodCheck } from './payment-methods.js';
import { PREVIEW_TOKEN_TTL_MS, requestDigest, type PreviewTokens } from './preview-token.js';
import { changeLines, recurringTotal } from './pricing.js';
import type { Span } from './proration.js';
import { toHoldingChange, type Schedule, type ScheduledRow } from './schedule.js';
import { readSubscription, RENEWING } from './subscription.js';
import type { SubscriptionWrites } from './subscription-writes.js';
import { wordingFor, writingLanguage, type ServerLanguage, type Wording } from './texts.js';
import type { Usage } from './usage.js';
import type { Languages } from '../billing-engine.js';

export interface ChangeDeps {
  db: Database;
  clock: Clock;
  accounts: Accounts;
  usage: Usage;
  schedule: Schedule;
  writes: SubscriptionWrites;
  tokens: PreviewTokens;
  canCharge: PaymentMethodCheck;
  issueInvoice: InvoiceIssuer;
}

export interface Changes {
  preview(customerId: string, request: ChangeRequest, languages?: Languages): ChangePreview;
  commit(customerId: string, request: CommitChangeRequest, ifMatch: string, languages?: Languages): ChangeResult;
  cancel(customerId: string, scheduledChangeId: string, ifMatch: string, languages?: Languages): Subscription;
}

/** An account with a subscription. */
type Subscribed = Account & { subscription: SubscriptionRow; holding: Holding };

/** What a change does, computed the same way for a preview and for a commit. */
interface Evaluation {
  change: HoldingChange;
  effectiveAt: number;
  /** What the subscription holds once committed (as before, for a change at period end). */
  holding: Holding;
  /** Set when the change starts a new period now (an interval switch). */
  newPeriod: Span | null;
  /** What is charged now; `null` at period end. */
  settlement: Settlement | null;
  /** The scheduled changes still due after the commit. */
  keptSchedule: ScheduledRow[];
  warnings: ChangeWarning[];
  nextInvoice: ChangePreview['nextInvoice'];
  /** The configuration once the change has taken effect (with the changes due at the same time). */
  after: Holding;
}

const refuse = (code: 'change_not_allowed' | 'plan_not_available' | 'timing_not_supported' | 'payment_failed', detail: string) =>
  new BillingEngineError(code, { detail });

function subscribed(account: Account): Subscribed {
  if (account.subscription === null || account.holding === null) throw new BillingEngineError('no_subscription');
  return account as Subscribed;
}

function requestedChange(holding: Holding, { change }: ChangeRequest): HoldingChange {
  return change.type === 'plan'
    ? { type: 'plan', planId: change.planId, interval: change.interval ?? holding.interval }
    : { type: 'module', moduleId: change.moduleId, action: change.action };
}

function checkPlanChange(account: Subscribed, change: Extract<HoldingChange, { type: 'plan' }>, timing: Timing): void {
  const { offer, holding, scheduled } = account;
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
  const pending = scheduled.find((row) => row.kind === 'plan_change');
  if (timing === 'period_end' && pending?.to_plan_id === change.planId && pending.to_interval === change.interval) {
    throw refuse('change_not_allowed', 'This plan change is already scheduled.');
  }
}

function checkModuleChange(account: Subscribed, change: Extract<HoldingChange, { type: 'module' }>, timing: Timing): void {
  const { offer, holding, scheduled } = account;
  const module = offer.modules.get(change.moduleId);
  if (!module) throw refuse('change_not_allowed', `There is no module "${change.moduleId}".`);
  const included = offer.plans.get(holding.planId)?.includedModuleIds.includes(module.id) ?? false;
  const paid = holding.paidModuleIds.includes(module.id);
  const deactivationScheduled = scheduled.some((row) => row.module_id === module.id);
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

export function createChanges(deps: ChangeDeps): Changes {
  const { db, clock, accounts, usage, schedule, writes, tokens, canCharge, issueInvoice } = deps;

  function warningsFor(account: Subscribed, before: Holding, after: Holding, change: HoldingChange, texts: Wording): ChangeWarning[] {
    const { offer } = account;
    const warnings: ChangeWarning[] = [];
    if (before.planId !== after.planId) {
      const limits = offer.plans.get(after.planId)?.limits;
      for (const { metricKey, used } of usage.list(account, texts)) {
        const limit = limits?.get(metricKey);
        if (limit != null && used > limit) warnings.push({ code: 'usage_exceeds_new_limit', metricKey, used, limit });
      }
    }
    // The module a deactivation names goes without saying; what goes with it does not.
    const named = change.type === 'module' ? change.moduleId : null;
    const kept = new Set(modulesInEffect(offer, after));
    const removed = modulesInEffect(offer, before).filter((id) => !kept.has(id) && id !== named);
    if (removed.length > 0) warnings.push({ code: 'modules_will_be_removed', moduleIds: removed });
    return warnings;
  }

  function evaluate(account: Subscribed, request: ChangeRequest, at: number, texts: Wording): Evaluation {
    const { customer, subscription: sub, holding, offer, scheduled } = account;
    if (!RENEWING.has(sub.status)) throw refuse('change_not_allowed', `The subscription is ${sub.status}.`);
    const change = requestedChange(holding, request);
    if (change.type === 'plan') checkPlanChange(account, change, request.timing);
    else checkModuleChange(account, change, request.timing);
    const currency = customer.currency;

    if (request.timing === 'period_end') {
      const keptSchedule = scheduled.filter((row) => !(change.type === 'plan' && row.kind === 'plan_change'));
      const before = applyChanges(offer, holding, keptSchedule.map(toHoldingChange));
      const after = applyChange(offer, before, change);
      const upcoming = upcomingInvoice(
        offer,
        after,
        sub.billing_anchor,
        sub.current_period_end,
        customer.credit_balance_minor,
        texts,
      );
      return {
        change,
        effectiveAt: sub.current_period_end,
        holding,
        newPeriod: null,
        settlement: null,
        keptSchedule,
        warnings: warningsFor(account, before, after, change, texts),
        nextInvoice: nextInvoiceOf(upcoming, currency, texts),
        after,
      };
    }

    const period = { start: sub.current_period_start, end: sub.current_period_end };
    const after = applyChange(offer, holding, change);
    const { lines, newPeriod } = changeLines(offer, holding, after, period, at, texts);
    const settlement = settle(lines, customer.credit_balance_minor, currency, texts);
    // A plan chosen now overrides the one scheduled; modules gone now need no scheduled stop.
    const keptSchedule = scheduled.filter((row) =>
      row.kind === 'plan_change' ? change.type !== 'plan' : after.paidModuleIds.includes(row.module_id ?? ''),
    );
    const projected = applyChanges(offer, after, keptSchedule.map(toHoldingChange));
    const upcoming = upcomingInvoice(
      offer,
      projected,
      newPeriod?.start ?? sub.billing_anchor,
      newPeriod?.end ?? period.end,
      settlement.balanceAfter,
      texts,
    );
    const warnings = warningsFor(account, holding, after, change, texts);
    if (settlement.dueNow > 0 && canCharge(customer.id, at) !== 'ok') warnings.push({ code: 'payment_method_required' });
    return {
      change,
      effectiveAt: at,
      holding: after,
      newPeriod,
      settlement,
      keptSchedule,
      warnings,
      nextInvoice: nextInvoiceOf(upcoming, currency, texts),
      after,
    };
  }

  /**
   * A change that costs money now is charged at once: refused with `payment_failed` while a
   * renewal is unpaid (`past_due`) or when the default method declines (a test card), so
   * nothing changes. Without a usable method at all it goes through with an open invoice
   * (the `payment_method_required` warning said so).
   */
  function checkPayable(account: Subscribed, evaluation: Evaluation, at: number): void {
    if ((evaluation.settlement?.dueNow ?? 0) <= 0) return;
    if (account.subscription.status === 'past_due') {
      throw refuse('payment_failed', 'Pay the open invoice first: a renewal payment failed.');
    }
    if (canCharge(account.customer.id, at) === 'declined') throw refuse('payment_failed', 'The payment method was declined.');
  }

  const languageOf = (account: Account, languages: Languages | undefined): ServerLanguage =>
    writingLanguage(languages, account.customer.locale);

  function checkVersion(account: Subscribed, ifMatch: string, language: ServerLanguage): void {
    if (String(account.subscription.version) === ifMatch) return;
    throw new BillingEngineError('version_conflict', {
      detail: 'The subscription changed since it was read.',
      extras: { current: readSubscription(account, language)! },
    });
  }

  /** The instant a valid token's proration was computed at, so the commit charges what the preview showed. */
  function previewedAt(account: Subscribed, request: CommitChangeRequest, token: string, now: number): number {
    const claims = tokens.verify(token);
    if (!claims || claims.customer !== account.customer.id || claims.request !== requestDigest(request)) {
      throw new BillingEngineError('validation_failed', {
        detail: 'body.previewToken was not issued for this change.',
        extras: { fieldErrors: [{ field: 'body.previewToken', message: 'was not issued for this change' }] },
      });
    }
    if (now >= claims.expiresAt) throw new BillingEngineError('preview_expired', { detail: 'Preview the change again.' });
    if (claims.version !== String(account.subscription.version)) {
      throw new BillingEngineError('preview_stale', { detail: 'The subscription changed since the preview.' });
    }
    return claims.at;
  }

  function apply(account: Subscribed, evaluation: Evaluation, at: number, now: number): ChangeResult['invoice'] {
    const { customer, subscription: sub } = account;
    for (const row of account.scheduled) if (!evaluation.keptSchedule.includes(row)) schedule.remove(sub.id, row.id);
    writes.bumpVersion(sub.id);
    const { settlement, change, newPeriod } = evaluation;
    if (settlement === null) {
      schedule.add(sub.id, change, now);
      return null;
    }
    writes.hold(sub.id, evaluation.holding, at);
    if (newPeriod) writes.setPeriod(sub.id, newPeriod, newPeriod.start);
    writes.setCreditBalance(customer.id, settlement.balanceAfter);
    if (settlement.net <= 0) return null;
    return issueInvoice(customer, settlement, { start: at, end: newPeriod?.end ?? sub.current_period_end }, now);
  }

  return {
    preview(customerId, request, languages) {
      return db.transaction(() => {
        const account = subscribed(accounts.load(customerId));
        const at = clock.now().getTime();
        const wording = wordingFor(account.offer, languageOf(account, languages));
        const evaluation = evaluate(account, request, at, wording);
        const version = String(account.subscription.version);
        const expiresAt = at + PREVIEW_TOKEN_TTL_MS;
        const currency = account.customer.currency;
        return {
          previewToken: tokens.sign({ customer: customerId, request: requestDigest(request), version, at, expiresAt }),
          expiresAt: toInstant(expiresAt),
          basedOnVersion: version,
          timing: request.timing,
          effectiveAt: toInstant(evaluation.effectiveAt),
          lines: (evaluation.settlement?.lines ?? []).map((line) => describedLine(line, wording)),
          dueNow: { amountMinor: evaluation.settlement?.dueNow ?? 0, currency },
          nextInvoice: evaluation.nextInvoice && { date: evaluation.nextInvoice.date, total: evaluation.nextInvoice.total },
          recurring: {
            interval: evaluation.after.interval,
            total: { amountMinor: recurringTotal(account.offer, evaluation.after), currency },
          },
          warnings: evaluation.warnings,
        };
      })();
    },

    commit(customerId, request, ifMatch, languages) {
      return db.transaction(() => {
        const account = subscribed(accounts.load(customerId));
        const language = languageOf(account, languages);
        checkVersion(account, ifMatch, language);
        const now = clock.now().getTime();
        const at = request.previewToken === undefined ? now : previewedAt(account, request, request.previewToken, now);
        const wording = wordingFor(account.offer, language);
        const evaluation = evaluate(account, request, at, wording);
        checkPayable(account, evaluation, at);
        const invoice = apply(account, evaluation, at, now);
        return {
          subscription: readSubscription(accounts.load(customerId), language)!,
          invoice: invoice && { ...invoice, ...(invoice.lines ? { lines: invoice.lines.map((line) => describedLine(line, wording)) } : {}) },
        };
      })();
    },

    cancel(customerId, scheduledChangeId, ifMatch, languages) {
      return db.transaction(() => {
        const account = subscribed(accounts.load(customerId));
        const language = languageOf(account, languages);
        checkVersion(account, ifMatch, language);
        if (!schedule.remove(account.subscription.id, scheduledChangeId)) {
          throw new BillingEngineError('not_found', { detail: 'No such scheduled change.' });
        }
        writes.bumpVersion(account.subscription.id);
        return readSubscription(accounts.load(customerId), language)!;
      })();
    },
  };
}
