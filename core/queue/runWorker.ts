// A queue worker: takes one run at a time from the BullMQ queue and trains it here with runTraining, in
// the run's folder under this machine's mount of the shared runs folder. Events go back as the job's
// progress (QueueEvents carries them to every app and server watching the queue); pause/resume/cancel
// come as control keys read twice a second.
//
// Faults: a worker killed mid-run stops renewing its job's lock; BullMQ's stalled-job checker (run by
// every worker) puts the job back, and the next worker resumes the run from its last checkpoint — the
// run lock guarantees one writer (a dead holder on this host by its pid, on another host by its missing
// heartbeat, see heartbeat.ts). A live holder (a run still training elsewhere) delays the job instead.
// A run that fails for its own reasons (bad data, a NaN loss) fails its job with UnrecoverableError: it
// is not tried again, and its status stays failed with its message.
import * as os from 'node:os';
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { BackendChoice } from '../backend/index.js';
import { throttleEvents } from '../events/throttle.js';
import type { RunEvent } from '../events/types.js';
import { isValidRunId } from '../runs/runId.js';
import { RunLockedError } from '../runs/runLock.js';
import { RunStore } from '../runs/runStore.js';
import { createTrainControl, type TrainControl } from '../train/control.js';
import { runTraining } from '../train/runTraining.js';
import { holderGoneByHeartbeat, startHeartbeat, type Heartbeat } from './heartbeat.js';
import { controlKey, DEFAULT_STALL, QUEUE_PREFIX, RUN_QUEUE_NAME, type RemoteAction, type RunJobData, type RunJobResult, type RunProgress, type StallTiming } from './protocol.js';
import { parseQueueUrl, redactSecrets } from './url.js';

export interface RunWorkerOptions {
  url: string;
  runsDir: string;
  /** The backend every run trains on here (the CLI picks the fastest present, or --backend). */
  backend: BackendChoice;
  stall?: Partial<StallTiming>;
  /** Progress lines (already free of credentials). */
  log?: (line: string) => void;
  /** Run events, for a progress view. */
  onEvent?: (runId: string, e: RunEvent) => void;
  /** Step events per second sent through Redis (default 4). */
  stepEventsPerSecond?: number;
}

export interface RunWorker {
  readonly id: string;
  /** Stop taking runs; a run in training stops at a checkpoint and goes back to the queue for another worker. */
  close(): Promise<void>;
  /** Resolves when the worker has stopped by itself (never, unless close() is called). */
  readonly closed: Promise<void>;
}

export async function startRunWorker(opts: RunWorkerOptions): Promise<RunWorker> {
  const { options, shown } = parseQueueUrl(opts.url);
  const stall: StallTiming = { ...DEFAULT_STALL, ...opts.stall };
  const host = os.hostname();
  const id = `${host}:${process.pid}`;
  const log = (line: string) => opts.log?.(redactSecrets(line, opts.url));
  const store = new RunStore(opts.runsDir);
  const redis = new Redis({ ...options, lazyConnect: false });
  redis.on('error', (err: Error) => log(`redis: ${err.message}`));
  const heartbeat: Heartbeat = await startHeartbeat(redis, stall.lockDuration, host);
  const isHolderGone = holderGoneByHeartbeat(redis, stall.lockDuration);
  let closing = false;
  let active: { runId: string; control: TrainControl } | null = null;

  const processor = async (job: Job<RunJobData, RunJobResult>, token?: string): Promise<RunJobResult> => {
    const runId = job.data?.runId;
    if (typeof runId !== 'string' || !isValidRunId(runId)) throw new UnrecoverableError(`job ${job.id}: not a run id: ${JSON.stringify(runId)}`);
    let run;
    try {
      run = await store.open(runId);
    } catch (err) {
      throw new UnrecoverableError(`worker ${id} cannot open run ${runId} in ${store.runsDir}: ${(err as Error).message} (is --runs-dir this machine's mount of the shared runs folder?)`);
    }
    const st = await run.readStatus();
    if (st.status === 'done') return { status: 'done', host };
    if (st.status === 'cancelled') return { status: 'cancelled', host };
    const resume = (await run.hasCheckpoint('latest')) || st.status !== 'queued';
    const control = createTrainControl();
    active = { runId, control };
    const poll = setInterval(() => {
      void redis.getdel(controlKey(runId)).then((a) => {
        if (a === 'pause' || a === 'resume' || a === 'cancel') control[a as RemoteAction]();
      }).catch(() => undefined);
    }, 500);
    const send = throttleEvents((event) => {
      const p: RunProgress = { event, host, worker: id };
      void job.updateProgress(p as unknown as object).catch(() => undefined);
    }, opts.stepEventsPerSecond ?? 4);
    log(`run ${runId}: ${resume ? 'resuming from its last checkpoint' : 'starting'} on ${opts.backend.name}`);
    try {
      const r = await runTraining(run, {
        onEvent: (e) => {
          send(e);
          opts.onEvent?.(runId, e);
        },
        control, backend: opts.backend, resume,
        lock: { isHolderGone },
        environment: { worker: { host, pid: process.pid, id } },
      });
      send.flush();
      if (r.status === 'cancelled' && closing) {
        // This worker is going away, not the person: queued again for another worker, from its checkpoint.
        await run.writeStatus({ status: 'queued', endedAt: undefined });
        await run.log(`worker ${id} stopped: the run stopped at a checkpoint and went back to the queue`);
        await run.flush();
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      if (r.status === 'failed') {
        log(`run ${runId}: failed: ${r.error ?? 'see its log'}`);
        throw new UnrecoverableError(r.error ?? 'the run failed (see its log)');
      }
      log(`run ${runId}: ${r.status}`);
      return { status: r.status === 'done' ? 'done' : 'cancelled', host };
    } catch (err) {
      if (err instanceof RunLockedError) {
        // Someone alive trains it (a job that stalled while its worker lives on): look again later.
        log(`run ${runId}: ${err.message}; trying again in ${Math.round(stall.lockDuration / 1000)} s`);
        await job.moveToDelayed(Date.now() + stall.lockDuration, token);
        throw new DelayedError();
      }
      throw err;
    } finally {
      clearInterval(poll);
      send.close();
      active = null;
    }
  };

  const worker = new Worker<RunJobData, RunJobResult>(RUN_QUEUE_NAME, processor, {
    connection: options, prefix: QUEUE_PREFIX, concurrency: 1,
    lockDuration: stall.lockDuration, stalledInterval: stall.stalledInterval, maxStalledCount: 5,
  });
  worker.on('error', (err) => log(`queue: ${err.message}`));
  await worker.waitUntilReady();
  log(`worker ${id} takes runs from ${shown}; runs folder ${store.runsDir}; backend ${opts.backend.name}`);

  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => { resolveClosed = r; });
  return {
    id,
    closed,
    async close() {
      if (closing) return closed;
      closing = true;
      active?.control.cancel();
      await worker.close();
      await heartbeat.stop();
      redis.disconnect();
      resolveClosed();
      return closed;
    },
  };
}
