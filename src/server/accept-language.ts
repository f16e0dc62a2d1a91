/**
 * `Accept-Language`, ranked: the languages a reader asked for, best first. The elements send
 * their locale; texts the server writes (problem titles, invoice lines, catalog names, hosted
 * pages) follow the first one it has (CONTRACT.md, "Conventions").
 */

/** `fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5` → `['fr-ch', 'fr', 'en']` (weight 0 and `*` left out). */
export function preferredLanguages(header: string | null): readonly string[] {
  const key = header ?? '';
  let ranked = recent.get(key);
  if (ranked === undefined) {
    // Browsers send a handful of distinct headers: parsed once each, not on every request.
    if (recent.size >= 64) recent.clear();
    ranked = Object.freeze(rank(key));
    recent.set(key, ranked);
  }
  return ranked;
}

const recent = new Map<string, readonly string[]>();

function rank(header: string): string[] {
  return header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.q > 0 && /^[a-z]{1,8}(-[a-z0-9]{1,8})*$/.test(entry.tag))
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .slice(0, 10)
    .map((entry) => entry.tag);
}

/** The first of `languages` whose primary subtag is one of `available`, else `fallback`. */
export function pickLanguage<L extends string>(languages: readonly string[], available: readonly L[], fallback: L): L {
  for (const tag of languages) {
    const language = tag.split('-')[0] as L;
    if (available.includes(language)) return language;
  }
  return fallback;
}
