import { defineConfig } from 'vite';

/**
 * Storybook's own Vite config, so the builder does not load the repo's vite.config.ts (demo
 * root, SQLite endpoint plugin, library build). Storybook adds its plugins and `main.ts`
 * `viteFinal` adds the decorator settings.
 */
export default defineConfig({
  build: { target: 'es2022' },
  optimizeDeps: {
    // The web-components renderer imports `lit/directive-helpers.js`, which the dev server
    // does not pre-bundle by itself: it then loads a second copy of lit-html next to the
    // pre-bundled one ("Multiple versions of Lit loaded").
    include: ['lit/directive-helpers.js'],
  },
});
