// A study as the CLI, the service and the report show it: its record, each run's status and top-1 read
// back from the run folders, and the results table with its sentences.
import type { RunStore } from '../runs/runStore.js';
import { studyArms } from './plan.js';
import { StudyStore, type StudyRecord } from './record.js';
import { studyResults, type StudyResults, type StudyRunResult } from './results.js';

export interface StudyTeacherView { runId?: string; status: StudyRunResult['status']; bestTop1?: number; lastTop1?: number }

export interface StudyView {
  id: string;
  name: string;
  /** As recorded; 'failed' for a study left running by a process that is gone ('interrupted' says so). */
  status: StudyRecord['status'];
  interrupted: boolean;
  error?: string;
  createdAt: string;
  updatedAt: string;
  methods: StudyRecord['config']['methods'];
  seeds: number[];
  betas?: number[];
  /** The teacher's description (`WRN-16-2`, a file, a run) and its run when the study trains it. */
  teacher?: StudyTeacherView;
  runs: StudyRunResult[];
  /** Runs finished and runs in all (teacher run included). */
  finished: number;
  total: number;
  results: StudyResults;
}

async function runState(store: RunStore, runId: string | undefined): Promise<Omit<StudyRunResult, 'method' | 'seed' | 'beta'>> {
  if (!runId || !(await store.exists(runId))) return { status: 'pending' };
  const st = await (await store.open(runId)).readStatus();
  const s = st.results.student;
  return { runId, status: st.status, ...(s?.best ? { bestTop1: s.best.top1 } : {}), ...(s?.last ? { lastTop1: s.last.top1 } : {}) };
}

export async function studyView(store: RunStore, record: StudyRecord): Promise<StudyView> {
  const runs: StudyRunResult[] = [];
  for (const e of record.runs) {
    runs.push({ method: e.method, seed: e.seed, ...(e.beta !== undefined ? { beta: e.beta } : {}), ...(await runState(store, e.runId)) });
  }
  const teacher = record.trainsTeacher ? await runState(store, record.teacherRun) : undefined;
  const interrupted = StudyStore.interrupted(record);
  const finished = runs.filter((r) => r.status === 'done').length + (teacher?.status === 'done' ? 1 : 0);
  return {
    id: record.id, name: record.name, status: interrupted ? 'failed' : record.status, interrupted,
    ...(record.error ? { error: record.error } : {}),
    createdAt: record.createdAt, updatedAt: record.updatedAt,
    methods: record.config.methods, seeds: record.config.seeds, ...(record.config.betas ? { betas: record.config.betas } : {}),
    ...(teacher ? { teacher } : {}),
    runs, finished, total: runs.length + (teacher ? 1 : 0),
    results: studyResults(studyArms(record.config), runs),
  };
}
