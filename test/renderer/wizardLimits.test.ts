// One rule per limit: for every entry of core/config/limits.ts, the wizard refuses exactly the values the
// config schema refuses (property-style, over values around each bound), and only the wizard's
// practical caps are stricter. Also: problems are data, and one function words them.
import { describe, expect, it } from 'vitest';
import { LIMITS, type LimitKey, type NumberLimit } from '../../core/config/limits.js';
import { ConfigError } from '../../core/config/configError.js';
import { parseRunConfig } from '../../core/config/runConfig.js';
import type { RunConfig } from '../../core/config/types.js';
import { STEP_KEYS, stepProblems, trainingProblems, type Problem } from '../../renderer/src/wizard/validate.js';
import { problemMessage } from '../../renderer/src/wizard/problems.js';
import { FASHION, defaultConfig, fashionView } from './fakeApi.js';

interface Place {
  /** Where the value goes (the config path the schema reports). */
  path: string;
  /** The wizard field that shows it. */
  field: string;
  optional?: boolean;
  /** Makes the field matter (e.g. the method that uses it). */
  setup?: (c: any) => void;
}

const at = (path: string, extra: Partial<Place> = {}): Place => ({ path, field: path, ...extra });
const PLACES: Record<LimitKey, Place[]> = {
  seed: [at('seed')],
  probes: [at('probes')],
  'data.limit': [at('data.limit', { optional: true })],
  'data.testLimit': [at('data.testLimit', { optional: true })],
  'data.validationSplit': [at('data.validationSplit')],
  'data.inputShape': [], // not a wizard field: the wizard takes the dataset's (or the teacher's) shape
  'teacher.limit': [at('teacher.limit', { optional: true })],
  'model.widen': [at('student.model.widen'), at('teacher.model.widen')],
  'attention.fn.p': [at('attention.fn.p', { setup: (c) => (c.attention.fn.kind = 'max-p') })],
  'attention.beta': [at('attention.beta')],
  'attention.pairs.beta': [{
    path: 'attention.pairs.0.beta', field: 'attention.pairs',
    setup: (c) => (c.attention.pairs = [{ student: 'group0', teacher: 'group0' }]),
  }],
  'kd.temperature': [at('kd.temperature', { setup: (c) => (c.method = 'kd') })],
  'kd.alpha': [at('kd.alpha', { setup: (c) => (c.method = 'at+kd') })],
  'gradAt.beta': [at('gradAt.beta', { setup: (c) => (c.method = 'grad-at') })],
  'training.epochs': [at('training.epochs'), at('teacher.training.epochs', { optional: true, setup: (c) => (c.teacher.training = {}) })],
  'training.batchSize': [at('training.batchSize')],
  'training.lr': [at('training.lr')],
  'training.momentum': [at('training.momentum')],
  'training.weightDecay': [at('training.weightDecay')],
  'training.schedule.gamma': [at('training.schedule.gamma')],
};

/** Values on, just inside and just outside each bound, plus fractions, huge values and non-numbers. */
function probeValues(l: NumberLimit, optional: boolean): number[] {
  const around = (b: number) => [b - 1, b - 0.5, b - 1e-9, b, b + 1e-9, b + 0.5, b + 1];
  const values = [-1e9, -1, 0, 0.25, 0.5, 1, 1.5, 2, 3, 7.5, 1e9, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  if (l.min !== undefined) values.push(...around(l.min));
  if (l.max !== undefined) values.push(...around(l.max));
  if (l.practicalMax !== undefined) values.push(...around(l.practicalMax));
  if (!optional) values.push(Number.NaN); // an optional field left empty (NaN from a cleared input) is left out
  return values;
}

function setPath(c: any, path: string, value: unknown): void {
  const keys = path.split('.');
  let o = c;
  for (const k of keys.slice(0, -1)) o = o[k];
  o[keys.at(-1)!] = value;
}

function configWith(place: Place, value: number): RunConfig {
  const c: any = defaultConfig();
  c.data.path = FASHION;
  place.setup?.(c);
  setPath(c, place.path, value);
  return c;
}

function schemaRefuses(c: RunConfig, path: string): boolean {
  try {
    parseRunConfig(structuredClone(c));
    return false;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.issues.some((i) => i.path === path);
  }
}

const wizardProblems = (c: RunConfig, field: string): Problem[] =>
  STEP_KEYS.flatMap((s) => stepProblems(s, c, { dataset: fashionView() })).filter((p) => p.field === field);

describe('each limit in one place', () => {
  it('every limit has a place in this test (a new limit must be added here)', () => {
    expect(Object.keys(PLACES).sort()).toEqual(Object.keys(LIMITS).sort());
  });

  for (const key of Object.keys(LIMITS) as LimitKey[]) {
    for (const place of PLACES[key]) {
      it(`${place.field}: the wizard refuses what the schema refuses (${key})`, () => {
        const limit: NumberLimit = LIMITS[key];
        let checked = 0;
        for (const value of probeValues(limit, place.optional ?? false)) {
          const c = configWith(place, value);
          const schema = schemaRefuses(c, place.path);
          const problems = wizardProblems(c, place.field);
          const hard = problems.filter((p) => p.rule !== 'practicalMax');
          expect([value, hard.length > 0], `${place.path} = ${value}`).toEqual([value, schema]);
          // Past the practical cap only the wizard refuses; below it, nothing else does.
          const capped = limit.practicalMax !== undefined && Number.isFinite(value) && value > limit.practicalMax && !schema;
          expect(problems.some((p) => p.rule === 'practicalMax'), `${place.path} = ${value} (practical cap)`).toBe(capped);
          for (const p of problems) expect(problemMessage(p)).not.toMatch(/out of range|is above|undefined/);
          checked++;
        }
        expect(checked).toBeGreaterThan(10);
      });
    }
  }

  it('problems are data: the field, the rule and its limit', () => {
    const c = configWith(at('training.batchSize'), 0);
    expect(trainingProblems(c)).toEqual([{ field: 'training.batchSize', rule: 'min', limit: 1, value: 0 }]);
    expect(trainingProblems(configWith(at('training.batchSize'), 2.5))).toEqual([{ field: 'training.batchSize', rule: 'int', value: 2.5 }]);
    expect(trainingProblems(configWith(at('training.batchSize'), 5000))).toEqual([{ field: 'training.batchSize', rule: 'practicalMax', limit: 4096, value: 5000 }]);
    expect(trainingProblems(configWith(at('training.momentum'), 1.5))).toEqual([{ field: 'training.momentum', rule: 'max', limit: 1, value: 1.5 }]);
    const attention = stepProblems('attention', configWith(at('attention.fn.p'), 0.5));
    expect(attention).toEqual([{ field: 'attention.fn.p', rule: 'min', limit: 1, value: 0.5 }]);
    // A message can be made by another formatter (a translation) from the same data.
    expect(problemMessage(attention[0]!)).toMatch(/^p is a number, 1 or more/);
  });

  it('probes: the engine\'s limit of the run\'s test images (runTraining refuses more)', () => {
    const c = configWith(at('probes'), 8);
    c.data.testLimit = 5;
    expect(trainingProblems(c, { dataset: fashionView() })).toEqual([{ field: 'probes', rule: 'testImages', limit: 5, value: 8 }]);
    expect(problemMessage({ field: 'probes', rule: 'testImages', limit: 5 })).toBe('The run will have 5 test images: show at most that many probe images.');
    c.data.testLimit = 8;
    expect(trainingProblems(c, { dataset: fashionView() })).toEqual([]);
    expect(trainingProblems(configWith(at('probes'), 8))).toEqual([]); // dataset unknown: not checked
  });
});
