// A study on disk: `<runs folder>/.studies/<id>/study.json`, a record that names its runs (which stay
// ordinary run folders beside it). Written atomically after every change, so a crash leaves the last
// good record and `resume` knows which runs exist, which finished and which are still to come. The
// folder is hidden so run listings (which skip dot-folders) never take it for a broken run.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { atomicWriteJson } from '../io/atomicWrite.js';
import { parseRunConfig } from '../config/runConfig.js';
import { isValidRunId, newRunId } from '../runs/runId.js';
import type { StudyConfig } from './config.js';
import { plannedRuns, trainsTeacher, type PlannedRun } from './plan.js';

export const STUDY_FORMAT = 1;
export const STUDIES_DIR = '.studies';

import type { StudyStatus } from './types.js';
import { StudioError } from '../errors.js';

export type { StudyStatus } from './types.js';

export interface StudyRunEntry extends PlannedRun {
  /** Set as soon as its run folder exists. */
  runId?: string;
}

export interface StudyRecord {
  format: typeof STUDY_FORMAT;
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  status: StudyStatus;
  error?: string;
  /** Process and machine driving it while running (a dead pid means it was interrupted). */
  pid?: number;
  host?: string;
  config: StudyConfig;
  /** Whether the teacher is trained in a run of its own; its id once that run exists. */
  trainsTeacher: boolean;
  teacherRun?: string;
  runs: StudyRunEntry[];
}

export class StudyNotFoundError extends StudioError {
  override name = 'RunNotFoundError'; // its message reads as a missing run's (CLI output)
  constructor(message: string) { super('study.notFound', message); }
}

export class StudyStore {
  readonly dir: string;

  constructor(readonly runsDir: string, private readonly now: () => Date = () => new Date()) {
    this.dir = path.join(path.resolve(runsDir), STUDIES_DIR);
  }

  file(id: string): string {
    if (!isValidRunId(id)) throw new StudyNotFoundError(`not a study id: ${JSON.stringify(id)}`);
    return path.join(this.dir, id, 'study.json');
  }

  /** A new record, all runs pending; no run folder is made here. */
  async create(config: StudyConfig): Promise<StudyRecord> {
    await fs.mkdir(this.dir, { recursive: true });
    for (let attempt = 0; ; attempt++) {
      const now = this.now();
      const id = newRunId(config.name, now);
      try {
        await fs.mkdir(path.join(this.dir, id));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 20) continue;
        throw err;
      }
      const record: StudyRecord = {
        format: STUDY_FORMAT, id, name: config.name, createdAt: now.toISOString(), updatedAt: now.toISOString(), status: 'created',
        config, trainsTeacher: trainsTeacher(config), runs: plannedRuns(config),
      };
      await atomicWriteJson(this.file(id), record);
      return record;
    }
  }

  async save(record: StudyRecord): Promise<StudyRecord> {
    const next = { ...record, updatedAt: this.now().toISOString() };
    await atomicWriteJson(this.file(record.id), next);
    return next;
  }

  async open(id: string): Promise<StudyRecord> {
    let text: string;
    try {
      text = await fs.readFile(this.file(id), 'utf8');
    } catch {
      throw new StudyNotFoundError(`no study ${JSON.stringify(id)} in ${this.runsDir}`);
    }
    const record = JSON.parse(text) as StudyRecord;
    if (record.format !== STUDY_FORMAT) throw new Error(`${this.file(id)}: unsupported study format ${String(record.format)} (expected ${STUDY_FORMAT})`);
    // The stored base config goes through the run config's parser again (a newer version migrates it).
    record.config = { ...record.config, base: parseRunConfig(record.config.base, this.file(id)) };
    return record;
  }

  /** Studies, newest first; unreadable records are skipped. */
  async list(): Promise<StudyRecord[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return [];
    }
    const out: StudyRecord[] = [];
    for (const n of names) {
      if (!isValidRunId(n)) continue;
      try {
        out.push(await this.open(n));
      } catch {
        /* a half-made folder (crash between mkdir and the first write) or a foreign one */
      }
    }
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  }

  /**
   * A record marked running whose process is gone on this machine was interrupted; so is one marked by
   * this very process when nothing here drives it (a closed service left it).
   */
  static interrupted(r: StudyRecord, activeHere: ReadonlySet<string> = new Set()): boolean {
    if (r.status !== 'running' || r.pid === undefined || (r.host !== undefined && r.host !== os.hostname())) return false;
    if (r.pid === process.pid) return !activeHere.has(r.id);
    try {
      process.kill(r.pid, 0);
      return false;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code !== 'EPERM';
    }
  }
}
