// The service builds models in its own process even when runs train in another one (serve mode,
// Electron): a fresh process with no backend initialised must still answer estimateModel.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Runs `body` in a fresh Node process with `m` (the built core) and `s` (a service on a temporary runs
 * folder) in scope; returns the JSON of the last line it prints.
 */
function inFreshProcess(body: string): Record<string, unknown> {
  const runsDir = mkdtempSync(path.join(tmpdir(), 'ats-svc-backend-'));
  try {
    const script = `
      const m = await import(${JSON.stringify(path.resolve('dist/core/index.js'))});
      const s = m.createService({ runsDir: ${JSON.stringify(runsDir)}, engine: m.childProcessEngine() });
      ${body}
      await s.close();`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, ATSTUDIO_BACKEND: '' }, timeout: 60_000 });
    return JSON.parse(out.trim().split('\n').pop()!);
  } finally {
    rmSync(runsDir, { recursive: true, force: true });
  }
}

describe('service in a fresh process', () => {
  it('initialises a TF.js backend before building a model for an estimate', () => {
    const result = inFreshProcess(`
      const e = await s.estimateModel({ model: { family: 'wrn', depth: 16, widen: 1 }, inputShape: [32, 32, 3], numClasses: 10 });
      console.log(JSON.stringify({ params: e.trainableParams, taps: e.taps.length, backend: m.tf.getBackend() }));`);
    expect(result).toEqual({ params: 175_066, taps: 3, backend: 'wasm' });
  });

  it('makes a call that arrives while the backend is still starting wait for it (found by the e2e test under load)', () => {
    // TF.js names the backend as soon as setBackend begins, before its asynchronous start finishes: a
    // second call must not take the name for a ready backend.
    const result = inFreshProcess(`
      const ask = (depth) => s.estimateModel({ model: { family: 'wrn', depth, widen: 1 }, inputShape: [32, 32, 3], numClasses: 10 })
        .then((e) => e.taps.length, (err) => err.code + ': ' + err.message);
      const first = ask(16);
      let polls = 0;
      while (!m.tf.engine().backendName && polls++ < 100000) await new Promise((r) => setImmediate(r));
      const startingWhenAsked = m.tf.engine().pendingBackendInit != null;
      const second = await ask(10);
      console.log(JSON.stringify({ startingWhenAsked, first: await first, second }));`);
    if (!result.startingWhenAsked) console.log('[serviceBackend] the backend had finished starting before the second call; the race was not exercised this time');
    expect({ first: result.first, second: result.second }).toEqual({ first: 3, second: 3 });
  });
});
