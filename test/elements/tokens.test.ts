/**
 * The public theming tokens: every `var(--billing-…)` an element's styles read is documented
 * in docs/elements.md, every token documented there is read by an element, and the ready
 * themes (themes/*.css) and the examples of the documentation set documented tokens only.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const TOKEN = /--billing-[a-z0-9]+(?:-[a-z0-9]+)*/g;

/** Every TypeScript file under `dir`. */
function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** Token → the files that read it with `var(…)`. */
function readTokens(): Map<string, string[]> {
  const tokens = new Map<string, string[]>();
  for (const file of walk('src/elements')) {
    for (const match of readFileSync(file, 'utf8').matchAll(/var\(\s*(--billing-[a-z0-9]+(?:-[a-z0-9]+)*)/g)) {
      const files = tokens.get(match[1]!) ?? [];
      if (!files.includes(file)) files.push(file);
      tokens.set(match[1]!, files);
    }
  }
  return tokens;
}

/** docs/elements.md split into its prose and tables, and its fenced code blocks (examples). */
function docsParts(): { reference: string; examples: string } {
  const reference: string[] = [];
  const examples: string[] = [];
  let inCode = false;
  for (const line of readFileSync('docs/elements.md', 'utf8').split('\n')) {
    if (line.trimStart().startsWith('```')) {
      inCode = !inCode;
      continue;
    }
    (inCode ? examples : reference).push(line);
  }
  return { reference: reference.join('\n'), examples: examples.join('\n') };
}

/** The custom properties and properties a stylesheet sets, comments removed. */
function declaredProperties(css: string): string[] {
  const body = css.replace(/\/\*[\s\S]*?\*\//g, '');
  return [...body.matchAll(/\{([^{}]*)\}/g)].flatMap((block) =>
    block[1]!
      .split(';')
      .map((declaration) => declaration.split(':')[0]!.trim())
      .filter(Boolean),
  );
}

const unique = (text: string) => new Set(text.match(TOKEN) ?? []);
const list = (tokens: Iterable<string>) => [...tokens].sort().map((token) => `  ${token}`).join('\n');

describe('theming tokens', () => {
  const read = readTokens();
  const documented = unique(docsParts().reference);

  it('finds tokens in the sources and in the documentation', () => {
    assert.ok(read.size > 20, `only ${read.size} tokens read in src/elements`);
    assert.ok(documented.size > 20, `only ${documented.size} tokens documented in docs/elements.md`);
  });

  it('documents every token an element reads, and documents no token that no element reads', () => {
    const undocumented = [...read.keys()].filter((token) => !documented.has(token));
    const unread = [...documented].filter((token) => !read.has(token));
    const report = [
      undocumented.length
        ? `Read in src/elements but not documented in docs/elements.md:\n${undocumented
            .sort()
            .map((token) => `  ${token} (${read.get(token)!.join(', ')})`)
            .join('\n')}`
        : '',
      unread.length ? `Documented in docs/elements.md but read by no element:\n${list(unread)}` : '',
    ]
      .filter(Boolean)
      .join('\n');
    assert.equal(report, '', `\n${report}`);
  });

  it('uses documented tokens only in the examples of the documentation', () => {
    const unknown = [...unique(docsParts().examples)].filter((token) => !documented.has(token));
    assert.deepEqual(unknown, [], `Examples in docs/elements.md use undocumented tokens:\n${list(unknown)}`);
  });

  const themes = readdirSync('themes').filter((name) => name.endsWith('.css'));

  it('ships the dark and white-label themes', () => {
    assert.deepEqual(themes.sort(), ['dark.css', 'white-label.css']);
  });

  for (const theme of themes) {
    it(`themes/${theme} sets documented tokens and nothing else`, () => {
      const properties = declaredProperties(readFileSync(join('themes', theme), 'utf8'));
      assert.ok(properties.length > 0, `themes/${theme} sets nothing`);
      const others = properties.filter((property) => !documented.has(property));
      assert.deepEqual(others, [], `themes/${theme} sets what is not a documented token:\n${list(others)}`);
      const repeated = properties.filter((property, index) => properties.indexOf(property) !== index);
      assert.deepEqual(repeated, [], `themes/${theme} sets a token twice:\n${list(repeated)}`);
    });
  }
});
