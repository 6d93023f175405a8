// ESLint (flat config): recommended rules, a few type-aware rules that catch real bugs in an async engine,
// and the import boundaries of the README's architecture, so a layer that reaches into another fails `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import svelte from 'eslint-plugin-svelte';
import svelteConfig from './renderer/svelte.config.js';
import { adapterBoundaries, coreBoundaries, rendererBoundaries } from './eslint.boundaries.js';

export default tseslint.config(
  { ignores: ['dist/**', 'renderer/dist/**', 'node_modules/**', 'release/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'], svelteConfig } },
    rules: {
      'no-undef': 'off', // svelte-check knows the DOM's globals; ESLint's scope analysis does not
      // Local Sets/Maps here are bookkeeping that must not be reactive; keys and `{' '}` are style.
      'svelte/prefer-svelte-reactivity': 'off',
      'svelte/require-each-key': 'off',
      'svelte/no-useless-mustaches': 'off',
    },
  },
  {
    files: ['**/*.ts', '**/*.cts', '**/*.svelte'],
    rules: {
      // The code base uses `any` deliberately at TF.js seams and in test fakes; unused names are the noise worth catching.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Type-aware rules for the engine and its adapters: a promise nobody awaits loses its error (a write that
    // failed, a run that never reports), and awaiting a non-promise hides a missing call.
    files: ['core/**/*.ts', 'cli/**/*.ts', 'serve/**/*.ts', 'electron/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    // The same for the tests (a test that drops a promise can pass without checking anything), each under
    // the tsconfig that type-checks it.
    files: ['test/**/*.ts'],
    ignores: ['test/renderer/**'],
    languageOptions: { parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error', '@typescript-eslint/await-thenable': 'error' },
  },
  {
    files: ['test/renderer/**/*.ts'],
    languageOptions: { parserOptions: { project: './renderer/tsconfig.test.json', tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error', '@typescript-eslint/await-thenable': 'error' },
  },
  {
    // Electron loads a sandboxed preload as CommonJS: require('electron') is the only way in.
    files: ['**/*.cts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['scripts/**/*.mjs', 'eslint.*.js', '**/vite.config.ts', 'vitest.config.ts'],
    languageOptions: { globals: globals.node },
  },
  ...coreBoundaries,
  ...adapterBoundaries,
  ...rendererBoundaries,
);
