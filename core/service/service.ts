// The application service: the one API the wizard, dashboard and reports use, over the core modules.
// Runs go through a queue and an engine host (one run at a time per engine); everything a run shows is
// read back from its folder, so a new service on the same runs folder picks up where the last one stopped.
// This file only wires the parts together; the API is the table in `handlers` (one line per method).
import { pairHints } from '../attention/hintPairs.js';
import { defaultRunConfig } from '../config/runConfig.js';
import type { RemoteRunQueue } from '../queue/remoteRuns.js';
import { RunStore } from '../runs/runStore.js';
import type { ApiMethod, AtStudioApi } from './api.js';
import { backendOptions } from './backendOptions.js';
import { comparisonRows } from './comparison.js';
import { listDirectory } from './directory.js';
import type { EngineHost } from './engine/host.js';
import { inProcessEngine } from './engine/inProcess.js';
import { ServiceError, toServiceError } from './errors.js';
import { estimateDuration } from './estimate.js';
import { EventHub } from './eventHub.js';
import { exportMetricsAs, exportModelAs } from './exports.js';
import { PathPolicy } from './paths.js';
import { queueSettingsMethods, type QueueSettingsHost } from './queueSettingsApi.js';
import { clearPreviewCache, previewAttention } from './preview.js';
import { recoverRuns } from './recovery.js';
import { exportReport, exportReportPdf, type RenderPdf } from './reportExports.js';
import { cancelRun, deleteRun, pauseRun, resumeRun, startRun } from './runControl.js';
import { openRun, runDetail, runProbes } from './runQueries.js';
import { RunQueue } from './runQueue.js';
import { ServiceStudies } from './studies.js';
import { ensureServiceBackend } from './tfReady.js';
import { tryImage } from './tryIt.js';
import { measureLatency } from './latency.js';
import { datasetView, modelEstimate, teacherFileView, validateRunConfig } from './wizard.js';

export interface ServiceOptions {
  runsDir: string;
  /** Where runs train; default: in this process. */
  engine?: EngineHost;
  /** Folders the service may read datasets/teachers from and write exports to; undefined: anywhere. */
  roots?: string[] | undefined;
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
  renderPdf?: RenderPdf;
  /**
   * Runs go to this queue (BullMQ on Redis) instead of the engine: workers on any machine that sees the
   * runs folder train them, side by side; their events come back through the queue. The service closes it.
   */
  queue?: RemoteRunQueue;
  /** The desktop app's queue setting (Settings screen); without it the queue is shown read-only. */
  queueSettings?: QueueSettingsHost;
}

export type AtStudioService = AtStudioApi & {
  close(): Promise<void>;
  /** Resolves once start-up recovery is done and the queue is idle (tests, the CLI). */
  whenIdle(): Promise<void>;
  readonly engine: EngineHost;
};

/** One handler per request/response method; arguments arrive as a transport carried them (unchecked JSON). */
type Handlers = { [K in ApiMethod]: (...args: Parameters<AtStudioApi[K]>) => ReturnType<AtStudioApi[K]> | Awaited<ReturnType<AtStudioApi[K]>> };

/** Methods that build models in this process: they need its TF.js backend first. */
const NEEDS_TF: ReadonlySet<ApiMethod> = new Set<ApiMethod>([
  'estimateModel', 'inspectTeacherFile', 'validateConfig', 'previewAttention', 'tryImage', 'measureLatency', 'validateStudy', 'startStudy',
]);

export function createService(opts: ServiceOptions): AtStudioService {
  const store = new RunStore(opts.runsDir);
  const engine = opts.engine ?? inProcessEngine();
  const paths = new PathPolicy(opts.roots, store.runsDir, opts.fileRoots, opts.listAlso);
  const events = new EventHub(opts.maxStepEventsPerSecond);
  const queue = new RunQueue({ store, engine, events, ...(opts.queue ? { remote: opts.queue } : {}) });
  const runs = { store, paths, queue, events };
  const files = { store, paths };
  const studies = new ServiceStudies({
    store, paths, parallel: queue.parallel,
    get closing() { return queue.closing; },
    runToEnd: (run) => queue.runToEnd(run),
    cancelRun: (id) => cancelRun(runs, id),
  });
  const queueSetting = queueSettingsMethods(opts.queueSettings, opts.queue?.shown);

  const ready = recoverRuns(store).then((ids) => queue.add(...ids)).then(() => studies.recover());
  ready.catch((err) => console.error('service: start-up recovery failed', err));

  const handlers: Handlers = {
    // Datasets, models, pairing (the wizard)
    inspectDataset: (p, format) => datasetView(paths.check(p, 'dataset folder', 'read'), format),
    estimateModel: (req) => {
      if (!req || typeof req !== 'object' || !req.model) throw new ServiceError('invalid', 'estimateModel takes { model, inputShape, numClasses }');
      return modelEstimate(req);
    },
    inspectTeacherFile: (p, taps) => teacherFileView(paths.check(p, 'teacher model.json', 'read'), taps),
    proposeHintPairs: (s, t, explicit) => {
      try {
        return pairHints(s, t, explicit);
      } catch (err) {
        throw new ServiceError('invalid', (err as Error).message); // taps that are not TapInfo lists fail here too
      }
    },
    validateConfig: (c) => validateRunConfig(c, { paths, store }),
    defaultConfig: () => defaultRunConfig(),
    backends: () => backendOptions(),
    // Runs
    startRun: (c) => startRun(runs, c),
    pauseRun: (id) => pauseRun(runs, id),
    resumeRun: (id) => resumeRun(runs, id),
    cancelRun: (id) => cancelRun(runs, id),
    deleteRun: (id) => deleteRun(runs, id),
    listRuns: () => store.list(),
    getRun: (id) => runDetail(store, id, (runId) => queue.position(runId)),
    getMetrics: async (id) => (await openRun(store, id)).readMetrics(),
    getSnapshots: async (id) => (await openRun(store, id)).readSnapshots(),
    getProbes: async (id) => runProbes(await openRun(store, id)),
    getLog: async (id) => (await openRun(store, id)).readLog(),
    compareRuns: (ids) => comparisonRows(store, ids),
    // Studies
    validateStudy: (c) => studies.validate(c),
    startStudy: (c) => studies.start(c),
    listStudies: () => studies.list(),
    getStudy: (id) => studies.get(id),
    cancelStudy: (id) => studies.cancel(id),
    resumeStudy: (id) => studies.resume(id),
    exportStudyReport: (id, dest, o) => studies.exportReport(id, dest, o),
    // Exports
    exportReport: (ids, dest, o) => exportReport(files, ids, dest, o),
    exportModel: (id, dest, format) => exportModelAs(files, id, dest, format),
    exportMetrics: (id, dest, format) => exportMetricsAs(files, id, dest, format),
    exportReportPdf: (ids, dest, o) => exportReportPdf(files, opts.renderPdf, ids, dest, o),
    // Previews, estimates, file browsing
    previewAttention: (req) => previewAttention(req, { paths, store }),
    estimateDuration: (c) => estimateDuration(c, { paths, store, busy: () => queue.busy }),
    tryImage: (id, image) => tryImage(id, image, { store }),
    measureLatency: (ids) => measureLatency(ids, { store }),
    listDirectory: (p) => listDirectory(p, { paths, ...(opts.roots ? { roots: opts.roots } : {}), runsDir: store.runsDir }),
    // Settings: the queue runs go to
    queueSettings: () => queueSetting.queueSettings(),
    testQueue: (url, caFile) => queueSetting.testQueue(url, caFile),
    saveQueueSettings: (settings) => queueSetting.saveQueueSettings(settings),
  };

  // Every method waits for start-up recovery and rejects with a ServiceError (errors.ts: toServiceError).
  const call = <A extends unknown[], R>(name: ApiMethod, fn: (...args: A) => R) => async (...args: A): Promise<Awaited<R>> => {
    await ready;
    try {
      if (NEEDS_TF.has(name)) await ensureServiceBackend();
      return await fn(...args);
    } catch (err) {
      throw toServiceError(err);
    }
  };
  const api = Object.fromEntries(Object.entries(handlers).map(([name, fn]) => [name, call(name as ApiMethod, fn as (...a: unknown[]) => unknown)])) as unknown as AtStudioApi;

  const close = async (): Promise<void> => {
    if (queue.closing) return;
    queue.closing = true;
    await ready.catch(() => undefined);
    await queue.close();
    await studies.closed();
    clearPreviewCache();
    events.close();
    queue.dispose();
  };

  return {
    ...api,
    engine,
    subscribe: (listener, runId) => events.subscribe(listener, runId),
    close,
    whenIdle: () => ready.then(() => queue.whenIdle()),
  };
}
