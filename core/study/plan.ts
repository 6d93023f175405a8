// What a study trains, in order: the teacher once (when the config trains one), then every method × β ×
// seed against that one teacher. Pure: the configs of the runs follow from the study config alone.
import { teacherRecipe } from '../config/describe.js';
import type { Method, RunConfig, TeacherConfig } from '../config/types.js';
import { BETA_METHODS, type StudyConfig } from './config.js';

/** One run of a study, before it has a folder. */
export interface PlannedRun {
  method: Method;
  /** attention.beta of this run, for methods in BETA_METHODS. */
  beta?: number;
  seed: number;
}

import type { StudyArm } from './types.js';

export type { StudyArm } from './types.js';

export function studyArms(s: Pick<StudyConfig, 'methods' | 'betas'>): StudyArm[] {
  const arms: StudyArm[] = [];
  for (const method of s.methods) {
    if (s.betas && BETA_METHODS.includes(method)) for (const beta of s.betas) arms.push({ method, beta });
    else arms.push({ method });
  }
  return arms;
}

/** Seed-major order: every arm sees seed 1 before any sees seed 2, so a stopped study is balanced. */
export function plannedRuns(s: Pick<StudyConfig, 'methods' | 'betas' | 'seeds'>): PlannedRun[] {
  const arms = studyArms(s);
  return s.seeds.flatMap((seed) => arms.map((a) => ({ ...a, seed })));
}

/** Whether the study trains its teacher in a run of its own first. */
export function trainsTeacher(s: Pick<StudyConfig, 'base' | 'methods'>): boolean {
  return s.base.teacher?.source === 'train' && s.methods.some((m) => m !== 'baseline');
}

export const METHOD_LABELS: Record<Method, string> = { baseline: 'Baseline', at: 'AT', kd: 'KD', 'at+kd': 'AT+KD', 'grad-at': 'Gradient AT' };

export function armLabel(a: StudyArm): string {
  return a.beta !== undefined ? `${METHOD_LABELS[a.method]} (β = ${a.beta})` : METHOD_LABELS[a.method];
}

/**
 * The run that trains the teacher: the teacher model trained alone (method baseline, as its student),
 * with the teacher's recipe. Its saved student is the teacher of every other run of the study.
 */
export function teacherRunConfig(s: StudyConfig): RunConfig {
  const t = s.base.teacher;
  if (t?.source !== 'train') throw new Error('the study loads its teacher: there is no teacher run');
  const { teacher: _t, ...rest } = s.base;
  // teacher.limit: the teacher's own number of training images (default: the student's data.limit).
  const limit = t.limit ?? s.base.data.limit;
  const { limit: _l, ...data } = s.base.data;
  return { ...rest, name: `${s.name} · teacher`, method: 'baseline', student: { model: t.model }, training: teacherRecipe(s.base),
    data: { ...data, ...(limit !== undefined ? { limit } : {}) } };
}

/** The config of one planned run; `teacherRun` is the id of the study's teacher run when it trains one. */
export function plannedRunConfig(s: StudyConfig, p: PlannedRun, teacherRun?: string): RunConfig {
  const { teacher, ...rest } = s.base;
  const name = `${s.name} · ${armLabel(p)} · seed ${p.seed}`;
  const base: RunConfig = { ...rest, name, seed: p.seed, method: p.method, ...(p.beta !== undefined ? { attention: { ...s.base.attention, beta: p.beta } } : {}) };
  if (p.method === 'baseline') return base; // the student alone: no teacher to load
  let t: TeacherConfig | undefined = teacher;
  if (teacher?.source === 'train') {
    if (!teacherRun) throw new Error('the teacher run must exist before the study\'s other runs');
    t = { source: 'run', run: teacherRun, role: 'student' };
  }
  return { ...base, ...(t ? { teacher: t } : {}) };
}
