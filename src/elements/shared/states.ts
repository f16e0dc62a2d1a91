import { html, nothing, type TemplateResult } from 'lit';
import type { BillingError } from '../../client/index.js';
import type { Strings } from '../../i18n/index.js';

export interface ErrorStateOptions {
  error: BillingError | null;
  strings: Strings;
  onRetry?: (() => void) | undefined;
  supportUrl?: string | undefined;
  /** A `now` the host pinned (tests, stories, screenshots): the diagnostic's time then; else when the failure happened. */
  pinnedNow?: number | undefined;
}

/**
 * What a support request needs, with labels in the reader's language: the action attempted,
 * the error code, the HTTP status, the request id and the time (UTC).
 */
export function diagnosticText(error: BillingError | null, strings: Strings, pinnedNow?: number): string {
  const label = strings.diagnosticLabels;
  if (!error) return `${label.code}: not_configured`;
  return [
    `${label.operation}: ${error.operation}`,
    `${label.code}: ${error.code}`,
    `${label.status}: ${error.status}`,
    `${label.requestId}: ${error.requestId ?? label.none}`,
    `${label.time}: ${new Date(pinnedNow ?? error.at.getTime()).toISOString()}`,
  ].join('\n');
}

/**
 * The error state every element shows: a sentence in the reader's language, a retry,
 * a support link when configured, and a diagnostic to copy into a support request.
 * `error` is null when the element has no endpoint configured.
 */
export function renderError({ error, strings, onRetry, supportUrl, pinnedNow }: ErrorStateOptions): TemplateResult {
  const code = error?.code ?? 'not_configured';
  const diagnostic = diagnosticText(error, strings, pinnedNow);
  const copy = async (event: Event) => {
    const button = event.currentTarget as HTMLButtonElement;
    try {
      await navigator.clipboard.writeText(diagnostic);
      // A static node (no binding inside), so writing to it cannot disturb Lit's parts.
      (button.nextElementSibling as HTMLElement).textContent = strings.copied;
    } catch {
      // Clipboard refused (permissions, insecure context): select the text for a manual copy.
      getSelection()?.selectAllChildren(button.previousElementSibling as Node);
    }
  };
  return html`
    <div class="error" part="error" role="alert">
      <p class="error-title">${strings.errorTitle}</p>
      <p>${strings.errorMessage(code)}</p>
      <div class="actions">
        ${onRetry && error ? html`<button type="button" part="retry-button" @click=${onRetry}>${strings.retry}</button>` : nothing}
        ${supportUrl && /^(https?:|mailto:|\/)/i.test(supportUrl)
          ? html`<a part="support-link" href=${supportUrl}>${strings.contactSupport}</a>`
          : nothing}
      </div>
      <details>
        <summary>${strings.diagnosticSummary}</summary>
        <pre>${diagnostic}</pre>
        <button type="button" class="secondary" @click=${copy}>${strings.copyDiagnostic}</button>
        <span role="status"></span>
      </details>
    </div>
  `;
}

/**
 * The loading state: the element's skeleton (same boxes as the data, so nothing jumps)
 * marked busy, with a status message for assistive technology once strings are there.
 */
export function renderLoading(strings: Strings | null, skeleton: TemplateResult): TemplateResult {
  return html`<div aria-busy="true">
    <span class="visually-hidden" role="status">${strings?.loading ?? ''}</span>
    ${skeleton}
  </div>`;
}
