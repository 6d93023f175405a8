// Runs in temp folders on Debian's Fashion-MNIST, with tiny WRNs so the training tests stay fast.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { tf } from '../../core/tf.js';
import { parseRunConfig, type RunConfig } from '../../core/config/index.js';
import { RunStore, type RunHandle } from '../../core/runs/index.js';
import { createModel, saveLayersModel } from '../../core/models/index.js';
import type { BackendChoice } from '../../core/backend/index.js';
import type { RunEvent } from '../../core/events/index.js';

export const FASHION_DIR = '/usr/share/datasets/fashion-mnist';

export function tempRuns(): { store: RunStore; dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'atstudio-train-'));
  return { store: new RunStore(dir), dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The backend the test set up, described as core/backend would. */
export function currentBackend(): BackendChoice {
  const name = tf.getBackend() as BackendChoice['name'];
  return { name, tfBackend: name, reason: 'chosen by the test', forced: true, by: 'option', attempts: [], threads: 1, versions: {} };
}

/** A small run: WRN-10-1 on Fashion-MNIST, overrides merged on top (deeply for the nested objects). */
export function tinyConfig(over: Record<string, unknown> = {}): RunConfig {
  const base: Record<string, unknown> = {
    name: 'tiny', seed: 7,
    data: { path: FASHION_DIR, limit: 256, augment: false },
    student: { model: { family: 'wrn', depth: 10, widen: 1 } },
    method: 'baseline',
    training: { epochs: 2, batchSize: 32, lr: 0.1 },
    probes: 2,
  };
  const merged: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = base[k];
    merged[k] = b && typeof b === 'object' && !Array.isArray(b) && v && typeof v === 'object' && !Array.isArray(v) ? { ...b, ...v } : v;
  }
  // The tests were written when limit cut both splits: a limit without a testLimit keeps doing so here.
  const data = merged.data as Record<string, unknown>;
  if (data.limit !== undefined && !('testLimit' in data)) merged.data = { ...data, testLimit: data.limit };
  return parseRunConfig(merged);
}

export function collect(): { events: RunEvent[]; onEvent: (e: RunEvent) => void; of<T extends RunEvent['type']>(t: T): Extract<RunEvent, { type: T }>[] } {
  const events: RunEvent[] = [];
  return {
    events,
    onEvent: (e) => events.push(e),
    of: <T extends RunEvent['type']>(t: T) => events.filter((e) => e.type === t) as Extract<RunEvent, { type: T }>[],
  };
}

export async function createRun(store: RunStore, config: RunConfig): Promise<RunHandle> {
  return store.create(config);
}

/**
 * A teacher file for the resume tests: WRN-10-1 on 8×8 single-channel images (the file's input size then
 * decides the run's), saved as a LayersModel under `<dir>/teacher`; returns its model.json.
 */
export async function saveTinyTeacherFile(dir: string): Promise<string> {
  const teacher = createModel({ family: 'wrn', depth: 10, widen: 1, inputShape: [8, 8, 1], numClasses: 10 }, { namePrefix: 'file_teacher.', seed: 5 });
  try {
    await saveLayersModel(teacher.model, path.join(dir, 'teacher'));
  } finally {
    teacher.model.dispose();
  }
  return path.join(dir, 'teacher', 'model.json');
}

/**
 * The resume tests' set-up, registered as this file's hooks: the cpu backend, a temp runs folder (removed
 * afterwards) and an AT run from the tiny teacher file with `over` (data, training, …) on top; `config`
 * is there once beforeAll has run.
 */
export function teacherFileRuns(over: Record<string, unknown>): { runs: ReturnType<typeof tempRuns>; readonly config: RunConfig } {
  const runs = tempRuns();
  let config: RunConfig | undefined;
  afterAll(() => runs.cleanup());
  beforeAll(async () => {
    const { useBackend } = await import('../helpers/backend.js'); // only here: it registers the wasm backend
    await useBackend('cpu');
    const teacherFile = await saveTinyTeacherFile(runs.dir);
    config = tinyConfig({ method: 'at', teacher: { source: 'file', path: teacherFile }, probes: 1, ...over });
  });
  return {
    runs,
    get config() {
      if (!config) throw new Error('teacherFileRuns: config is read before beforeAll ran');
      return config;
    },
  };
}
