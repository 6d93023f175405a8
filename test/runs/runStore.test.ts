import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRunConfig, type RunConfig } from '../../core/config/index.js';
import { RunNotFoundError, RunStore, isValidRunId, latestEpochMetrics, newRunId, slugify, type EpochMetric, type RunProblem } from '../../core/runs/index.js';

let runsDir: string;
let clock: number;
const now = () => new Date(clock);

beforeEach(async () => {
  runsDir = await fs.mkdtemp(path.join(os.tmpdir(), 'atruns-'));
  clock = Date.UTC(2026, 10, 28, 9, 5, 7);
});
afterEach(async () => {
  await fs.rm(runsDir, { recursive: true, force: true });
});

function config(name: string, extra: object = {}): RunConfig {
  return parseRunConfig({
    name,
    data: { path: '/data/cifar10' },
    teacher: { source: 'train', model: { family: 'wrn', depth: 16, widen: 2 } },
    ...extra,
  });
}

function epochMetric(epoch: number, top1: number, phase: 'teacher' | 'student' = 'student'): Omit<EpochMetric, 'time'> {
  return {
    kind: 'epoch',
    phase,
    epoch,
    epochs: 3,
    train: { loss: 1 / epoch, acc: top1 - 0.05 },
    test: { loss: 1.5 / epoch, top1, perClass: [top1, top1], confusion: [[5, 1], [2, 4]] },
    lr: 0.1,
    seconds: 10,
  };
}

describe('run ids', () => {
  it('are <yyyymmdd-hhmmss>-<slug>-<4 hex> in UTC', () => {
    expect(newRunId('AT: WRN-16-1 ← WRN-16-2 (seed 1)', new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), 'beef')).toBe('20260102-030405-at-wrn-16-1-wrn-16-2-seed-1-beef');
    expect(newRunId('x', new Date())).toMatch(/^\d{8}-\d{6}-x-[0-9a-f]{4}$/);
    expect(slugify('Élan ✨ Run')).toBe('elan-run');
    expect(slugify('✨✨')).toBe('run');
    expect(slugify('a'.repeat(100))).toHaveLength(40);
  });

  it('reject anything that could leave the runs folder', async () => {
    for (const bad of ['', '..', '../x', '..\\x', 'a/b', 'a\\b', '/etc', '.hidden', 'a/../../b', 'x..y', 'C:evil', 'a b', 'a\0b']) {
      expect(isValidRunId(bad), bad).toBe(false);
    }
    expect(isValidRunId('20260102-030405-at-beef')).toBe(true);
    // A config.json outside the runs folder must not be reachable through open().
    const store = new RunStore(path.join(runsDir, 'runs'));
    await fs.mkdir(path.join(runsDir, 'runs'), { recursive: true });
    await fs.writeFile(path.join(runsDir, 'config.json'), JSON.stringify(config('outside')));
    await expect(store.open('..')).rejects.toThrow(RunNotFoundError);
    await expect(store.open('../')).rejects.toThrow(/not a run id/);
    await expect(store.open('nope')).rejects.toThrow(/no run "nope"/);
    await expect(store.remove('..')).rejects.toThrow(RunNotFoundError);
    expect(await fs.readFile(path.join(runsDir, 'config.json'), 'utf8')).toContain('outside');
  });
});

describe('RunStore and run folders', () => {
  it('creates a folder with config, status, metrics and log, and opens it again', async () => {
    const store = new RunStore(runsDir, { now });
    const run = await store.create(config('First run'));
    expect(run.id).toMatch(/^20261128-090507-first-run-[0-9a-f]{4}$/);
    expect((await fs.readdir(run.dir)).sort()).toEqual(['config.json', 'log.txt', 'metrics.jsonl', 'status.json']);
    const reopened = await store.open(run.id);
    expect(reopened.config).toEqual(run.config);
    expect(await reopened.readStatus()).toMatchObject({ status: 'queued', phase: null, epoch: 0, resumable: false, createdAt: '2026-11-28T09:05:07.000Z' });
    expect(await reopened.readLog()).toMatch(/^2026-11-28T09:05:07.000Z created run .* \(at, WRN-16-1 ← WRN-16-2\)\n$/);
  });

  it('refuses an invalid config on create', async () => {
    const store = new RunStore(runsDir);
    await expect(store.create({ ...config('x'), method: 'at', teacher: undefined } as RunConfig)).rejects.toThrow(/teacher: required by method "at"/);
    expect(await fs.readdir(runsDir)).toEqual([]);
  });

  it('keeps status times: start, active seconds across pauses, end; resume clears the end and error', async () => {
    const run = await new RunStore(runsDir, { now }).create(config('s'));
    await run.writeStatus({ status: 'running', phase: 'student' });
    clock += 30_000;
    await run.writeStatus({ status: 'paused' });
    clock += 600_000; // paused time does not count
    await run.writeStatus({ status: 'running' });
    clock += 15_000;
    const failed = await run.writeStatus({ status: 'failed', error: 'out of memory', epoch: 2 });
    expect(failed).toMatchObject({ status: 'failed', activeSeconds: 45, startedAt: '2026-11-28T09:05:07.000Z', error: 'out of memory', epoch: 2, pid: process.pid });
    expect(failed.endedAt).toBe(new Date(clock).toISOString());
    expect(failed.runningSince).toBeUndefined();
    clock += 5_000;
    const resumed = await run.writeStatus({ status: 'running' });
    expect(resumed.endedAt).toBeUndefined();
    expect(resumed.error).toBeUndefined();
    expect(resumed.startedAt).toBe('2026-11-28T09:05:07.000Z');
    expect(resumed.epoch).toBe(2);
  });

  it('appends metrics, tracks best and last top-1, and survives a torn last line', async () => {
    const run = await new RunStore(runsDir, { now }).create(config('m'));
    await run.appendMetric({ kind: 'step', phase: 'student', epoch: 1, step: 1, totalSteps: 2, loss: 2.3, parts: { ce: 2.2, at: 0.1, atPerPair: [0.05, 0.03, 0.02] }, lr: 0.1, imagesPerSec: 50, etaSeconds: 100 });
    await run.appendMetric(epochMetric(1, 0.4));
    await run.appendMetric(epochMetric(2, 0.7));
    // A crash in the middle of writing a line:
    await fs.appendFile(path.join(run.dir, 'metrics.jsonl'), '{"kind":"epoch","phase":"stu');
    const reopened = await new RunStore(runsDir, { now }).open(run.id);
    expect((await reopened.readMetrics()).map((m) => m.kind)).toEqual(['step', 'epoch', 'epoch']);
    // The resumed run re-runs epoch 3 and appends on a fresh line, not glued to the torn one.
    await reopened.appendMetric(epochMetric(3, 0.6));
    const { values, skippedLines } = await reopened.readMetricsDetailed();
    expect(skippedLines).toEqual([4]);
    expect(values).toHaveLength(4);
    expect(values[0]).toMatchObject({ parts: { atPerPair: [0.05, 0.03, 0.02] }, time: '2026-11-28T09:05:07.000Z' });
    expect(latestEpochMetrics(values).map((m) => [m.epoch, m.test.top1])).toEqual([[1, 0.4], [2, 0.7], [3, 0.6]]);
    const status = await reopened.readStatus();
    expect(status.results.student).toEqual({ best: { epoch: 2, top1: 0.7 }, last: { epoch: 3, top1: 0.6 }, epochs: 3 });
  });

  it('lets a resumed epoch replace the one written before a crash', async () => {
    const run = await new RunStore(runsDir).create(config('r'));
    await run.appendMetric(epochMetric(1, 0.3));
    await run.appendMetric(epochMetric(2, 0.5));
    await run.appendMetric(epochMetric(2, 0.45));
    expect(latestEpochMetrics(await run.readMetrics()).map((m) => m.test.top1)).toEqual([0.3, 0.45]);
  });

  it('stores attention snapshots per epoch (rounded to 5 significant digits), probes, environment', async () => {
    const run = await new RunStore(runsDir).create(config('a'));
    const map = [0.123456789, 0.5, 0, 1e-7 * 1.23456789];
    await run.saveSnapshot({ phase: 'student', epoch: 2, pairs: [{ student: 's1', teacher: 't1', probe: 0, teacherMap: map, studentMap: map.map((v) => v / 2), h: 2, w: 2 }] });
    await run.saveSnapshot({ phase: 'student', epoch: 1, pairs: [] });
    await run.saveSnapshot({ phase: 'teacher', epoch: 1, pairs: [] });
    expect((await fs.readdir(path.join(run.dir, 'snapshots'))).sort()).toEqual(['epoch-001.json', 'epoch-002.json', 'teacher-epoch-001.json']);
    const snaps = await run.readSnapshots();
    expect(snaps.map((s) => `${s.phase}:${s.epoch}`)).toEqual(['teacher:1', 'student:1', 'student:2']);
    expect(snaps[2].pairs[0].teacherMap).toEqual([0.12346, 0.5, 0, 1.2346e-7]);
    expect(await run.readSnapshots('student')).toHaveLength(2);

    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    expect(await run.readProbes()).toBeNull();
    await run.writeProbes({ split: 'test', indices: [3, 14], labels: [1, 0], classes: ['cat', 'dog'], pngs: [png, png] });
    expect(await run.readProbes()).toEqual({ split: 'test', indices: [3, 14], labels: [1, 0], classes: ['cat', 'dog'], pngs: [png, png] });

    await run.writeEnvironment({ backend: { name: 'wasm', reason: 'no libtensorflow' } });
    expect(await run.readEnvironment()).toEqual({ backend: { name: 'wasm', reason: 'no libtensorflow' } });
  });

  it('lists runs newest first, with results, and skips broken folders without throwing', async () => {
    const store = new RunStore(runsDir, { now });
    const a = await store.create(config('older'));
    await a.writeStatus({ status: 'running', phase: 'student' });
    await a.appendMetric(epochMetric(1, 0.5));
    clock += 20_000;
    await a.writeStatus({ status: 'done', epoch: 1 });
    clock += 60_000;
    const b = await store.create(config('newer', { method: 'baseline', teacher: undefined }));
    const broken = await store.create(config('broken'));
    await fs.writeFile(path.join(broken.dir, 'config.json'), '{"version": 1, "data": {"path": "x"}, "typo": 1}');
    await fs.mkdir(path.join(runsDir, '.trash')); // hidden folders are not runs
    await fs.writeFile(path.join(runsDir, 'notes.txt'), 'not a run');

    const problems: RunProblem[] = [];
    const list = await new RunStore(runsDir, { now, onSkip: (p) => problems.push(p) }).list();
    expect(list.map((r) => r.id)).toEqual([b.id, a.id]);
    expect(list[1]).toMatchObject({
      name: 'older',
      status: 'done',
      method: 'at',
      models: 'WRN-16-1 ← WRN-16-2',
      student: 'WRN-16-1',
      teacher: 'WRN-16-2',
      best: { epoch: 1, top1: 0.5 },
      last: { epoch: 1, top1: 0.5 },
      durationSeconds: 20,
      interrupted: false,
      epochs: 200,
    });
    expect(list[0]).toMatchObject({ method: 'baseline', models: 'WRN-16-1', status: 'queued', resumable: false });
    expect(list[0].teacher).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0].id).toBe(broken.id);
    expect(problems[0].error).toMatch(/config\.json[\s\S]*typo: unknown key/);
  });

  it('reports a run whose process died while running as failed, interrupted and resumable', async () => {
    const store = new RunStore(runsDir, { now });
    const run = await store.create(config('crash'));
    await run.writeStatus({ status: 'running', phase: 'student', resumable: true });
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(child.stdout); // exited already
    const statusFile = path.join(run.dir, 'status.json');
    const s = JSON.parse(await fs.readFile(statusFile, 'utf8'));
    await fs.writeFile(statusFile, JSON.stringify({ ...s, pid: deadPid }));
    const [summary] = await store.list();
    expect(summary).toMatchObject({ status: 'failed', interrupted: true, resumable: true });
  });
});

describe('teacherModelPath', () => {
  it('finds the model.json of a teacher file or of another run', async () => {
    const { teacherModelPath } = await import('../../core/runs/index.js');
    const store = new RunStore(runsDir);
    const src = await store.create(config('teacher source', { method: 'baseline', teacher: undefined }));
    const run = await store.create(config('student', { teacher: { source: 'run', run: src.id } }));
    expect(await teacherModelPath(run, { source: 'train', model: { family: 'wrn', depth: 16, widen: 2 } })).toBeNull();
    expect(await teacherModelPath(run, { source: 'file', path: '/models/t/model.json' })).toBe('/models/t/model.json');
    await expect(teacherModelPath(run, { source: 'run', run: src.id })).rejects.toThrow(/no saved student model yet/);
    await fs.mkdir(path.dirname(src.modelPath('student')), { recursive: true });
    await fs.writeFile(src.modelPath('student'), '{}');
    expect(await teacherModelPath(run, { source: 'run', run: src.id })).toBe(path.join(src.dir, 'models', 'student', 'model.json'));
    await expect(teacherModelPath(run, { source: 'run', run: 'missing-run' })).rejects.toThrow(RunNotFoundError);
  });
});
