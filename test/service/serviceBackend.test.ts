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
    // TF.js names the backend as soon as setBackend begins, before its asynchronous start finishes: a call
    // must not take the name for a ready backend. The race is forced: wasm's start is held at a gate that
    // opens only after the call has had every chance to run ahead (it would throw "Backend 'wasm' has not
    // yet been initialized" if it did not wait).
    const result = inFreshProcess(`
      const tf = m.tf;
      await s.listRuns(); // the service has started: what follows waits on nothing but the backend
      let open;
      const gate = new Promise((r) => { open = r; });
      const wasm = tf.findBackendFactory('wasm');
      tf.removeBackend('wasm');
      tf.registerBackend('wasm', async () => { await gate; return wasm(); }, 2);
      const starting = tf.setBackend('wasm'); // as a training loop in this process would
      const startingWhenAsked = tf.engine().pendingBackendInit != null;
      const order = [];
      const answer = s.estimateModel({ model: { family: 'wrn', depth: 16, widen: 1 }, inputShape: [32, 32, 3], numClasses: 10 })
        .then((e) => { order.push('answered'); return e.taps.length; }, (err) => { order.push('failed'); return err.code + ': ' + err.message; });
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
      order.push('backend started');
      open();
      const started = await starting;
      console.log(JSON.stringify({ startingWhenAsked, started, taps: await answer, order, backend: tf.getBackend() }));`);
    expect(result).toEqual({ startingWhenAsked: true, started: true, taps: 3, order: ['backend started', 'answered'], backend: 'wasm' });
  });
});
