import { describe, expect, it } from 'vitest';
import { parseStudyConfig } from '../../core/study/config.js';
import { plannedRunConfig, plannedRuns, studyArms, teacherRunConfig, trainsTeacher } from '../../core/study/plan.js';
import { parseRunConfig } from '../../core/config/runConfig.js';

const base = {
  data: { path: '/data/fashion' },
  teacher: { source: 'train', model: { family: 'wrn', depth: 16, widen: 2 }, training: { epochs: 3 } },
  student: { model: { family: 'wrn', depth: 16, widen: 1 } },
  training: { epochs: 2 },
};

function issuesOf(json: unknown): { path: string; message: string }[] {
  try {
    parseStudyConfig(json, 'study.json');
  } catch (err) {
    expect((err as Error).message).toMatch(/^Invalid study config in study\.json/);
    return (err as { issues: { path: string; message: string }[] }).issues;
  }
  throw new Error('expected the config to be refused');
}

describe('study config', () => {
  it('takes a run config plus methods, a seed count and β values', () => {
    const s = parseStudyConfig({ ...base, seed: 5, methods: ['baseline', 'at', 'kd'], seeds: 3, betas: [100, 1000] });
    expect(s.methods).toEqual(['baseline', 'at', 'kd']);
    expect(s.seeds).toEqual([5, 6, 7]);
    expect(s.betas).toEqual([100, 1000]);
    expect(s.base.training.epochs).toBe(2);
    expect(s.name).toMatch(/^study: baseline, at, kd · WRN-16-1 ← WRN-16-2$/);
  });

  it('takes an explicit list of seeds and a name', () => {
    const s = parseStudyConfig({ ...base, name: 'AT on Fashion', methods: ['baseline', 'at'], seeds: [3, 11] });
    expect(s.seeds).toEqual([3, 11]);
    expect(s.name).toBe('AT on Fashion');
  });

  it.each([
    [{ methods: [], seeds: 2 }, 'methods', /no methods \(expected at least one of baseline, at, kd, at\+kd, grad-at/],
    [{ methods: ['baseline', 'distill'], seeds: 2 }, 'methods.1', /not an allowed value .*got "distill"/],
    [{ methods: ['at', 'at'], seeds: 2 }, 'methods', /listed twice/],
    [{ methods: ['at'], seeds: 0 }, 'seeds', /expected a count from 1 to 20.*got 0/],
    [{ methods: ['at'], seeds: 21 }, 'seeds', /expected a count from 1 to 20.*got 21/],
    [{ methods: ['at'], seeds: [] }, 'seeds', /got an array of 0/],
    [{ methods: ['at'] }, 'seeds', /required|expected a count/],
    [{ methods: ['at'], seeds: 2, betas: [-1] }, 'betas.0', /too small/],
    [{ methods: ['at'], seeds: 2, method: 'at' }, 'method', /every method in "methods"/],
    [{ methods: ['at'], seeds: 2, sedes: 3 }, 'sedes', /unknown key/],
    [{ methods: ['at'], seeds: 2, version: 1 }, 'version', /a study config is version 2/],
  ])('refuses %j naming the field', (extra, field, message) => {
    const issues = issuesOf({ ...base, ...extra });
    const issue = issues.find((i) => i.path === field);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue!.message).toMatch(message);
  });

  it('refuses a teacher method without a teacher, naming teacher', () => {
    const { teacher: _t, ...noTeacher } = base;
    const issues = issuesOf({ ...noTeacher, methods: ['baseline', 'kd'], seeds: 2 });
    expect(issues.map((i) => i.path)).toEqual(['teacher']);
  });

  it('reports study and run-config problems together', () => {
    const issues = issuesOf({ ...base, training: { lr: -1 }, methods: ['nope'], seeds: 99 });
    expect(issues.map((i) => i.path).sort()).toEqual(['methods.0', 'seeds', 'training.lr']);
  });
});

describe('study plan', () => {
  const s = parseStudyConfig({ ...base, seed: 1, methods: ['baseline', 'at', 'grad-at'], seeds: 2, betas: [100, 300] });

  it('repeats β only for methods that use it, seed by seed', () => {
    expect(studyArms(s)).toEqual([{ method: 'baseline' }, { method: 'at', beta: 100 }, { method: 'at', beta: 300 }, { method: 'grad-at' }]);
    const plan = plannedRuns(s);
    expect(plan).toHaveLength(8);
    expect(plan.slice(0, 4).every((p) => p.seed === 1)).toBe(true);
    expect(plan[4]).toEqual({ method: 'baseline', seed: 2 });
  });

  it('trains the teacher once, as the student of a baseline run with the teacher recipe', () => {
    expect(trainsTeacher(s)).toBe(true);
    const t = parseRunConfig(teacherRunConfig(s));
    expect(t.method).toBe('baseline');
    expect(t.teacher).toBeUndefined();
    expect(t.student.model).toEqual({ family: 'wrn', depth: 16, widen: 2 });
    expect(t.training.epochs).toBe(3);
  });

  it('points every teacher method at the teacher run and gives the baseline no teacher', () => {
    const at = parseRunConfig(plannedRunConfig(s, { method: 'at', beta: 300, seed: 2 }, 'teacher-run-1'));
    expect(at.teacher).toEqual({ source: 'run', run: 'teacher-run-1', role: 'student' });
    expect(at.attention.beta).toBe(300);
    expect(at.seed).toBe(2);
    expect(at.name).toMatch(/· AT \(β = 300\) · seed 2$/);
    const b = parseRunConfig(plannedRunConfig(s, { method: 'baseline', seed: 2 }, 'teacher-run-1'));
    expect(b.teacher).toBeUndefined();
    expect(b.method).toBe('baseline');
  });

  it('the teacher run trains on teacher.limit images; the study runs on data.limit, both on the whole test split', () => {
    const lim = parseStudyConfig({ ...base, data: { path: '/data/fashion', limit: 1000 },
      teacher: { ...base.teacher, limit: 10000 }, methods: ['baseline', 'at'], seeds: 2 });
    const t = parseRunConfig(teacherRunConfig(lim));
    expect(t.data.limit).toBe(10000);
    expect(t.data.testLimit).toBeUndefined();
    const at = parseRunConfig(plannedRunConfig(lim, { method: 'at', seed: 1 }, 'teacher-run-1'));
    expect(at.data.limit).toBe(1000);
    expect(at.data.testLimit).toBeUndefined();
  });

  it('a study of the baseline alone trains no teacher', () => {
    expect(trainsTeacher(parseStudyConfig({ ...base, methods: ['baseline'], seeds: 2 }))).toBe(false);
  });
});
