/**
 * The billing core (src/server/reference/core/) runs in a browser as well as in the engine:
 * it may import the contract, the engine error type and the shared policy helpers' pure rules
 * (src/server/policy/, not its preview tokens, which need `node:crypto`), never a database, a
 * `node:*` module, or anything else of the server.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CORE = join(ROOT, 'src/server/reference/core');
/** What the core may import besides its own files (and what those import in turn). */
const ALLOWED = [join(ROOT, 'src/contract') + '/', join(ROOT, 'src/server/errors.ts'), join(ROOT, 'src/server/policy') + '/'];
const ALLOWED_PACKAGES = new Set(['zod/mini']);

/** Every module specifier of a source file: static and type imports, re-exports, dynamic imports. */
function specifiers(source: string): string[] {
  const found = [...source.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
  found.push(...[...source.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!));
  found.push(...[...source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!));
  found.push(...[...source.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!));
  return found;
}

const toSource = (from: string, specifier: string) => resolve(dirname(from), specifier).replace(/\.js$/, '.ts');

/** The files the core reaches through relative imports, each with the packages it names. */
function reach(): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const queue = readdirSync(CORE)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(CORE, name));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    const named = specifiers(readFileSync(file, 'utf8'));
    seen.set(file, named.filter((s) => !s.startsWith('.')));
    for (const specifier of named.filter((s) => s.startsWith('.'))) queue.push(toSource(file, specifier));
  }
  return seen;
}

describe('billing core: pure, so stories can run it', () => {
  it('imports only its own files, the contract, the engine error type and the shared policy rules', () => {
    for (const [file, packages] of reach()) {
      const where = relative(ROOT, file);
      const inCore = file.startsWith(CORE + '/');
      assert.ok(inCore || ALLOWED.some((allowed) => file === allowed || file.startsWith(allowed)), `${where} is reached from the core`);
      for (const name of packages) {
        assert.ok(!name.startsWith('node:'), `${where} imports ${name}`);
        assert.ok(ALLOWED_PACKAGES.has(name), `${where} imports the package ${name}`);
      }
    }
  });

  it('uses no Node global (Buffer, process, require, __dirname)', () => {
    for (const file of reach().keys()) {
      const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      assert.doesNotMatch(code, /\b(Buffer|process|require|__dirname|__filename)\b/, relative(ROOT, file));
    }
  });

  it('bundles for the browser with nothing left out', async () => {
    const result = await build({
      entryPoints: [join(CORE, 'index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(inputs.some((input) => input.endsWith('core/index.ts')));
    assert.deepEqual(
      inputs.filter((input) => /better-sqlite3|pdf-lib|hono|^node:/.test(input)),
      [],
    );
  });
});
