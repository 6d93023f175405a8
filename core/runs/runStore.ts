// The runs directory: one folder per run, named by its id.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { atomicWriteJson } from '../io/atomicWrite.js';
import { ConfigError } from '../config/configError.js';
import { describeModel, describeModels, describeTeacher } from '../config/describe.js';
import { parseRunConfig, readRunConfigFile } from '../config/runConfig.js';
import type { RunConfig } from '../config/types.js';
import { FILES, RunFolder, initialStatus } from './runFolder.js';
import { isValidRunId, newRunId } from './runId.js';
import { acquireRunLock, isProcessAlive as isAlive } from './runLock.js';
import type { RunProblem, RunStatusFile, RunSummary } from './types.js';
import { StudioError } from '../errors.js';

export class RunNotFoundError extends StudioError {
  override name = 'RunNotFoundError';
  constructor(message: string) { super('run.notFound', message); }
}

export interface RunStoreOptions {
  /** Clock, for tests. */
  now?: () => Date;
  /** Told about run folders that list() skips (broken config, unreadable status). */
  onSkip?: (problem: RunProblem) => void;
}


export class RunStore {
  readonly runsDir: string;
  private readonly now: () => Date;
  private readonly onSkip?: ((p: RunProblem) => void) | undefined;

  constructor(runsDir: string, opts: RunStoreOptions = {}) {
    this.runsDir = path.resolve(runsDir);
    this.now = opts.now ?? (() => new Date());
    this.onSkip = opts.onSkip;
  }

  /** The runs folder path names a file (or lies under one). */
  private notAFolder(): Error {
    return new Error(`${this.runsDir}: not a folder; the runs folder must be a folder (it is made when missing) — choose another --runs-dir or $ATSTUDIO_RUNS_DIR`);
  }

  /** The folder of a run id, refusing anything that could leave the runs directory. */
  runDir(id: string): string {
    if (!isValidRunId(id)) {
      throw new RunNotFoundError(`not a run id: ${JSON.stringify(id)} (expected letters, digits, ".", "_" or "-", not starting with a dot, no "..")`);
    }
    const dir = path.resolve(this.runsDir, id);
    if (path.dirname(dir) !== this.runsDir) throw new RunNotFoundError(`not a run id: ${JSON.stringify(id)}`);
    return dir;
  }

  /** Validate the config again (it may come from anywhere), then make the folder and its first files. */
  async create(config: RunConfig): Promise<RunFolder> {
    const valid = parseRunConfig(config);
    await fs.mkdir(this.runsDir, { recursive: true }).catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'EEXIST' || err.code === 'ENOTDIR' ? this.notAFolder() : err;
    });
    for (let attempt = 0; ; attempt++) {
      const now = this.now();
      const id = newRunId(valid.name, now);
      const dir = this.runDir(id);
      try {
        await fs.mkdir(dir); // not recursive: fails if the id is taken
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 20) continue;
        throw err;
      }
      await atomicWriteJson(path.join(dir, FILES.config), valid);
      await atomicWriteJson(path.join(dir, FILES.status), initialStatus(now));
      await fs.writeFile(path.join(dir, FILES.metrics), '');
      const run = new RunFolder(id, dir, valid, this.now);
      await run.log(`created run ${id} (${valid.method}, ${describeModels(valid)})`);
      return run;
    }
  }

  async open(id: string): Promise<RunFolder> {
    const dir = this.runDir(id);
    const configFile = path.join(dir, FILES.config);
    try {
      await fs.access(configFile);
    } catch {
      throw new RunNotFoundError(`no run ${JSON.stringify(id)} in ${this.runsDir}`);
    }
    // A run folder that is a symlink out of the runs folder is not a run here: every reader (log, files,
    // metrics) would follow it to wherever it points.
    const [realDir, realRuns] = await Promise.all([fs.realpath(dir), fs.realpath(this.runsDir)]);
    if (path.dirname(realDir) !== realRuns) {
      throw new RunNotFoundError(`run ${JSON.stringify(id)} in ${this.runsDir} is a link to ${realDir}, outside the runs folder: refused`);
    }
    let notes: string[] = [];
    const config = await readRunConfigFile(configFile, { onMigrate: (_from, n) => { notes = n; } }); // ConfigError names config.json
    const run = new RunFolder(id, dir, config, this.now);
    run.configNotes = notes;
    return run;
  }

  async exists(id: string): Promise<boolean> {
    if (!isValidRunId(id)) return false;
    return fs.access(path.join(this.runDir(id), FILES.config)).then(() => true, () => false);
  }

  /** Delete a run folder (the UI's "delete run"); a run that another process trains (its lock) is refused. */
  async remove(id: string): Promise<void> {
    const dir = this.runDir(id);
    await fs.access(path.join(dir, FILES.config)).catch(() => {
      throw new RunNotFoundError(`no run ${JSON.stringify(id)} in ${this.runsDir}`);
    });
    await acquireRunLock(dir, id); // throws RunLockedError; the lock goes with the folder
    await fs.rm(dir, { recursive: true, force: true });
  }

  /** Runs, newest first; folders that cannot be read are skipped (and passed to onSkip). */
  async list(): Promise<RunSummary[]> {
    const { runs, problems } = await this.scan();
    for (const p of problems) this.onSkip?.(p);
    return runs;
  }

  async scan(): Promise<{ runs: RunSummary[]; problems: RunProblem[] }> {
    let entries;
    try {
      entries = await fs.readdir(this.runsDir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { runs: [], problems: [] };
      if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') throw this.notAFolder();
      throw err;
    }
    const runs: RunSummary[] = [];
    const problems: RunProblem[] = [];
    for (const e of entries) {
      if (!e.isDirectory() || !isValidRunId(e.name)) continue; // hidden and foreign folders are not runs
      const dir = path.join(this.runsDir, e.name);
      try {
        runs.push(await this.summarize(e.name, dir));
      } catch (err) {
        // One line naming the file: "…/config.json: field: problem; field: problem".
        const error = err instanceof ConfigError
          ? `${err.source ? `${err.source}: ` : ''}${err.issues.map((i) => `${i.path || '(config)'}: ${i.message}`).join('; ')}`
          : `${(err as Error).message}`;
        problems.push({ id: e.name, dir, error });
      }
    }
    runs.sort((a, b) => (a.createdAt === b.createdAt ? b.id.localeCompare(a.id) : b.createdAt.localeCompare(a.createdAt)));
    return { runs, problems };
  }

  private async summarize(id: string, dir: string): Promise<RunSummary> {
    const config = await readRunConfigFile(path.join(dir, FILES.config));
    const run = new RunFolder(id, dir, config, this.now);
    const status: RunStatusFile = await run.readStatus();
    const now = this.now();
    const live = status.status === 'running' || status.status === 'paused';
    const sameHost = status.host === undefined || status.host === os.hostname();
    const interrupted = live && status.pid !== undefined && sameHost && !isAlive(status.pid);
    let duration = status.activeSeconds ?? 0;
    if (status.status === 'running' && status.runningSince) {
      const end = interrupted ? Date.parse(status.updatedAt) : now.getTime();
      duration += Math.max(0, (end - Date.parse(status.runningSince)) / 1000);
    }
    const student = status.results.student;
    return {
      id,
      dir,
      name: config.name,
      status: interrupted ? 'failed' : status.status,
      interrupted,
      resumable: status.resumable || (await run.hasCheckpoint('latest')),
      method: config.method,
      models: describeModels(config),
      student: describeModel(config.student.model),
      ...(config.teacher ? { teacher: describeTeacher(config.teacher) } : {}),
      ...(config.teacher?.source === 'run' ? { teacherRun: { id: config.teacher.run, role: config.teacher.role ?? 'student' } } : {}),
      dataset: config.data.path,
      seed: config.seed,
      phase: status.phase,
      epoch: status.epoch,
      epochs: config.training.epochs,
      ...(student?.best ? { best: student.best } : {}),
      ...(student?.last ? { last: student.last } : {}),
      ...(status.results.teacher ? { teacherResults: status.results.teacher } : {}),
      durationSeconds: Math.round(duration),
      createdAt: status.createdAt,
      updatedAt: status.updatedAt,
    };
  }
}
