/**
 * The no-bundler build (`dist/cdn/`): `billing-elements.js`, one self-contained ES module that
 * registers every element, with Lit, @lit/context, @lit/task, ky and zod inside, so a page
 * needs nothing but `<script type="module" src=".../billing-elements.js">` (no import map).
 * The strings of each language stay chunks of their own beside it, loaded on demand from the
 * same directory (their URLs are relative to the module), as the change dialog is.
 * Minified, unlike the main build, since nothing downstream will minify it.
 */
import minifyHtmlLiterals from '@lit-labs/rollup-plugin-minify-html-literals';
import { defineConfig, type Plugin } from 'vite';

const minifiedTemplates = minifyHtmlLiterals({ include: ['src/elements/**/*.ts'], failOnError: true }) as unknown as Plugin;

export default defineConfig({
  // Legacy decorators everywhere (TOOLCHAIN.md), as vite.config.ts.
  oxc: {
    decorator: { legacy: true },
    assumptions: { setPublicClassFields: true },
    typescript: { removeClassFieldsWithoutInitializer: true },
  },
  publicDir: false,
  plugins: [minifiedTemplates],
  build: {
    outDir: 'dist/cdn',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: true,
    lib: { entry: { 'billing-elements': 'src/define.ts' }, formats: ['es'] },
    rolldownOptions: {
      // Nothing external: every import is bundled.
      external: [],
      // What the lazy chunks share with the entry stays in the entry (which exports it to
      // them), rather than in a third chunk the entry would have to import: one file to load.
      preserveEntrySignatures: 'allow-extension',
      // Vite leaves whitespace in lib-mode ES output (for a downstream bundler's tree
      // shaking); a file loaded as it is gets fully minified.
      // Maps without the sources' text, as the main build's (vite.config.ts).
      output: { minify: true, sourcemapExcludeSources: true },
    },
  },
});
