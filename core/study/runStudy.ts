// Drive a study: the teacher run once (when the study trains one), then every planned run, one after
// another. Each run is an ordinary run folder made from the plan; its id goes into the study record the
// moment the folder exists. Resuming a study skips finished runs, continues an interrupted one from its
// checkpoint and starts the pending ones. How one run trains is the caller's: the CLI trains in this
// process (runTraining), the service hands runs to its queue and engine.
import * as os from 'node:os';
import type { RunStore } from '../runs/runStore.js';
import type { RunHandle } from '../runs/types.js';
import { armLabel, plannedRunConfig, teacherRunConfig } from './plan.js';
import type { StudyRecord, StudyStore } from './record.js';
import { definedOnly, type Patch } from '../util/exactOptional.js';

export type RunOutcome = 'done' | 'failed' | 'cancelled';

export interface StudyStep {
  /** 1-based position in the whole study (teacher run included) and the number of runs. */
  index: number;
  total: number;
  role: 'teacher' | 'run';
  label: string;
  runId: string;
  /** Continues from a checkpoint. */
  resume: boolean;
}

export type StudyEvent =
  | ({ type: 'study-run'; studyId: string } & StudyStep)
  | { type: 'study-skip'; studyId: string; index: number; total: number; runId: string; label: string }
  | { type: 'study-end'; studyId: string; status: StudyRecord['status']; error?: string };

/** Thrown by a driver's execute when its host shuts down mid-study: nothing is marked, the record stays 'running'. */
export class StudyPaused extends Error {
  override name = 'StudyPaused';
}

/** Studies driven in this process right now (a service starting up must not take them for interrupted ones). */
export const studiesActiveInProcess = new Set<string>();

export interface StudyDriver {
  /** Train or continue one run; resolves with how it ended. */
  execute(run: RunHandle, step: StudyStep): Promise<RunOutcome>;
  onEvent?(e: StudyEvent): void;
  /** Asked between runs: stop before starting the next one. */
  stopRequested?(): boolean;
  /**
   * Start every run (after the teacher) at once and wait for them all: a queue with several workers
   * trains them side by side. Without it, one after another.
   */
  parallel?: boolean;
}

export async function runStudy(runs: RunStore, studies: StudyStore, id: string, driver: StudyDriver): Promise<StudyRecord> {
  if (studiesActiveInProcess.has(id)) throw new Error(`study ${id} is already running in this process`);
  studiesActiveInProcess.add(id);
  try {
    return await drive(runs, studies, id, driver);
  } finally {
    studiesActiveInProcess.delete(id);
  }
}

async function drive(runs: RunStore, studies: StudyStore, id: string, driver: StudyDriver): Promise<StudyRecord> {
  let record = await studies.open(id);
  const emit = (e: StudyEvent) => {
    try {
      driver.onEvent?.(e);
    } catch {
      /* a failing view must not stop the study */
    }
  };
  const total = record.runs.length + (record.trainsTeacher ? 1 : 0);
  const save = async (patch: Patch<StudyRecord>) => (record = await studies.save(definedOnly({ ...record, ...patch })));
  await save({ status: 'running', pid: process.pid, host: os.hostname(), error: undefined });

  const finish = async (status: StudyRecord['status'], error?: string) => {
    await save({ status, pid: undefined, ...(error ? { error } : { error: undefined }) });
    emit({ type: 'study-end', studyId: id, status, ...(error ? { error } : {}) });
    return record;
  };

  /** Open the run an entry names, or make its folder and record its id at once. */
  const runFor = async (existing: string | undefined, make: () => ReturnType<RunStore['create']>, remember: (runId: string) => Promise<void>) => {
    if (existing && (await runs.exists(existing))) return runs.open(existing);
    const run = await make();
    await remember(run.id);
    return run;
  };

  const failed: string[] = [];
  const pending: Promise<void>[] = [];
  let cancelled = false;
  let index = 0;
  try {
    if (record.trainsTeacher) {
      index++;
      const label = 'teacher';
      const run = await runFor(record.teacherRun, () => runs.create(teacherRunConfig(record.config)), async (runId) => void (await save({ teacherRun: runId })));
      const st = await run.readStatus();
      if (st.status === 'done') emit({ type: 'study-skip', studyId: id, index, total, runId: run.id, label });
      else {
        if (driver.stopRequested?.()) return await finish('cancelled');
        const step: StudyStep = { index, total, role: 'teacher', label, runId: run.id, resume: await run.hasCheckpoint('latest') };
        emit({ type: 'study-run', studyId: id, ...step });
        const outcome = await driver.execute(run, step);
        if (outcome === 'cancelled') return await finish('cancelled');
        if (outcome === 'failed') return await finish('failed', `the teacher run ${run.id} failed: every other run needs its teacher (resume the study to try it again)`);
      }
    }
    for (let i = 0; i < record.runs.length; i++) {
      index++;
      const entry = record.runs[i];
      const label = `${armLabel(entry)} · seed ${entry.seed}`;
      const run = await runFor(entry.runId, () => runs.create(plannedRunConfig(record.config, entry, record.teacherRun)), async (runId) => {
        const list = record.runs.map((r, j) => (j === i ? { ...r, runId } : r));
        await save({ runs: list });
      });
      const st = await run.readStatus();
      if (st.status === 'done') {
        emit({ type: 'study-skip', studyId: id, index, total, runId: run.id, label });
        continue;
      }
      if (driver.stopRequested?.() || cancelled) {
        await Promise.all(pending);
        return await finish('cancelled');
      }
      const step: StudyStep = { index, total, role: 'run', label, runId: run.id, resume: await run.hasCheckpoint('latest') };
      emit({ type: 'study-run', studyId: id, ...step });
      const one = driver.execute(run, step).then((outcome) => {
        if (outcome === 'cancelled') cancelled = true;
        if (outcome === 'failed') failed.push(`${label} (${run.id})`); // the others still answer the question
      });
      if (driver.parallel) {
        pending.push(one);
        continue;
      }
      await one;
      if (cancelled) return await finish('cancelled');
    }
    await Promise.all(pending);
    if (cancelled) return await finish('cancelled');
  } catch (err) {
    // The host is going away (the app closes): the study stays 'running' so the next start continues it.
    if (err instanceof StudyPaused) return record;
    return await finish('failed', (err as Error).message);
  }
  return failed.length
    ? await finish('failed', `${failed.length} run(s) failed: ${failed.join(', ')}; the table leaves them out (resume the study to try them again)`)
    : await finish('done');
}
