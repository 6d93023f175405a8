// Reading runs for the API: a run by id (with the service's errors for a bad or unknown id), its summary,
// and the detail the dashboard shows.
import * as path from 'node:path';
import { ConfigError } from '../config/configError.js';
import { readModelMeta } from '../eval/modelMeta.js';
import { isValidRunId } from '../runs/runId.js';
import { RunNotFoundError, type RunStore } from '../runs/runStore.js';
import type { ProbeSet, RunHandle, RunSummary } from '../runs/types.js';
import type { RunDetail } from './api.js';
import { ServiceError } from './errors.js';

export async function openRun(store: RunStore, runId: unknown): Promise<RunHandle> {
  if (typeof runId !== 'string' || !isValidRunId(runId)) throw new ServiceError('invalid', `not a run id: ${JSON.stringify(runId)}`);
  try {
    return await store.open(runId);
  } catch (err) {
    if (err instanceof RunNotFoundError) throw new ServiceError('not-found', err.message);
    if (err instanceof ConfigError) throw new ServiceError('internal', `run ${runId} cannot be read: ${err.message}`);
    throw err;
  }
}

export async function runSummary(store: RunStore, runId: string): Promise<RunSummary> {
  const s = (await store.list()).find((r) => r.id === runId);
  if (!s) throw new ServiceError('not-found', `no run ${JSON.stringify(runId)}`);
  return s;
}

/** queuePosition: how many runs are ahead of a queued run on this engine (undefined when not queued here). */
export async function runDetail(store: RunStore, runId: unknown, queuePosition: (id: string) => number | undefined): Promise<RunDetail> {
  const run = await openRun(store, runId);
  const classesOf = async (role: 'student' | 'teacher') => (await readModelMeta(path.dirname(run.modelPath(role))).catch(() => null))?.classes;
  const [summary, status, environment, studentClasses] = await Promise.all([
    runSummary(store, run.id), run.readStatus(), run.readEnvironment(), classesOf('student'),
  ]);
  // The teacher's copy only while no student is saved yet (the dashboard asks every few seconds).
  const classes = studentClasses ?? await classesOf('teacher');
  const position = queuePosition(run.id);
  return { summary, config: run.config, status, environment, ...(classes ? { classes } : {}), ...(position !== undefined ? { queuePosition: position } : {}) };
}

/** The probe images as base64 PNG (JSON-safe); null before the run saved any. */
export async function runProbes(run: RunHandle): Promise<(Omit<ProbeSet, 'pngs'> & { pngBase64: string[] }) | null> {
  const p = await run.readProbes();
  if (!p) return null;
  const { pngs, ...rest } = p;
  return { ...rest, pngBase64: (pngs ?? []).map((b) => Buffer.from(b).toString('base64')) };
}
