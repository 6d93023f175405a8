// A run that chains the two phases on real data (Fashion-MNIST subset, wasm): the teacher is trained from
// scratch with the same loop, then a student learns from it by attention transfer.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backend.js';
import { tf } from '../../core/tf.js';
import { runTraining, type RunResult } from '../../core/train/index.js';
import { evaluate, readModelMeta } from '../../core/eval/index.js';
import type { RunHandle } from '../../core/runs/index.js';
import { collect, currentBackend, FASHION_DIR, tempRuns, tinyConfig } from './harness.js';

const runs = tempRuns();
const ev = collect();
const tensorsAt: { type: string; phase: string; n: number }[] = [];
let run: RunHandle;
let result: RunResult;
let seconds = 0;

beforeAll(async () => {
  await useBackend('wasm');
  run = await runs.store.create(tinyConfig({
    method: 'at',
    teacher: { source: 'train', model: { family: 'wrn', depth: 10, widen: 1 }, training: { epochs: 3 } },
    data: { limit: 512 },
    training: { epochs: 2, batchSize: 32, lr: 0.1 },
  }));
  const t0 = performance.now();
  result = await runTraining(run, {
    backend: currentBackend(),
    onEvent: (e) => {
      ev.onEvent(e);
      if (e.type === 'step' || e.type === 'epoch') tensorsAt.push({ type: e.type, phase: e.phase, n: tf.memory().numTensors });
    },
  });
  seconds = (performance.now() - t0) / 1000;
  const steps = ev.of('step');
  const ips = (phase: string) => steps.filter((s) => s.phase === phase && s.step > 1).map((s) => s.imagesPerSec);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`teacher+AT run: ${seconds.toFixed(1)} s; median images/s teacher ${median(ips('teacher')).toFixed(0)}, AT student ${median(ips('student')).toFixed(0)} (wasm, WRN-10-1, 28×28, batch 32)`);
});
afterAll(() => runs.cleanup());

describe('teacher trained in the run, then an AT student', () => {
  it('finishes', () => {
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('done');
  });

  it('trains the teacher well above chance (10 classes)', () => {
    const epochs = ev.of('epoch').filter((e) => e.phase === 'teacher');
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    console.log('student', ev.of('epoch').filter((e) => e.phase === 'student').map((e) => [e.test.top1, e.test.agreement, e.train])); console.log('teacher test top-1 per epoch', epochs.map((e) => e.test.top1));
    expect(epochs[2].test.top1).toBeGreaterThan(0.4);
    expect(result.teacher?.last?.top1).toBe(epochs[2].test.top1);
  });

  it('makes the AT loss fall while the student learns', () => {
    const steps = ev.of('step').filter((s) => s.phase === 'student');
    expect(steps).toHaveLength(32);
    for (const s of steps) {
      expect(s.parts.atPerPair).toHaveLength(3);
      expect(s.parts.at).toBeCloseTo(s.parts.atPerPair!.reduce((a, b) => a + b), 6);
      // total = CE + β · Σ at (β = 1000): the authors' code, `+ opt.beta * sum(loss_groups)` (cifar.py:223).
      expect(s.loss).toBeCloseTo(s.parts.ce + 1000 * s.parts.at!, 3);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b) / xs.length;
    const first = mean(steps.slice(0, 3).map((s) => s.parts.at!));
    const last = mean(steps.slice(-3).map((s) => s.parts.at!));
    console.log(`AT loss: first 3 steps ${first.toExponential(3)}, last 3 steps ${last.toExponential(3)}`);
    expect(last).toBeLessThan(first * 0.7);
    const epochs = ev.of('epoch').filter((e) => e.phase === 'student');
    expect(epochs[1].test.top1).toBeGreaterThan(0.2);
    expect(epochs[1].test.agreement).toBeGreaterThan(0);
  });

  it('keeps tf.memory().numTensors flat across steps and epochs of each phase', () => {
    for (const phase of ['teacher', 'student']) {
      const counts = tensorsAt.filter((t) => t.phase === phase).map((t) => t.n);
      expect(counts.length).toBeGreaterThan(10);
      expect(new Set(counts).size).toBe(1);
    }
  });

  it('emits started first, done last, and per epoch: epoch, attention, checkpoint', () => {
    const types = ev.events.map((e) => e.type);
    expect(types[0]).toBe('started');
    expect(types[types.length - 1]).toBe('done');
    const afterSteps = types.filter((t) => t !== 'step' && t !== 'log' && t !== 'status').slice(1, -1);
    // 5 epochs; the checkpoint events: latest always, best when top-1 improved.
    const grouped = afterSteps.join(' ').split('epoch ').filter(Boolean).map((g) => g.trim());
    expect(grouped).toHaveLength(5);
    for (const g of grouped) expect(g).toMatch(/^attention checkpoint( checkpoint)?$/);
  });

  it('writes the run folder: status, metrics without duplicates, snapshots, probes, models, environment', async () => {
    const status = await run.readStatus();
    expect(status.status).toBe('done');
    expect(status.results.student?.last?.epoch).toBe(2);
    const metrics = await run.readMetrics();
    const epochLines = metrics.filter((m) => m.kind === 'epoch').map((m) => `${m.phase}:${(m as { epoch: number }).epoch}`);
    expect(epochLines).toEqual(['teacher:1', 'teacher:2', 'teacher:3', 'student:1', 'student:2']);
    const snaps = await run.readSnapshots('student');
    expect(snaps.map((s) => s.epoch)).toEqual([1, 2]);
    expect(snaps[0].pairs).toHaveLength(3 * 2); // 3 hint pairs × 2 probes
    for (const p of snaps[0].pairs) {
      expect(p.studentMap).toHaveLength(p.h * p.w);
      expect(p.teacherMap).toHaveLength(p.h * p.w);
      expect(Math.hypot(...p.studentMap)).toBeCloseTo(1, 3);
    }
    expect(snaps[0].pairs.map((p) => p.h)).toEqual([28, 28, 14, 14, 7, 7]);
    expect((await run.readSnapshots('teacher')).map((s) => s.epoch)).toEqual([1, 2, 3]);
    const probes = await run.readProbes();
    expect(probes?.indices).toEqual([0, 1]);
    expect(probes?.pngs).toHaveLength(2);
    expect(existsSync(run.modelPath('teacher'))).toBe(true);
    expect(await run.hasCheckpoint('best')).toBe(true);
    const env = (await run.readEnvironment()) as { backend: { name: string }; student: Record<string, unknown> };
    expect(env.backend.name).toBe('wasm');
    expect(env.student.params).toBe(result.final!.params);
    expect(env.student.latencyMs).toBe(result.final!.latencyMs);
    const log = await run.readLog();
    expect(log).toMatch(/teacher WRN-10-1 trained/);
  });

  it('reports parameters, multiply-adds, file size and latency of the student', () => {
    const f = result.final!;
    const latency = f.latency!;
    expect(f.params).toBeGreaterThan(f.trainableParams);
    expect(f.multiplyAdds).toBeGreaterThan(1e6);
    expect(f.fileBytes).toBe(f.params * 4);
    expect(latency.backend).toBe('wasm');
    expect(latency.batch1MsPerImage).toBeGreaterThan(0);
    expect(latency.batch64MsPerImage).toBeGreaterThan(0);
    console.log(`student: ${f.params} params, ${f.multiplyAdds} multiply-adds, ${f.fileBytes} bytes, ${latency.batch1MsPerImage.toFixed(3)} / ${latency.batch64MsPerImage.toFixed(3)} ms per image at batch 1 / 64`);
  });

  it('exports a student whose saved file evaluates to the last epoch\'s test accuracy', async () => {
    const meta = await readModelMeta(path.dirname(result.modelPath!));
    expect(meta?.normalization.mean).toHaveLength(1);
    const r = await evaluate({ modelPath: result.modelPath!, dataPath: FASHION_DIR, limit: 512 });
    const last = ev.of('epoch').filter((e) => e.phase === 'student')[1];
    expect(r.top1).toBe(last.test.top1);
    expect(r.loss).toBeCloseTo(last.test.loss, 5);
  });
});
