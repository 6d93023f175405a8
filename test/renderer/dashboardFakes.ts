// A fake api for the dashboard and runs-library tests: recorded history, a controllable event stream.
import { vi } from 'vitest';
import type { RunEvent } from '../../core/events/types.js';
import type { AttentionSnapshot, Metric, RunSummary } from '../../core/runs/types.js';
import type { RunDetail, TryImageResult } from '../../core/service/api.js';
import { fakeQueueMethods } from './fakeQueue.js';
import type { UiApi } from '../../renderer/src/lib/api.js';
import { definedOnly, type Patch } from '../../core/util/exactOptional.js';

export const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==';

export function summary(id: string, over: Patch<RunSummary> = {}): RunSummary {
  const base: RunSummary = {
    id, dir: `/runs/${id}`, name: `run ${id}`, status: 'done', interrupted: false, resumable: false, method: 'at',
    models: 'WRN-16-1 ← WRN-16-2', student: 'WRN-16-1', teacher: 'WRN-16-2', dataset: 'fashion-mnist', seed: 1,
    phase: 'student', epoch: 2, epochs: 2, best: { epoch: 2, top1: 0.763 }, durationSeconds: 125,
    createdAt: '2026-11-28T10:00:00.000Z', updatedAt: '2026-11-28T10:02:05.000Z',
  };
  return definedOnly({ ...base, ...over });
}

export function detail(s: RunSummary, error?: string): RunDetail {
  return {
    summary: s, config: {} as RunDetail['config'],
    status: { status: s.status, phase: s.phase, epoch: s.epoch, step: 0, createdAt: s.createdAt, updatedAt: s.updatedAt,
      resumable: s.resumable, activeSeconds: s.durationSeconds, results: {}, ...(error ? { error } : {}) },
    environment: { backend: { name: 'wasm', reason: 'fastest available' } },
  };
}

export function stepM(phase: 'teacher' | 'student', epoch: number, step: number, loss: number): Metric {
  return { kind: 'step', time: '', phase, epoch, step, totalSteps: 4, loss, lr: 0.1,
    parts: { ce: loss * 0.8, at: loss * 0.2, atPerPair: [loss * 0.1, loss * 0.1] }, imagesPerSec: 100, etaSeconds: 10 };
}
export function epochM(phase: 'teacher' | 'student', epoch: number, top1: number): Metric {
  return { kind: 'epoch', time: '', phase, epoch, epochs: 2, train: { loss: 1, acc: top1 - 0.05 },
    test: { loss: 1.2, top1, perClass: [], confusion: [] }, lr: 0.1, seconds: 5 };
}
export function snap(phase: 'teacher' | 'student', epoch: number, v: number): AttentionSnapshot {
  const pairs = [];
  for (const [s, t] of [['group0', 'group0'], ['group1', 'group1']] as const) {
    for (const probe of [0, 1]) pairs.push({ student: s, teacher: t, probe, teacherMap: [0.5, 0.5, 0.5, 0.5], studentMap: [v, v, v, v], h: 2, w: 2 });
  }
  return { phase, epoch, pairs };
}

type Listener = (runId: string, ev: RunEvent) => void;
type ConnListener = (state: 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed') => void;
export const connectionListeners = new Set<ConnListener>();
/** The event socket changing state, as serve mode's client reports it. */
export function emitConnection(state: Parameters<ConnListener>[0]): void {
  for (const fn of [...connectionListeners]) fn(state);
}
export const listeners = new Set<{ fn: Listener; runId?: string | undefined }>();
export function emit(runId: string, ev: RunEvent): void {
  for (const l of [...listeners]) if (!l.runId || l.runId === runId) l.fn(runId, ev);
}

function make() {
  return {
    transport: 'browser' as const,
    dialogs: null,
    runFileUrl: vi.fn((id: string, rel: string) => `/runs/${id}/files/${rel}`),
    getRun: vi.fn(async (id: string) => detail(summary(id))),
    getMetrics: vi.fn(async (_id: string): Promise<Metric[]> => []),
    getSnapshots: vi.fn(async (_id: string): Promise<AttentionSnapshot[]> => []),
    getProbes: vi.fn(async (_id: string) => ({ split: 'test' as const, indices: [0, 1], labels: [0, 2], classes: ['T-shirt', 'Trouser', 'Pullover'], pngBase64: [PNG_1PX, PNG_1PX] })),
    getLog: vi.fn(async (_id: string) => 'line 1\nline 2'),
    listRuns: vi.fn(async (): Promise<RunSummary[]> => []),
    pauseRun: vi.fn(async (_id: string) => {}),
    resumeRun: vi.fn(async (_id: string) => {}),
    cancelRun: vi.fn(async (_id: string) => {}),
    deleteRun: vi.fn(async (_id: string) => {}),
    exportReport: vi.fn(async (_ids: string[], dest: string) => ({ path: dest, bytes: 1 })),
    exportReportPdf: vi.fn(async (_ids: string[], dest: string) => ({ path: dest, bytes: 1 })),
    exportModel: vi.fn(async (_id: string, dest: string) => ({ path: dest, bytes: 1 })),
    exportMetrics: vi.fn(async (_id: string, dest: string) => ({ path: dest, bytes: 1 })),
    unsubscribed: vi.fn(),
    onConnection: vi.fn((fn: ConnListener) => { connectionListeners.add(fn); return () => { connectionListeners.delete(fn); }; }),
    ...fakeQueueMethods(),
    subscribe: vi.fn((fn: Listener, runId?: string) => {
      const entry = { fn, runId };
      listeners.add(entry);
      return () => { listeners.delete(entry); fakeApi.unsubscribed(); };
    }),
    tryImage: vi.fn(async (_id: string, _imageBase64: string): Promise<TryImageResult> => ({ student: { top: [], maps: [] } })),
  } satisfies Partial<UiApi> & { unsubscribed: () => void }; // what it fakes keeps the real API's signatures
}

export const fakeApi = make();
export function resetFake(): void {
  listeners.clear();
  connectionListeners.clear();
  Object.assign(fakeApi, make());
}
export function fakeToUiError(err: unknown): { code: string; message: string } {
  const text = err instanceof Error ? err.message : String(err);
  const m = /^\[([a-z-]+)\] ([\s\S]*)$/.exec(text);
  return m ? { code: m[1]!, message: m[2]! } : { code: 'internal', message: text };
}
