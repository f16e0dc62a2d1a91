/**
 * Size budget check (`npm run size`): bundles each browser entry point with everything it
 * imports (Lit, zod/mini, ky included), minifies, gzips, and fails when a budget of
 * DESIGN.md is exceeded.
 */
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';

const KiB = 1024;
const budgets: { entry: string; label: string; max: number }[] = [
  { entry: 'src/define.ts', label: 'define.js (every element, client, store, strings, Lit)', max: 30 * KiB },
  { entry: 'src/elements/usage-meter/billing-usage-meter.ts', label: 'usage meter + provider', max: 18 * KiB },
  { entry: 'src/client/index.ts', label: 'client.js (client + contract schemas)', max: 16 * KiB },
];
// One element alone is measured with the provider, as a host would load them.
const withProvider = new Set(['src/elements/usage-meter/billing-usage-meter.ts']);

let failed = false;
for (const { entry, label, max } of budgets) {
  const contents = withProvider.has(entry)
    ? `import './${entry}'; import './src/elements/provider/billing-provider.ts';`
    : `import './${entry}';`;
  const result = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    legalComments: 'none',
    logLevel: 'error',
  });
  const code = result.outputFiles[0]!.contents;
  const gzip = gzipSync(code, { level: 9 }).length;
  const ok = gzip <= max;
  failed ||= !ok;
  console.log(
    `${ok ? 'ok  ' : 'OVER'} ${label}: ${(gzip / KiB).toFixed(2)} KiB min+gzip (${(code.length / KiB).toFixed(1)} KiB min), budget ${max / KiB} KiB`,
  );
}
if (failed) {
  console.error('size budget exceeded');
  process.exit(1);
}
