/**
 * Subscription changes: previewing, committing (applying now or scheduling for the period
 * end) and taking a scheduled one back. What a change does and costs is the core's
 * (core/change-rules.ts); this module reads the account, checks versions and preview tokens,
 * and writes what the core decided. Every commit and cancel is one SQLite transaction that
 * takes the write lock at its start (`.immediate()`), so the version it checks is the one it
 * writes over, even with another process on the file.
 */
import type { ChangePreview, ChangeRequest, CommitChangeRequest, UsageMetric } from '../../contract/index.js';
import { BillingEngineError } from '../errors.js';
import type { Account, Accounts, SubscriptionRow } from './account.js';
import type { Clock } from './clock.js';
import {
  checkPayable,
  evaluateChange,
  previewFigures,
  type ChangeEvaluation,
  type SubscriptionStanding,
} from './core/change-rules.js';
import { toInstant } from './core/dates.js';
import type { Holding } from './core/holding.js';
import { describedLine } from './core/invoicing.js';
import { chargeOutcome } from './core/payments.js';
import { wordingFor, writingLanguage, type ServerLanguage, type Wording } from './core/texts.js';
import type { InvoiceIssuer } from './invoice-issuer.js';
import { PREVIEW_TOKEN_TTL_MS, changeKey, type PreviewTokens } from './preview-token.js';
import type { Schedule } from './schedule.js';
import { readSubscription } from './subscription.js';
import type { SubscriptionWrites } from './subscription-writes.js';
import type { Transactions } from './transactions.js';
import type { Usage } from './usage.js';
import type { EngineChangeResult, EngineSubscription, Languages } from '../billing-engine.js';

export interface ChangeDeps {
  transactions: Transactions;
  clock: Clock;
  accounts: Accounts;
  usage: Usage;
  schedule: Schedule;
  writes: SubscriptionWrites;
  tokens: PreviewTokens;
  issueInvoice: InvoiceIssuer;
  /** Whether `account` has an ended period that is not closed yet. */
  periodDue: (account: Account) => boolean;
}

/** Usage read from the host's source (`ReferenceEngineOptions.usage`) before the transaction; without it, the engine's own. */
type Metered = readonly Pick<UsageMetric, 'metricKey' | 'used'>[] | undefined;

export interface Changes {
  /** `null` when the customer has a period to close first (`periodDue`): close it, then ask again. */
  preview(customerId: string, request: ChangeRequest, languages?: Languages, metered?: Metered): ChangePreview | null;
  commit(customerId: string, request: CommitChangeRequest, ifMatch: string, languages?: Languages, metered?: Metered): EngineChangeResult;
  cancel(customerId: string, scheduledChangeId: string, ifMatch: string, languages?: Languages): EngineSubscription;
}

/** An account with a subscription. */
type Subscribed = Account & { subscription: SubscriptionRow; holding: Holding };

function subscribed(account: Account): Subscribed {
  if (account.subscription === null || account.holding === null) throw new BillingEngineError('no_subscription');
  return account as Subscribed;
}

export function createChanges(deps: ChangeDeps): Changes {
  const { transactions, clock, accounts, usage, schedule, writes, tokens, issueInvoice, periodDue } = deps;

  /** The account as the core's change rules see it; usage is the host's, else read in `texts`' language, when needed. */
  function standingOf(account: Subscribed, texts: Wording, metered: Metered): SubscriptionStanding {
    const { customer, subscription: sub } = account;
    return {
      offer: account.offer,
      status: sub.status,
      holding: account.holding,
      pending: account.scheduled,
      period: { start: sub.current_period_start, end: sub.current_period_end },
      anchor: sub.billing_anchor,
      creditBalance: customer.credit_balance_minor,
      usage: () => metered ?? usage.counts(account, texts),
      // The default method as the account was read: no query of its own.
      charge: (at) => chargeOutcome(account.defaultMethod, at),
    };
  }

  /** What `request` does to `account` at `at` (the core's evaluation), with what it was computed from. */
  function evaluate(account: Subscribed, request: ChangeRequest, at: number, language: ServerLanguage, metered: Metered) {
    const wording = wordingFor(account.offer, language);
    const standing = standingOf(account, wording, metered);
    return { wording, standing, evaluation: evaluateChange(standing, request, at, wording) };
  }

  const languageOf = (account: Account, languages: Languages | undefined): ServerLanguage =>
    writingLanguage(languages, account.customer.locale);

  /** The handler answers the conflict with the subscription as it now is (change-operations.ts). */
  function checkVersion(account: Subscribed, ifMatch: string): void {
    if (String(account.subscription.version) === ifMatch) return;
    throw new BillingEngineError('version_conflict', { detail: 'The subscription changed since it was read.' });
  }

  /** The instant a valid token's proration was computed at, so the commit charges what the preview showed. */
  function previewedAt(account: Subscribed, request: CommitChangeRequest, token: string, now: number): number {
    const version = String(account.subscription.version);
    const checked = tokens.check(token, { customer: account.customer.id, request, version, now });
    if (checked.ok) return checked.claims.at;
    if (checked.reason === 'expired') throw new BillingEngineError('preview_expired', { detail: 'Preview the change again.' });
    if (checked.reason === 'stale') throw new BillingEngineError('preview_stale', { detail: 'The subscription changed since the preview.' });
    throw new BillingEngineError('validation_failed', {
      detail: 'body.previewToken was not issued for this change.',
      extras: { fieldErrors: [{ field: 'body.previewToken', message: 'was not issued for this change' }] },
    });
  }

  function apply(account: Subscribed, evaluation: ChangeEvaluation, at: number, now: number): EngineChangeResult['invoice'] {
    const { customer, subscription: sub } = account;
    for (const pending of account.scheduled) {
      if (!evaluation.keptSchedule.includes(pending)) schedule.remove(sub.id, pending.id);
    }
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
    preview(customerId, request, languages, metered) {
      return transactions.read(() => {
        const loaded = accounts.load(customerId);
        // Checked on the preview's own read: closing a period is a write, for the caller.
        if (periodDue(loaded)) return null;
        const account = subscribed(loaded);
        const at = clock.now().getTime();
        const { wording, standing, evaluation } = evaluate(account, request, at, languageOf(account, languages), metered);
        const version = String(account.subscription.version);
        const expiresAt = at + PREVIEW_TOKEN_TTL_MS;
        return {
          previewToken: tokens.sign({ customer: customerId, request: changeKey(request), version, at, expiresAt }),
          expiresAt: toInstant(expiresAt),
          basedOnVersion: version,
          ...previewFigures(standing, request, evaluation, wording),
        };
      });
    },

    commit(customerId, request, ifMatch, languages, metered) {
      return transactions.write(() => {
        const account = subscribed(accounts.load(customerId));
        const language = languageOf(account, languages);
        checkVersion(account, ifMatch);
        const now = clock.now().getTime();
        const at = request.previewToken === undefined ? now : previewedAt(account, request, request.previewToken, now);
        const { wording, standing, evaluation } = evaluate(account, request, at, language, metered);
        checkPayable(standing, evaluation, at);
        const invoice = apply(account, evaluation, at, now);
        return {
          subscription: readSubscription(accounts.load(customerId), language)!,
          invoice: invoice && { ...invoice, ...(invoice.lines ? { lines: invoice.lines.map((line) => describedLine(line, wording)) } : {}) },
        };
      });
    },

    cancel(customerId, scheduledChangeId, ifMatch, languages) {
      return transactions.write(() => {
        const account = subscribed(accounts.load(customerId));
        const language = languageOf(account, languages);
        checkVersion(account, ifMatch);
        if (!schedule.remove(account.subscription.id, scheduledChangeId)) {
          throw new BillingEngineError('not_found', { detail: 'No such scheduled change.' });
        }
        writes.bumpVersion(account.subscription.id);
        return readSubscription(accounts.load(customerId), language)!;
      });
    },
  };
}
