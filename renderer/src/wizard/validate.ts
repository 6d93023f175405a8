// The wizard's checks, one function per step, pure (config + what the wizard has learned so far in,
// field path → plain-language message out), so they are unit-testable without a DOM. Field keys are the
// config's dotted paths (`training.lr`), the same paths the engine's validateConfig reports, so engine
// issues land on the same fields (issueTarget).
import type { BackendOption } from '../../../core/service/api.js';
import { MIN_ATTENTION_P, type ModelFamilySpec, type RunConfig } from '../../../core/config/types.js';

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

export const MAX_REPEATS = 10;

export const KD_METHODS = new Set<string>(['kd', 'at+kd']);
export const AT_METHODS = new Set<string>(['at', 'at+kd']);
export const TEACHER_METHODS = new Set<string>(['at', 'kd', 'at+kd', 'grad-at']);

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isInt = (v: unknown): v is number => isNum(v) && Number.isInteger(v);
const empty = (v: unknown) => v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v)) || v === '';

export function isWrnDepth(depth: unknown): boolean {
  return isInt(depth) && depth >= 10 && (depth - 4) % 6 === 0;
}

function checkModel(m: ModelFamilySpec | undefined, base: string, who: string, out: FieldErrors): void {
  if (!m) {
    out[`${base}.family`] = `Choose the ${who}'s architecture.`;
    return;
  }
  switch (m.family) {
    case 'wrn':
      if (!isWrnDepth(m.depth)) {
        out[`${base}.depth`] = `A wide ResNet's depth is 6n+4: 10, 16, 22, 28, 34, 40, …${empty(m.depth) ? '' : ` (${String(m.depth)} is not).`}`;
      }
      if (!isInt(m.widen) || m.widen < 1) out[`${base}.widen`] = 'The width (widening factor k) is a whole number, 1 or more.';
      else if (m.widen > 20) out[`${base}.widen`] = 'A width above 20 makes a network far too large to train here.';
      break;
    case 'resnet':
      if (m.depth !== 18 && m.depth !== 34) out[`${base}.depth`] = 'ResNet comes in depth 18 or 34.';
      break;
    case 'nin':
      if (m.variant !== 'thin' && m.variant !== 'wide') out[`${base}.variant`] = 'Choose thin or wide.';
      break;
    default:
      out[`${base}.family`] = `Choose the ${who}'s architecture: WRN, ResNet or NIN.`;
  }
}

export function validateDataset(c: RunConfig, f: WizardFacts = {}): FieldErrors {
  const out: FieldErrors = {};
  if (!c.data.path || !c.data.path.trim()) out['data.path'] = 'Choose the folder (or file) that holds your dataset.';
  else if (f.datasetError) out['data.path'] = `This cannot be read as a dataset: ${f.datasetError}`;
  const limit = c.data.limit;
  if (!empty(limit) && (!isInt(limit) || limit < 1)) {
    out['data.limit'] = 'Enter a whole number of images, 1 or more, or leave it empty to use every image.';
  }
  const testLimit = c.data.testLimit;
  if (!empty(testLimit) && (!isInt(testLimit) || testLimit < 1)) {
    out['data.testLimit'] = 'Enter a whole number of test images, 1 or more, or leave it empty to use the whole test split.';
  }
  const v = c.data.validationSplit;
  if (empty(v) || typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v >= 1) {
    out['data.validationSplit'] = 'Enter a fraction from 0 (no validation set) up to, but not including, 1 — e.g. 0.1 for 10%.';
  }
  return out;
}

export function validateTeacher(c: RunConfig, f: WizardFacts = {}): FieldErrors {
  const out: FieldErrors = {};
  if (!TEACHER_METHODS.has(c.method)) return out; // the baseline trains the student alone
  const t = c.teacher;
  if (!t) {
    out['teacher.source'] = 'Choose where the teacher comes from.';
    return out;
  }
  if (t.source === 'train') {
    checkModel(t.model, 'teacher.model', 'teacher', out);
    const e = t.training?.epochs;
    if (!empty(e) && (!isInt(e) || e < 1)) out['teacher.training.epochs'] = 'Enter a whole number of epochs, 1 or more (or leave it empty to use the student\'s).';
    if (!empty(t.limit) && (!isInt(t.limit) || t.limit < 1)) out['teacher.limit'] = 'Enter a whole number of images, 1 or more (or leave it empty to use the student\'s).';
  } else if (t.source === 'run') {
    if (!t.run) out['teacher.run'] = 'Pick one of your finished runs.';
  } else if (t.source === 'file') {
    if (!t.path || !t.path.trim()) out['teacher.path'] = 'Enter the path of the teacher\'s model.json.';
    else if (t.taps && t.taps.length === 0 && AT_METHODS.has(c.method)) out['teacher.taps'] = 'Tick at least one layer whose attention the student should copy, or use the automatic choice.';
  } else {
    out['teacher.source'] = 'Choose where the teacher comes from.';
  }
  const field = t.source === 'file' ? 'teacher.path' : t.source === 'run' ? 'teacher.run' : 'teacher.model.family';
  if (!out[field] && Object.keys(out).length === 0) {
    if (f.teacherError) out[field] = f.teacherError;
    else if (f.teacherClasses && f.dataset && f.teacherClasses !== f.dataset.classes.length) {
      out[field] = `This teacher predicts ${f.teacherClasses} classes but the dataset has ${f.dataset.classes.length}; it must have been trained on the same classes.`;
    }
  }
  return out;
}

export function validateStudent(c: RunConfig, f: WizardFacts = {}): FieldErrors {
  const out: FieldErrors = {};
  checkModel(c.student.model, 'student.model', 'student', out);
  if (Object.keys(out).length === 0 && f.studentError) out['student.model.family'] = f.studentError;
  return out;
}

export function validateAttention(c: RunConfig): FieldErrors {
  const out: FieldErrors = {};
  if (!['baseline', 'at', 'kd', 'at+kd', 'grad-at'].includes(c.method)) out.method = 'Choose a method.';
  if (AT_METHODS.has(c.method)) {
    const fn = c.attention.fn;
    if (!['sum', 'sum-p', 'max-p'].includes(fn.kind)) out['attention.fn.kind'] = 'Choose an attention function.';
    else if (fn.kind !== 'sum' && (!isNum(fn.p) || fn.p < MIN_ATTENTION_P)) out['attention.fn.p'] = `p is a number, ${MIN_ATTENTION_P} or more (the paper uses 2): below ${MIN_ATTENTION_P} the attention map has no finite gradient where activations are 0.`;
    else if (fn.kind !== 'sum' && fn.p! > 8) out['attention.fn.p'] = 'p above 8 makes the map a single bright spot and the loss numerically unstable; use 1–4.';
    if (!isNum(c.attention.beta) || c.attention.beta < 0) out['attention.beta'] = 'β is a number, 0 or more (the paper\'s code uses 1000).';
  }
  if (KD_METHODS.has(c.method)) {
    if (!isNum(c.kd.temperature) || c.kd.temperature <= 0) out['kd.temperature'] = 'The temperature T is a number above 0 (the paper uses 4).';
    if (!isNum(c.kd.alpha) || c.kd.alpha < 0 || c.kd.alpha > 1) out['kd.alpha'] = 'α is a number from 0 to 1 (the paper uses 0.9).';
  }
  if (c.method === 'grad-at' && (!isNum(c.gradAt.beta) || c.gradAt.beta < 0)) {
    out['gradAt.beta'] = 'β is a number, 0 or more (the paper uses 0.1).';
  }
  return out;
}

export function validateHints(c: RunConfig, f: WizardFacts = {}): FieldErrors {
  const out: FieldErrors = {};
  if (!AT_METHODS.has(c.method)) return out;
  const pairs = c.attention.pairs;
  if (pairs !== undefined && pairs.length === 0) out['attention.pairs'] = 'Pair at least one student tap with a teacher tap, or go back to the automatic pairing.';
  else if (pairs?.some((p) => p.beta !== undefined && !(Number.isFinite(p.beta) && p.beta >= 0))) {
    out['attention.pairs'] = 'A pair\'s β must be a number, 0 or more (or empty to use the run\'s β).';
  } else if (f.pairsError) out['attention.pairs'] = f.pairsError;
  return out;
}

export function validateTraining(c: RunConfig, f: WizardFacts = {}): FieldErrors {
  const out: FieldErrors = {};
  const t = c.training;
  if (!isInt(t.epochs) || t.epochs < 1) out['training.epochs'] = 'Enter a whole number of epochs, 1 or more.';
  if (!isInt(t.batchSize) || t.batchSize < 1) out['training.batchSize'] = 'The batch size is a whole number, 1 or more (128 in the paper).';
  else if (t.batchSize > 4096) out['training.batchSize'] = 'A batch above 4096 images will not fit in memory here.';
  if (!isNum(t.lr) || t.lr <= 0) out['training.lr'] = 'The learning rate is a number above 0 (0.1 in the paper).';
  else if (t.lr > 10) out['training.lr'] = 'A learning rate above 10 makes training diverge; the paper uses 0.1.';
  const s = t.schedule;
  if (s.kind === 'step') {
    const m = s.milestones;
    const ok = Array.isArray(m) && m.every((v, i) => isNum(v) && v > 0 && v < 1 && (i === 0 || v > m[i - 1]!));
    if (!ok) out['training.schedule.milestones'] = 'Milestones are increasing fractions of the epochs between 0 and 1, like 0.3, 0.6, 0.8.';
    if (!isNum(s.gamma) || s.gamma <= 0 || s.gamma > 1) out['training.schedule.gamma'] = 'The factor is a number above 0 and at most 1 (0.2 in the paper).';
  } else if (s.kind !== 'cosine') {
    out['training.schedule.kind'] = 'Choose a schedule.';
  }
  if (!isNum(t.momentum) || t.momentum < 0 || t.momentum > 1) out['training.momentum'] = 'Momentum is a number from 0 to 1 (0.9 in the paper).';
  if (!isNum(t.weightDecay) || t.weightDecay < 0) out['training.weightDecay'] = 'Weight decay is a number, 0 or more (0.0005 in the paper).';
  if (!isInt(c.seed) || c.seed < 0 || c.seed > 0xffffffff) out.seed = 'The seed is a whole number from 0 to 4294967295.';
  if (!isInt(c.probes) || c.probes < 0 || c.probes > 64) out.probes = 'The number of probe images is a whole number from 0 to 64.';
  const n = f.repeats ?? 1;
  if (!isInt(n) || n < 1 || n > MAX_REPEATS) out.repeats = `Train 1 to ${MAX_REPEATS} runs (one per seed).`;
  else if (n > 1 && isInt(c.seed) && c.seed + n - 1 > 0xffffffff) out.repeats = 'The seeds of these runs would pass 4294967295: pick a smaller seed.';
  if (c.backend !== 'auto') {
    const b = f.backends?.find((o) => o.name === c.backend);
    if (f.backends && !b) out.backend = `Unknown backend "${c.backend}".`;
    else if (b && !b.available) out.backend = `${b.name} is not available on this machine: ${b.reason}`;
  }
  if (typeof c.name === 'string' && c.name.length > 200) out.name = 'Keep the run name to 200 characters or fewer.';
  return out;
}

export function validateStep(step: StepKey, c: RunConfig, f: WizardFacts = {}): FieldErrors {
  switch (step) {
    case 'dataset': return validateDataset(c, f);
    case 'teacher': return validateTeacher(c, f);
    case 'student': return validateStudent(c, f);
    case 'attention': return validateAttention(c);
    case 'hints': return validateHints(c, f);
    case 'training': return validateTraining(c, f);
    case 'review': return {};
  }
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
