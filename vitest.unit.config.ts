// `npm run test:unit`: the fast tests, for the inner loop (a minute or two, see the README's Test section).
// Left out, and run by `npm test` only: anything that needs the build (dist/, the CLI as a process), spawns
// processes, starts redis (test/queue), uses webgpu/SwiftShader or Chromium (test/e2e, test/electron), or
// trains more than a few steps. A new test file is in the full gate at once; add it here when it is fast.
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const shared = { pool: 'forks' as const, testTimeout: 240_000, hookTimeout: 240_000 };

export const UNIT_NODE = [
  'test/attention/**/*.test.ts',
  'test/losses/**/*.test.ts',
  'test/config/**/*.test.ts',
  'test/data/**/*.test.ts',
  'test/runs/**/*.test.ts',
  'test/study/**/*.test.ts',
  'test/models/**/*.test.ts',
  'test/export/**/*.test.ts',
  'test/backend/poolGradients.test.ts',
  'test/backend/registerGradients.test.ts',
  'test/backend/captureWarnings.test.ts',
  'test/backend/select.test.ts',
  'test/backend/selectCuda.test.ts',
  'test/backend/wasmKernels*.test.ts',
  'test/cli/damagedRuns.test.ts',
  'test/cli/examples.test.ts',
  'test/cli/modelFormats.test.ts',
  'test/cli/progress.test.ts',
  'test/cli/runsDir.test.ts',
  'test/serve/events.test.ts',
  'test/serve/httpClient.test.ts',
  'test/service/directory.test.ts',
  'test/service/preview.test.ts',
  'test/service/report.test.ts',
  'test/train/advice*.test.ts',
  'test/train/schedule.test.ts',
  'test/train/sgd.test.ts',
  'test/train/evaluate.test.ts',
  'test/train/weights.test.ts',
];
// Measured slow (over 10 s each on the 2-core build machine): they train, export or convert whole models.
export const UNIT_NODE_EXCLUDE = ['test/runs/diskFull.test.ts', 'test/runs/runStore.test.ts', 'test/study/studyCli.test.ts',
  'test/export/onnxExport.test.ts', 'test/models/forward.test.ts', 'test/models/onnxTeacher.test.ts', 'test/cli/modelFormats.test.ts',
  'test/service/preview.test.ts'];

export default defineConfig({
  test: {
    maxWorkers: 2,
    reporters: ['default', './test/helpers/summaryReporter.ts'],
    projects: [
      { test: { ...shared, name: 'node-unit', include: UNIT_NODE, exclude: UNIT_NODE_EXCLUDE } },
      {
        plugins: [svelte({ configFile: './renderer/svelte.config.js' })],
        resolve: { conditions: ['browser'] },
        test: { ...shared, name: 'renderer-unit', include: ['test/renderer/**/*.test.ts'], exclude: ['test/renderer/wizard.test.ts'], environment: 'jsdom', setupFiles: ['./test/renderer/setup.ts'] },
      },
    ],
  },
});
