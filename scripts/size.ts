/**
 * Size budget check (`npm run size`): bundles each browser entry point with everything it
 * imports (Lit, @lit/context, ky, zod/mini included), minifies, gzips, and fails when a
 * figure is over its ceiling. A page downloads, before its first paint, the entry's code and
 * the strings of one language (each language is its own chunk, loaded on demand): that is
 * what is counted. The change dialog, loaded when a change is first opened, is reported apart.
 *
 * DESIGN.md's budgets (`target`) are 36 KiB for everything, 26 KiB for one element with its
 * provider, 14 KiB for the client. Two figures have no budget of their own and are held to the
 * one reached: the React components (`billing-elements/react`, React itself left out, as the
 * host has it), and the no-bundler file `dist/cdn/billing-elements.js` as Vite builds it. Where a figure is over its budget, the ceiling is the
 * figure reached, so nothing grows unnoticed; once a budget is met, it becomes the ceiling.
 * docs/size.md has the breakdown and the ways down.
 */
import { build, type Metafile, type Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import type { RolldownOutput } from 'rolldown';
import { build as viteBuild } from 'vite';
import { minifyHTMLLiterals } from '@lit-labs/rollup-plugin-minify-html-literals/lib/minify-html-literals.js';

const KiB = 1024;
/** The figure reached by `dist/cdn/billing-elements.js`, 48.78 KiB, plus a little. */
const CDN_CEILING = 49.1 * KiB;
interface Measure {
  label: string;
  /** Module source importing what a host would import. */
  contents: string;
  /** DESIGN.md's target, reported (none for figures without a budget). */
  target?: number;
  /** Left out of the figure: what the host already has (React for the React components). */
  external?: string[];
  /** Fails the check. */
  ceiling: number;
}
const measures: Measure[] = [
  {
    label: 'define.js (every element, client, store, one language, Lit)',
    contents: `import './src/define.ts';`,
    target: 36 * KiB,
    // The figure reached with the dashboard, the summary and the client on ky (docs/size.md).
    ceiling: 50.4 * KiB,
  },
  {
    label: 'billing-usage-meter.js + billing-provider.js',
    contents: `import './src/elements/usage-meter/billing-usage-meter.ts'; import './src/elements/provider/billing-provider.ts';`,
    target: 26 * KiB,
    // The figure reached with the client on ky and the strings of the monthly review (docs/size.md).
    ceiling: 32.2 * KiB,
  },
  {
    label: 'client.js (client, errors, response schemas)',
    contents: `export * from './src/client/index.ts';`,
    target: 14 * KiB,
    // The figure with the client on ky 1.14 (14,956 B, of which ky ~4.4 KiB), over DESIGN.md’s
    // 14 KiB: fails above it until the budget is met, then above the budget.
    ceiling: 14.61 * KiB,
  },
  {
    label: 'react.js (the React components: every element, @lit/react; React left out)',
    contents: `export * from './src/react/index.ts';`,
    external: ['react', 'react-dom'],
    // The figure reached, 51.07 KiB (define.js's + 0.72 KiB for @lit/react and the components), plus a little.
    ceiling: 51.3 * KiB,
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

/**
 * Gzipped bytes a page downloads before its first paint: the entry chunk, its static imports,
 * and the largest language chunk (each language is loaded on demand, one per page). Other
 * lazy chunks (the change dialog) load on first use and are not counted; they are reported.
 */
function pageBytes(metafile: Metafile, files: Map<string, Uint8Array>): { total: number; lazy: number; onUse: number } {
  const outputs = metafile.outputs;
  const gz = (path: string) => gzipSync(files.get(path)!, { level: 9 }).length;
  const entryPath = Object.keys(outputs).find((path) => outputs[path]!.entryPoint)!;
  const statics = new Set<string>();
  const lazy = new Set<string>();
  const visit = (path: string) => {
    if (statics.has(path)) return;
    statics.add(path);
    for (const imported of outputs[path]!.imports) {
      if (imported.external) continue; // React, for the React components: the host's.
      if (imported.kind === 'import-statement') visit(imported.path);
      else if (imported.kind === 'dynamic-import') lazy.add(imported.path);
    }
  };
  visit(entryPath);
  const chunks = [...lazy].filter((path) => !statics.has(path));
  const isStrings = (path: string) => Object.keys(outputs[path]!.inputs).some((input) => input.startsWith('src/i18n/'));
  const strings = Math.max(0, ...chunks.filter(isStrings).map(gz));
  const onUse = chunks.filter((path) => !isStrings(path)).reduce((sum, path) => sum + gz(path), 0);
  return { total: [...statics].reduce((sum, path) => sum + gz(path), 0) + strings, lazy: strings, onUse };
}

let failed = false;
for (const { label, contents, target, ceiling, external = [] } of measures) {
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
    external,
    plugins: [entry(contents), minifiedTemplates],
  });
  const files = new Map(result.outputFiles.map((file) => [file.path.slice(process.cwd().length + 1), file.contents]));
  report(label, pageBytes(result.metafile, files), target, ceiling);
}

function report(label: string, { total, lazy, onUse }: { total: number; lazy: number; onUse: number }, target: number | undefined, ceiling: number) {
  const overCeiling = total > ceiling;
  if (overCeiling) failed = true;
  const verdict = overCeiling ? 'FAIL' : target === undefined || total <= target ? 'ok  ' : 'over target';
  console.log(
    `${verdict} ${label}: ${(total / KiB).toFixed(2)} KiB min+gzip` +
      `${lazy ? ` (of which strings ${(lazy / KiB).toFixed(2)})` : ''}; ${target === undefined ? 'no target' : `target ${target / KiB} KiB`}, ceiling ${ceiling / KiB} KiB` +
      `${onUse ? `; ${(onUse / KiB).toFixed(2)} KiB more on first use (change dialog)` : ''}`,
  );
}

/**
 * The no-bundler file as the package ships it (vite.cdn.config.ts, built here in memory): the
 * entry (Lit, zod and the rest inside) and the largest strings chunk beside it.
 */
{
  const output = (await viteBuild({
    configFile: 'vite.cdn.config.ts',
    logLevel: 'silent',
    build: { write: false, sourcemap: false },
  })) as RolldownOutput | RolldownOutput[];
  const chunks = (Array.isArray(output) ? output : [output]).flatMap((each) => each.output).filter((file) => file.type === 'chunk');
  const gz = (code: string) => gzipSync(code, { level: 9 }).length;
  const main = chunks.find((chunk) => chunk.isEntry)!;
  const lazy = chunks.filter((chunk) => !chunk.isEntry);
  const isStrings = (chunk: (typeof chunks)[number]) => chunk.moduleIds.some((id) => id.includes('/src/i18n/'));
  const strings = Math.max(0, ...lazy.filter(isStrings).map((chunk) => gz(chunk.code)));
  const onUse = lazy.filter((chunk) => !isStrings(chunk)).reduce((sum, chunk) => sum + gz(chunk.code), 0);
  report(
    `dist/cdn/${main.fileName} (no bundler: everything inside, one language beside it)`,
    { total: gz(main.code) + strings, lazy: strings, onUse },
    undefined,
    CDN_CEILING,
  );
}
if (failed) {
  console.error('size ceiling exceeded: see docs/size.md');
  process.exit(1);
}
