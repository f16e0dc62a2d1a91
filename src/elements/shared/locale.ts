/**
 * The locale of an element: its own `lang`, else the closest ancestor with `lang` (crossing
 * shadow roots) or a `<billing-provider locale>`, else the browser's, else English.
 */
export function resolveLocale(element: Element): string {
  let node: Element | null = element;
  while (node) {
    const lang = node.getAttribute('lang') ?? (node.localName === 'billing-provider' ? node.getAttribute('locale') : null);
    if (lang && isLocale(lang)) return lang;
    node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host || null);
  }
  const browser = typeof navigator !== 'undefined' ? navigator.language : '';
  return browser && isLocale(browser) ? browser : 'en';
}

/** Whether Intl accepts `tag`: a page's `lang="en_US"` must not make every formatter throw. */
function isLocale(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}
