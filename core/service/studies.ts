// Studies in the service: the same core/study driver as the CLI, but each run goes through the service's
// queue and engine (so the app shows it like any run, and only one trains at a time). A study left
// running by a process that is gone — or by a service in this process that closed — continues when the
// service starts again; finished runs are kept, an interrupted run continues from its checkpoint.
import * as path from 'node:path';
import { ConfigError } from '../config/configError.js';
import type { RunStore } from '../runs/runStore.js';
import type { RunHandle } from '../runs/types.js';
import {
  checkStudy, parseStudyConfig, plannedRuns, runStudy, StudyPaused, studiesActiveInProcess, StudyStore, studyArms, studyView, trainsTeacher,
  type RunOutcome, type StudyView,
} from '../study/index.js';
import { renderStudyReport } from '../report/study.js';
import { reportLang } from './reportOptions.js';
import { atomicWrite } from '../io/atomicWrite.js';
import type { ExportResult, StudyValidation } from './api.js';
import { ServiceError } from './errors.js';
import type { PathPolicy } from './paths.js';

/** What the study driver needs of the service. */
export interface StudyHost {
  store: RunStore;
  paths: PathPolicy;
  readonly closing: boolean;
  /** Runs train side by side (a remote queue with several workers): a study starts them all at once. */
  readonly parallel?: boolean;
  /** Queue the run (again) and resolve once it has stopped (done, failed, cancelled, or the service closed). */
  runToEnd(run: RunHandle): Promise<void>;
  cancelRun(runId: string): Promise<void>;
}

export class ServiceStudies {
  readonly studies: StudyStore;
  private readonly stops = new Map<string, { stop: boolean; current: Set<string>; done: Promise<unknown> }>();

  constructor(private readonly host: StudyHost) {
    this.studies = new StudyStore(host.store.runsDir);
  }

  /** The config checked as `atstudio study` checks it; no folder is made. */
  async validate(input: unknown): Promise<StudyValidation> {
    let config;
    try {
      config = parseStudyConfig(input);
    } catch (err) {
      if (err instanceof ConfigError) return { ok: false, issues: err.issues, warnings: [], runs: 0 };
      throw err;
    }
    const check = await checkStudy(config, { paths: this.host.paths, store: this.host.store });
    const runs = plannedRuns(config).length + (trainsTeacher(config) ? 1 : 0);
    return { ok: check.issues.length === 0, issues: check.issues, warnings: check.warnings, runs,
      arms: studyArms(config).length, seeds: config.seeds.length, trainsTeacher: trainsTeacher(config) };
  }

  async start(input: unknown): Promise<StudyView> {
    if (this.host.closing) throw new ServiceError('conflict', 'the service is closing');
    const v = await this.validate(input);
    if (!v.ok) {
      throw new ServiceError('invalid', `the study config has problems:\n${v.issues.map((i) => `  ${i.path || '(config)'}: ${i.message}`).join('\n')}`, v.issues);
    }
    const record = await this.studies.create(parseStudyConfig(input));
    this.drive(record.id);
    return this.get(record.id);
  }

  async list(): Promise<StudyView[]> {
    const out: StudyView[] = [];
    for (const r of await this.studies.list()) out.push(await studyView(this.host.store, r));
    return out;
  }

  async get(id: unknown): Promise<StudyView> {
    return studyView(this.host.store, await this.open(id));
  }

  async cancel(id: unknown): Promise<void> {
    const record = await this.open(id);
    const s = this.stops.get(record.id);
    if (!s) throw new ServiceError('conflict', `study ${record.id} is ${record.status}, not running here: nothing to stop`);
    s.stop = true;
    for (const runId of [...s.current]) await this.host.cancelRun(runId).catch(() => undefined);
    await s.done;
  }

  async resume(id: unknown): Promise<void> {
    const record = await this.open(id);
    if (this.stops.has(record.id)) return; // already going
    if (record.status === 'done') throw new ServiceError('conflict', `study ${record.id} is done: nothing to resume`);
    if (record.status === 'running' && !StudyStore.interrupted(record, studiesActiveInProcess)) {
      throw new ServiceError('conflict', `study ${record.id} is running in another process (pid ${record.pid})`);
    }
    this.drive(record.id);
  }

  async exportReport(id: unknown, destPath: string, opts?: unknown): Promise<ExportResult> {
    const lang = reportLang(opts);
    const dest = this.host.paths.check(destPath, 'report file', 'write');
    const html = Buffer.from(renderStudyReport(await this.get(id), { lang }), 'utf8');
    await atomicWrite(path.resolve(dest), html);
    return { path: dest, bytes: html.byteLength };
  }

  /** At start-up: continue studies whose driver is gone. */
  async recover(): Promise<void> {
    for (const r of await this.studies.list()) {
      if (r.status === 'running' && StudyStore.interrupted(r, studiesActiveInProcess)) this.drive(r.id);
    }
  }

  /** Resolves when every study driven here has stopped (the service is closing). */
  async closed(): Promise<void> {
    await Promise.all([...this.stops.values()].map((s) => s.done.catch(() => undefined)));
  }

  private async open(id: unknown): Promise<Awaited<ReturnType<StudyStore['open']>>> {
    if (typeof id !== 'string') throw new ServiceError('invalid', `not a study id: ${JSON.stringify(id)}`);
    try {
      return await this.studies.open(id);
    } catch (err) {
      if ((err as Error).name === 'RunNotFoundError') throw new ServiceError('not-found', (err as Error).message);
      throw err;
    }
  }

  private drive(id: string): void {
    const state: { stop: boolean; current: Set<string>; done: Promise<unknown> } = { stop: false, current: new Set(), done: Promise.resolve() };
    this.stops.set(id, state);
    state.done = runStudy(this.host.store, this.studies, id, {
      stopRequested: () => state.stop,
      parallel: !!this.host.parallel,
      execute: async (run): Promise<RunOutcome> => {
        state.current.add(run.id);
        try {
          await this.host.runToEnd(run);
        } finally {
          state.current.delete(run.id);
        }
        if (this.host.closing) throw new StudyPaused('the service closed');
        const st = (await run.readStatus()).status;
        return st === 'done' ? 'done' : st === 'cancelled' ? 'cancelled' : 'failed';
      },
    }).catch((err) => console.error(`service: study ${id} stopped`, err))
      .finally(() => this.stops.delete(id));
  }
}
