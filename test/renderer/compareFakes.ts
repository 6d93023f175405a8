// Fakes shared by the compare and export tests: runs, metrics, snapshots, probes and an api whose methods
// are vi.fn()s. The test files mock renderer/src/lib/api.js with `fakeApi` (mutated per test).
import { vi } from 'vitest';
import type { RunSummary, Metric, AttentionSnapshot } from '../../core/runs/types.js';
import type { ComparisonRow } from '../../core/service/api.js';
import { definedOnly, type Patch } from '../../core/util/exactOptional.js';

export function summary(id: string, over: Patch<RunSummary> = {}): RunSummary {
  const base: RunSummary = {
    id, dir: `/data/runs/${id}`, name: `Run ${id}`, status: 'done', interrupted: false, resumable: false, method: 'at',
    models: 'WRN-10-1 ← WRN-10-2', student: 'WRN-10-1', teacher: 'WRN-10-2', dataset: '/data/fmnist', seed: 1, phase: null,
    epoch: 2, epochs: 2, best: { epoch: 2, top1: 0.5 }, last: { epoch: 2, top1: 0.5 }, durationSeconds: 30,
    createdAt: '2026-11-28T10:00:00.000Z', updatedAt: '2026-11-28T10:01:00.000Z',
  };
  return definedOnly({ ...base, ...over });
}

export function epoch(phase: 'teacher' | 'student', e: number, top1: number, n = 3): Metric {
  const confusion = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 8 : 1)));
  return {
    kind: 'epoch', phase, epoch: e, epochs: 2, train: { loss: 2 - e * 0.5, acc: top1 }, lr: 0.05, seconds: 3, time: '2026-11-28T10:00:00.000Z',
    test: { loss: 1, top1, perClass: Array(n).fill(top1), confusion, agreement: 0.7 },
  };
}

export function snapshot(e: number, teacher = true): AttentionSnapshot {
  const map = (k: number) => Array.from({ length: 4 }, (_, i) => (i + k) / 10);
  const pairs = [];
  for (const [g, h] of [[0, 2], [1, 2]] as const) {
    for (const probe of [0, 1]) {
      pairs.push({ student: `student_group${g}`, teacher: teacher ? `teacher_group${g}` : `student_group${g}`, probe, h, w: 2, studentMap: map(probe), teacherMap: map(probe + 1) });
    }
  }
  return { phase: 'student', epoch: e, pairs };
}

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
export const probes = { split: 'test' as const, indices: [0, 1], labels: [2, 0], classes: ['Pullover', 'T-shirt'], pngBase64: [PNG, PNG] };

export function row(id: string, over: Patch<ComparisonRow> = {}): ComparisonRow {
  const base: ComparisonRow = { runId: id, name: `Run ${id}`, method: 'at', seed: 1, replicateKey: `config of ${id}`, models: 'WRN-10-1 ← WRN-10-2', params: 78000, multiplyAdds: 9.35e6, sizeBytes: 320000, latencyMs: 0.6, bestTop1: 0.5, lastTop1: 0.5, agreement: 0.7, trainSeconds: 30, backend: 'tensorflow' };
  return definedOnly({ ...base, ...over });
}

/** The mocked module's `api`: reset() puts fresh vi.fn()s on the same object. */
export const fakeApi: any = {};

export function resetFakeApi(transport: 'browser' | 'electron' = 'browser'): any {
  for (const k of Object.keys(fakeApi)) delete fakeApi[k];
  Object.assign(fakeApi, {
    transport,
    dialogs: transport === 'electron' ? { openFile: vi.fn(), openFolder: vi.fn(), saveFile: vi.fn() } : null,
    runFileUrl: vi.fn((id: string, rel: string) => (transport === 'browser' ? `/runs/${id}/files/${rel}` : null)),
    listRuns: vi.fn(async () => [summary('a'), summary('b', { method: 'baseline', teacher: undefined, models: 'WRN-10-1' })]),
    getMetrics: vi.fn(async () => [epoch('teacher', 1, 0.4), epoch('student', 1, 0.3), epoch('student', 2, 0.5)]),
    getSnapshots: vi.fn(async () => [snapshot(1), snapshot(2)]),
    getProbes: vi.fn(async () => probes),
    compareRuns: vi.fn(async (ids: string[]) => ids.map((id) => row(id))),
    // Timed together: a 1.5 ms, b 0.9 ms (the rows' recorded 0.6 ms must not be shown).
    measureLatency: vi.fn(async (ids: string[]) => ({ backend: 'wasm', batchSize: 1, warmupRounds: 3, rounds: 17, measuredAt: '2026-12-06T06:00:00.000Z',
      rows: ids.map((runId) => (runId === 'b' ? { runId, medianMs: 0.9 } : runId === 'a' ? { runId, medianMs: 1.5 } : { runId, error: 'no saved student yet' })) })),
    tryImage: vi.fn(async (id: string) => ({
      student: { top: [{ label: 7, className: 'Sneaker', p: 0.8 }, { label: 5, className: 'Sandal', p: 0.15 }, { label: 9, className: 'Ankle boot', p: 0.05 }], maps: [{ tap: 'group0', h: 2, w: 2, map: [1, 0, 0, 0] }] },
      ...(id === 'a' ? { teacher: { top: [{ label: 7, className: 'Sneaker', p: 0.9 }, { label: 9, className: 'Ankle boot', p: 0.06 }, { label: 5, className: 'Sandal', p: 0.04 }], maps: [{ tap: 'group0', h: 2, w: 2, map: [0, 1, 0, 0] }] } } : {}),
    })),
    exportReport: vi.fn(async (_ids: string[], dest: string) => ({ path: dest, bytes: 2048 })),
    exportReportPdf: vi.fn(async (_ids: string[], dest: string) => ({ path: dest, bytes: 4096 })),
    exportMetrics: vi.fn(async (_id: string, dest: string) => ({ path: dest, bytes: 512 })),
    exportModel: vi.fn(async (_id: string, dest: string) => ({ path: dest, bytes: 330000 })),
    listDirectory: vi.fn(async (path: string) => ({ path, parent: null, places: [], entries: [
      { name: 'group1-shard1of1.bin', path: `${path}/group1-shard1of1.bin`, kind: 'file', size: 300000 },
      { name: 'meta.json', path: `${path}/meta.json`, kind: 'file', size: 100 },
      { name: 'model.json', path: `${path}/model.json`, kind: 'file', size: 20000 },
    ] })),
    subscribe: vi.fn(() => () => {}),
  });
  return fakeApi;
}

/** What toUiError does for the errors the fakes reject with ({code, message} objects or Errors). */
export function fakeToUiError(err: unknown): { code: string; message: string } {
  const e = err as { code?: unknown; message?: unknown };
  if (e && typeof e.code === 'string' && typeof e.message === 'string') return { code: e.code, message: e.message };
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

export class FakeApiError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}
