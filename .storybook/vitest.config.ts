import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { playwright } from '@vitest/browser-playwright';
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import CountsReporter from './counts-reporter.js';
import storybookViteConfig from './vite.config.js';
import { chromiumLaunchOptions } from '../test/support/chromium.js';

/**
 * Runs every story as a test in headless Chromium (`npm run test:stories`): each story must
 * render without an error, its play function must pass, and the a11y addon's axe check must
 * find no violation (`parameters.a11y.test` in preview.ts). Debian's Chromium, launched with
 * the flags every browser test of the package uses; `CHROMIUM_PATH` points elsewhere. On top
 * of Storybook's own Vite config (one copy of Lit: see its `optimizeDeps`).
 */
export default mergeConfig(
  storybookViteConfig,
  defineConfig({
    plugins: [storybookTest({ configDir: fileURLToPath(new URL('.', import.meta.url)) })],
    test: {
      name: 'storybook',
      reporters: ['default', new CountsReporter()],
      browser: {
        enabled: true,
        headless: true,
        provider: playwright({
          launchOptions: {
            executablePath: chromiumLaunchOptions.executablePath,
            args: ['--headless=new', ...chromiumLaunchOptions.args],
          },
        }),
        instances: [{ browser: 'chromium' }],
        // The stories' own widths (a settings page's column, the dashboard's 80rem).
        viewport: { width: 1280, height: 900 },
        screenshotFailures: false,
      },
    },
  }),
);
