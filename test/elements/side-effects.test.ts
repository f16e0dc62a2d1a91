/**
 * `package.json` `sideEffects` names the registration files and nothing else: a host's
 * bundler keeps them when imported for their effect, and may drop any other module it does
 * not use (the controllers, the context, the strings).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { sideEffects: string[] };

/** Every TypeScript file under `dir`. */
function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** `./src/elements/*\/billing-*.ts` as a regular expression (`*` never crosses a `/`). */
const pattern = (glob: string) =>
  new RegExp(`^${glob.replace(/^\.\//, '').replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);

describe('package.json sideEffects', () => {
  const globs = pkg.sideEffects.filter((glob) => glob.startsWith('./src/')).map(pattern);
  const files = walk('src');
  const flagged = files.filter((file) => globs.some((glob) => glob.test(file)));
  const registering = files.filter((file) => /customElements\.define\(|^import '\.\/elements\//m.test(readFileSync(file, 'utf8')));

  it('flags exactly the files that register elements', () => {
    assert.deepEqual(flagged.sort(), registering.sort());
    assert.ok(flagged.length >= 9, `only ${flagged.length} files flagged`);
  });
});

describe('the package index', () => {
  it('imports no registration file, directly or through the classes it exports', () => {
    const seen = new Set<string>();
    const registrations: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, 'utf8');
      if (/customElements\.define\(/.test(source)) registrations.push(file);
      for (const [, spec] of source.matchAll(/^(?:import|export)[^'"]*['"](\.[^'"]+)['"]/gm)) {
        visit(join(file, '..', spec!.replace(/\.js$/, '.ts')));
      }
    };
    visit('src/index.ts');
    assert.deepEqual(registrations, []);
  });
});
