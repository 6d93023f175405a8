// The application service: the one API the wizard, dashboard and reports use, over the core modules.
// Runs go through a queue and an engine host (one run at a time per engine); everything a run shows is
// read back from its folder, so a new service on the same runs folder picks up where the last one stopped.
import { comparableSettings } from '../runs/settings.js';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pairHints } from '../attention/hintPairs.js';
import { BACKEND_ORDER, BACKEND_PACKAGES } from '../backend/select.js';
import { describeAdapter, WEBGPU_PACKAGES } from '../backend/webgpu.js';
import { probeWebGpu } from '../backend/webgpuProbe.js';
import { ConfigError } from '../config/configError.js';
import { defaultRunConfig } from '../config/runConfig.js';
import { throttleEvents, type ThrottledSink } from '../events/throttle.js';
import type { RunEvent } from '../events/types.js';
import { renderReport } from '../report/html.js';
import { reportLang } from './reportOptions.js';
import { loadReportRun } from '../report/load.js';
import { latestEpochMetrics } from '../runs/metrics.js';
import { isValidRunId } from '../runs/runId.js';
import { replicateKey } from '../runs/replicates.js';
import { RunNotFoundError, RunStore } from '../runs/runStore.js';
import { assertRunUnlocked, RunLockedError } from '../runs/runLock.js';
import type { RunHandle, RunSummary } from '../runs/types.js';
import { atomicWrite } from '../io/atomicWrite.js';
import type { AtStudioApi, BackendOption, ComparisonRow, EventListener, RunDetail } from './api.js';
import { runsActiveInProcess, inProcessEngine } from './engine/inProcess.js';
import type { EngineHost } from './engine/host.js';
import { crashMessage, type ControlAction, type EngineNotice } from './engine/protocol.js';
import { ServiceError } from './errors.js';
import { exportRunMetrics, exportStudentModel } from './exports.js';
import { ExportError, exportStudent } from '../export/exportStudent.js';
import { appVersion } from '../appInfo.js';
import { PathPolicy } from './paths.js';
import { readModelMeta } from '../eval/modelMeta.js';
import { ensureServiceBackend } from './tfReady.js';
import { listDirectory } from './directory.js';
import { estimateDuration } from './estimate.js';
import { clearPreviewCache, previewAttention } from './preview.js';
import { tryImage } from './tryIt.js';
import { datasetView, modelEstimate, teacherFileView, validateRunConfig } from './wizard.js';
import { ServiceStudies } from './studies.js';
import type { RemoteRunQueue } from '../queue/remoteRuns.js';

export interface ServiceOptions {
  runsDir: string;
  /** Where runs train; default: in this process. */
  engine?: EngineHost;
  /** Folders the service may read datasets/teachers from and write exports to; undefined: anywhere. */
  roots?: string[];
  /**
   * Where exports may be written and folders listed when `roots` leaves reads open (serve mode on
   * loopback); the runs folder is always listable, and `listAlso` folders too.
   */
  fileRoots?: string[];
  listAlso?: string[];
  /** Step events per second per run that subscribers get at most (default 10). */
  maxStepEventsPerSecond?: number;
  /**
   * Prints an HTML report to a PDF file (serve: headless Chromium; Electron: printToPDF). Without one,
   * exportReportPdf rejects with code 'unavailable'.
   */
  renderPdf?: (html: string, destPath: string) => Promise<void>;
  /**
   * Runs go to this queue (BullMQ on Redis) instead of the engine: workers on any machine that sees the
   * runs folder train them, side by side; their events come back through the queue. The service closes it.
   */
  queue?: RemoteRunQueue;
}

export type AtStudioService = AtStudioApi & {
  close(): Promise<void>;
  /** Resolves once start-up recovery is done and the queue is idle (tests, the CLI). */
  whenIdle(): Promise<void>;
  readonly engine: EngineHost;
};

interface Subscriber { listener: EventListener; runId?: string }

const require = createRequire(import.meta.url);

export function createService(opts: ServiceOptions): AtStudioService {
  return new Service(opts).api();
}

class Service {
  readonly store: RunStore;
  readonly engine: EngineHost;
  readonly paths: PathPolicy;
  private readonly subscribers = new Set<Subscriber>();
  private readonly throttles = new Map<string, ThrottledSink>();
  private readonly queue: string[] = [];
  private active: {
    runId: string; finished: Promise<void>; finish: () => void; failing?: boolean;
    /** Requests made before the engine had the run (it is still starting): sent once it has. */
    started: boolean; pending: ControlAction[];
    /** A person cancelled it: closing the service must not queue it again. */
    cancelledByUser?: boolean;
  } | null = null;
  private pumping = false;
  private closing = false;
  private idleWaiters: (() => void)[] = [];
  private readonly ready: Promise<void>;
  private readonly offNotice: () => void;
  /** Who waits for a run to stop (a study's driver). */
  private readonly runWaiters = new Map<string, (() => void)[]>();
  readonly studies: ServiceStudies;
  /** Runs this service waits for in the remote queue (opts.queue), and those whose end event came. */
  private readonly remote = new Set<string>();
  private readonly remoteEnded = new Set<string>();
  private readonly offRemote: () => void;

  constructor(private readonly opts: ServiceOptions) {
    this.store = new RunStore(opts.runsDir);
    this.engine = opts.engine ?? inProcessEngine();
    this.paths = new PathPolicy(opts.roots, this.store.runsDir, opts.fileRoots, opts.listAlso);
    this.offNotice = this.engine.onNotice((n) => void this.onNotice(n).catch((err) => console.error('service: engine notice failed', err)));
    this.offRemote = opts.queue?.onEvent((runId, e) => {
      if (e.type === 'done' || e.type === 'failed' || e.type === 'cancelled') this.remoteEnded.add(runId);
      this.dispatch(runId, e);
    }) ?? (() => undefined);
    const self = this;
    this.studies = new ServiceStudies({
      store: this.store, paths: this.paths, parallel: !!opts.queue,
      get closing() { return self.closing; },
      runToEnd: (run) => this.runToEnd(run),
      cancelRun: (id) => this.cancelRun(id),
    });
    this.ready = this.recover().then(() => this.pump()).then(() => this.studies.recover());
    this.ready.catch((err) => console.error('service: start-up recovery failed', err));
  }

  // --- start-up ------------------------------------------------------------------------------------
  /** Runs left running by a process that is gone become failed (resumable); queued runs are queued again. */
  private async recover(): Promise<void> {
    const { runs } = await this.store.scan();
    const queued: RunSummary[] = [];
    for (const r of runs) {
      let orphan = r.interrupted;
      if (!orphan && (r.status === 'running' || r.status === 'paused')) {
        // Our own pid, but no engine in this process trains it: a closed service left it behind.
        const st = await (await this.store.open(r.id)).readStatus();
        orphan = st.pid === process.pid && !runsActiveInProcess.has(r.id);
      }
      if (orphan) {
        const run = await this.store.open(r.id);
        const resumable = await run.hasCheckpoint('latest');
        const message = `the run was interrupted: the process that trained it stopped (a crash, a power cut, or the app was closed)${resumable ? '; resume continues from its last checkpoint' : ''}`;
        await run.writeStatus({ status: 'failed', error: message, resumable });
        await run.log(`failed: ${message}`);
        await run.flush();
      } else if (r.status === 'queued') {
        queued.push(r);
      }
    }
    queued.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    for (const r of queued) if (!this.queue.includes(r.id)) this.queue.push(r.id);
  }

  // --- the queue -----------------------------------------------------------------------------------
  private async pump(): Promise<void> {
    if (this.opts.queue) return this.pumpRemote(this.opts.queue);
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.active && !this.closing && this.queue.length > 0) {
        const id = this.queue.shift()!;
        let run: RunHandle;
        try {
          run = await this.store.open(id);
        } catch {
          continue; // deleted while queued
        }
        if ((await run.readStatus()).status !== 'queued') continue;
        // Another process (the CLI, another service on a shared folder) trains it: its status is not ours.
        if (await assertRunUnlocked(run.dir, id).then(() => false, () => true)) continue;
        let finish!: () => void;
        const finished = new Promise<void>((resolve) => { finish = resolve; });
        const entry = { runId: id, finished, finish, started: false, pending: [] as ControlAction[] };
        this.active = entry;
        const resume = await run.hasCheckpoint('latest');
        try {
          await this.engine.start({ runId: id, runsDir: this.store.runsDir, resume });
          entry.started = true;
          for (const action of entry.pending.splice(0)) this.engine.control(id, action);
        } catch (err) {
          await this.failActive(id, `the engine could not start: ${(err as Error).message}`);
        }
      }
    } finally {
      this.pumping = false;
    }
    this.idleCheck();
  }

  private idleCheck(): void {
    if (!this.active && this.queue.length === 0 && this.remote.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** With a remote queue: every queued run goes to it at once; the workers decide the order. */
  private async pumpRemote(q: RemoteRunQueue): Promise<void> {
    while (!this.closing && this.queue.length > 0) {
      const id = this.queue.shift()!;
      if (this.remote.has(id)) continue;
      const run = await this.store.open(id).catch(() => null);
      if (!run) continue; // deleted while queued
      this.remote.add(id);
      this.remoteEnded.delete(id);
      void q.runToEnd(run).catch((err: Error) => ({ status: 'failed' as const, error: err.message })).then((o) => {
        this.remote.delete(id);
        // Ended without a word from a worker (it could not open the run, or the queue gave up on it).
        if (!this.remoteEnded.delete(id) && !this.closing && o.status !== 'done') {
          this.dispatch(id, o.status === 'failed' ? { type: 'failed', runId: id, error: o.error ?? 'the run failed', resumable: true }
            : { type: 'cancelled', runId: id, resumable: true });
        }
        this.wakeWaiters(id);
        this.idleCheck();
      });
    }
    this.idleCheck();
  }

  private async onNotice(n: EngineNotice): Promise<void> {
    switch (n.type) {
      case 'event':
        this.dispatch(n.runId, n.event);
        return;
      case 'finished':
        if (this.active?.runId !== n.runId) return;
        if (n.status === 'failed') await this.ensureFailedWritten(n.runId, n.error ?? 'the run failed', n.resumable);
        this.endActive();
        return;
      case 'error':
        console.error(`engine: ${n.message}`);
        if (n.runId && this.active?.runId === n.runId && /busy|shutting down/.test(n.message)) {
          await this.failActive(n.runId, n.message);
        }
        return;
      case 'exit':
        if (!n.expected && this.active) await this.failActive(this.active.runId, crashMessage(n.code, n.signal));
        return;
      case 'ready':
        return;
    }
  }

  private endActive(): void {
    const a = this.active;
    if (!a) return;
    this.throttles.get(a.runId)?.flush();
    this.active = null;
    a.finish();
    this.wakeWaiters(a.runId);
    void this.pump();
  }

  private wakeWaiters(runId: string): void {
    const waiters = this.runWaiters.get(runId) ?? [];
    this.runWaiters.delete(runId);
    for (const w of waiters) w();
  }

  /** Queue a run (again, from its checkpoint when it has one) and resolve once it has stopped. */
  async runToEnd(run: RunHandle): Promise<void> {
    if (this.closing) return;
    const stopped = new Promise<void>((resolve) => this.runWaiters.set(run.id, [...(this.runWaiters.get(run.id) ?? []), resolve]));
    // Already training or waiting its turn (start-up recovery queued it): just wait for it.
    if (!this.isActive(run.id) && !this.queue.includes(run.id)) {
      const st = await run.readStatus();
      // A remote queue sets the status itself (and leaves a run that a worker trains as it is).
      if (st.status !== 'queued' && !this.opts.queue) {
        await run.writeStatus({ status: 'queued', error: undefined, endedAt: undefined, resumable: await run.hasCheckpoint('latest') });
        await run.flush();
      }
      this.queue.push(run.id);
      void this.pump();
    }
    await stopped;
  }

  /**
   * runTraining writes its own failures; a run the engine could not even open (unreadable config) would
   * otherwise stay 'queued' and be picked up again at every start.
   */
  private async ensureFailedWritten(runId: string, error: string, resumable: boolean): Promise<void> {
    try {
      const run = await this.store.open(runId);
      const st = await run.readStatus();
      if (st.status === 'failed') return;
      await assertRunUnlocked(run.dir, runId); // refused because another process trains it: leave it be
      await run.writeStatus({ status: 'failed', error, resumable });
      await run.log(`failed: ${error}`);
      await run.flush();
      this.dispatch(runId, { type: 'failed', runId, error, resumable });
    } catch (err) {
      console.error(`service: could not mark run ${runId} failed`, err);
    }
  }

  /** The active run's engine is gone (or never started): write the run failed, tell subscribers, go on. */
  private async failActive(runId: string, reason: string): Promise<void> {
    const a = this.active;
    // Once per run: a crash while starting is reported both by the exit and by the failed start.
    if (!a || a.runId !== runId || a.failing) return;
    a.failing = true;
    try {
      const run = await this.store.open(a.runId);
      const resumable = await run.hasCheckpoint('latest');
      const message = `${reason}${resumable ? '; the run can be resumed from its last checkpoint' : ''}`;
      await run.writeStatus({ status: 'failed', error: message, resumable });
      await run.log(`failed: ${message}`);
      await run.flush();
      this.dispatch(a.runId, { type: 'failed', runId: a.runId, error: message, resumable });
    } catch (err) {
      console.error(`service: could not mark run ${a.runId} failed`, err);
    }
    if (this.active === a) this.endActive();
  }

  // --- events --------------------------------------------------------------------------------------
  private dispatch(runId: string, e: RunEvent): void {
    let sink = this.throttles.get(runId);
    if (!sink) {
      sink = throttleEvents((ev) => this.deliver(runId, ev), this.opts.maxStepEventsPerSecond ?? 10);
      this.throttles.set(runId, sink);
    }
    sink(e);
    if (e.type === 'done' || e.type === 'failed' || e.type === 'cancelled') {
      sink.close();
      this.throttles.delete(runId);
    }
  }

  private deliver(runId: string, e: RunEvent): void {
    for (const s of [...this.subscribers]) {
      if (s.runId !== undefined && s.runId !== runId) continue;
      try {
        s.listener(runId, e);
      } catch (err) {
        console.error('service: an event listener failed', err);
      }
    }
  }

  subscribe(listener: EventListener, runId?: string): () => void {
    const s: Subscriber = { listener, ...(runId !== undefined ? { runId } : {}) };
    this.subscribers.add(s);
    return () => void this.subscribers.delete(s);
  }

  // --- helpers -------------------------------------------------------------------------------------
  async open(runId: unknown): Promise<RunHandle> {
    if (typeof runId !== 'string' || !isValidRunId(runId)) throw new ServiceError('invalid', `not a run id: ${JSON.stringify(runId)}`);
    try {
      return await this.store.open(runId);
    } catch (err) {
      if (err instanceof RunNotFoundError) throw new ServiceError('not-found', err.message);
      if (err instanceof ConfigError) throw new ServiceError('internal', `run ${runId} cannot be read: ${err.message}`);
      throw err;
    }
  }

  async summary(runId: string): Promise<RunSummary> {
    const s = (await this.store.list()).find((r) => r.id === runId);
    if (!s) throw new ServiceError('not-found', `no run ${JSON.stringify(runId)}`);
    return s;
  }

  private isActive(runId: string): boolean {
    return this.active?.runId === runId || this.remote.has(runId);
  }

  private control(runId: string, action: ControlAction): void {
    if (this.remote.has(runId)) {
      void this.opts.queue?.control(runId, action).catch((err: Error) => console.error(`service: ${action} of run ${runId} through the queue failed: ${err.message}`));
      return;
    }
    const a = this.active;
    if (!a || a.runId !== runId) return;
    if (a.started) this.engine.control(runId, action);
    else a.pending.push(action);
  }

  // --- runs ----------------------------------------------------------------------------------------
  async startRun(input: unknown): Promise<RunSummary> {
    const v = await validateRunConfig(input, { paths: this.paths, store: this.store, deep: true });
    if (!v.ok || !v.config) {
      throw new ServiceError('invalid', `the run config has problems:\n${v.issues.map((i) => `  ${i.path || '(config)'}: ${i.message}`).join('\n')}`, v.issues);
    }
    if (this.closing) throw new ServiceError('conflict', 'the service is closing');
    const run = await this.store.create(v.config);
    for (const w of v.warnings) await run.log(`warning: ${w}`);
    const waiting = this.active && !this.opts.queue ? 1 + this.queue.length : 0;
    if (waiting) await run.log(`queued: ${waiting} run(s) before it on this engine`);
    await run.flush();
    this.queue.push(run.id);
    void this.pump();
    return this.summary(run.id);
  }

  async pauseRun(runId: string): Promise<void> {
    const run = await this.open(runId);
    if (this.isActive(run.id)) {
      this.control(run.id, 'pause');
      return;
    }
    const st = await run.readStatus();
    throw new ServiceError('conflict', st.status === 'queued'
      ? `run ${run.id} is queued, not running yet: nothing to pause (cancel it to take it out of the queue)`
      : `run ${run.id} is ${st.status}, not running: nothing to pause`);
  }

  async resumeRun(runId: string): Promise<void> {
    const run = await this.open(runId);
    const st = await run.readStatus();
    if (this.isActive(run.id) && st.status !== 'done') {
      this.control(run.id, 'resume');
      return;
    }
    if (st.status === 'queued') return; // already waiting its turn
    if (st.status === 'done') throw new ServiceError('conflict', `run ${run.id} is done: nothing to resume`);
    await this.unlockedOrConflict(run);
    // failed, cancelled, or paused/running by a process that is gone: back into the queue, from its checkpoint.
    const resumable = await run.hasCheckpoint('latest');
    await run.writeStatus({ status: 'queued', error: undefined, endedAt: undefined, resumable });
    await run.log(resumable ? 'queued to resume from its last checkpoint' : 'queued to start again (no checkpoint yet)');
    await run.flush();
    this.queue.push(run.id);
    void this.pump();
  }

  async cancelRun(runId: string): Promise<void> {
    const run = await this.open(runId);
    if (this.isActive(run.id)) {
      if (this.active?.runId === run.id) this.active.cancelledByUser = true;
      this.control(run.id, 'cancel');
      return;
    }
    const st = await run.readStatus();
    if (st.status !== 'queued') throw new ServiceError('conflict', `run ${run.id} is ${st.status}: only a queued or running run can be cancelled`);
    this.dropFromQueue(run.id);
    const resumable = await run.hasCheckpoint('latest');
    await run.writeStatus({ status: 'cancelled', resumable });
    await run.log('cancelled while queued');
    await run.flush();
    this.dispatch(run.id, { type: 'cancelled', runId: run.id, resumable });
    this.wakeWaiters(run.id);
  }

  private dropFromQueue(runId: string): void {
    for (let i = this.queue.indexOf(runId); i >= 0; i = this.queue.indexOf(runId)) this.queue.splice(i, 1);
  }

  async deleteRun(runId: string): Promise<void> {
    const run = await this.open(runId);
    if (this.isActive(run.id)) throw new ServiceError('conflict', `run ${run.id} is running: cancel it before deleting it`);
    const summary = await this.summary(run.id);
    if ((summary.status === 'running' || summary.status === 'paused') && !summary.interrupted) {
      throw new ServiceError('conflict', `run ${run.id} is ${summary.status} in another process (pid ${(await run.readStatus()).pid}): stop it before deleting it`);
    }
    this.dropFromQueue(run.id);
    await run.flush();
    try {
      await this.store.remove(run.id);
    } catch (err) {
      if (err instanceof RunLockedError) throw new ServiceError('conflict', `${err.message}: stop it before deleting it`);
      throw err;
    }
  }

  /** Another process (the CLI, another service on a shared folder) holds the run's lock: a conflict. */
  private async unlockedOrConflict(run: RunHandle): Promise<void> {
    try {
      await assertRunUnlocked(run.dir, run.id);
    } catch (err) {
      if (err instanceof RunLockedError) throw new ServiceError('conflict', err.message);
      throw err;
    }
  }

  async getRun(runId: string): Promise<RunDetail> {
    const run = await this.open(runId);
    const classesOf = async (role: 'student' | 'teacher') => (await readModelMeta(path.dirname(run.modelPath(role))).catch(() => null))?.classes;
    const [summary, status, environment, studentClasses] = await Promise.all([
      this.summary(run.id), run.readStatus(), run.readEnvironment(), classesOf('student'),
    ]);
    // The teacher's copy only while no student is saved yet (the dashboard asks every few seconds).
    const classes = studentClasses ?? await classesOf('teacher');
    const inQueue = this.queue.indexOf(run.id);
    return { summary, config: run.config, status, environment, ...(classes ? { classes } : {}), ...(inQueue >= 0 ? { queuePosition: inQueue + (this.active ? 1 : 0) } : {}) };
  }

  async compareRuns(runIds: string[]): Promise<ComparisonRow[]> {
    if (!Array.isArray(runIds)) throw new ServiceError('invalid', 'compareRuns takes a list of run ids');
    const rows: ComparisonRow[] = [];
    for (const id of runIds) {
      const run = await this.open(id);
      const [summary, status, env, metrics] = await Promise.all([this.summary(run.id), run.readStatus(), run.readEnvironment(), run.readMetrics()]);
      const student = (env?.student ?? {}) as { params?: number; multiplyAdds?: number; sizeBytes?: number; latencyMs?: number };
      const backend = (env?.backend ?? {}) as { name?: string };
      const epochs = latestEpochMetrics(metrics, 'student');
      const agreement = epochs.at(-1)?.test.agreement;
      const trainSeconds = status.activeSeconds > 0 ? status.activeSeconds : summary.durationSeconds;
      const res = status.results.student;
      rows.push({
        runId: run.id, name: run.config.name, method: run.config.method, models: summary.models,
        seed: run.config.seed, replicateKey: replicateKey(run.config),
        ...(student.params !== undefined ? { params: student.params } : {}),
        ...(student.multiplyAdds !== undefined ? { multiplyAdds: student.multiplyAdds } : {}),
        ...(student.sizeBytes !== undefined ? { sizeBytes: student.sizeBytes } : {}),
        ...(student.latencyMs !== undefined ? { latencyMs: student.latencyMs } : {}),
        ...(res?.best ? { bestTop1: res.best.top1 } : {}),
        ...(res?.last ? { lastTop1: res.last.top1 } : {}),
        ...(agreement !== undefined ? { agreement } : {}),
        trainSeconds,
        ...(backend.name ? { backend: backend.name } : {}),
        settings: comparableSettings(run.config),
      });
    }
    return rows;
  }

  private async reportHtml(runIds: string[], what: string, opts?: unknown): Promise<string> {
    const lang = reportLang(opts);
    if (!Array.isArray(runIds) || runIds.length === 0) throw new ServiceError('invalid', `${what} needs at least one run id`);
    const runs = [];
    for (const id of runIds) runs.push(await loadReportRun(await this.open(id)));
    return renderReport(runs, { lang });
  }

  async exportReportPdf(runIds: string[], destPath: string, opts?: unknown): Promise<{ path: string; bytes: number }> {
    const render = this.opts.renderPdf;
    if (!render) throw new ServiceError('unavailable', 'PDF export needs Chromium (or the desktop app), and none was found here: install chromium (or set CHROME_PATH), or export the HTML report and print it from a browser');
    const dest = this.paths.check(destPath, 'PDF file', 'write');
    const html = await this.reportHtml(runIds, 'exportReportPdf', opts);
    try {
      await render(html, dest);
    } catch (err) {
      throw new ServiceError('internal', `printing the report to PDF failed: ${(err as Error).message}`);
    }
    const st = await fs.stat(dest);
    return { path: dest, bytes: st.size };
  }

  async exportReport(runIds: string[], destPath: string, opts?: unknown): Promise<{ path: string; bytes: number }> {
    if (!Array.isArray(runIds) || runIds.length === 0) throw new ServiceError('invalid', 'exportReport needs at least one run id');
    const dest = this.paths.check(destPath, 'report file', 'write');
    const html = Buffer.from(await this.reportHtml(runIds, 'exportReport', opts), 'utf8');
    await fs.mkdir(path.dirname(dest), { recursive: true });
    await atomicWrite(dest, html);
    return { path: dest, bytes: html.byteLength };
  }

  async backends(): Promise<BackendOption[]> {
    const webgpu = await this.webgpuOption();
    return BACKEND_ORDER.map((name): BackendOption => {
      if (name === 'cpu') return { name, available: true, reason: 'plain JavaScript: always there, very slow' };
      if (name === 'webgpu') return webgpu;
      const pkg = BACKEND_PACKAGES[name];
      try {
        require.resolve(pkg);
        const reason = name === 'wasm' ? `${pkg} is installed` : `${pkg} is installed (whether it loads is known when a run starts)`;
        return { name, available: true, reason };
      } catch {
        return { name, available: false, reason: `${pkg} is not installed (an optional package; it downloads libtensorflow when installed)` };
      }
    });
  }

  /** webgpu: the adapter Dawn offers here, asked once in a child process (dawn.node never loads in this one). */
  private async webgpuOption(): Promise<BackendOption> {
    for (const pkg of Object.values(WEBGPU_PACKAGES)) {
      try {
        require.resolve(pkg);
      } catch {
        return { name: 'webgpu', available: false, reason: `${pkg} is not installed` };
      }
    }
    const probe = await probeWebGpu();
    if ('reason' in probe) return { name: 'webgpu', available: false, reason: probe.reason };
    const a = probe.adapter;
    const reason = a.software
      ? `only ${describeAdapter(a)}: it emulates a GPU on the CPU, far slower than wasm, so Automatic never picks it`
      : `${describeAdapter(a)} through WebGPU`;
    return { name: 'webgpu', available: true, reason, adapter: { vendor: a.vendor, architecture: a.architecture, description: a.description, software: a.software } };
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.ready.catch(() => undefined);
    const a = this.active;
    if (a) {
      // Stopped at a step boundary with a checkpoint, and queued again: the next service continues it.
      this.control(a.runId, 'cancel');
      await Promise.race([a.finished, new Promise((r) => setTimeout(r, 30_000))]);
    }
    await this.engine.close();
    if (a) {
      const run = await this.store.open(a.runId).catch(() => null);
      const st = await run?.readStatus().catch(() => null);
      const stoppedByClose = st && (st.status === 'running' || st.status === 'paused' || (st.status === 'cancelled' && !a.cancelledByUser));
      if (run && stoppedByClose) {
        await run.writeStatus({ status: 'queued', error: undefined, endedAt: undefined });
        await run.log('the service closed: stopped at a checkpoint and queued to continue when it starts again');
        await run.flush();
      }
      this.active = null;
    }
    // Runs in a remote queue go on training on their workers; this service only stops watching them.
    this.offRemote();
    await this.opts.queue?.close();
    for (const id of [...this.runWaiters.keys()]) this.wakeWaiters(id);
    await this.studies.closed();
    this.offNotice();
    clearPreviewCache();
    for (const t of this.throttles.values()) t.close();
    this.throttles.clear();
    this.subscribers.clear();
    for (const w of this.idleWaiters) w();
    this.idleWaiters = [];
  }

  whenIdle(): Promise<void> {
    return this.ready.then(() => (!this.active && this.queue.length === 0 && this.remote.size === 0 ? undefined : new Promise<void>((r) => this.idleWaiters.push(r))));
  }

  // --- the API object ------------------------------------------------------------------------------
  api(): AtStudioService {
    const guard = <A extends unknown[], R>(fn: (...args: A) => Promise<R> | R) => async (...args: A): Promise<R> => {
      await this.ready;
      try {
        return await fn(...args);
      } catch (err) {
        throw toServiceError(err);
      }
    };
    // Methods that build models in this process need its TF.js backend first.
    const withTf = <A extends unknown[], R>(fn: (...args: A) => Promise<R> | R) => async (...args: A): Promise<R> => {
      await ensureServiceBackend();
      return fn(...args);
    };
    const self = this;
    return {
      engine: this.engine,
      inspectDataset: guard((p: string, format?) => datasetView(self.paths.check(p, 'dataset folder', 'read'), format)),
      estimateModel: guard(withTf((req) => {
        if (!req || typeof req !== 'object' || !req.model) throw new ServiceError('invalid', 'estimateModel takes { model, inputShape, numClasses }');
        return modelEstimate(req);
      })),
      inspectTeacherFile: guard(withTf((p: string, taps?: string[]) => teacherFileView(self.paths.check(p, 'teacher model.json', 'read'), taps))),
      proposeHintPairs: guard((s, t, explicit?) => {
        try {
          return pairHints(s, t, explicit);
        } catch (err) {
          throw new ServiceError('invalid', (err as Error).message);
        }
      }),
      validateConfig: guard(withTf((c: unknown) => validateRunConfig(c, { paths: self.paths, store: self.store }))),
      defaultConfig: guard(() => defaultRunConfig()),
      backends: guard(() => self.backends()),
      startRun: guard((c: unknown) => self.startRun(c)),
      pauseRun: guard((id: string) => self.pauseRun(id)),
      resumeRun: guard((id: string) => self.resumeRun(id)),
      cancelRun: guard((id: string) => self.cancelRun(id)),
      deleteRun: guard((id: string) => self.deleteRun(id)),
      listRuns: guard(() => self.store.list()),
      getRun: guard((id: string) => self.getRun(id)),
      getMetrics: guard(async (id: string) => (await self.open(id)).readMetrics()),
      getSnapshots: guard(async (id: string) => (await self.open(id)).readSnapshots()),
      getProbes: guard(async (id: string) => {
        const p = await (await self.open(id)).readProbes();
        if (!p) return null;
        const { pngs, ...rest } = p;
        return { ...rest, pngBase64: (pngs ?? []).map((b) => Buffer.from(b).toString('base64')) };
      }),
      getLog: guard(async (id: string) => (await self.open(id)).readLog()),
      compareRuns: guard((ids: string[]) => self.compareRuns(ids)),
      exportReport: guard((ids: string[], dest: string, opts?: unknown) => self.exportReport(ids, dest, opts)),
      exportModel: guard(async (id: string, dest: string, format?: 'tfjs' | 'onnx' | 'zip') => {
        if (format === undefined || format === 'tfjs') return exportStudentModel(await self.open(id), self.paths.check(dest, 'export folder', 'write'));
        if (format !== 'onnx' && format !== 'zip') throw new ServiceError('invalid', `format must be "tfjs", "onnx" or "zip", got ${JSON.stringify(format)}`);
        const run = await self.open(id);
        try {
          const r = await exportStudent(run, self.paths.check(dest, 'export file', 'write'), format, appVersion());
          return { path: r.path, bytes: r.bytes };
        } catch (err) {
          if (err instanceof ExportError) throw new ServiceError(err.code, err.message);
          throw err;
        }
      }),
      exportMetrics: guard(async (id: string, dest: string, format: 'csv' | 'json') => {
        if (format !== 'csv' && format !== 'json') throw new ServiceError('invalid', `format must be "csv" or "json", got ${JSON.stringify(format)}`);
        return exportRunMetrics(await self.open(id), self.paths.check(dest, 'metrics file', 'write'), format);
      }),
      previewAttention: guard(withTf((req) => previewAttention(req, { paths: self.paths, store: self.store }))),
      tryImage: guard(withTf((id: string, image: string) => tryImage(id, image, { store: self.store }))),
      estimateDuration: guard((c: unknown) => estimateDuration(c, { paths: self.paths, store: self.store, busy: () => self.active !== null })),
      exportReportPdf: guard((ids: string[], dest: string, opts?: unknown) => self.exportReportPdf(ids, dest, opts)),
      validateStudy: guard(withTf((c: unknown) => self.studies.validate(c))),
      startStudy: guard(withTf((c: unknown) => self.studies.start(c))),
      listStudies: guard(() => self.studies.list()),
      getStudy: guard((id: string) => self.studies.get(id)),
      cancelStudy: guard((id: string) => self.studies.cancel(id)),
      resumeStudy: guard((id: string) => self.studies.resume(id)),
      exportStudyReport: guard((id: string, dest: string, opts?: unknown) => self.studies.exportReport(id, dest, opts)),
      listDirectory: guard((p?: string) => listDirectory(p, { paths: self.paths, ...(self.opts.roots ? { roots: self.opts.roots } : {}), runsDir: self.store.runsDir })),
      subscribe: (listener: EventListener, runId?: string) => self.subscribe(listener, runId),
      close: () => self.close(),
      whenIdle: () => self.whenIdle(),
    };
  }
}

/** Errors leave the service as ServiceErrors with a code; anything unexpected is 'internal'. */
function toServiceError(err: unknown): ServiceError {
  if (err instanceof ServiceError) return err;
  if (err instanceof ConfigError) return new ServiceError('invalid', err.message, err.issues);
  if (err instanceof RunNotFoundError) return new ServiceError('not-found', err.message);
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return new ServiceError('not-found', e.message);
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return new ServiceError('forbidden', e.message);
  const named = e?.name;
  if (named === 'DataError' || named === 'ModelError' || named === 'ModelFileError' || named === 'HintPairError') return new ServiceError('invalid', e.message);
  return new ServiceError('internal', e?.message ?? String(err));
}
