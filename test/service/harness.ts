// Tiny runs for the service tests: Fashion-MNIST (Debian's package), 64 training and 64 test images, WRN-10-1 student and a
// WRN-10-1 teacher trained in the run, one epoch of batch 32, on wasm.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { isTerminalEvent, type RunEvent } from '../../core/events/index.js';
import type { AtStudioApi } from '../../core/service/index.js';

export const FASHION_DIR = '/usr/share/datasets/fashion-mnist';

export function tempDir(prefix = 'atstudio-service-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A plain JSON config, as the wizard would send it. */
export function tinyConfig(over: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    name: 'tiny at', seed: 3,
    data: { path: FASHION_DIR, limit: 64, testLimit: 64, augment: false },
    teacher: { source: 'train', model: { family: 'wrn', depth: 10, widen: 1 } },
    student: { model: { family: 'wrn', depth: 10, widen: 1 } },
    method: 'at',
    training: { epochs: 1, batchSize: 32, lr: 0.05 },
    backend: 'wasm',
    probes: 2,
  };
  const merged: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = base[k];
    merged[k] = b && typeof b === 'object' && !Array.isArray(b) && v && typeof v === 'object' && !Array.isArray(v) ? { ...b, ...v } : v;
  }
  // Since config version 2 `limit` is the training images only and the test split is whole by default:
  // keep these runs tiny (and as they were under version 1) by testing on as many images as they train on.
  const data = merged.data as Record<string, unknown> | undefined;
  if (data && data.limit !== undefined && data.testLimit === undefined) merged.data = { ...data, testLimit: data.limit };
  return merged;
}

export interface Recorder {
  events: { runId: string; event: RunEvent }[];
  of<T extends RunEvent['type']>(type: T, runId?: string): Extract<RunEvent, { type: T }>[];
  /** Resolves with the first event (already seen or to come) that matches. */
  waitFor(pred: (runId: string, e: RunEvent) => boolean, timeoutMs?: number): Promise<RunEvent>;
  stop(): void;
}

export function record(api: AtStudioApi, runId?: string): Recorder {
  const events: { runId: string; event: RunEvent }[] = [];
  const waiters: { pred: (r: string, e: RunEvent) => boolean; resolve: (e: RunEvent) => void }[] = [];
  const stop = api.subscribe((id, event) => {
    events.push({ runId: id, event });
    for (const w of [...waiters]) {
      if (w.pred(id, event)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(event);
      }
    }
  }, runId);
  return {
    events,
    stop,
    of: <T extends RunEvent['type']>(type: T, id?: string) =>
      events.filter((e) => e.event.type === type && (id === undefined || e.runId === id)).map((e) => e.event) as Extract<RunEvent, { type: T }>[],
    waitFor(pred, timeoutMs = 100_000) {
      const seen = events.find((e) => pred(e.runId, e.event));
      if (seen) return Promise.resolve(seen.event);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('timed out waiting for an event')), timeoutMs);
        waiters.push({ pred, resolve: (e) => { clearTimeout(t); resolve(e); } });
      });
    },
  };
}

export const isTerminal = isTerminalEvent;
