import { css } from 'lit';

/**
 * System tokens read into private locals, with fallbacks. Public tokens are never set on
 * `:host`, so a host page can set them on any ancestor. `light-dark()` follows the page's
 * `color-scheme`, so a dark page gets dark elements without any extra attribute.
 *
 * The system tokens, listed in the Custom Elements Manifest of every element whose styles
 * include these (their defaults are read from the fallbacks below):
 *
 * @cssprop --billing-color-accent - Accent: filled buttons, links, focus ring, current state.
 * @cssprop --billing-color-on-accent - Text on the accent colour.
 * @cssprop --billing-color-text - Body text.
 * @cssprop --billing-color-muted - Secondary text.
 * @cssprop --billing-color-surface - Background of cards, dialogs and the error state.
 * @cssprop --billing-color-subtle - Subtle background: skeletons, tracks, badges, announcements.
 * @cssprop --billing-color-border - Lines and borders.
 * @cssprop --billing-color-success - Success status.
 * @cssprop --billing-color-warning - Warning status.
 * @cssprop --billing-color-danger - Danger status: errors, limits reached, payments due.
 * @cssprop --billing-font - Font family.
 * @cssprop --billing-font-size - Base font size.
 * @cssprop --billing-radius - Corner radius.
 * @cssprop --billing-space - Base spacing unit.
 * @cssprop --billing-focus-ring - Outline of the focused control.
 */
export const baseStyles = css`
  :host {
    --_accent: var(--billing-color-accent, light-dark(#2f5bea, #8aa7ff));
    --_on-accent: var(--billing-color-on-accent, light-dark(#ffffff, #0b1020));
    --_text: var(--billing-color-text, light-dark(#1b1f24, #e8eaed));
    --_muted: var(--billing-color-muted, light-dark(#5a6270, #a9b0bc));
    --_surface: var(--billing-color-surface, light-dark(#ffffff, #171a20));
    --_subtle: var(--billing-color-subtle, light-dark(#f3f4f7, #232731));
    --_border: var(--billing-color-border, light-dark(#d9dce3, #3a404c));
    --_success: var(--billing-color-success, light-dark(#1e7b45, #5fd08f));
    --_warning: var(--billing-color-warning, light-dark(#9a5b00, #f3b454));
    --_danger: var(--billing-color-danger, light-dark(#c0262d, #ff8a8f));
    --_font: var(--billing-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_font-size: var(--billing-font-size, 0.9375rem);
    --_radius: var(--billing-radius, 8px);
    --_space: var(--billing-space, 1rem);
    --_focus: var(--billing-focus-ring, 2px solid var(--_accent));

    display: block;
    box-sizing: border-box;
    color: var(--_text);
    font-family: var(--_font);
    font-size: var(--_font-size);
    line-height: 1.45;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  button {
    font: inherit;
    cursor: pointer;
    border-radius: calc(var(--_radius) * 0.75);
    padding: calc(var(--_space) * 0.4) calc(var(--_space) * 0.9);
    border: 1px solid var(--_accent);
    background: var(--_accent);
    color: var(--_on-accent);
  }
  button.secondary {
    background: transparent;
    color: var(--_accent);
  }
  button:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  /* Busy: unavailable but still focusable, so the focus stays where it is for the outcome. */
  button[aria-disabled='true'] {
    opacity: 0.55;
    cursor: progress;
  }
  button:focus-visible,
  a:focus-visible,
  summary:focus-visible,
  input:focus-visible,
  select:focus-visible,
  /* While a date field's calendar button has the focus, Chromium matches neither :focus-visible nor :focus on the field. */
  input[type='date']:focus-within {
    outline: var(--_focus);
    outline-offset: 2px;
  }
  a {
    color: var(--_accent);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }

  /* Confirmation of the last action (live region content) */
  .announcement {
    margin: 0 0 var(--_space);
    padding: 0.6em 0.9em;
    border-radius: calc(var(--_radius) * 0.75);
    background: var(--_subtle);
    border-inline-start: 4px solid var(--_success);
  }
  .announcement[data-tone='info'] {
    border-color: var(--_accent);
  }
  .announcement[data-tone='error'] {
    border-color: var(--_danger);
  }

  /* Error state */
  .error {
    border: 1px solid var(--_danger);
    border-radius: var(--_radius);
    padding: var(--_space);
    background: var(--_surface);
  }
  .error-title {
    margin: 0 0 0.25em;
    font-weight: 600;
    color: var(--_danger);
  }
  .error p {
    margin: 0 0 0.75em;
  }
  .error .actions {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) * 0.75);
    align-items: center;
  }
  .error details {
    margin-top: 0.75em;
    color: var(--_muted);
  }
  .error pre {
    white-space: pre-wrap;
    font-size: 0.85em;
    background: var(--_subtle);
    padding: 0.5em;
    border-radius: calc(var(--_radius) * 0.5);
    user-select: all;
  }

  /* Loading skeleton: same boxes as the data, so nothing jumps when it arrives */
  .skeleton {
    display: block;
    border-radius: calc(var(--_radius) * 0.5);
    background: var(--_subtle);
    animation: pulse 1.4s ease-in-out infinite;
  }
  @keyframes pulse {
    50% {
      opacity: 0.55;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .skeleton {
      animation: none;
    }
  }
  @media (forced-colors: active) {
    button {
      border-color: ButtonText;
    }
    .skeleton {
      background: GrayText;
    }
  }
`;
