import type { ReactiveController } from 'lit';
import { BillingError, newIdempotencyKey } from '../../client/index.js';
import type { ChangePreview, ChangeRequest, ScheduledChange, Timing } from '../../contract/index.js';
import type { Strings } from '../../i18n/index.js';
import type { BillingController, BillingHost } from './element-controller.js';
import { BillingBeforeChangeEvent, BillingChangeEvent, type PendingChange } from '../events.js';

/** A sentence written when it is shown, so it follows the page's language. */
export type Wording = (strings: Strings, locale: string) => string;

/** What an element asks the controller to preview and, once confirmed, commit. */
export interface ChangeOptions {
  change: ChangeRequest['change'];
  /** Timings the endpoint allows for this change; each is previewed so its cost can be shown. */
  timings: Timing[];
  defaultTiming: Timing;
  /** Dialog title, e.g. "Activate E-signature?". */
  title: Wording;
  /** The sentence announced once committed, from the timing and the effective date. */
  confirmation: (timing: Timing, effectiveAt: string) => Wording;
}

export interface ChangeDraft extends ChangeOptions {
  /** The timing chosen; `null` when the one offered first was refused and the customer has not chosen another. */
  timing: Timing | null;
  previews: Map<Timing, ChangePreview>;
  /** Timings the endpoint refused for this change, with why: shown, never silently dropped. */
  refused: Map<Timing, BillingError>;
  error: BillingError | null;
  busy: 'preview' | 'commit' | null;
  /** One per user action; reused when the user retries the same commit. */
  idempotencyKey: string;
}

/** The last outcome, for the element's live region: written in the language of the moment. */
interface Announcement {
  wording: Wording;
  /** The subscription version it describes; a newer one makes it stale. */
  version: string | null;
}

/**
 * The change flow shared by the module list, the plan picker and the dashboard: preview every
 * allowed timing, let the user pick one and confirm, fire `billing-before-change` (cancelable)
 * and `billing-change`, commit once (the confirm is ignored while a commit is in flight, and
 * a retry reuses the idempotency key), apply the new subscription to the store so every
 * element updates, and recover from conflicts by reloading and previewing again.
 *
 * A timing the endpoint refuses stays on screen with the reason, and the choice never moves
 * to another timing by itself. A confirmation describes the last action only: it goes when
 * the subscription changes again (here, in another element or in another tab).
 */
export class ChangeController implements ReactiveController {
  /** The change being reviewed in the dialog, or null when the dialog is closed. */
  draft: ChangeDraft | null = null;
  /** Id of the scheduled change being cancelled. */
  cancelling: string | null = null;

  #host: BillingHost;
  #billing: BillingController;
  #abort: AbortController | null = null;
  #announcement: Announcement | null = null;
  /** Set on success: the button that opened the dialog may be gone, so focus goes to the confirmation. */
  #focusAnnouncement = false;

  constructor(host: BillingHost, billing: BillingController) {
    this.#host = host;
    this.#billing = billing;
    host.addController(this);
  }

  /** The confirmation or failure of the last action, in the current language; `''` when there is none. */
  announcement(strings: Strings, locale: string): string {
    return this.#announcement?.wording(strings, locale) ?? '';
  }

  open(options: ChangeOptions): void {
    this.#announcement = null;
    this.draft = {
      ...options,
      timing: options.defaultTiming,
      previews: new Map(),
      refused: new Map(),
      error: null,
      busy: 'preview',
      idempotencyKey: newIdempotencyKey(),
    };
    void this.#preview();
  }

  chooseTiming(timing: Timing): void {
    if (!this.draft || this.draft.refused.has(timing)) return;
    this.draft.timing = timing;
    this.#host.requestUpdate();
  }

  /** Closes the dialog, except while a commit is in flight: it cannot be called back. */
  close(): void {
    if (this.draft?.busy === 'commit') return;
    this.#abort?.abort();
    this.draft = null;
    this.#host.requestUpdate();
  }

  async confirm(): Promise<void> {
    const draft = this.draft;
    const store = this.#billing.store;
    const timing = draft?.timing;
    const preview = timing ? draft?.previews.get(timing) : undefined;
    if (!draft || !store || !timing || !preview || draft.busy) return;
    const request: ChangeRequest = { timing, change: draft.change };
    const pending: PendingChange = { type: 'change', request, preview };
    if (!this.#host.dispatchEvent(new BillingBeforeChangeEvent(pending))) {
      this.close();
      return;
    }
    draft.busy = 'commit';
    draft.error = null;
    this.#host.requestUpdate();
    try {
      const result = await store.client.commitChange(
        { ...request, previewToken: preview.previewToken },
        { idempotencyKey: draft.idempotencyKey },
      );
      void store.applySubscription(result.subscription);
      this.#announce(draft.confirmation(timing, preview.effectiveAt), result.subscription.version);
      draft.busy = null;
      this.close();
      this.#host.dispatchEvent(new BillingChangeEvent(pending, result.subscription, result.invoice));
    } catch (error) {
      if (this.draft !== draft) return;
      draft.busy = null;
      draft.error = BillingError.from(error, 'commitChange');
      await this.#recover(draft.error);
      this.#host.requestUpdate();
    }
  }

  /** Cancels a scheduled change (after `billing-before-change`), announcing the outcome. */
  async cancelScheduled(scheduledChange: ScheduledChange): Promise<void> {
    const store = this.#billing.store;
    if (!store || this.cancelling) return;
    const pending: PendingChange = { type: 'cancel_scheduled', scheduledChange };
    if (!this.#host.dispatchEvent(new BillingBeforeChangeEvent(pending))) return;
    this.cancelling = scheduledChange.id;
    this.#announcement = null;
    this.#host.requestUpdate();
    try {
      const subscription = await store.client.cancelScheduledChange(scheduledChange.id);
      void store.applySubscription(subscription);
      this.#announce((strings) => strings.scheduledCancelled, subscription.version);
      this.#host.dispatchEvent(new BillingChangeEvent(pending, subscription, null));
    } catch (error) {
      const failure = BillingError.from(error, 'cancelScheduledChange');
      const current = failure.problem?.current;
      if (current) void store.applySubscription(current);
      this.#announce((strings) => strings.errorMessage(failure.code), current?.version ?? null);
    } finally {
      this.cancelling = null;
      this.#host.requestUpdate();
    }
  }

  /** A confirmation that describes a state no longer current goes (a newer version arrived). */
  hostUpdate(): void {
    const version = this.#billing.state('subscription').data?.version;
    const announced = this.#announcement?.version;
    if (announced && version && version !== announced) this.#announcement = null;
  }

  /**
   * Opens the dialog when a draft appears and closes it when it goes (focus returns natively
   * on cancel); after a success, focus moves to the confirmation message.
   */
  hostUpdated(): void {
    const root = this.#host.renderRoot;
    const dialog = root.querySelector('dialog');
    if (dialog && this.draft && !dialog.open) dialog.showModal();
    if (dialog && !this.draft && dialog.open) dialog.close();
    if (this.#focusAnnouncement) {
      this.#focusAnnouncement = false;
      root.querySelector<HTMLElement>('.announcement')?.focus();
    }
  }

  hostDisconnected(): void {
    this.#abort?.abort();
    this.draft = null;
  }

  #announce(wording: Wording, version: string | null): void {
    this.#announcement = { wording, version };
    this.#focusAnnouncement = true;
  }

  /**
   * After a failed commit: a conflict means the subscription changed elsewhere, so show its
   * current state and price the change again; a stale or expired preview is priced again.
   * Either way the request body changes, so the retry is a new action with a new key.
   */
  async #recover(error: BillingError): Promise<void> {
    const store = this.#billing.store;
    const draft = this.draft;
    if (!store || !draft) return;
    if (error.code === 'version_conflict' && error.problem?.current) void store.applySubscription(error.problem.current);
    if (['version_conflict', 'preview_stale', 'preview_expired'].includes(error.code)) {
      draft.idempotencyKey = newIdempotencyKey();
      await this.#preview(error);
    }
  }

  async #preview(keepError: BillingError | null = null): Promise<void> {
    const draft = this.draft;
    const client = this.#billing.store?.client;
    if (!draft || !client) return;
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    draft.busy = 'preview';
    draft.error = keepError;
    this.#host.requestUpdate();
    const results = await Promise.allSettled(
      draft.timings.map((timing) => client.previewChange({ timing, change: draft.change }, { signal: abort.signal })),
    );
    if (abort.signal.aborted) return;
    draft.previews = new Map();
    draft.refused = new Map();
    results.forEach((result, index) => {
      const timing = draft.timings[index]!;
      if (result.status === 'fulfilled') draft.previews.set(timing, result.value);
      else draft.refused.set(timing, BillingError.from(result.reason, 'previewChange'));
    });
    // A refused choice is cleared, not replaced: the customer picks among what is left.
    if (draft.timing && draft.refused.has(draft.timing)) draft.timing = null;
    if (draft.previews.size === 0) {
      const [first] = draft.refused.values();
      draft.error =
        keepError ??
        first ??
        new BillingError({ code: 'change_not_allowed', status: 0, operation: 'previewChange', message: 'no timing is allowed for this change' });
    }
    draft.busy = null;
    this.#host.requestUpdate();
  }
}
