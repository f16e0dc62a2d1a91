import { css } from 'lit';

export const moduleListStyles = css`
  :host {
    --_row-gap: var(--billing-module-list-gap, calc(var(--_space) * 0.75));
    --_badge-bg: var(--billing-module-list-badge-background, var(--_subtle));
    container-type: inline-size;
  }
  ul[part='list'] {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--_row-gap);
  }
  .module {
    display: grid;
    grid-template-columns: 1fr auto;
    gap: 0.5em var(--_space);
    align-items: start;
    padding: var(--_row-gap) 0;
    border-top: 1px solid var(--_border);
  }
  .module:first-child {
    border-top: 0;
    padding-top: 0;
  }
  .title {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25em 0.6em;
    align-items: baseline;
  }
  .name {
    font-weight: 600;
  }
  .badge {
    font-size: 0.8em;
    padding: 0.1em 0.55em;
    border-radius: 999px;
    background: var(--_badge-bg);
    color: var(--_muted);
  }
  [data-state='active'] .badge,
  [data-state='included'] .badge {
    color: var(--_success);
  }
  [data-state$='_scheduled'] .badge {
    color: var(--_warning);
  }
  .description,
  .note {
    margin: 0.2em 0 0;
    color: var(--_muted);
    font-size: 0.9em;
  }
  .price {
    margin: 0.2em 0 0;
    font-variant-numeric: tabular-nums;
  }
  .note.unused {
    color: var(--_warning);
    font-weight: 600;
  }
  .blocked {
    margin: 0.4em 0 0;
    display: flex;
    flex-wrap: wrap;
    gap: 0.4em 0.8em;
    align-items: center;
    color: var(--_text);
    font-size: 0.9em;
  }
  .blocked button {
    font-size: 0.9em;
    padding: 0.15em 0.6em;
  }
  .actions {
    display: flex;
    gap: 0.5em;
  }
  .skeleton.row {
    height: 3.5em;
    margin-bottom: var(--_row-gap);
  }
  .empty {
    margin: 0;
    color: var(--_muted);
  }
  @container (max-width: 28rem) {
    .module {
      grid-template-columns: 1fr;
    }
  }
`;
