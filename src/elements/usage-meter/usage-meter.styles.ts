import { css } from 'lit';

export const usageMeterStyles = css`
  :host {
    --_fill: var(--billing-usage-meter-fill, var(--_accent));
    --_fill-warning: var(--billing-usage-meter-warning-fill, var(--_warning));
    --_fill-danger: var(--billing-usage-meter-danger-fill, var(--_danger));
    --_track: var(--billing-usage-meter-track, var(--_subtle));
    --_bar-height: var(--billing-usage-meter-height, 0.5rem);
    --_gap: var(--billing-usage-meter-gap, var(--_space));
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--_gap);
  }
  .metric {
    display: grid;
    gap: 0.35em;
  }
  .head,
  .meta {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    gap: 0 1em;
  }
  .name {
    font-weight: 600;
  }
  .figures {
    font-variant-numeric: tabular-nums;
  }
  .meta,
  .forecast {
    color: var(--_muted);
    font-size: 0.875em;
  }
  .forecast {
    margin: 0;
  }
  .bar {
    height: var(--_bar-height);
    border-radius: var(--_bar-height);
    background: var(--_track);
    overflow: hidden;
  }
  .fill {
    height: 100%;
    width: calc(min(var(--_ratio), 1) * 100%);
    border-radius: inherit;
    background: var(--_fill);
    transition: width 0.3s ease;
  }
  [data-status='warning'] .fill {
    background: var(--_fill-warning);
  }
  [data-status='reached'] .fill,
  [data-status='over'] .fill {
    background: var(--_fill-danger);
  }
  .status {
    font-weight: 600;
  }
  [data-status='ok'] .status {
    color: var(--_success);
  }
  [data-status='warning'] .status {
    color: var(--_warning);
  }
  [data-status='reached'] .status,
  [data-status='over'] .status {
    color: var(--_danger);
  }
  [data-status='unlimited'] .status {
    color: var(--_muted);
  }
  /* The boxes of a metric as it renders: name and figures, bar, status line, forecast. */
  .skeleton.line {
    height: 1.45em;
  }
  .skeleton.small {
    height: calc(0.875em * 1.45);
  }
  .skeleton.bar {
    height: var(--_bar-height);
  }
  .empty {
    margin: 0;
    color: var(--_muted);
  }
  @media (prefers-reduced-motion: reduce) {
    .fill {
      transition: none;
    }
  }
  @media (forced-colors: active) {
    .bar {
      border: 1px solid CanvasText;
    }
    .fill {
      background: Highlight;
    }
    [data-status='warning'] .fill,
    [data-status='reached'] .fill,
    [data-status='over'] .fill {
      background: Mark;
    }
  }
`;
