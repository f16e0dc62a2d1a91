import { css } from 'lit';

/** Styles of the change dialog (and the live region) shared by the elements that change the subscription. */
export const changeDialogStyles = css`
  dialog {
    width: min(34rem, calc(100vw - 2rem));
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: calc(var(--_space) * 1.5);
    background: var(--_surface);
    color: var(--_text);
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.45);
  }
  dialog h2 {
    margin: 0 0 var(--_space);
    font-size: 1.15em;
  }
  .timings {
    border: 0;
    margin: 0 0 var(--_space);
    padding: 0;
    display: grid;
    gap: 0.5em;
  }
  .timings legend {
    font-weight: 600;
    margin-bottom: 0.25em;
  }
  .timings label {
    display: flex;
    gap: 0.5em;
    align-items: baseline;
  }
  .timings label[data-refused] {
    color: var(--_muted);
  }
  .refusal {
    display: block;
    font-size: 0.9em;
    color: var(--_danger);
  }
  .lines {
    width: 100%;
    border-collapse: collapse;
    margin-bottom: var(--_space);
  }
  .lines caption {
    text-align: start;
    font-weight: 600;
    padding-bottom: 0.4em;
  }
  .lines th,
  .lines td {
    padding: 0.35em 0;
    border-top: 1px solid var(--_border);
    vertical-align: top;
  }
  .lines th {
    text-align: start;
    font-weight: normal;
  }
  .lines td {
    text-align: end;
    white-space: nowrap;
    font-variant-numeric: tabular-nums;
    padding-inline-start: 1em;
  }
  .lines .period {
    display: block;
    color: var(--_muted);
    font-size: 0.85em;
  }
  .lines .due-now th,
  .lines .due-now td {
    font-weight: 700;
  }
  .lines .recurring th,
  .lines .recurring td {
    border-top-width: 2px;
  }
  .credit-note {
    margin: 0 0 var(--_space);
    color: var(--_muted);
  }
  .warnings {
    list-style: disc;
    margin: 0 0 var(--_space);
    padding: 0.75em 0.75em 0.75em 2em;
    border-radius: calc(var(--_radius) * 0.75);
    background: var(--_subtle);
    border-inline-start: 4px solid var(--_warning);
  }
  .dialog-error {
    color: var(--_danger);
    font-weight: 600;
  }
  .dialog-actions {
    display: flex;
    justify-content: flex-end;
    gap: 0.75em;
  }
  .announcement:focus {
    outline: 2px solid var(--_success);
    outline-offset: 2px;
  }
`;
