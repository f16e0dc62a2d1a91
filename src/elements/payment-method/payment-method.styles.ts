import { css } from 'lit';

export const paymentMethodStyles = css`
  :host {
    --_card-bg: var(--billing-payment-method-card-background, var(--_subtle));
  }
  .method {
    display: flex;
    align-items: center;
    gap: var(--_space);
    padding: var(--_space);
    border-radius: var(--_radius);
    background: var(--_card-bg);
  }
  /*
   * A card-shaped badge (about 1.59:1) with the brand's mark, at most four characters (see
   * brandMark): wide enough for the widest, AMEX, so every badge of a list has the same width
   * and the names line up; wider rather than cut if a mark ever needs more room (wide glyphs,
   * another font); the text never wraps or overflows.
   */
  .brand {
    flex: none;
    display: grid;
    place-items: center;
    box-sizing: border-box;
    min-inline-size: 4.4em;
    inline-size: max-content;
    block-size: 2.8em;
    padding-inline: 0.35em;
    border-radius: 0.35em;
    border: 1px solid var(--_border);
    background: var(--_surface);
    font-size: 0.75em;
    font-weight: 700;
    line-height: 1;
    letter-spacing: 0.02em;
    white-space: nowrap;
  }
  .method p {
    margin: 0;
  }
  .label {
    font-weight: 600;
  }
  .expiry {
    color: var(--_muted);
    font-size: 0.9em;
  }
  .badge {
    font-size: 0.75em;
    font-weight: 600;
    padding: 0.1em 0.5em;
    margin-inline-start: 0.5em;
    border-radius: 999px;
    background: var(--_surface);
    color: var(--_success);
  }
  [data-expiry='expired'] .expiry {
    color: var(--_danger);
    font-weight: 600;
  }
  [data-expiry='soon'] .expiry {
    color: var(--_warning);
    font-weight: 600;
  }
  .warning {
    margin: var(--_space) 0 0;
    padding: 0.6em 0.9em;
    border-radius: calc(var(--_radius) * 0.75);
    border-inline-start: 4px solid var(--_warning);
    background: var(--_subtle);
  }
  .warning[data-expiry='expired'] {
    border-color: var(--_danger);
  }
  /* The last payment failed: the subscription is at risk, whatever the card's expiry. */
  .warning[data-status='past_due'] {
    border-color: var(--_danger);
    background: color-mix(in srgb, var(--_danger) 9%, var(--_surface));
    font-weight: 600;
  }
  .update {
    margin-top: var(--_space);
  }
  h3 {
    font-size: 0.95em;
    margin: calc(var(--_space) * 1.5) 0 0.5em;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.5em;
  }
  ul .method {
    background: transparent;
    border: 1px solid var(--_border);
    padding: 0.6em var(--_space);
  }
  /* Brand and name stay together; the actions (and the question before a removal) go below when there is no room. */
  ul .method {
    flex-wrap: wrap;
  }
  .details {
    flex: 1 1 10em;
    min-inline-size: 0;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
    margin-inline-start: auto;
  }
  button.danger {
    border-color: var(--_danger);
    background: var(--_danger);
    color: var(--_on-accent);
  }
  button.secondary.danger {
    background: transparent;
    color: var(--_danger);
  }
  /* The question before a removal, on its own line inside the method's box. */
  .confirm {
    flex-basis: 100%;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: flex-end;
    gap: 0.5em;
    padding-top: 0.5em;
    border-top: 1px solid var(--_border);
  }
  .confirm p {
    margin: 0;
    margin-inline-end: auto;
    font-weight: 600;
  }
  .skeleton.method {
    height: 4.2em;
  }
  .empty {
    margin: 0;
    color: var(--_muted);
  }
`;
