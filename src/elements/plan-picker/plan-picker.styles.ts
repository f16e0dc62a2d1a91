import { css } from 'lit';

export const planPickerStyles = css`
  :host {
    --_card-bg: var(--billing-plan-picker-card-background, var(--_surface));
    --_card-border: var(--billing-plan-picker-card-border, var(--_border));
    --_current: var(--billing-plan-picker-current-color, var(--_accent));
    --_recommended: var(--billing-plan-picker-recommended-color, var(--_success));
    --_min-card: var(--billing-plan-picker-card-min-width, 13rem);
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    align-items: center;
    gap: 0.5em var(--_space);
    margin-bottom: var(--_space);
  }
  .recommendation {
    margin: 0;
    font-weight: 600;
  }
  .recommendation[data-over] {
    padding-inline-start: 0.6em;
    border-inline-start: 4px solid var(--_danger);
  }
  .intervals {
    display: inline-flex;
    border: 1px solid var(--_border);
    border-radius: 999px;
    padding: 2px;
    margin: 0;
  }
  .intervals legend {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
  }
  .intervals label {
    padding: 0.2em 0.8em;
    border-radius: 999px;
    cursor: pointer;
  }
  .intervals input {
    position: absolute;
    opacity: 0;
  }
  .intervals label:has(input:checked) {
    background: var(--_accent);
    color: var(--_on-accent);
  }
  .intervals label:has(input:focus-visible) {
    outline: var(--_focus);
    outline-offset: 2px;
  }
  .scheduled {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em var(--_space);
    align-items: center;
    justify-content: space-between;
    margin: 0 0 var(--_space);
    padding: 0.6em 0.9em;
    border-radius: calc(var(--_radius) * 0.75);
    background: var(--_subtle);
    border-inline-start: 4px solid var(--_warning);
  }
  .plans {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(var(--_min-card), 100%), 1fr));
    gap: var(--_space);
  }
  .plan {
    display: flex;
    flex-direction: column;
    gap: 0.5em;
    padding: var(--_space);
    border: 1px solid var(--_card-border);
    border-radius: var(--_radius);
    background: var(--_card-bg);
  }
  .plan[data-current] {
    border: 2px solid var(--_current);
  }
  .plan[data-recommended] {
    border: 2px solid var(--_recommended);
  }
  .plan h3 {
    margin: 0;
    font-size: 1.1em;
  }
  .badges {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4em;
    min-height: 1.5em;
  }
  .badge {
    font-size: 0.8em;
    padding: 0.1em 0.55em;
    border-radius: 999px;
    background: var(--_subtle);
    font-weight: 600;
  }
  .badge.current {
    color: var(--_current);
  }
  .badge.recommended {
    color: var(--_recommended);
  }
  .price {
    margin: 0;
    font-size: 1.25em;
    font-weight: 700;
    font-variant-numeric: tabular-nums;
  }
  .price.none {
    font-size: 0.9em;
    font-weight: normal;
    color: var(--_muted);
  }
  .description,
  .includes {
    margin: 0;
    color: var(--_muted);
    font-size: 0.9em;
  }
  .limits {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.3em;
    font-size: 0.9em;
  }
  .limits .used {
    color: var(--_muted);
  }
  .limits [data-over] {
    color: var(--_danger);
    font-weight: 600;
  }
  .plan button {
    margin-top: auto;
  }
  .skeleton.card {
    height: 14rem;
  }
  .empty {
    margin: 0;
    color: var(--_muted);
  }
  @media (forced-colors: active) {
    .intervals label:has(input:checked) {
      outline: 2px solid Highlight;
    }
  }
`;
