/**
 * A theme file of the package sets its tokens on `:where(:root)`: the same declarations under
 * `selector` instead, to theme one story (or part of a page, as docs/elements.md says).
 */
export const scopedTheme = (css: string, selector: string): string => css.replaceAll(':where(:root)', selector);

/** docs/elements.md's theme of three tokens, each with a light and a dark value, under `.violet`. */
export const THREE_TOKENS_CSS = `.violet {
  --billing-color-accent: light-dark(#6d28d9, #c4b5fd);
  --billing-color-surface: light-dark(#fcfbff, #1c1830);
  --billing-color-text: light-dark(#241a38, #ece8f7);
}`;
