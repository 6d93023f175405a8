// What the wizard's checks find, as data (field, rule, limit or options), and the one function that words
// it through the UI's catalogue (i18n/en.ts, zh.ts). The checks (validate.ts) never write text.
import { LIMITS, type LimitKey, type NumberLimit, type NumberRule } from '../../../core/config/limits.js';
import { t } from '../i18n/index.js';

export type ProblemRule =
  | NumberRule
  /** Nothing chosen or entered where something must be. */
  | 'required'
  /** Not one of `options`. */
  | 'oneOf'
  | 'wrnDepth'
  | 'milestones'
  | 'maxLength'
  /** probes above the test images the run will have (`limit`). */
  | 'testImages'
  /** The teacher predicts `value` classes, the dataset has `limit`. */
  | 'classes'
  /** The seeds seed … seed + repeats − 1 pass `limit`. */
  | 'seedOverflow'
  /** An explicit hint pairing with no pair. */
  | 'empty'
  /** Tap list ticked empty. */
  | 'noTaps'
  /** The dataset could not be read (`text` is the engine's reason). */
  | 'unreadable'
  /** The backend is not on this machine (`text` is why), or unknown (no text). */
  | 'unavailable'
  /** An answer from the engine shown as it came (`text`). */
  | 'engine';

export interface Problem {
  /** The config's dotted path ('' for the step as a whole); the same paths the engine's issues use. */
  field: string;
  rule: ProblemRule;
  limit?: number;
  options?: readonly (string | number)[];
  value?: unknown;
  text?: string;
}

/** "a whole number, 1 or more" / "a number from 0 to 1" / "a number above 0": the range of a LIMITS entry. */
function range(key: LimitKey): string {
  const l: NumberLimit = LIMITS[key];
  const kind = l.int ? t('problem.kind.int') : t('problem.kind.number');
  if (l.min !== undefined && l.max !== undefined) {
    return l.minExclusive ? t('problem.range.aboveAtMost', { kind, min: l.min, max: l.max }) : t('problem.range.fromTo', { kind, min: l.min, max: l.max });
  }
  if (l.min !== undefined) return l.minExclusive ? t('problem.range.above', { kind, min: l.min }) : t('problem.range.orMore', { kind, min: l.min });
  return kind;
}

/** How many runs (one per seed) Start may make from one config: the wizard's own field, not the config's. */
export const REPEATS_LIMIT = { int: true, min: 1, max: 10 } as const satisfies NumberLimit;

const min = (key: LimitKey) => (LIMITS[key] as NumberLimit).min!;
const max = (key: LimitKey) => (LIMITS[key] as NumberLimit).max!;

/** Each field's sentence for "outside its range", with the numbers read from LIMITS. */
const RANGE_TEXT: Record<string, () => string> = {
  'data.limit': () => t('problem.range.data.limit', { min: min('data.limit') }),
  'data.testLimit': () => t('problem.range.data.testLimit', { min: min('data.testLimit') }),
  'data.validationSplit': () => t('problem.range.data.validationSplit', { min: min('data.validationSplit'), max: max('data.validationSplit') }),
  'teacher.training.epochs': () => t('problem.range.teacher.training.epochs', { min: min('training.epochs') }),
  'teacher.limit': () => t('problem.range.teacher.limit', { min: min('teacher.limit') }),
  'model.widen': () => t('problem.range.model.widen', { range: range('model.widen') }),
  'attention.fn.p': () => t('problem.range.attention.fn.p', { range: range('attention.fn.p'), min: min('attention.fn.p') }),
  'attention.beta': () => t('problem.range.attention.beta', { range: range('attention.beta') }),
  'attention.pairs': () => t('problem.range.attention.pairs', { range: range('attention.pairs.beta') }),
  'kd.temperature': () => t('problem.range.kd.temperature', { range: range('kd.temperature') }),
  'kd.alpha': () => t('problem.range.kd.alpha', { range: range('kd.alpha') }),
  'gradAt.beta': () => t('problem.range.gradAt.beta', { range: range('gradAt.beta') }),
  'training.epochs': () => t('problem.range.training.epochs', { min: min('training.epochs') }),
  'training.batchSize': () => t('problem.range.training.batchSize', { range: range('training.batchSize') }),
  'training.lr': () => t('problem.range.training.lr', { range: range('training.lr') }),
  'training.schedule.gamma': () => t('problem.range.training.schedule.gamma', { range: range('training.schedule.gamma') }),
  'training.momentum': () => t('problem.range.training.momentum', { range: range('training.momentum') }),
  'training.weightDecay': () => t('problem.range.training.weightDecay', { range: range('training.weightDecay') }),
  seed: () => t('problem.range.seed', { range: range('seed') }),
  probes: () => t('problem.range.probes', { range: range('probes') }),
  repeats: () => t('problem.range.repeats', { min: REPEATS_LIMIT.min, max: REPEATS_LIMIT.max }),
};

/** Past a practicalMax (limits.ts): what goes wrong there. */
const PRACTICAL_TEXT: Record<string, (cap: number) => string> = {
  'model.widen': (cap) => t('problem.practical.model.widen', { cap }),
  'attention.fn.p': (cap) => t('problem.practical.attention.fn.p', { cap }),
  'training.batchSize': (cap) => t('problem.practical.training.batchSize', { cap }),
  'training.lr': (cap) => t('problem.practical.training.lr', { cap }),
};

const CHOOSE: Record<string, () => string> = {
  'data.path': () => t('problem.choose.data.path'),
  'teacher.source': () => t('problem.choose.teacher.source'),
  'teacher.run': () => t('problem.choose.teacher.run'),
  'teacher.path': () => t('problem.choose.teacher.path'),
  method: () => t('problem.choose.method'),
  'attention.fn.kind': () => t('problem.choose.attention.fn.kind'),
  'training.schedule.kind': () => t('problem.choose.training.schedule.kind'),
  'model.variant': () => t('problem.choose.model.variant'),
};

/** The message for a problem, in the UI's language: the only place the wizard's check texts are worded. */
export function problemMessage(p: Problem): string {
  // The teacher's and the student's model fields share their words.
  const key = p.field.replace(/^(teacher|student)\.model\./, 'model.');
  const teacher = p.field.startsWith('teacher.');
  switch (p.rule) {
    case 'number': case 'int': case 'min': case 'max':
      return RANGE_TEXT[key]?.() ?? t('problem.range.other', { field: p.field });
    case 'practicalMax':
      return PRACTICAL_TEXT[key]?.(p.limit!) ?? t('problem.practical.other', { field: p.field, cap: p.limit! });
    case 'required':
      if (key === 'model.family') return teacher ? t('problem.family.teacher') : t('problem.family.student');
      return CHOOSE[key]?.() ?? t('problem.required.other', { field: p.field });
    case 'oneOf':
      if (key === 'model.family') return teacher ? t('problem.familyOneOf.teacher') : t('problem.familyOneOf.student');
      if (key === 'model.depth') return t('problem.resnetDepth', { depths: p.options!.join(t('problem.orJoin')) });
      return CHOOSE[key]?.() ?? t('problem.oneOf', { options: p.options!.join(t('problem.listJoin')) });
    case 'wrnDepth': {
      const none = p.value === undefined || p.value === null || p.value === '' || Number.isNaN(p.value);
      return none ? t('problem.wrnDepth') : t('problem.wrnDepthGiven', { value: String(p.value) });
    }
    case 'milestones':
      return t('problem.milestones');
    case 'maxLength':
      return t('problem.maxLength', { limit: p.limit! });
    case 'testImages':
      return t('problem.testImages', { limit: p.limit! });
    case 'classes':
      return t('problem.classes', { value: String(p.value), limit: p.limit! });
    case 'seedOverflow':
      return t('problem.seedOverflow', { limit: p.limit! });
    case 'empty':
      return t('problem.empty');
    case 'noTaps':
      return t('problem.noTaps');
    case 'unreadable':
      // The reason is the engine's own words (English, see the README's i18n note).
      return t('problem.unreadable', { reason: p.text ?? '' });
    case 'unavailable':
      return p.text === undefined ? t('problem.unknownBackend', { backend: String(p.value) }) : t('problem.unavailable', { backend: String(p.value), reason: p.text });
    case 'engine':
      return p.text ?? '';
  }
}
