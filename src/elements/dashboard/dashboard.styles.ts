import { css } from 'lit';

/**
 * Laid out by container queries, not media queries: the dashboard fits the column the host
 * gives it, from a 320 px phone to a wide settings page. The verdicts keep a minimum height
 * while loading, so the sections below do not move when they arrive.
 */
export const dashboardStyles = css`
  :host {
    --_gap: var(--billing-dashboard-gap, calc(var(--_space) * 1.5));
    --_verdict-background: var(--billing-dashboard-verdict-background, var(--_surface));
    --_ok: var(--billing-dashboard-ok, var(--_success));
    --_warn: var(--billing-dashboard-warning, var(--_warning));
    --_bad: var(--billing-dashboard-danger, var(--_danger));
    container-type: inline-size;
  }
  .review {
    margin-bottom: var(--_gap);
  }
  .verdicts {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: var(--_space);
  }
  .verdict {
    min-height: 9rem;
    display: flex;
    flex-direction: column;
    gap: 0.4em;
    padding: var(--_space);
    border: 1px solid var(--_border);
    border-top: 4px solid var(--_ok);
    border-radius: var(--_radius);
    background: var(--_verdict-background);
    min-width: 0;
  }
  .verdict[data-tone='warning'] {
    border-top-color: var(--_warn);
  }
  .verdict[data-tone='danger'] {
    border-top-color: var(--_bad);
  }
  .verdict h3 {
    margin: 0;
    font-size: 0.85em;
    text-transform: uppercase;
    letter-spacing: 0.04em;
    color: var(--_muted);
  }
  .sentence {
    margin: 0;
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .evidence {
    margin: 0;
    padding-inline-start: 1.1em;
    color: var(--_muted);
    font-size: 0.92em;
    overflow-wrap: anywhere;
  }
  .action {
    margin-top: auto;
    padding-top: 0.4em;
  }
  a.button {
    display: inline-block;
    text-decoration: none;
    border-radius: calc(var(--_radius) * 0.75);
    padding: calc(var(--_space) * 0.4) calc(var(--_space) * 0.9);
    background: var(--_accent);
    color: var(--_on-accent);
  }
  .skeleton-verdict {
    border-top-color: var(--_border);
  }
  .skeleton.heading {
    height: 0.9em;
    width: 30%;
  }
  .skeleton.line {
    height: 1.1em;
  }
  .skeleton.line.short {
    width: 60%;
  }
  .support {
    margin: var(--_space) 0 0;
    min-height: 1.45em;
  }
  .skeleton.support-line {
    height: 1.2em;
    width: 16em;
  }
  .sections {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: var(--_gap);
  }
  .section {
    min-width: 0;
  }
  .section h2,
  .heading-placeholder {
    margin: 0 0 calc(var(--_space) * 0.6);
    font-size: 1.15em;
    line-height: 1.45;
    height: 1.45em;
  }
  .heading-placeholder .skeleton {
    height: 100%;
    width: 8em;
  }
  .section h2:focus {
    outline: none;
  }
  @container (min-width: 36rem) {
    .verdicts {
      grid-template-columns: repeat(2, minmax(0, 1fr));
    }
    /* Side by side, cards share their row's height: reserve what a verdict usually takes. */
    .verdict {
      min-height: 15rem;
    }
  }
  @container (min-width: 72rem) {
    .verdicts {
      grid-template-columns: repeat(4, minmax(0, 1fr));
    }
    /* Four narrow columns wrap more: a verdict usually takes this much. */
    .verdict {
      min-height: 19rem;
    }
    .sections {
      grid-template-columns: repeat(2, minmax(0, 1fr));
    }
    .sections {
      align-items: start;
    }
    .section[data-section='plans'],
    .section[data-section='invoices'] {
      grid-column: 1 / -1;
    }
  }
  @media (forced-colors: active) {
    .verdict {
      border-top-color: CanvasText;
    }
  }
`;
