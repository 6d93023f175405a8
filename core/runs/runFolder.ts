// One run folder (see FORMAT.md). Writes go through one queue per handle so status read-modify-writes,
// metric appends and log lines land in the order they were asked for.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { atomicWrite, atomicWriteJson, overwriteInPlace } from '../io/atomicWrite.js';
import type { RunConfig } from '../config/types.js';
import type { tf } from '../tf.js';
import { hasCheckpointDir, loadCheckpointDir, saveCheckpointDir, type CheckpointHooks } from './checkpoint.js';
import { JsonLinesAppender, readJsonLines } from './jsonl.js';
import { writtenBy, type ResumePoint } from './metricsTrim.js';
import { definedOnly, type Patch } from '../util/exactOptional.js';
import type {
  AttentionSnapshot,
  Checkpoint,
  EpochMetric,
  Metric,
  MetricInput,
  ProbeSet,
  RunHandle,
  RunStatusFile,
} from './types.js';

export const FILES = {
  config: 'config.json',
  status: 'status.json',
  environment: 'environment.json',
  metrics: 'metrics.jsonl',
  log: 'log.txt',
  checkpoints: 'checkpoints',
  models: 'models',
  snapshots: 'snapshots',
  probes: 'probes',
} as const;

const TERMINAL = new Set(['done', 'failed', 'cancelled']);

export function initialStatus(now: Date): RunStatusFile {
  const t = now.toISOString();
  return { status: 'queued', phase: null, epoch: 0, step: 0, createdAt: t, updatedAt: t, resumable: false, activeSeconds: 0, results: {} };
}

/** Apply a partial update the way the handle does (exported for tests and for tools that repair status). */
export function mergeStatus(old: RunStatusFile, patch: Patch<RunStatusFile>, now: Date): RunStatusFile {
  const t = now.toISOString();
  // A field the patch clears is left out, as status.json would have it after a write.
  const next: RunStatusFile = definedOnly({ ...old, ...patch, results: { ...old.results, ...(patch.results ?? {}) }, updatedAt: t });
  const wasRunning = old.status === 'running';
  const isRunning = next.status === 'running';
  if (isRunning && !wasRunning) {
    next.runningSince = t;
    next.startedAt = old.startedAt ?? t;
    next.pid = process.pid;
    next.host = os.hostname();
    if (TERMINAL.has(old.status)) {
      // Resumed after failing or being cancelled: the old end and error no longer describe the run.
      delete next.endedAt;
      if (patch.error === undefined) delete next.error;
    }
  }
  if (wasRunning && !isRunning) {
    if (old.runningSince) next.activeSeconds = old.activeSeconds + Math.max(0, (now.getTime() - Date.parse(old.runningSince)) / 1000);
    delete next.runningSince;
  }
  if (TERMINAL.has(next.status) && !TERMINAL.has(old.status) && patch.endedAt === undefined) next.endedAt = t;
  return next;
}

function pad3(n: number): string {
  return String(n).padStart(3, '0');
}

/** Attention maps are shown, not trained on: 5 significant digits keep snapshots small. */
function round5(v: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(5)) : v;
}

export class RunFolder implements RunHandle {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly checkpointQueue = new Map<string, Promise<unknown>>();
  private readonly metrics: JsonLinesAppender;
  /** Test hook for simulated crashes inside saveCheckpoint. */
  checkpointHooks: CheckpointHooks = {};
  /** How config.json was migrated from an older config version when it was read (empty when it was current). */
  configNotes: string[] = [];

  constructor(
    readonly id: string,
    readonly dir: string,
    readonly config: RunConfig,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.metrics = new JsonLinesAppender(path.join(dir, FILES.metrics));
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private file(name: string): string {
    return path.join(this.dir, name);
  }

  flush(): Promise<void> {
    return this.enqueue(async () => undefined);
  }

  // --- status -------------------------------------------------------------------------------------
  async readStatus(): Promise<RunStatusFile> {
    let text: string;
    try {
      text = await fs.readFile(this.file(FILES.status), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return initialStatus(this.now());
      throw err;
    }
    let s: RunStatusFile;
    try {
      s = JSON.parse(text) as RunStatusFile;
    } catch (err) {
      throw new Error(`${this.file(FILES.status)}: not valid JSON (${(err as Error).message}); expected the run's status object (see FORMAT.md)`);
    }
    if (s === null || typeof s !== 'object' || Array.isArray(s)) {
      throw new Error(`${this.file(FILES.status)}: expected the run's status object (see FORMAT.md), got ${JSON.stringify(s)?.slice(0, 40)}`);
    }
    return { ...initialStatus(this.now()), ...s, results: s.results ?? {} };
  }

  writeStatus(patch: Patch<RunStatusFile>): Promise<RunStatusFile> {
    return this.enqueue(() => this.updateStatus(patch));
  }

  private async updateStatus(patch: Patch<RunStatusFile>): Promise<RunStatusFile> {
    const next = mergeStatus(await this.readStatus(), patch, this.now());
    try {
      await atomicWriteJson(this.file(FILES.status), next);
    } catch (err) {
      // A full disk: no new file can be made, but the outcome must not stay `running`. Rewrite the
      // existing status.json in place (compact, so it fits the block it already has).
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOSPC' && code !== 'EDQUOT') throw err;
      await overwriteInPlace(this.file(FILES.status), JSON.stringify(next) + '\n').catch(() => { throw err; });
    }
    return next;
  }

  // --- environment --------------------------------------------------------------------------------
  async writeEnvironment(env: object): Promise<void> {
    await atomicWriteJson(this.file(FILES.environment), env);
  }

  async readEnvironment(): Promise<Record<string, unknown> | null> {
    try {
      return JSON.parse(await fs.readFile(this.file(FILES.environment), 'utf8')) as Record<string, unknown>;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  // --- metrics ------------------------------------------------------------------------------------
  appendMetric(m: MetricInput): Promise<void> {
    return this.enqueue(async () => {
      const line = { ...m, time: m.time ?? this.now().toISOString() };
      // Step lines are cheap to lose; an epoch line is fsynced (and flushes the steps before it).
      await this.metrics.append([line], m.kind === 'epoch');
      if (m.kind === 'epoch') {
        const s = await this.readStatus();
        const prev = s.results[m.phase] ?? {};
        const cur = { epoch: m.epoch, top1: (m as EpochMetric).test.top1 };
        const best = prev.best && prev.best.top1 >= cur.top1 ? prev.best : cur;
        await this.updateStatus({ results: { [m.phase]: { best, last: cur, epochs: m.epochs } } });
      }
    });
  }

  /**
   * Before a resume: drop the metric lines written after the checkpoint it resumes from (and torn lines),
   * rewriting the file atomically. Returns how many lines were dropped.
   */
  trimMetricsAfter(point: ResumePoint | null): Promise<number> {
    return this.enqueue(async () => {
      const text = await fs.readFile(this.file(FILES.metrics), 'utf8').catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return '';
        throw err;
      });
      const lines = text.split('\n').filter((l) => l.trim() !== '');
      const kept = lines.filter((l) => {
        try {
          return writtenBy(JSON.parse(l) as Metric, point);
        } catch {
          return false;
        }
      });
      if (kept.length === lines.length) return 0;
      await atomicWrite(this.file(FILES.metrics), kept.map((l) => l + '\n').join(''));
      return lines.length - kept.length;
    });
  }

  async readMetrics(): Promise<Metric[]> {
    return (await readJsonLines<Metric>(this.file(FILES.metrics))).values;
  }

  /** Metrics plus the line numbers that did not parse (a torn last line after a crash). */
  readMetricsDetailed(): Promise<{ values: Metric[]; skippedLines: number[] }> {
    return readJsonLines<Metric>(this.file(FILES.metrics));
  }

  // --- checkpoints --------------------------------------------------------------------------------
  async saveCheckpoint(which: 'latest' | 'best', ck: Checkpoint): Promise<void> {
    // Two saves of the same checkpoint must not interleave (they share .<which>.next); saves do not wait
    // for metric and log writes, nor those for them.
    const prev = this.checkpointQueue.get(which) ?? Promise.resolve();
    const run = prev.then(() => saveCheckpointDir(this.file(FILES.checkpoints), which, ck, this.checkpointHooks));
    this.checkpointQueue.set(which, run.catch(() => undefined));
    await run;
    if (which === 'latest') await this.writeStatus({ resumable: true });
  }

  loadCheckpoint(which: 'latest' | 'best'): Promise<Checkpoint | null> {
    return loadCheckpointDir(this.file(FILES.checkpoints), which);
  }

  hasCheckpoint(which: 'latest' | 'best'): Promise<boolean> {
    return hasCheckpointDir(this.file(FILES.checkpoints), which);
  }

  // --- models -------------------------------------------------------------------------------------
  modelPath(role: 'student' | 'teacher'): string {
    return path.join(this.dir, FILES.models, role, 'model.json');
  }

  async saveModel(role: 'student' | 'teacher', model: tf.LayersModel): Promise<string> {
    // Loaded on first use: model IO belongs to core/io and is not needed to read a run folder.
    const { saveLayersModel } = await import('../io/modelFiles.js');
    await saveLayersModel(model, path.dirname(this.modelPath(role)));
    return this.modelPath(role);
  }

  // --- attention snapshots ------------------------------------------------------------------------
  snapshotPath(phase: 'teacher' | 'student', epoch: number): string {
    return path.join(this.dir, FILES.snapshots, `${phase === 'teacher' ? 'teacher-' : ''}epoch-${pad3(epoch)}.json`);
  }

  async saveSnapshot(s: AttentionSnapshot): Promise<void> {
    const stored: AttentionSnapshot = {
      phase: s.phase,
      epoch: s.epoch,
      pairs: s.pairs.map((p) => ({ ...p, teacherMap: p.teacherMap.map(round5), studentMap: p.studentMap.map(round5) })),
    };
    await atomicWriteJson(this.snapshotPath(s.phase, s.epoch), stored);
  }

  async readSnapshots(phase?: 'teacher' | 'student'): Promise<AttentionSnapshot[]> {
    let names: string[];
    try {
      names = await fs.readdir(path.join(this.dir, FILES.snapshots));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: AttentionSnapshot[] = [];
    for (const name of names.filter((n) => /^(teacher-)?epoch-\d+\.json$/.test(n))) {
      const s = JSON.parse(await fs.readFile(path.join(this.dir, FILES.snapshots, name), 'utf8')) as AttentionSnapshot;
      if (!phase || s.phase === phase) out.push(s);
    }
    // Teacher phase first (it trains first), then by epoch.
    return out.sort((a, b) => (a.phase === b.phase ? a.epoch - b.epoch : a.phase === 'teacher' ? -1 : 1));
  }

  // --- probes -------------------------------------------------------------------------------------
  async writeProbes(p: ProbeSet): Promise<void> {
    const dir = path.join(this.dir, FILES.probes);
    const files: string[] = [];
    for (const [i, png] of (p.pngs ?? []).entries()) {
      const name = `probe-${i}.png`;
      await atomicWrite(path.join(dir, name), png);
      files.push(name);
    }
    const { pngs: _omit, ...rest } = p;
    void _omit;
    await atomicWriteJson(path.join(dir, 'probes.json'), { ...rest, ...(files.length ? { files } : {}) });
  }

  async readProbes(): Promise<ProbeSet | null> {
    const dir = path.join(this.dir, FILES.probes);
    let meta: Omit<ProbeSet, 'pngs'> & { files?: string[] };
    try {
      meta = JSON.parse(await fs.readFile(path.join(dir, 'probes.json'), 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    const { files, ...rest } = meta;
    if (!files?.length) return rest;
    const pngs = await Promise.all(files.map(async (f) => new Uint8Array(await fs.readFile(path.join(dir, path.basename(f))))));
    return { ...rest, pngs };
  }

  // --- log ----------------------------------------------------------------------------------------
  log(line: string): Promise<void> {
    return this.enqueue(async () => {
      const t = this.now().toISOString();
      const text = line.split(/\r?\n/).map((l) => `${t} ${l}\n`).join('');
      await fs.appendFile(this.file(FILES.log), text);
    });
  }

  async readLog(): Promise<string> {
    try {
      return await fs.readFile(this.file(FILES.log), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw err;
    }
  }
}
