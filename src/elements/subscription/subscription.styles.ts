import { css } from 'lit';

export const subscriptionStyles = css`
  :host {
    --_card-background: var(--billing-subscription-background, var(--_surface));
    --_card-border: var(--billing-subscription-border, var(--_border));
  }
  .card {
    border: 1px solid var(--_card-border);
    border-radius: var(--_radius);
    background: var(--_card-background);
    padding: var(--_space);
    display: grid;
    gap: calc(var(--_space) * 0.75);
  }
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    justify-content: space-between;
    gap: 0.5em;
  }
  .plan {
    margin: 0;
    font-size: 1.15em;
    font-weight: 700;
  }
  .status {
    font-size: 0.85em;
    font-weight: 600;
    padding: 0.1em 0.6em;
    border-radius: 999px;
    background: var(--_subtle);
    color: var(--_success);
  }
  .status[data-status='past_due'],
  .status[data-status='canceled'] {
    color: var(--_danger);
  }
  .status[data-status='trialing'],
  .status[data-status='paused'] {
    color: var(--_warning);
  }
  dl {
    margin: 0;
    display: grid;
    gap: 0.35em;
  }
  dl > div {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    gap: 0 1em;
  }
  dt {
    color: var(--_muted);
  }
  dd {
    margin: 0;
  }
  .amount {
    font-variant-numeric: tabular-nums;
    font-weight: 600;
    white-space: nowrap;
  }
  details summary {
    cursor: pointer;
    color: var(--_accent);
  }
  table {
    width: 100%;
    border-collapse: collapse;
    margin-top: 0.5em;
  }
  th,
  td {
    padding: 0.3em 0;
    border-top: 1px solid var(--_border);
    vertical-align: top;
  }
  th {
    text-align: start;
    font-weight: normal;
  }
  td {
    text-align: end;
    padding-inline-start: 1em;
  }
  .period {
    display: block;
    color: var(--_muted);
    font-size: 0.85em;
  }
  .scheduled h3 {
    margin: 0 0 0.4em;
    font-size: 1em;
  }
  .scheduled ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.5em;
  }
  .scheduled li {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.5em;
  }
  .banner {
    margin: 0 0 var(--_space);
    padding: 0.75em 1em;
    border-radius: var(--_radius);
    background: var(--_subtle);
    border-inline-start: 4px solid var(--_warning);
  }
  .banner[data-status='past_due'] {
    border-color: var(--_danger);
  }
  .banner p {
    margin: 0 0 0.4em;
  }
  .banner p:last-child {
    margin: 0;
  }
  .banner a {
    font-weight: 600;
  }
  .skeleton.title {
    height: 1.6em;
    width: 45%;
  }
  .skeleton.line {
    height: 1.2em;
  }
`;
