import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const shared = { pool: 'forks' as const, testTimeout: 240_000, hookTimeout: 240_000 };

export default defineConfig({
  test: {
    maxWorkers: 2,
    reporters: ['default', './test/helpers/summaryReporter.ts'],
    projects: [
      // Engine, CLI, service, serve mode, Electron shell, and the end-to-end UI test (test/e2e).
      { test: { ...shared, name: 'node', include: ['test/**/*.test.ts'], exclude: ['test/renderer/**'] } },
      // Svelte components in jsdom (the renderer's own code, through the same Vite plugin as its build).
      {
        plugins: [svelte({ configFile: './renderer/svelte.config.js' })],
        resolve: { conditions: ['browser'] },
        test: { ...shared, name: 'renderer', include: ['test/renderer/**/*.test.ts'], environment: 'jsdom', setupFiles: ['./test/renderer/setup.ts'] },
      },
    ],
  },
});
