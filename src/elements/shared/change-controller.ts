import { Task } from '@lit/task';
import { html, nothing, type ReactiveController, type TemplateResult } from 'lit';
import { BillingError } from '../../client/index.js';
import type { ChangePreview, ChangeRequest, ScheduledChange, Timing } from '../../contract/index.js';
import { BillingBeforeChangeEvent, BillingChangeEvent, type PendingChange } from '../events.js';
import { ActionKeys } from './action-keys.js';
import { Announcer, type Wording } from './announcer.js';
import type * as ChangeDialog from './change-dialog.js';
import type { ChangeDialogContext } from './change-dialog.js';
import type { BillingController, BillingHost } from './element-controller.js';

export type { Wording } from './announcer.js';

type DialogModule = typeof ChangeDialog;
let dialogModule: DialogModule | null = null;
let loadingDialog: Promise<DialogModule> | null = null;

/**
 * The change dialog's template and styles, loaded on first use: a page shows its elements
 * without them, and a customer who opens a change waits for them no longer than for its
 * preview, which is asked for at the same time.
 */
function loadDialog(): Promise<DialogModule> {
  loadingDialog ??= import('./change-dialog.js').then(
    (module) => (dialogModule = module),
    (error: unknown) => {
      loadingDialog = null;
      throw error;
    },
  );
  return loadingDialog;
}

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
}

/** What a round of previews gave, for the draft it was asked for. */
interface PreviewOutcome {
  draft: ChangeDraft;
  results: PromiseSettledResult<ChangePreview>[];
}

/** The action key of a commit: one per opened change, kept when the customer retries it. */
const COMMIT = 'commit';

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
  /** The confirmation or failure of the last change, for the element's live region. */
  readonly announcer: Announcer;

  #host: BillingHost;
  #billing: BillingController;
  #keys = new ActionKeys();
  /** Bumped to price the same draft again (after a conflict or a stale preview). */
  #round = 0;
  /** Whether the dialog's styles are in this element's shadow root yet. */
  #styled = false;

  constructor(host: BillingHost, billing: BillingController) {
    this.#host = host;
    this.#billing = billing;
    host.addController(this);
    /**
     * The previews of the open draft, one per timing. A new draft, a new round or a closed
     * dialog supersedes a run: it is aborted, and its answers never land (`@lit/task`).
     */
    new Task<readonly [ChangeDraft | null, number], PreviewOutcome | null>(host, {
      args: () => [this.draft, this.#round] as const,
      task: async ([draft], { signal }) => {
        const client = this.#billing.store?.client;
        if (!draft || !client) return null;
        const results = await Promise.allSettled(
          draft.timings.map((timing) => client.previewChange({ timing, change: draft.change }, { signal })),
        );
        return { draft, results };
      },
      onComplete: (outcome) => {
        if (outcome) this.#showPreviews(outcome.draft, outcome.results);
      },
    });
    // After this controller: the dialog closes (focus goes back to its opener) before the
    // confirmation takes the focus.
    this.announcer = new Announcer(host, () => billing.state('subscription').data?.version);
  }

  /** The dialog, once its code has loaded (`open` loads it); nothing before. */
  renderDialog(context: ChangeDialogContext): TemplateResult | typeof nothing {
    return dialogModule ? dialogModule.renderChangeDialog(this, context) : nothing;
  }

  open(options: ChangeOptions): void {
    loadDialog().then(
      () => this.#host.requestUpdate(),
      () => {
        // The chunk could not load (network, a new deploy): say so, nothing was changed.
        if (!this.draft) return;
        this.draft.error = new BillingError({ code: 'network', status: 0, operation: 'previewChange', message: 'the change dialog could not be loaded' });
        this.#host.requestUpdate();
      },
    );
    this.announcer.clear();
    this.#keys.done(COMMIT);
    this.draft = {
      ...options,
      timing: options.defaultTiming,
      previews: new Map(),
      refused: new Map(),
      error: null,
      busy: 'preview',
    };
  }

  chooseTiming(timing: Timing): void {
    if (!this.draft || this.draft.refused.has(timing)) return;
    this.draft.timing = timing;
    this.#host.requestUpdate();
  }

  /** Closes the dialog, except while a commit is in flight: it cannot be called back. */
  close(): void {
    if (this.draft?.busy === 'commit') return;
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
        { idempotencyKey: this.#keys.for(COMMIT) },
      );
      this.#keys.done(COMMIT);
      void store.applySubscription(result.subscription);
      // The button that opened the dialog may be gone: focus goes to the confirmation.
      this.announcer.announce(draft.confirmation(timing, preview.effectiveAt), { version: result.subscription.version, focus: true });
      draft.busy = null;
      this.close();
      this.#host.dispatchEvent(new BillingChangeEvent(pending, result.subscription, result.invoice));
    } catch (error) {
      if (this.draft !== draft) return;
      draft.busy = null;
      draft.error = BillingError.from(error, 'commitChange');
      this.#recover(draft, draft.error);
      this.#host.requestUpdate();
    }
  }

  /**
   * The button that cancels a scheduled change, unavailable while it runs (still focusable: the
   * focus stays on it if the cancel fails); `what` names the change for assistive technology
   * (several may be listed).
   */
  renderCancel(scheduledChange: ScheduledChange, label: string, what: string | null = null): TemplateResult {
    return html`<button
      type="button"
      class="secondary"
      part="action-button"
      aria-disabled=${this.cancelling === scheduledChange.id ? 'true' : 'false'}
      @click=${() => this.cancelScheduled(scheduledChange)}
    >
      ${label}${what ? html`<span class="visually-hidden">: ${what}</span>` : nothing}
    </button>`;
  }

  /** Cancels a scheduled change (after `billing-before-change`), announcing the outcome. */
  async cancelScheduled(scheduledChange: ScheduledChange): Promise<void> {
    const store = this.#billing.store;
    if (!store || this.cancelling) return;
    const pending: PendingChange = { type: 'cancel_scheduled', scheduledChange };
    if (!this.#host.dispatchEvent(new BillingBeforeChangeEvent(pending))) return;
    this.cancelling = scheduledChange.id;
    this.announcer.clear();
    this.#host.requestUpdate();
    try {
      const subscription = await store.client.cancelScheduledChange(scheduledChange.id);
      void store.applySubscription(subscription);
      this.announcer.announce((strings) => strings.scheduledCancelled, { version: subscription.version, focus: true });
      this.#host.dispatchEvent(new BillingChangeEvent(pending, subscription, null));
    } catch (error) {
      const failure = BillingError.from(error, 'cancelScheduledChange');
      const current = failure.problem?.current;
      if (current) void store.applySubscription(current);
      this.announcer.announce((strings) => strings.errorMessage(failure.code), { tone: 'error', version: current?.version ?? null });
    } finally {
      this.cancelling = null;
      this.#host.requestUpdate();
    }
  }

  /** Opens the dialog when a draft appears and closes it when it goes (focus returns natively on cancel). */
  hostUpdated(): void {
    if (dialogModule && !this.#styled) this.#styled = dialogModule.adoptDialogStyles(this.#host.renderRoot);
    const dialog = this.#host.renderRoot.querySelector('dialog');
    if (dialog && this.draft && !dialog.open) dialog.showModal();
    if (dialog && !this.draft && dialog.open) dialog.close();
  }

  hostDisconnected(): void {
    this.draft = null;
  }

  /**
   * After a failed commit: a conflict means the subscription changed elsewhere, so show its
   * current state and price the change again; a stale or expired preview is priced again,
   * the failure kept on screen. Either way the request body changes, so the retry is a new
   * action with a new key.
   */
  #recover(draft: ChangeDraft, error: BillingError): void {
    const store = this.#billing.store;
    if (error.code === 'version_conflict' && error.problem?.current) void store?.applySubscription(error.problem.current);
    if (!['version_conflict', 'preview_stale', 'preview_expired'].includes(error.code)) return;
    this.#keys.done(COMMIT);
    draft.busy = 'preview';
    this.#round++;
  }

  /** The previews as they came: refused timings kept with their reason, the choice never moved. */
  #showPreviews(draft: ChangeDraft, results: PromiseSettledResult<ChangePreview>[]): void {
    const kept = draft.error;
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
        kept ??
        first ??
        new BillingError({ code: 'change_not_allowed', status: 0, operation: 'previewChange', message: 'no timing is allowed for this change' });
    }
    draft.busy = null;
    this.#host.requestUpdate();
  }
}
