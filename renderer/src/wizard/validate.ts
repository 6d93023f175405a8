// The wizard's checks, one function per step, pure (config + what the wizard has learned so far in,
// problems out), so they are unit-testable without a DOM. A problem is data (field, rule, limit or
// options: problems.ts); problemMessage words it. Number limits come from core/config/limits.ts, the
// table the config schema is built from, so the wizard refuses what the engine refuses. Field keys are the
// config's dotted paths (`training.lr`), the same paths the engine's validateConfig reports, so engine
// issues land on the same fields (issueTarget).
import type { BackendOption } from '../../../core/service/api.js';
import type { ModelFamilySpec, RunConfig } from '../../../core/config/types.js';
import {
  ATTENTION_KINDS, breaksLimit, isMilestones, isWrnDepth, LIMITS, NAME_MAX_LENGTH, NIN_VARIANTS, RESNET_DEPTHS, type NumberLimit,
} from '../../../core/config/limits.js';
import { problemMessage, REPEATS_LIMIT, type Problem } from './problems.js';

export { isWrnDepth, problemMessage, type Problem };

export const STEP_KEYS = ['dataset', 'teacher', 'student', 'attention', 'hints', 'training', 'review'] as const;
export type StepKey = (typeof STEP_KEYS)[number];

export const STEP_TITLES: Record<StepKey, string> = {
  dataset: 'Dataset',
  teacher: 'Teacher',
  student: 'Student',
  attention: 'Attention',
  hints: 'Hint groups',
  training: 'Training',
  review: 'Review',
};

/** Field path → message. '' is a problem of the whole step (shown above its fields). */
export type FieldErrors = Record<string, string>;

/** The fields of each step, in the order they appear (the first bad one gets the focus). */
export const STEP_FIELDS: Record<StepKey, readonly string[]> = {
  dataset: ['data.path', 'data.limit', 'data.testLimit', 'data.validationSplit'],
  teacher: [
    'teacher.source', 'teacher.model.family', 'teacher.model.depth', 'teacher.model.widen', 'teacher.model.variant',
    'teacher.training.epochs', 'teacher.limit', 'teacher.run', 'teacher.path', 'teacher.taps',
  ],
  student: ['student.model.family', 'student.model.depth', 'student.model.widen', 'student.model.variant'],
  attention: ['method', 'attention.fn.kind', 'attention.fn.p', 'attention.beta', 'kd.temperature', 'kd.alpha', 'gradAt.beta'],
  hints: ['attention.pairs'],
  training: [
    'training.epochs', 'training.batchSize', 'training.lr', 'training.schedule.kind', 'training.schedule.milestones',
    'training.schedule.gamma', 'training.momentum', 'training.weightDecay', 'seed', 'repeats', 'probes', 'backend', 'name',
  ],
  review: [],
};

/** The element id of a field's input (also what a label's `for` points at). */
export function fieldId(path: string): string {
  return `wz-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

/** What the wizard knows besides the config (answers from the engine). Everything optional: unknown = not checked. */
export interface WizardFacts {
  dataset?: { classes: string[]; trainCount: number; testCount: number; imageShape: [number, number, number] } | null;
  datasetError?: string | null;
  /** The teacher could not be built, read or found. */
  teacherError?: string | null;
  /** How many classes the chosen teacher predicts (file or finished run), when known. */
  teacherClasses?: number | null;
  studentError?: string | null;
  /** proposeHintPairs rejected the current (explicit or automatic) pairing. */
  pairsError?: string | null;
  backends?: BackendOption[] | null;
  /** How many runs Start makes from the config, with seeds seed, seed + 1, … (the person's choice). */
  repeats?: number;
}

export const MAX_REPEATS = REPEATS_LIMIT.max;

export const KD_METHODS = new Set<string>(['kd', 'at+kd']);
export const AT_METHODS = new Set<string>(['at', 'at+kd']);
export const TEACHER_METHODS = new Set<string>(['at', 'kd', 'at+kd', 'grad-at']);
const METHOD_NAMES = ['baseline', 'at', 'kd', 'at+kd', 'grad-at'] as const;

const empty = (v: unknown) => v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v)) || v === '';

/** The number check of one field against its limit (practical caps included); `optional` lets empty pass. */
function checkNumber(out: Problem[], field: string, value: unknown, limit: NumberLimit, optional = false): void {
  if (optional && empty(value)) return;
  const broken = breaksLimit(value, limit, false);
  if (broken) out.push({ field, value, ...broken });
}

function checkModel(m: ModelFamilySpec | undefined, base: string, out: Problem[]): void {
  if (!m) {
    out.push({ field: `${base}.family`, rule: 'required' });
    return;
  }
  switch (m.family) {
    case 'wrn':
      if (!isWrnDepth(m.depth)) out.push({ field: `${base}.depth`, rule: 'wrnDepth', value: m.depth });
      checkNumber(out, `${base}.widen`, m.widen, LIMITS['model.widen']);
      break;
    case 'resnet':
      if (!(RESNET_DEPTHS as readonly unknown[]).includes(m.depth)) out.push({ field: `${base}.depth`, rule: 'oneOf', options: RESNET_DEPTHS, value: m.depth });
      break;
    case 'nin':
      if (!(NIN_VARIANTS as readonly unknown[]).includes(m.variant)) out.push({ field: `${base}.variant`, rule: 'oneOf', options: NIN_VARIANTS, value: m.variant });
      break;
    default:
      out.push({ field: `${base}.family`, rule: 'oneOf', options: ['wrn', 'resnet', 'nin'], value: (m as { family?: unknown }).family });
  }
}

export function datasetProblems(c: RunConfig, f: WizardFacts = {}): Problem[] {
  const out: Problem[] = [];
  if (!c.data.path || !c.data.path.trim()) out.push({ field: 'data.path', rule: 'required' });
  else if (f.datasetError) out.push({ field: 'data.path', rule: 'unreadable', text: f.datasetError });
  checkNumber(out, 'data.limit', c.data.limit, LIMITS['data.limit'], true);
  checkNumber(out, 'data.testLimit', c.data.testLimit, LIMITS['data.testLimit'], true);
  checkNumber(out, 'data.validationSplit', c.data.validationSplit, LIMITS['data.validationSplit']);
  return out;
}

export function teacherProblems(c: RunConfig, f: WizardFacts = {}): Problem[] {
  const out: Problem[] = [];
  if (!TEACHER_METHODS.has(c.method)) return out; // the baseline trains the student alone
  const t = c.teacher;
  if (!t) return [{ field: 'teacher.source', rule: 'required' }];
  if (t.source === 'train') {
    checkModel(t.model, 'teacher.model', out);
    checkNumber(out, 'teacher.training.epochs', t.training?.epochs, LIMITS['training.epochs'], true);
    checkNumber(out, 'teacher.limit', t.limit, LIMITS['teacher.limit'], true);
  } else if (t.source === 'run') {
    if (!t.run) out.push({ field: 'teacher.run', rule: 'required' });
  } else if (t.source === 'file') {
    if (!t.path || !t.path.trim()) out.push({ field: 'teacher.path', rule: 'required' });
    else if (t.taps && t.taps.length === 0 && AT_METHODS.has(c.method)) out.push({ field: 'teacher.taps', rule: 'noTaps' });
  } else {
    out.push({ field: 'teacher.source', rule: 'required' });
  }
  const field = t.source === 'file' ? 'teacher.path' : t.source === 'run' ? 'teacher.run' : 'teacher.model.family';
  if (out.length === 0) {
    if (f.teacherError) out.push({ field, rule: 'engine', text: f.teacherError });
    else if (f.teacherClasses && f.dataset && f.teacherClasses !== f.dataset.classes.length) {
      out.push({ field, rule: 'classes', value: f.teacherClasses, limit: f.dataset.classes.length });
    }
  }
  return out;
}

export function studentProblems(c: RunConfig, f: WizardFacts = {}): Problem[] {
  const out: Problem[] = [];
  checkModel(c.student.model, 'student.model', out);
  if (out.length === 0 && f.studentError) out.push({ field: 'student.model.family', rule: 'engine', text: f.studentError });
  return out;
}

export function attentionProblems(c: RunConfig): Problem[] {
  const out: Problem[] = [];
  if (!(METHOD_NAMES as readonly string[]).includes(c.method)) out.push({ field: 'method', rule: 'oneOf', options: METHOD_NAMES, value: c.method });
  if (AT_METHODS.has(c.method)) {
    const fn = c.attention.fn;
    if (!(ATTENTION_KINDS as readonly string[]).includes(fn.kind)) out.push({ field: 'attention.fn.kind', rule: 'oneOf', options: ATTENTION_KINDS, value: fn.kind });
    else if (fn.kind !== 'sum') checkNumber(out, 'attention.fn.p', fn.p, LIMITS['attention.fn.p']);
    checkNumber(out, 'attention.beta', c.attention.beta, LIMITS['attention.beta']);
  }
  if (KD_METHODS.has(c.method)) {
    checkNumber(out, 'kd.temperature', c.kd.temperature, LIMITS['kd.temperature']);
    checkNumber(out, 'kd.alpha', c.kd.alpha, LIMITS['kd.alpha']);
  }
  if (c.method === 'grad-at') checkNumber(out, 'gradAt.beta', c.gradAt.beta, LIMITS['gradAt.beta']);
  return out;
}

export function hintProblems(c: RunConfig, f: WizardFacts = {}): Problem[] {
  if (!AT_METHODS.has(c.method)) return [];
  const pairs = c.attention.pairs;
  if (pairs !== undefined && pairs.length === 0) return [{ field: 'attention.pairs', rule: 'empty' }];
  const out: Problem[] = [];
  for (const p of pairs ?? []) {
    if (out.length === 0 && p.beta !== undefined) checkNumber(out, 'attention.pairs', p.beta, LIMITS['attention.pairs.beta']);
  }
  if (out.length === 0 && f.pairsError) out.push({ field: 'attention.pairs', rule: 'engine', text: f.pairsError });
  return out;
}

/** How many test images a run of `c` will have, when the dataset is known. */
function testImages(c: RunConfig, f: WizardFacts): number | undefined {
  if (!f.dataset) return undefined;
  const limit = c.data.testLimit;
  return typeof limit === 'number' && Number.isFinite(limit) ? Math.min(limit, f.dataset.testCount) : f.dataset.testCount;
}

export function trainingProblems(c: RunConfig, f: WizardFacts = {}): Problem[] {
  const out: Problem[] = [];
  const t = c.training;
  checkNumber(out, 'training.epochs', t.epochs, LIMITS['training.epochs']);
  checkNumber(out, 'training.batchSize', t.batchSize, LIMITS['training.batchSize']);
  checkNumber(out, 'training.lr', t.lr, LIMITS['training.lr']);
  const s = t.schedule;
  if (s.kind === 'step') {
    if (!isMilestones(s.milestones)) out.push({ field: 'training.schedule.milestones', rule: 'milestones', value: s.milestones });
    checkNumber(out, 'training.schedule.gamma', s.gamma, LIMITS['training.schedule.gamma']);
  } else if (s.kind !== 'cosine') {
    out.push({ field: 'training.schedule.kind', rule: 'oneOf', options: ['step', 'cosine'], value: (s as { kind?: unknown }).kind });
  }
  checkNumber(out, 'training.momentum', t.momentum, LIMITS['training.momentum']);
  checkNumber(out, 'training.weightDecay', t.weightDecay, LIMITS['training.weightDecay']);
  checkNumber(out, 'seed', c.seed, LIMITS.seed);
  const probesBefore = out.length;
  checkNumber(out, 'probes', c.probes, LIMITS.probes);
  // The engine refuses more probe images than the run's test split holds (core/train/runTraining.ts).
  const tests = testImages(c, f);
  if (out.length === probesBefore && tests !== undefined && c.probes > tests) out.push({ field: 'probes', rule: 'testImages', limit: tests, value: c.probes });
  const n = f.repeats ?? 1;
  const repeatsBefore = out.length;
  checkNumber(out, 'repeats', n, REPEATS_LIMIT);
  const seedMax = LIMITS.seed.max;
  if (out.length === repeatsBefore && n > 1 && Number.isInteger(c.seed) && c.seed + n - 1 > seedMax) {
    out.push({ field: 'repeats', rule: 'seedOverflow', limit: seedMax, value: n });
  }
  if (c.backend !== 'auto') {
    const b = f.backends?.find((o) => o.name === c.backend);
    if (f.backends && !b) out.push({ field: 'backend', rule: 'unavailable', value: c.backend });
    else if (b && !b.available) out.push({ field: 'backend', rule: 'unavailable', value: b.name, text: b.reason });
  }
  if (typeof c.name === 'string' && c.name.length > NAME_MAX_LENGTH) out.push({ field: 'name', rule: 'maxLength', limit: NAME_MAX_LENGTH });
  return out;
}

export function stepProblems(step: StepKey, c: RunConfig, f: WizardFacts = {}): Problem[] {
  switch (step) {
    case 'dataset': return datasetProblems(c, f);
    case 'teacher': return teacherProblems(c, f);
    case 'student': return studentProblems(c, f);
    case 'attention': return attentionProblems(c);
    case 'hints': return hintProblems(c, f);
    case 'training': return trainingProblems(c, f);
    case 'review': return [];
  }
}

/** Problems as the fields show them: field → message (the first problem of a field wins). */
export function toFieldErrors(problems: Problem[], message: (p: Problem) => string = problemMessage): FieldErrors {
  const out: FieldErrors = {};
  for (const p of problems) if (!(p.field in out)) out[p.field] = message(p);
  return out;
}

export const validateDataset = (c: RunConfig, f: WizardFacts = {}) => toFieldErrors(datasetProblems(c, f));
export const validateTeacher = (c: RunConfig, f: WizardFacts = {}) => toFieldErrors(teacherProblems(c, f));
export const validateStudent = (c: RunConfig, f: WizardFacts = {}) => toFieldErrors(studentProblems(c, f));
export const validateAttention = (c: RunConfig) => toFieldErrors(attentionProblems(c));
export const validateHints = (c: RunConfig, f: WizardFacts = {}) => toFieldErrors(hintProblems(c, f));
export const validateTraining = (c: RunConfig, f: WizardFacts = {}) => toFieldErrors(trainingProblems(c, f));

export function validateStep(step: StepKey, c: RunConfig, f: WizardFacts = {}): FieldErrors {
  return toFieldErrors(stepProblems(step, c, f));
}

/** The first step (in order) with a problem, or null when every step passes. */
export function firstInvalidStep(c: RunConfig, f: WizardFacts = {}): { step: StepKey; errors: FieldErrors } | null {
  for (const step of STEP_KEYS) {
    const errors = validateStep(step, c, f);
    if (Object.keys(errors).length > 0) return { step, errors };
  }
  return null;
}

/** Where an engine issue path belongs: the step, and the wizard field nearest to it ('' = the step as a whole). */
export function issueTarget(path: string): { step: StepKey; field: string } {
  const head = path.split('.')[0] ?? '';
  let step: StepKey;
  if (path === 'attention.pairs' || path.startsWith('attention.pairs.')) step = 'hints';
  else if (head === 'data') step = 'dataset';
  else if (head === 'teacher') step = 'teacher';
  else if (head === 'student') step = 'student';
  else if (head === 'method' || head === 'attention' || head === 'kd' || head === 'gradAt') step = 'attention';
  else if (head === 'training' || head === 'seed' || head === 'backend' || head === 'name' || head === 'probes') step = 'training';
  else step = 'review';
  let field = '';
  for (const f of STEP_FIELDS[step]) {
    if ((path === f || path.startsWith(`${f}.`)) && f.length > field.length) field = f;
  }
  if (!field && path === 'teacher') field = 'teacher.source';
  return { step, field };
}

/** Engine issues grouped by step, as field errors (several issues on one field are joined). */
export function mapIssues(issues: { path: string; message: string }[]): Partial<Record<StepKey, FieldErrors>> {
  const out: Partial<Record<StepKey, FieldErrors>> = {};
  for (const i of issues) {
    const { step, field } = issueTarget(i.path);
    const errs = (out[step] ??= {});
    const rest = i.path && field !== i.path ? `${i.path}: ` : '';
    const msg = `${rest}${i.message}`;
    errs[field] = errs[field] ? `${errs[field]} ${msg}` : msg;
  }
  return out;
}
