// The queue's other end: whoever starts runs (`atstudio train/study --queue`, serve mode, the app) puts
// them in BullMQ and watches them. The run folders stay the truth: a run waited for is finished when its
// folder says so, and a job that Redis lost (a restart without persistence) is put back from the folder,
// so nothing is lost. Every run event that any worker sends (the job's progress) reaches onEvent, also
// for runs queued by someone else — a dashboard follows any run, wherever it trains.
import { Queue, QueueEvents, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { RunEvent } from '../events/types.js';
import type { RunStore } from '../runs/runStore.js';
import type { RunHandle } from '../runs/types.js';
import { controlKey, isRunProgress, QUEUE_PREFIX, RUN_QUEUE_NAME, type RemoteAction, type RunJobData, type RunJobResult } from './protocol.js';
import { readQueueCa } from './tls.js';
import { parseQueueUrl, redactSecrets } from './url.js';

export type RemoteOutcome = { status: 'done' | 'failed' | 'cancelled'; error?: string };
/** What control did: sent to the worker that trains it, took a waiting run out, or found it waiting (nothing to pause). */
export type ControlOutcome = 'sent' | 'removed' | 'waiting';

export interface RemoteRunQueue {
  /** The URL as it may be shown (no password). */
  readonly shown: string;
  /** Queue the run (status 'queued', a job) unless a job for it is already waiting or active. */
  enqueue(run: RunHandle): Promise<void>;
  /** enqueue, then resolve once the run has stopped, with how it ended (as its folder says). */
  runToEnd(run: RunHandle): Promise<RemoteOutcome>;
  /**
   * Pause, resume or cancel a run wherever it trains. A run still waiting for a worker: cancel takes it out
   * ('removed', the folder says cancelled), pause and resume leave it queued ('waiting').
   */
  control(runId: string, action: RemoteAction): Promise<ControlOutcome>;
  /** Events of every run trained by any worker; returns an unsubscribe function. */
  onEvent(listener: (runId: string, e: RunEvent, host: string) => void): () => void;
  /** How many runs wait and train in the queue. */
  counts(): Promise<{ waiting: number; active: number; workers: number }>;
  close(): Promise<void>;
}

export interface RemoteRunsOptions {
  url: string;
  /** A PEM file with the CA of a rediss:// server (--queue-ca, $ATSTUDIO_QUEUE_CA). */
  caFile?: string;
  store: RunStore;
  /** How often a waited-for run's job is looked at besides the events (ms, default 1000). */
  pollMs?: number;
  log?: (line: string) => void;
}

const LIVE_STATES = new Set(['active', 'waiting', 'delayed', 'prioritized', 'waiting-children']);

/** Connect and wait until Redis answers (a wrong address fails here, before anything is queued). */
export async function connectRunQueue(opts: RemoteRunsOptions): Promise<RemoteRunQueue> {
  const q = createRunQueue(opts);
  await q.ready;
  return q;
}

/** The queue at once, connecting in the background (the desktop app builds its service synchronously). */
export function createRunQueue(opts: RemoteRunsOptions): RemoteRunQueue & { ready: Promise<void> } {
  const { options, shown } = parseQueueUrl(opts.url, opts.caFile ? { ca: readQueueCa(opts.caFile) } : {});
  const log = (line: string) => (opts.log ?? ((l: string) => console.error(l)))(redactSecrets(line, opts.url));
  const queue = new Queue<RunJobData, RunJobResult>(RUN_QUEUE_NAME, { connection: options, prefix: QUEUE_PREFIX });
  const events = new QueueEvents(RUN_QUEUE_NAME, { connection: options, prefix: QUEUE_PREFIX });
  const redis = new Redis(options);
  let lastError = '';
  const onError = (err: Error) => {
    // ioredis repeats a refused connection every retry: say it once until it changes.
    if (err.message !== lastError) log(`queue ${shown}: ${err.message}`);
    lastError = err.message;
  };
  queue.on('error', onError);
  events.on('error', onError);
  redis.on('error', onError);
  redis.on('ready', () => { lastError = ''; });
  const ready = Promise.all([queue.waitUntilReady(), events.waitUntilReady()]).then(() => undefined);

  const listeners = new Set<(runId: string, e: RunEvent, host: string) => void>();
  events.on('progress', ({ jobId, data }) => {
    if (!isRunProgress(data)) return;
    for (const l of [...listeners]) {
      try {
        l(jobId, data.event, data.host);
      } catch (err) {
        log(`queue: an event listener failed: ${(err as Error).message}`);
      }
    }
  });
  const wakers = new Map<string, Set<() => void>>();
  const wake = ({ jobId }: { jobId: string }) => { for (const w of wakers.get(jobId) ?? []) w(); };
  events.on('completed', wake);
  events.on('failed', wake);
  let closed = false;

  const add = (runId: string) => queue.add('run', { runId }, { jobId: runId, attempts: 1, removeOnComplete: { count: 1000 }, removeOnFail: { count: 1000 } });

  async function enqueue(run: RunHandle): Promise<void> {
    const job = await queue.getJob(run.id);
    if (job && LIVE_STATES.has(await job.getState())) return;
    // A finished job of an earlier try would make add() a no-op (same id): remove it first.
    if (job) await job.remove().catch(() => undefined);
    const st = await run.readStatus();
    if (st.status !== 'queued' && st.status !== 'running' && st.status !== 'paused') {
      await run.writeStatus({ status: 'queued', error: undefined, endedAt: undefined, resumable: await run.hasCheckpoint('latest') });
      await run.log('queued for a worker');
      await run.flush();
    }
    await add(run.id);
  }

  /** Where the run stands: finished (with how), or still going (and its job put back when Redis lost it). */
  async function check(run: RunHandle): Promise<RemoteOutcome | null> {
    const job: Job<RunJobData, RunJobResult> | undefined = await queue.getJob(run.id);
    const state = job ? await job.getState() : 'missing';
    if (job && LIVE_STATES.has(state)) return null;
    const st = await run.readStatus();
    if (state === 'failed' && st.status !== 'failed' && st.status !== 'done') {
      // The worker could not even open it, or it stalled too often: the folder must say so.
      const error = job?.failedReason || 'the run failed on a worker';
      const resumable = await run.hasCheckpoint('latest');
      await run.writeStatus({ status: 'failed', error, resumable });
      await run.log(`failed: ${error}`);
      await run.flush();
      return { status: 'failed', error };
    }
    if (st.status === 'done' || st.status === 'failed' || st.status === 'cancelled') {
      return { status: st.status, ...(st.error ? { error: st.error } : {}) };
    }
    if (state === 'missing' || state === 'unknown' || state === 'completed') {
      // No job, or one that ended while the folder still waits (Redis lost it, or it was queued again).
      log(`queue: run ${run.id} is ${st.status} but has no job${state === 'missing' ? ' (Redis lost it)' : ''}: queued again`);
      if (job) await job.remove().catch(() => undefined);
      await add(run.id);
    }
    return null;
  }

  async function runToEnd(run: RunHandle): Promise<RemoteOutcome> {
    await enqueue(run);
    let nudge: () => void = () => undefined;
    const set = wakers.get(run.id) ?? new Set();
    wakers.set(run.id, set);
    const waker = () => nudge();
    set.add(waker);
    try {
      for (;;) {
        if (closed) return { status: 'cancelled', error: 'stopped watching: the queue connection was closed' };
        const outcome = await check(run).catch((err: Error) => {
          onError(err);
          return null;
        });
        if (outcome) return outcome;
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, opts.pollMs ?? 1000);
          nudge = () => { clearTimeout(t); resolve(); };
        });
      }
    } finally {
      set.delete(waker);
      if (set.size === 0) wakers.delete(run.id);
    }
  }

  async function control(runId: string, action: RemoteAction): Promise<ControlOutcome> {
    const job = await queue.getJob(runId);
    const state = job ? await job.getState() : 'missing';
    if (job && state !== 'active' && LIVE_STATES.has(state)) {
      // Not training anywhere yet. As in the in-process queue: pause and resume have nothing to act on (the
      // run stays queued, and no request is left behind for the worker that takes it later); cancel takes it
      // out of the queue and the folder says cancelled.
      if (action !== 'cancel') return 'waiting';
      // A worker may take the job between getState and remove (remove then fails: the job is locked);
      // the cancel request below then stops it at its first step.
      const removed = await job.remove().then(() => true, () => false);
      if (removed) {
        const run = await opts.store.open(runId);
        await run.writeStatus({ status: 'cancelled', resumable: await run.hasCheckpoint('latest') });
        await run.log('cancelled while queued');
        await run.flush();
        wake({ jobId: runId });
        return 'removed';
      }
    }
    // The worker reads (and deletes) it between steps; it expires if no worker ever does.
    await redis.set(controlKey(runId), action, 'PX', 3_600_000);
    return 'sent';
  }

  return {
    shown,
    ready,
    enqueue,
    runToEnd,
    control,
    onEvent(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async counts() {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      const workers = (await queue.getWorkers()).length;
      return { waiting: (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, workers };
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const set of wakers.values()) for (const w of set) w();
      await Promise.allSettled([queue.close(), events.close()]);
      redis.disconnect();
    },
  };
}
