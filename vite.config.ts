import minifyHtmlLiterals from '@lit-labs/rollup-plugin-minify-html-literals';
import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import { billingApi } from './demo/billing-api-plugin.js';

/**
 * JS minifiers leave template literals alone: Lit's minifier strips the indentation and
 * comments of our html`…` and css`…` templates in the published files.
 */
const minifiedTemplates = minifyHtmlLiterals({ include: ['src/elements/**/*.ts'], failOnError: true }) as unknown as Plugin;

/** Every dependency stays an import, so a host's bundler dedupes Lit and friends. */
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Record<string, Record<string, string>>;
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]
  .map((name) => new RegExp(`^${name}(/|$)`))
  .concat(/^node:/);

/** Browser entry points, one per registration file, plus the Node entry points. */
const entries = {
  index: 'src/index.ts',
  define: 'src/define.ts',
  'billing-provider': 'src/elements/provider/billing-provider.ts',
  'billing-usage-meter': 'src/elements/usage-meter/billing-usage-meter.ts',
  'billing-module-list': 'src/elements/module-list/billing-module-list.ts',
  'billing-plan-picker': 'src/elements/plan-picker/billing-plan-picker.ts',
  'billing-invoice-table': 'src/elements/invoice-table/billing-invoice-table.ts',
  'billing-payment-method': 'src/elements/payment-method/billing-payment-method.ts',
  'billing-subscription': 'src/elements/subscription/billing-subscription.ts',
  'billing-dashboard': 'src/elements/dashboard/billing-dashboard.ts',
  // React components (@lit/react); registers every element.
  react: 'src/react/index.ts',
  client: 'src/client/index.ts',
  server: 'src/server/index.ts',
  handler: 'src/server/handler-entry.ts',
  // The engine conformance suite (node:test); node:* stays external.
  'server-testing': 'src/server/testing/index.ts',
  // The policy helpers engines share (plans, modules, limits, preview tokens); node:crypto stays external.
  'server-policy': 'src/server/policy/index.ts',
  // The Stripe engine; `stripe` (an optional peer) stays an import.
  stripe: 'src/stripe/index.ts',
  // The `billing-elements` command (package.json "bin"): dist/cli.js.
  cli: 'src/cli/index.ts',
};

// Legacy decorators everywhere (TOOLCHAIN.md): Chromium cannot parse standard decorators yet.
const oxc = {
  decorator: { legacy: true },
  assumptions: { setPublicClassFields: true },
  typescript: { removeClassFieldsWithoutInitializer: true },
};

export default defineConfig(({ command }) =>
  command === 'serve'
    ? {
        // `npm start`: the demo page with the reference endpoint mounted in the same process.
        root: 'demo',
        oxc,
        // BILLING_DEMO_DB lets the end-to-end tests run the demo on a database of their own,
        // BILLING_DEMO_NOW pins its clock (tests, screenshots).
        plugins: [billingApi({ dbFile: process.env.BILLING_DEMO_DB ?? '.data/demo.db', now: process.env.BILLING_DEMO_NOW })],
        server: { port: Number(process.env.PORT ?? 5173), host: '127.0.0.1' },
      }
    : {
        oxc,
        publicDir: false,
        plugins: [minifiedTemplates],
        build: {
          outDir: 'dist',
          emptyOutDir: false,
          target: 'es2022',
          minify: false,
          // Maps give stack traces and debuggers the original file, line and name; without
          // the sources' text in them (the repository has it), they were half the package.
          sourcemap: true,
          lib: { entry: entries, formats: ['es'] },
          rolldownOptions: { external, output: { sourcemapExcludeSources: true } },
        },
      },
);
