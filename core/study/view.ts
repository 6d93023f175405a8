// A study as the CLI, the service and the report show it: its record, each run's status and top-1 read
// back from the run folders, and the results table with its sentences.
import type { RunStore } from '../runs/runStore.js';
import { studyArms } from './plan.js';
import { StudyStore, type StudyRecord } from './record.js';
import { studiesActiveInProcess } from './runStudy.js';
import { studyResults } from './results.js';
import type { StudyRunResult, StudyTeacherView, StudyView } from './types.js';

export type { StudyTeacherView, StudyView } from './types.js';



type RunState = Omit<StudyRunResult, 'method' | 'seed' | 'beta'> & { seconds: number };

async function runState(store: RunStore, runId: string | undefined): Promise<RunState> {
  if (!runId || !(await store.exists(runId))) return { status: 'pending', seconds: 0 };
  const st = await (await store.open(runId)).readStatus();
  const s = st.results.student;
  const running = st.status === 'running' && st.runningSince ? Math.max(0, (Date.now() - Date.parse(st.runningSince)) / 1000) : 0;
  return { runId, status: st.status, seconds: st.activeSeconds + running,
    ...(s?.best ? { bestTop1: s.best.top1 } : {}), ...(s?.last ? { lastTop1: s.last.top1 } : {}) };
}

/** Remaining runs at the mean pace of the finished ones, less what the running one has already spent. */
function secondsLeft(states: RunState[]): number | undefined {
  const done = states.filter((r) => r.status === 'done');
  if (done.length === 0) return undefined;
  const pace = done.reduce((a, r) => a + r.seconds, 0) / done.length;
  return states.filter((r) => r.status !== 'done').reduce((a, r) => a + Math.max(pace * 0.1, pace - r.seconds), 0);
}

export async function studyView(store: RunStore, record: StudyRecord): Promise<StudyView> {
  const runs: StudyRunResult[] = [];
  const states: RunState[] = [];
  for (const e of record.runs) {
    const { seconds: _s, ...state } = await runState(store, e.runId);
    states.push({ ...state, seconds: _s });
    runs.push({ method: e.method, seed: e.seed, ...(e.beta !== undefined ? { beta: e.beta } : {}), ...state });
  }
  const teacherState = record.trainsTeacher ? await runState(store, record.teacherRun) : undefined;
  const { seconds: teacherSeconds = 0, ...teacher } = teacherState ?? {};
  const left = secondsLeft(states);
  const interrupted = StudyStore.interrupted(record, studiesActiveInProcess);
  const finished = runs.filter((r) => r.status === 'done').length + (teacherState?.status === 'done' ? 1 : 0);
  return {
    id: record.id, name: record.name, status: interrupted ? 'failed' : record.status, interrupted,
    ...(record.error ? { error: record.error } : {}),
    createdAt: record.createdAt, updatedAt: record.updatedAt,
    methods: record.config.methods, seeds: record.config.seeds, ...(record.config.betas ? { betas: record.config.betas } : {}),
    ...(teacherState ? { teacher: teacher as StudyTeacherView } : {}),
    runs, finished, total: runs.length + (teacherState ? 1 : 0),
    results: studyResults(studyArms(record.config), runs),
    secondsSpent: teacherSeconds + states.reduce((a, r) => a + r.seconds, 0),
    ...(left !== undefined ? { secondsLeft: left } : {}),
  };
}
