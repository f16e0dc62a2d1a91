// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import litA11y from 'eslint-plugin-lit-a11y';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'storybook-static/', 'coverage/', '.data/', '.probe/', '.tmp/', 'node_modules/', 'custom-elements.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  {
    files: ['src/elements/**/*.ts', 'stories/**/*.ts', 'demo/**/*.ts'],
    ...lit.configs['flat/recommended'],
  },
  {
    files: ['src/elements/**/*.ts'],
    ...wc.configs['flat/recommended'],
  },
  {
    files: ['src/elements/**/*.ts', 'stories/**/*.ts', 'demo/**/*.ts'],
    ...litA11y.configs.recommended,
  },
  {
    files: ['src/elements/**/*.ts'],
    rules: {
      // Elements are registered in their own billing-*.ts file, never next to the class.
      'wc/define-tag-after-class-definition': 'off',
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Browser code takes values from the response-side contract files only: the request
    // schemas (requests.ts, also re-exported by index.ts) are for the server.
    files: ['src/client/**/*.ts', 'src/store/**/*.ts', 'src/elements/**/*.ts', 'src/i18n/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/contract/index.js', '**/contract/requests.js'], allowTypeImports: true }] },
      ],
    },
  },
  {
    // Layers only import downwards (DESIGN.md): contract ← client ← store ← elements;
    // contract ← server ← stripe; the command-line tool (cli) on top of server and stripe.
    files: ['src/contract/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['../client/*', '../store/*', '../elements/*', '../server/*', '../i18n/*', '../stripe/*', '../cli/*'] }] },
  },
  {
    files: ['src/client/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['../store/*', '../elements/*', '../server/*', '../i18n/*', '../stripe/*', '../cli/*'] }] },
  },
  {
    files: ['src/store/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['../elements/*', '../server/*', '../i18n/*', '../stripe/*', '../cli/*'] }] },
  },
  {
    files: ['src/elements/**/*.ts', 'src/i18n/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/server/*', '**/stripe/*', '**/cli/*'] }] },
  },
  {
    files: ['src/server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['../client/*', '../store/*', '../elements/*', '../i18n/*', '../../client/*', '../../store/*', '../../elements/*', '**/stripe/*', '**/cli/*'] },
      ],
    },
  },
  {
    // The Stripe engine builds on the server (its BillingEngine, policy, errors), never on the command-line tool.
    files: ['src/stripe/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['../client/*', '../store/*', '../elements/*', '../i18n/*', '../../client/*', '../../store/*', '../../elements/*', '../../i18n/*', '**/cli/*'] },
      ],
    },
  },
  {
    // The command-line tool: the top of the Node side, over server, stripe and contract.
    files: ['src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['../client/*', '../store/*', '../elements/*', '../i18n/*'] }] },
  },
  {
    // The billing core runs in the browser too (Storybook's endpoint): no Node, no database,
    // nothing of the engine around it (test/server/core.test.ts checks the whole graph).
    files: ['src/server/reference/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['node:*', 'better-sqlite3', 'hono', '@hono/*', 'pdf-lib', '../*.js', '!../../../contract/*', '../../*.js', '!../../errors.js'] },
      ],
    },
  },
);
