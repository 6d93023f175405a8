// What the wizard's checks find, as data (field, rule, limit or options), and the one function that words
// it in English. The checks (validate.ts) never write text, so a translation replaces problemMessage only.
import { LIMITS, type LimitKey, type NumberLimit, type NumberRule } from '../../../core/config/limits.js';

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
  const kind = l.int ? 'a whole number' : 'a number';
  if (l.min !== undefined && l.max !== undefined) {
    return l.minExclusive ? `${kind} above ${l.min} and at most ${l.max}` : `${kind} from ${l.min} to ${l.max}`;
  }
  if (l.min !== undefined) return l.minExclusive ? `${kind} above ${l.min}` : `${kind}, ${l.min} or more`;
  return kind;
}

/** How many runs (one per seed) Start may make from one config: the wizard's own field, not the config's. */
export const REPEATS_LIMIT = { int: true, min: 1, max: 10 } as const satisfies NumberLimit;

const min = (key: LimitKey) => (LIMITS[key] as NumberLimit).min;
const max = (key: LimitKey) => (LIMITS[key] as NumberLimit).max;

/** Each field's sentence for "outside its range", with the numbers read from LIMITS. */
const RANGE_TEXT: Record<string, () => string> = {
  'data.limit': () => `Enter a whole number of images, ${min('data.limit')} or more, or leave it empty to use every image.`,
  'data.testLimit': () => `Enter a whole number of test images, ${min('data.testLimit')} or more, or leave it empty to use the whole test split.`,
  'data.validationSplit': () => `Enter a fraction from ${min('data.validationSplit')} (no validation set) up to, but not including, ${max('data.validationSplit')} — e.g. 0.1 for 10%.`,
  'teacher.training.epochs': () => `Enter a whole number of epochs, ${min('training.epochs')} or more (or leave it empty to use the student's).`,
  'teacher.limit': () => `Enter a whole number of images, ${min('teacher.limit')} or more (or leave it empty to use the student's).`,
  'model.widen': () => `The width (widening factor k) is ${range('model.widen')}.`,
  'attention.fn.p': () => `p is ${range('attention.fn.p')} (the paper uses 2): below ${min('attention.fn.p')} the attention map has no finite gradient where activations are 0.`,
  'attention.beta': () => `β is ${range('attention.beta')} (the paper's code uses 1000).`,
  'attention.pairs': () => `A pair's β must be ${range('attention.pairs.beta')} (or empty to use the run's β).`,
  'kd.temperature': () => `The temperature T is ${range('kd.temperature')} (the paper uses 4).`,
  'kd.alpha': () => `α is ${range('kd.alpha')} (the paper uses 0.9).`,
  'gradAt.beta': () => `β is ${range('gradAt.beta')} (the paper uses 0.1).`,
  'training.epochs': () => `Enter a whole number of epochs, ${min('training.epochs')} or more.`,
  'training.batchSize': () => `The batch size is ${range('training.batchSize')} (128 in the paper).`,
  'training.lr': () => `The learning rate is ${range('training.lr')} (0.1 in the paper).`,
  'training.schedule.gamma': () => `The factor is ${range('training.schedule.gamma')} (0.2 in the paper).`,
  'training.momentum': () => `Momentum is ${range('training.momentum')} (0.9 in the paper).`,
  'training.weightDecay': () => `Weight decay is ${range('training.weightDecay')} (0.0005 in the paper).`,
  seed: () => `The seed is ${range('seed')}.`,
  probes: () => `The number of probe images is ${range('probes')}.`,
  repeats: () => `Train ${REPEATS_LIMIT.min} to ${REPEATS_LIMIT.max} runs (one per seed).`,
};

/** Past a practicalMax (limits.ts): what goes wrong there. */
const PRACTICAL_TEXT: Record<string, (cap: number) => string> = {
  'model.widen': (cap) => `A width above ${cap} makes a network far too large to train here.`,
  'attention.fn.p': (cap) => `p above ${cap} makes the map a single bright spot and the loss numerically unstable; use 1–4.`,
  'training.batchSize': (cap) => `A batch above ${cap} images will not fit in memory here.`,
  'training.lr': (cap) => `A learning rate above ${cap} makes training diverge; the paper uses 0.1.`,
};

const CHOOSE: Record<string, string> = {
  'data.path': 'Choose the folder (or file) that holds your dataset.',
  'teacher.source': 'Choose where the teacher comes from.',
  'teacher.run': 'Pick one of your finished runs.',
  'teacher.path': 'Enter the path of the teacher\'s model.json.',
  method: 'Choose a method.',
  'attention.fn.kind': 'Choose an attention function.',
  'training.schedule.kind': 'Choose a schedule.',
  'model.variant': 'Choose thin or wide.',
};

/** The English message for a problem: the only place the wizard's check texts are written. */
export function problemMessage(p: Problem): string {
  // The teacher's and the student's model fields share their words.
  const key = p.field.replace(/^(teacher|student)\.model\./, 'model.');
  const who = p.field.startsWith('teacher.') ? 'teacher' : 'student';
  switch (p.rule) {
    case 'number': case 'int': case 'min': case 'max':
      return RANGE_TEXT[key]?.() ?? `${p.field} is out of range.`;
    case 'practicalMax':
      return PRACTICAL_TEXT[key]?.(p.limit!) ?? `${p.field} is above ${p.limit}.`;
    case 'required':
      return key === 'model.family' ? `Choose the ${who}'s architecture.` : CHOOSE[key] ?? `${p.field} is required.`;
    case 'oneOf':
      if (key === 'model.family') return `Choose the ${who}'s architecture: WRN, ResNet or NIN.`;
      if (key === 'model.depth') return `ResNet comes in depth ${p.options!.join(' or ')}.`;
      return CHOOSE[key] ?? `Choose one of ${p.options!.join(', ')}.`;
    case 'wrnDepth': {
      const given = p.value === undefined || p.value === null || p.value === '' || Number.isNaN(p.value) ? '' : ` (${String(p.value)} is not).`;
      return `A wide ResNet's depth is 6n+4: 10, 16, 22, 28, 34, 40, …${given}`;
    }
    case 'milestones':
      return 'Milestones are increasing fractions of the epochs between 0 and 1, like 0.3, 0.6, 0.8.';
    case 'maxLength':
      return `Keep the run name to ${p.limit} characters or fewer.`;
    case 'testImages':
      return `The run will have ${p.limit} test images: show at most that many probe images.`;
    case 'classes':
      return `This teacher predicts ${String(p.value)} classes but the dataset has ${p.limit}; it must have been trained on the same classes.`;
    case 'seedOverflow':
      return `The seeds of these runs would pass ${p.limit}: pick a smaller seed.`;
    case 'empty':
      return 'Pair at least one student tap with a teacher tap, or go back to the automatic pairing.';
    case 'noTaps':
      return 'Tick at least one layer whose attention the student should copy, or use the automatic choice.';
    case 'unreadable':
      return `This cannot be read as a dataset: ${p.text}`;
    case 'unavailable':
      return p.text === undefined ? `Unknown backend "${String(p.value)}".` : `${String(p.value)} is not available on this machine: ${p.text}`;
    case 'engine':
      return p.text ?? '';
  }
}
