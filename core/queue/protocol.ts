// What goes through Redis: one BullMQ job per run (its id is the run id, so a run is queued at most once),
// the run's events as the job's progress, and pause/resume/cancel requests as short-lived keys the
// training worker reads between steps. The job names only the run: each machine finds the run in its own
// mount of the shared runs folder (--runs-dir), which may sit at a different path on every machine.
import type { RunEvent } from '../events/types.js';

export const RUN_QUEUE_NAME = 'atstudio-runs';
/** Key prefix of BullMQ's keys and of ours. */
export const QUEUE_PREFIX = 'atstudio';

export interface RunJobData { runId: string }

/** What a finished job returns. A run that failed for its own reasons fails the job instead (not retried). */
export interface RunJobResult { status: 'done' | 'cancelled'; host: string }

/** job.updateProgress payload: one run event, with the worker that sent it. */
export interface RunProgress { event: RunEvent; host: string; worker: string }

export type RemoteAction = 'pause' | 'resume' | 'cancel';

export const controlKey = (runId: string) => `${QUEUE_PREFIX}:control:${runId}`;
export const heartbeatKey = (host: string, pid: number) => `${QUEUE_PREFIX}:worker:${host}:${pid}`;

/** Tunable for tests: how soon a dead worker's job is seen as stalled. */
export interface StallTiming {
  /** BullMQ lockDuration: a worker that has not renewed its job's lock for this long lost it (ms). */
  lockDuration: number;
  /** How often each worker looks for stalled jobs (ms). */
  stalledInterval: number;
}

export const DEFAULT_STALL: StallTiming = { lockDuration: 30_000, stalledInterval: 15_000 };

export function isRunProgress(v: unknown): v is RunProgress {
  return !!v && typeof v === 'object' && typeof (v as RunProgress).event === 'object' && typeof (v as RunProgress).event?.type === 'string';
}
