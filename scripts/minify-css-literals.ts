/**
 * Minifies the CSS inside Lit's css`…` templates of our own style modules. JavaScript
 * minifiers leave template literals alone, so without this every page would download the
 * styles' indentation and comments. Deliberately small: our styles have no interpolations
 * and no strings where whitespace matters.
 */
export function minifyCss(css: string): string {
  return css
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}')
    .trim();
}

export function minifyCssLiterals(source: string): string {
  return source.replace(/\bcss`([^`$]*)`/g, (_, css: string) => `css\`${minifyCss(css)}\``);
}

/** `*.styles.ts` files: the only modules with css`…` templates. */
export const STYLE_MODULE = /\.styles\.ts$/;
