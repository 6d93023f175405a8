// The service builds models in its own process even when runs train in another one (serve mode,
// Electron): a fresh process with no backend initialised must still answer estimateModel.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

describe('service in a fresh process', () => {
  it('initialises a TF.js backend before building a model for an estimate', () => {
    const runsDir = mkdtempSync(path.join(tmpdir(), 'ats-svc-backend-'));
    try {
      const script = `
        const m = await import(${JSON.stringify(path.resolve('dist/core/index.js'))});
        const s = m.createService({ runsDir: ${JSON.stringify(runsDir)}, engine: m.childProcessEngine() });
        const e = await s.estimateModel({ model: { family: 'wrn', depth: 16, widen: 1 }, inputShape: [32, 32, 3], numClasses: 10 });
        console.log(JSON.stringify({ params: e.trainableParams, taps: e.taps.length, backend: m.tf.getBackend() }));
        await s.close();`;
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, ATSTUDIO_BACKEND: '' }, timeout: 60_000 });
      const result = JSON.parse(out.trim().split('\n').pop()!);
      expect(result).toEqual({ params: 175_066, taps: 3, backend: 'wasm' });
    } finally {
      rmSync(runsDir, { recursive: true, force: true });
    }
  });
});
