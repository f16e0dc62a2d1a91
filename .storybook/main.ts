import type { StorybookConfig } from '@storybook/web-components-vite';
import { mergeConfig } from 'vite';

const config: StorybookConfig = {
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.ts'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y', '@storybook/addon-vitest'],
  framework: {
    name: '@storybook/web-components-vite',
    options: {
      builder: {
        // Not the repo's vite.config.ts: for `serve` it roots Vite in demo/ and mounts the
        // reference endpoint on a SQLite file, neither of which a static Storybook wants.
        // The path is relative to the working directory (npm scripts run from the repo root).
        viteConfigPath: '.storybook/vite.config.ts',
      },
    },
  },
  core: {
    disableTelemetry: true,
  },
  viteFinal: (config) =>
    mergeConfig(config, {
      // Legacy decorators everywhere (TOOLCHAIN.md): Vite 8 (Oxc) leaves standard decorators
      // untransformed and Chromium cannot parse them; the tsconfig settings alone only reach
      // the files the tsconfig includes.
      oxc: {
        decorator: { legacy: true },
        assumptions: { setPublicClassFields: true },
        typescript: { removeClassFieldsWithoutInitializer: true },
      },
    }),
};

export default config;
