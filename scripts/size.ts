/**
 * Size budget check (`npm run size`): bundles each browser entry point with everything it
 * imports (Lit, @lit/context, zod/mini included), minifies, gzips, and fails when a budget
 * is exceeded.
 *
 * The gate is DESIGN.md's whole-library budget: everything a page needs for all elements
 * ≤ 30 KiB. Its other target — one element with its provider ≤ 18 KiB — is reported, not
 * enforced: Lit (6.1), @lit/context (1.6) and the validated contract on zod/mini (~9) already
 * take ~17 KiB before any element, so it cannot hold while every response is validated.
 */
import { build, type Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { STYLE_MODULE, minifyCssLiterals } from './minify-css-literals.js';

/** As in the published build (vite.config.ts): styles minified inside their templates. */
const minifiedStyles: Plugin = {
  name: 'minify-css-literals',
  setup(builder) {
    builder.onLoad({ filter: STYLE_MODULE }, async ({ path }) => ({
      contents: minifyCssLiterals(await readFile(path, 'utf8')),
      loader: 'ts',
    }));
  },
};

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
    label: 'define.js (every element, client, store, strings, Lit)',
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

let failed = false;
for (const { label, contents, budget, enforced } of measures) {
  const result = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    legalComments: 'none',
    logLevel: 'error',
    plugins: [minifiedStyles],
  });
  const code = result.outputFiles[0]!.contents;
  const gzip = gzipSync(code, { level: 9 }).length;
  const within = gzip <= budget;
  if (enforced && !within) failed = true;
  const verdict = within ? 'ok  ' : enforced ? 'OVER' : 'note';
  console.log(
    `${verdict} ${label}: ${(gzip / KiB).toFixed(2)} KiB min+gzip (${(code.length / KiB).toFixed(1)} KiB min); ` +
      `budget ${budget / KiB} KiB${enforced ? '' : ' (target, reported only)'}`,
  );
}
if (failed) {
  console.error('size budget exceeded');
  process.exit(1);
}
