import { html, nothing, type TemplateResult } from 'lit';
import type { ChangePreview, ChangeWarning, Money, Timing, UsageMetric } from '../../contract/index.js';
import type { Strings } from '../../i18n/index.js';
import type { BillingError } from '../../client/index.js';
import type { ChangeController } from './change-controller.js';
import { changeDialogStyles } from './change-dialog.styles.js';
import { renderLineRow } from './invoice-lines.js';
import { formatDate, formatMoney, formatNumber } from './format.js';

export interface ChangeDialogContext {
  strings: Strings;
  locale: string;
  /** Display name of a module id (falls back to the id). */
  moduleName: (id: string) => string;
  /** Usage metrics, for the units in usage warnings. */
  metrics: readonly UsageMetric[];
  /** End of the current period: when a `period_end` change applies, before its preview arrives. */
  periodEnd: string;
  /** The customer's credit balance, mentioned when there is one (it lowers the next invoice). */
  creditBalance?: Money | undefined;
}

function timingLabel(timing: Timing, preview: ChangePreview | undefined, { strings, locale, periodEnd }: ChangeDialogContext): string {
  const when = timing === 'now' ? strings.timingNow : strings.timingPeriodEnd(formatDate(locale, preview?.effectiveAt ?? periodEnd));
  return preview ? strings.timingOption(when, formatMoney(locale, preview.dueNow)) : when;
}

/** Why the endpoint refused a timing, said next to it. */
function refusalText(timing: Timing, error: BillingError, { strings, locale, periodEnd }: ChangeDialogContext): string {
  return timing === 'period_end' && error.code === 'change_not_allowed'
    ? strings.timingAlreadyScheduled(formatDate(locale, periodEnd))
    : strings.errorMessage(error.code);
}

function warningText(warning: ChangeWarning, context: ChangeDialogContext): string {
  const { strings, locale } = context;
  if (warning.code === 'modules_will_be_removed') {
    const modules = warning.moduleIds ?? [];
    return strings.warningModulesRemoved(strings.list(modules.map(context.moduleName)), modules.length);
  }
  if (warning.code === 'usage_exceeds_new_limit') {
    const metric = context.metrics.find((m) => m.metricKey === warning.metricKey);
    const used = warning.used ?? metric?.used ?? 0;
    return strings.warningUsageOverLimit(
      formatNumber(locale, used),
      formatNumber(locale, warning.limit ?? 0),
      metric?.unit ?? warning.metricKey ?? '',
      used,
    );
  }
  return strings.warningPaymentMethod;
}

/**
 * The preview: its lines, what is due now, then two figures that are easy to confuse and so
 * are labelled as what they are — the recurring total of the new configuration (list price
 * per interval) and the next invoice (after credits and proration).
 */
function renderPreview(preview: ChangePreview, context: ChangeDialogContext): TemplateResult {
  const { strings, locale, creditBalance } = context;
  return html`
    <table class="lines" part="preview-lines">
      <caption>${strings.previewLines}</caption>
      <tbody>${preview.lines.map((line) => renderLineRow(line, locale))}</tbody>
      <tfoot>
        <tr class="due-now">
          <th scope="row">${strings.dueNow}</th>
          <td>${formatMoney(locale, preview.dueNow)}</td>
        </tr>
        <tr class="recurring">
          <th scope="row">${strings.recurringTotal(preview.recurring.interval)}</th>
          <td>${formatMoney(locale, preview.recurring.total)}</td>
        </tr>
        ${preview.nextInvoice
          ? html`<tr class="next-invoice">
              <th scope="row">${strings.nextInvoice(formatDate(locale, preview.nextInvoice.date))}</th>
              <td>${formatMoney(locale, preview.nextInvoice.total)}</td>
            </tr>`
          : nothing}
      </tfoot>
    </table>
    ${creditBalance && creditBalance.amountMinor > 0
      ? html`<p class="credit-note">${strings.creditBalanceAvailable(formatMoney(locale, creditBalance))}</p>`
      : nothing}
    ${preview.warnings.length
      ? html`<ul class="warnings" part="warnings">
          ${preview.warnings.map((warning) => html`<li>${warningText(warning, context)}</li>`)}
          ${preview.warnings.some((warning) => warning.code === 'usage_exceeds_new_limit')
            ? html`<li class="note">${strings.warningUsageNote}</li>`
            : nothing}
        </ul>`
      : nothing}
  `;
}

/**
 * The review-and-confirm dialog of a change: timing choice with the cost of each, the
 * proration lines, the amount due now, the next invoice, warnings, and a confirm that
 * cannot be sent twice: while a commit or a new preview runs it is `aria-disabled`, not
 * `disabled`, so a keyboard user's focus stays on it for the outcome (a disabled button
 * loses the focus), and `confirm()` ignores it. A native modal `<dialog>`: it traps focus,
 * closes on Escape and returns focus to the button that opened it.
 */
export function renderChangeDialog(change: ChangeController, context: ChangeDialogContext): TemplateResult {
  const { strings, locale } = context;
  const draft = change.draft;
  const preview = draft?.timing ? draft.previews.get(draft.timing) : undefined;
  return html`<dialog
    part="dialog"
    aria-labelledby="change-title"
    @cancel=${(event: Event) => {
      event.preventDefault();
      change.close();
    }}
  >
    ${draft
      ? html`<form
          @submit=${(event: Event) => {
            event.preventDefault();
            void change.confirm();
          }}
        >
          <h2 id="change-title">${draft.title(strings, locale)}</h2>
          ${draft.timings.length > 0
            ? html`<fieldset class="timings">
                <legend>${strings.timingLegend}</legend>
                ${draft.timings.map((timing) => {
                  const refused = draft.refused.get(timing);
                  return html`<label ?data-refused=${refused !== undefined}>
                    <input
                      type="radio"
                      name="timing"
                      .checked=${timing === draft.timing}
                      ?disabled=${refused !== undefined}
                      @change=${() => change.chooseTiming(timing)}
                    />
                    <span>
                      ${timingLabel(timing, draft.previews.get(timing), context)}
                      ${refused ? html`<span class="refusal">${refusalText(timing, refused, context)}</span>` : nothing}
                    </span>
                  </label>`;
                })}
              </fieldset>`
            : nothing}
          ${draft.busy === 'preview'
            ? html`<p class="preview-loading" role="status">${strings.previewLoading}</p>`
            : preview
              ? renderPreview(preview, context)
              : nothing}
          ${draft.error ? html`<p class="dialog-error" role="alert">${strings.errorMessage(draft.error.code)}</p>` : nothing}
          <div class="dialog-actions">
            <button type="button" class="secondary" ?disabled=${draft.busy === 'commit'} @click=${() => change.close()}>
              ${strings.cancel}
            </button>
            <button type="submit" part="confirm-button" ?disabled=${!preview} aria-disabled=${draft.busy !== null ? 'true' : 'false'}>
              ${draft.busy === 'commit' ? strings.loading : strings.confirm}
            </button>
          </div>
        </form>`
      : nothing}
  </dialog>`;
}

/**
 * Adds the dialog's styles to an element's shadow root (they come with this module, loaded
 * on first use, rather than with the element). Constructable style sheets, so a strict
 * Content Security Policy is no obstacle. Returns whether they are there.
 */
export function adoptDialogStyles(root: HTMLElement | DocumentFragment): boolean {
  const sheet = changeDialogStyles.styleSheet;
  if (!(root instanceof ShadowRoot) || !sheet) return false;
  if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  return true;
}
