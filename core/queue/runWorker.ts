// A queue worker: takes one run at a time from the BullMQ queue and trains it on this machine, in the
// run's folder under this machine's mount of the shared runs folder. Training runs in an engine child
// process (the service's own), so this process stays free to renew the job's lock in Redis however long
// a step blocks the engine's event loop; the engine stops at a checkpoint when this process dies (its IPC
// channel closes). Events go back as the job's progress (QueueEvents carries them to every app and server
// watching the queue); pause/resume/cancel come as control keys read twice a second.
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
import { throttleEvents } from '../events/throttle.js';
import type { RunEvent } from '../events/types.js';
import { isValidRunId } from '../runs/runId.js';
import { acquireRunLock, RunLockedError } from '../runs/runLock.js';
import { RunStore } from '../runs/runStore.js';
import { childProcessEngine } from '../service/engine/childProcess.js';
import { crashMessage, type EngineNotice } from '../service/engine/protocol.js';
import { holderGoneByHeartbeat, startHeartbeat, type Heartbeat } from './heartbeat.js';
import { controlKey, DEFAULT_STALL, QUEUE_PREFIX, RUN_QUEUE_NAME, type RemoteAction, type RunJobData, type RunJobResult, type RunProgress, type StallTiming } from './protocol.js';
import { readQueueCa } from './tls.js';
import { parseQueueUrl, redactSecrets } from './url.js';

export interface RunWorkerOptions {
  url: string;
  /** A PEM file with the CA of a rediss:// server (--queue-ca, $ATSTUDIO_QUEUE_CA). */
  caFile?: string;
  runsDir: string;
  /** The backend runs train on here: 'auto' (default) is this machine's fastest. */
  backend?: string;
  stall?: Partial<StallTiming>;
  /** Progress lines (already free of credentials). */
  log?: (line: string) => void;
  /** Run events, for a progress view. */
  onEvent?: (runId: string, e: RunEvent) => void;
  /** Step events per second sent through Redis (default 4). */
  stepEventsPerSecond?: number;
  /** The engine's script (tests running from sources); default: the built engineMain.js. */
  engineScript?: string;
}

export interface RunWorker {
  readonly id: string;
  /** Stop taking runs; a run in training stops at a checkpoint and goes back to the queue for another worker. */
  close(): Promise<void>;
  /** Resolves once close() has finished. */
  readonly closed: Promise<void>;
}

type Finished = Extract<EngineNotice, { type: 'finished' }>;

export async function startRunWorker(opts: RunWorkerOptions): Promise<RunWorker> {
  const { options, shown } = parseQueueUrl(opts.url, opts.caFile ? { ca: readQueueCa(opts.caFile) } : {});
  const stall: StallTiming = { ...DEFAULT_STALL, ...opts.stall };
  const host = os.hostname();
  const id = `${host}:${process.pid}`;
  const backend = opts.backend ?? 'auto';
  const log = (line: string) => opts.log?.(redactSecrets(line, opts.url));
  const store = new RunStore(opts.runsDir);
  const redis = new Redis(options);
  redis.on('error', (err: Error) => log(`redis: ${err.message}`));
  const heartbeat: Heartbeat = await startHeartbeat(redis, stall.lockDuration, host);
  const isHolderGone = holderGoneByHeartbeat(redis, stall.lockDuration);
  const engine = childProcessEngine(opts.engineScript ? { scriptPath: opts.engineScript } : {});
  let closing = false;
  // The run in training: its events and its end come from the engine's notices.
  let active: { runId: string; onEvent: (e: RunEvent) => void; end: (f: Finished) => void } | null = null;
  engine.onNotice((n) => {
    if (!active) return;
    if (n.type === 'event' && n.runId === active.runId) active.onEvent(n.event);
    else if (n.type === 'finished' && n.runId === active.runId) active.end(n);
    else if (n.type === 'error' && (!n.runId || n.runId === active.runId)) active.end({ type: 'finished', runId: active.runId, status: 'failed', error: n.message, resumable: true });
    else if (n.type === 'exit' && !n.expected) active.end({ type: 'finished', runId: active.runId, status: 'failed', error: crashMessage(n.code, n.signal), resumable: true });
  });

  const delay = async (job: Job, token: string | undefined, ms: number): Promise<never> => {
    await job.moveToDelayed(Date.now() + ms, token);
    throw new DelayedError();
  };

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
    // Who holds the run's lock? A dead holder (here: its pid; elsewhere: its heartbeat) is taken over now,
    // so that the engine's own lock finds it free; a live one means the run trains elsewhere: later.
    try {
      await (await acquireRunLock(run.dir, runId, { isHolderGone })).release();
    } catch (err) {
      if (!(err instanceof RunLockedError)) throw err;
      log(`run ${runId}: ${err.message}; looking again in ${Math.round(stall.lockDuration / 1000)} s`);
      return delay(job, token, stall.lockDuration);
    }
    const resume = (await run.hasCheckpoint('latest')) || st.status !== 'queued';
    const send = throttleEvents((event) => {
      const p: RunProgress = { event, host, worker: id };
      void job.updateProgress(p as unknown as object).catch(() => undefined);
    }, opts.stepEventsPerSecond ?? 4);
    const finished = new Promise<Finished>((resolve) => {
      active = { runId, onEvent: (e) => { send(e); opts.onEvent?.(runId, e); }, end: resolve };
    });
    const poll = setInterval(() => {
      void redis.getdel(controlKey(runId)).then((a) => {
        if (a === 'pause' || a === 'resume' || a === 'cancel') engine.control(runId, a as RemoteAction);
      }).catch(() => undefined);
    }, 500);
    log(`run ${runId}: ${resume ? 'resuming from its last checkpoint' : 'starting'}`);
    try {
      await engine.start({ runId, runsDir: store.runsDir, resume, backend, environment: { worker: { host, pid: process.pid, id } } });
      const f = await finished;
      send.flush();
      const now = await run.readStatus().catch(() => null);
      if (closing && now?.status === 'queued') {
        // This worker is going away, not the person: back to the queue for another worker, from its checkpoint.
        log(`run ${runId}: stopped at a checkpoint; back in the queue`);
        return await delay(job, token, 0);
      }
      if (f.status === 'failed' && f.code === 'run.locked') {
        return await delay(job, token, stall.lockDuration);
      }
      if (f.status === 'failed') {
        log(`run ${runId}: failed: ${f.error ?? 'see its log'}`);
        throw new UnrecoverableError(f.error ?? 'the run failed (see its log)');
      }
      log(`run ${runId}: ${f.status}`);
      return { status: f.status === 'done' ? 'done' : 'cancelled', host };
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
  let lastError = '';
  worker.on('error', (err) => {
    if (err.message !== lastError) log(`queue: ${err.message}`);
    lastError = err.message;
  });
  await worker.waitUntilReady();
  log(`worker ${id} takes runs from ${shown}; runs folder ${store.runsDir}; backend ${backend}`);

  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => { resolveClosed = r; });
  return {
    id,
    closed,
    async close() {
      if (closing) return closed;
      closing = true;
      // The engine first: its run stops at a checkpoint (status queued), then the job goes back.
      const stopping = worker.close();
      await engine.close();
      await stopping;
      await heartbeat.stop();
      redis.disconnect();
      resolveClosed();
      return closed;
    },
  };
}
