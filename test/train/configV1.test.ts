// A run folder written by config version 1 (AT term β/2 · Σ at_loss, one limit for both splits) resumes
// exactly as it started: its config.json is migrated on read (β halved, testLimit = limit) and the run
// reproduces, bit for bit, the same run configured in version 2. cpu backend, WRN-10-1 on 8×8 images
// (the teacher file decides the input size), β decaying linearly so the β scale is exercised too.
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTrainControl, runTraining } from '../../core/train/index.js';
import type { RunHandle } from '../../core/runs/index.js';
import type { RunEvent } from '../../core/events/index.js';
import { collect, currentBackend, teacherFileRuns } from './harness.js';

// Version 2: β 500 in the authors' weighting is version 1's β 1000 (β/2 · Σ); the limit cuts both splits.
const setup = teacherFileRuns({
  attention: { beta: 500, betaDecay: 'linear' },
  data: { limit: 24, testLimit: 24, augment: true }, training: { epochs: 1, batchSize: 8, lr: 0.05 },
});
const runs = setup.runs;

const steps = (events: RunEvent[]) => events.flatMap((e) => (e.type === 'step' ? [[e.epoch, e.step, e.loss, e.parts.ce, e.parts.at]] : []));

describe('a version 1 run folder', () => {
  const evNew = collect();
  const evOld = collect();
  let fresh: RunHandle;
  let old: RunHandle;

  it('the same run in version 2 trains straight through', async () => {
    fresh = await runs.store.create(setup.config);
    const r = await runTraining(fresh, { onEvent: evNew.onEvent, backend: currentBackend() });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe('done');
  });

  it('opens migrated, says so in its log, is cancelled mid-epoch and resumes to the same numbers bit for bit', async () => {
    const made = await runs.store.create(setup.config);
    // Rewrite its config.json as version 1 wrote it: β 1000 (meaning β/2 = 500), one limit for both splits.
    const file = path.join(made.dir, 'config.json');
    const v1 = JSON.parse(readFileSync(file, 'utf8'));
    v1.version = 1;
    v1.attention.beta = 1000;
    delete v1.data.testLimit;
    writeFileSync(file, JSON.stringify(v1, null, 2));

    old = await runs.store.open(made.id);
    expect(old.config.attention.beta).toBe(500);
    expect(old.config.data).toMatchObject({ limit: 24, testLimit: 24 });
    expect(old.configNotes?.[0]).toBe('config version 1 read as version 2');

    const control = createTrainControl();
    const first = await runTraining(old, {
      backend: currentBackend(), control,
      onEvent: (e) => { evOld.onEvent(e); if (e.type === 'step' && e.epoch === 1 && e.step === 2) control.cancel(); },
    });
    expect(first.status).toBe('cancelled');
    const reopened = await runs.store.open(made.id);
    const r = await runTraining(reopened, { onEvent: evOld.onEvent, backend: currentBackend(), resume: true });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe('done');

    const a = steps(evNew.events);
    expect(a).toHaveLength(3);
    expect(steps(evOld.events)).toEqual(a); // every step's loss, CE and AT part identical
    const weights = (run: RunHandle) => readFileSync(path.join(path.dirname(run.modelPath('student')), 'weights.bin'));
    expect(weights(reopened).equals(weights(fresh))).toBe(true);
    const log = readFileSync(path.join(made.dir, 'log.txt'), 'utf8');
    expect(log).toContain('config.json: config version 1 read as version 2');
    expect(log).toMatch(/attention\.beta 1000 .* is 500 in version 2/);
    // The file on disk still says what was written: version 1.
    expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe(1);
  });
});
