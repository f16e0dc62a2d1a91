import { css } from 'lit';

export const invoiceTableStyles = css`
  :host {
    --_row-border: var(--billing-invoice-table-row-border, var(--_border));
    --_header-color: var(--billing-invoice-table-header-color, var(--_muted));
    --_lines-bg: var(--billing-invoice-table-lines-background, var(--_subtle));
    container-type: inline-size;
  }
  .filters {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: 0.75em var(--_space);
    margin-bottom: var(--_space);
  }
  .filters label {
    display: grid;
    gap: 0.2em;
    font-size: 0.85em;
    color: var(--_muted);
  }
  select,
  input {
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.6);
    padding: 0.3em 0.5em;
    min-height: 2.2em;
  }
  .filters .export {
    margin-inline-start: auto;
  }
  table {
    width: 100%;
    border-collapse: collapse;
  }
  th,
  td {
    text-align: start;
    padding: 0.55em 0.5em;
    border-bottom: 1px solid var(--_row-border);
    vertical-align: top;
  }
  thead th {
    color: var(--_header-color);
    font-weight: 600;
    font-size: 0.85em;
  }
  tbody th {
    font-weight: 600;
  }
  .number,
  .date {
    white-space: nowrap;
  }
  .amount {
    text-align: end;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  .due {
    display: block;
    font-size: 0.85em;
    color: var(--_warning);
    white-space: normal;
  }
  .badge {
    display: inline-block;
    font-size: 0.8em;
    font-weight: 600;
    padding: 0.1em 0.55em;
    border-radius: 999px;
    background: var(--_subtle);
    color: var(--_muted);
  }
  .badge[data-status='paid'] {
    color: var(--_success);
  }
  .badge[data-status='open'] {
    color: var(--_warning);
  }
  .badge[data-status='uncollectible'] {
    color: var(--_danger);
  }
  .row-actions {
    white-space: nowrap;
    text-align: end;
  }
  .row-actions button,
  .row-actions a {
    font-size: 0.85em;
    padding: 0.2em 0.6em;
    margin-inline-start: 0.3em;
  }
  /* Pay: the one primary action of the table, filled where the others are outlined. */
  .row-actions .pay {
    display: inline-block;
    border: 1px solid var(--_accent);
    border-radius: calc(var(--_radius) * 0.75);
    background: var(--_accent);
    color: var(--_on-accent);
    font-weight: 600;
    text-decoration: none;
  }
  /* An unpaid invoice stands out: tinted, with a bar at its start, its amount due beneath the total. */
  tbody > tr[data-status='open'] {
    background: color-mix(in srgb, var(--_warning) 8%, var(--_surface));
  }
  tbody > tr[data-status='open'] > th {
    box-shadow: inset 4px 0 0 var(--_warning);
  }
  tbody > tr[data-status='open'] > th:dir(rtl) {
    box-shadow: inset -4px 0 0 var(--_warning);
  }
  .lines-row > td {
    background: var(--_lines-bg);
  }
  .lines {
    width: 100%;
  }
  .lines th,
  .lines td {
    border: 0;
    padding: 0.25em 0.5em;
    font-weight: normal;
  }
  .lines tfoot th,
  .lines tfoot td {
    font-weight: 700;
    border-top: 1px solid var(--_row-border);
  }
  .lines .period {
    display: block;
    color: var(--_muted);
    font-size: 0.85em;
  }
  .footer {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    align-items: center;
    gap: 0.5em;
    margin-top: var(--_space);
    color: var(--_muted);
    font-size: 0.9em;
  }
  .skeleton.row {
    height: 2.6em;
    margin-bottom: 0.4em;
  }
  .empty {
    margin: 0;
    color: var(--_muted);
  }
  @media (forced-colors: active) {
    .row-actions .pay {
      border-color: LinkText;
    }
    tbody > tr[data-status='open'] > th {
      box-shadow: none;
      border-inline-start: 4px solid Mark;
    }
  }
  /* Narrow containers (a phone, a sidebar): each invoice becomes a card, never a horizontal scroll. */
  @container (max-width: 40rem) {
    thead {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
    }
    [part='table'],
    [part='table'] > tbody,
    [part='table'] > tbody > tr,
    [part='table'] > tbody > tr > th,
    [part='table'] > tbody > tr > td {
      display: block;
    }
    [part='table'] > tbody > tr:not(.lines-row) {
      display: grid;
      grid-template-columns: 1fr auto;
      grid-template-areas: 'number amount' 'date status' 'period period' 'actions actions';
      padding: 0.6em 0;
      border-bottom: 1px solid var(--_row-border);
    }
    .number {
      grid-area: number;
    }
    .date {
      grid-area: date;
    }
    .period {
      grid-area: period;
    }
    .amount {
      grid-area: amount;
    }
    .status {
      grid-area: status;
    }
    .row-actions {
      grid-area: actions;
    }
    [part='table'] > tbody > tr > th,
    [part='table'] > tbody > tr > td {
      border: 0;
      padding: 0.1em 0;
    }
    [part='table'] > tbody > tr[data-status='open'] {
      padding-inline: 0.75em 0.5em;
      box-shadow: inset 4px 0 0 var(--_warning);
    }
    [part='table'] > tbody > tr[data-status='open']:dir(rtl) {
      box-shadow: inset -4px 0 0 var(--_warning);
    }
    [part='table'] > tbody > tr[data-status='open'] > th {
      box-shadow: none;
    }
    [part='table'] > tbody > tr > .amount,
    [part='table'] > tbody > tr > .status {
      text-align: end;
    }
    [part='table'] > tbody > tr > .period {
      color: var(--_muted);
      font-size: 0.9em;
    }
    [part='table'] > tbody > tr > .row-actions {
      text-align: start;
      padding-top: 0.4em;
    }
    .row-actions button:first-child {
      margin-inline-start: 0;
    }
    .lines-row > td {
      padding: 0.5em;
    }
  }
`;
