import type { ReactiveController } from 'lit';
import { BillingError, newIdempotencyKey } from '../../client/index.js';
import type { ChangePreview, ChangeRequest, ScheduledChange, Timing } from '../../contract/index.js';
import type { BillingController, BillingHost } from './billing-controller.js';
import { BillingBeforeChangeEvent, BillingChangeEvent, type PendingChange } from './events.js';

/** What an element asks the controller to preview and, once confirmed, commit. */
export interface ChangeOptions {
  change: ChangeRequest['change'];
  /** Timings the endpoint allows for this change; each is previewed so its cost can be shown. */
  timings: Timing[];
  defaultTiming: Timing;
  /** Dialog title, e.g. "Activate E-signature?". */
  title: string;
  /** The sentence announced once committed, from the timing and the effective date. */
  confirmation: (timing: Timing, effectiveAt: string) => string;
}

export interface ChangeDraft extends ChangeOptions {
  timing: Timing;
  previews: Map<Timing, ChangePreview>;
  error: BillingError | null;
  busy: 'preview' | 'commit' | null;
  /** One per user action; reused when the user retries the same commit. */
  idempotencyKey: string;
}

/**
 * The change flow shared by the module list and the plan picker: preview every allowed
 * timing, let the user pick one and confirm, fire `billing-before-change` (cancelable) and
 * `billing-change`, commit once (the confirm is ignored while a commit is in flight, and a
 * retry reuses the idempotency key), apply the new subscription to the store so every
 * element updates, and recover from conflicts by reloading and previewing again.
 */
export class ChangeController implements ReactiveController {
  /** The change being reviewed in the dialog, or null when the dialog is closed. */
  draft: ChangeDraft | null = null;
  /** Id of the scheduled change being cancelled. */
  cancelling: string | null = null;
  /** The last confirmation or failure, for the element's live region. */
  announcement = '';

  #host: BillingHost;
  #billing: BillingController;
  #abort: AbortController | null = null;
  /** Set on success: the button that opened the dialog may be gone, so focus goes to the confirmation. */
  #focusAnnouncement = false;

  constructor(host: BillingHost, billing: BillingController) {
    this.#host = host;
    this.#billing = billing;
    host.addController(this);
  }

  open(options: ChangeOptions): void {
    this.announcement = '';
    this.draft = {
      ...options,
      timing: options.defaultTiming,
      previews: new Map(),
      error: null,
      busy: 'preview',
      idempotencyKey: newIdempotencyKey(),
    };
    void this.#preview();
  }

  chooseTiming(timing: Timing): void {
    if (!this.draft) return;
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
    const preview = draft?.previews.get(draft.timing);
    if (!draft || !store || !preview || draft.busy) return;
    const request: ChangeRequest = { timing: draft.timing, change: draft.change };
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
      this.announcement = draft.confirmation(draft.timing, preview.effectiveAt);
      this.#focusAnnouncement = true;
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
  async cancelScheduled(scheduledChange: ScheduledChange, done: string): Promise<void> {
    const store = this.#billing.store;
    if (!store || this.cancelling) return;
    const pending: PendingChange = { type: 'cancel_scheduled', scheduledChange };
    if (!this.#host.dispatchEvent(new BillingBeforeChangeEvent(pending))) return;
    this.cancelling = scheduledChange.id;
    this.announcement = '';
    this.#host.requestUpdate();
    try {
      const subscription = await store.client.cancelScheduledChange(scheduledChange.id);
      void store.applySubscription(subscription);
      this.announcement = done;
      this.#focusAnnouncement = true;
      this.#host.dispatchEvent(new BillingChangeEvent(pending, subscription, null));
    } catch (error) {
      const failure = BillingError.from(error, 'cancelScheduledChange');
      if (failure.problem?.current) void store.applySubscription(failure.problem.current);
      this.announcement = this.#billing.strings?.errorMessage(failure.code) ?? failure.message;
    } finally {
      this.cancelling = null;
      this.#host.requestUpdate();
    }
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
    // A timing the endpoint refuses for this change is dropped; the others stay on offer.
    draft.previews = new Map();
    results.forEach((result, index) => {
      if (result.status === 'fulfilled') draft.previews.set(draft.timings[index]!, result.value);
    });
    const offered = draft.timings.filter((timing) => draft.previews.has(timing));
    if (offered.length) {
      draft.timings = offered;
      if (!draft.previews.has(draft.timing)) draft.timing = offered[0]!;
    } else {
      const failure = results.find((result) => result.status === 'rejected') as PromiseRejectedResult | undefined;
      draft.error =
        keepError ??
        (failure
          ? BillingError.from(failure.reason, 'previewChange')
          : new BillingError({ code: 'change_not_allowed', status: 0, operation: 'previewChange', message: 'no timing is allowed for this change' }));
    }
    draft.busy = null;
    this.#host.requestUpdate();
  }
}
