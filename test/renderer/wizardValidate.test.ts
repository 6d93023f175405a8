// The wizard's pure checks (wizard/validate.ts) and the draft → config conversion (wizard/draft.svelte.ts).
import { describe, expect, it } from 'vitest';
import {
  firstInvalidStep, issueTarget, mapIssues, validateAttention, validateDataset, validateHints, validateStep, validateStudent,
  validateTeacher, validateTraining, STEP_KEYS, type WizardFacts,
} from '../../renderer/src/wizard/validate.js';
import { WizardDraft, mergeDeep } from '../../renderer/src/wizard/draft.svelte.js';
import { MIN_ATTENTION_P, type RunConfig } from '../../core/config/types.js';
import { parseRunConfig } from '../../core/config/runConfig.js';
import { defaultRunConfig } from '../../core/config/runConfig.js';
import { BACKENDS, FASHION, defaultConfig, fashionView } from './fakeApi.js';

const facts: WizardFacts = { dataset: fashionView(), backends: BACKENDS };
function good(): RunConfig {
  const c = defaultConfig();
  c.data.path = FASHION;
  return c;
}
/** A config with one field replaced (the way a cleared number input leaves null). */
function bad(mutate: (c: any) => void): RunConfig {
  const c = good();
  mutate(c);
  return c;
}

describe('wizard validation', () => {
  it('the fake default config is the engine\'s', () => {
    expect(defaultConfig()).toEqual(defaultRunConfig());
  });

  it('a good config passes every step', () => {
    for (const step of STEP_KEYS) expect(validateStep(step, good(), facts), step).toEqual({});
    expect(firstInvalidStep(good(), facts)).toBeNull();
    for (const method of ['baseline', 'kd', 'at+kd', 'grad-at'] as const) expect(firstInvalidStep({ ...good(), method }, facts)).toBeNull();
  });

  it('dataset: path required, engine errors shown, limit a positive whole number', () => {
    expect(validateDataset(bad((c) => (c.data.path = '  ')))).toEqual({ 'data.path': 'Choose the folder (or file) that holds your dataset.' });
    expect(validateDataset(good(), { datasetError: 'no dataset found in /x' })['data.path']).toBe('This cannot be read as a dataset: no dataset found in /x');
    for (const limit of [0, -5, 2.5]) {
      expect(validateDataset(bad((c) => (c.data.limit = limit)))['data.limit']).toMatch(/whole number of images, 1 or more/);
    }
    expect(validateDataset(bad((c) => (c.data.limit = null)))).toEqual({});
    expect(validateDataset(bad((c) => (c.data.limit = 500)))).toEqual({});
    // The test split has its own size; empty = all of it.
    for (const testLimit of [0, -1, 1.5]) {
      expect(validateDataset(bad((c) => (c.data.testLimit = testLimit)))['data.testLimit']).toMatch(/whole number of test images, 1 or more/);
    }
    expect(validateDataset(bad((c) => { c.data.limit = 500; c.data.testLimit = 10000; }))).toEqual({});
    expect(validateDataset(bad((c) => (c.data.testLimit = null)))).toEqual({});
  });

  it('teacher: WRN depth 6n+4, width, epochs, run and file; nothing for the baseline', () => {
    expect(validateTeacher(bad((c) => (c.teacher.model.depth = 12)))['teacher.model.depth']).toBe('A wide ResNet\'s depth is 6n+4: 10, 16, 22, 28, 34, 40, … (12 is not).');
    expect(validateTeacher(bad((c) => (c.teacher.model.depth = null)))['teacher.model.depth']).toMatch(/^A wide ResNet's depth is 6n\+4/);
    expect(validateTeacher(bad((c) => (c.teacher.model.widen = 0)))['teacher.model.widen']).toMatch(/whole number, 1 or more/);
    expect(validateTeacher(bad((c) => (c.teacher.training = { epochs: -1 }))))
      .toEqual({ 'teacher.training.epochs': 'Enter a whole number of epochs, 1 or more (or leave it empty to use the student\'s).' });
    expect(validateTeacher(bad((c) => (c.teacher.limit = 0))))
      .toEqual({ 'teacher.limit': 'Enter a whole number of images, 1 or more (or leave it empty to use the student\'s).' });
    expect(validateTeacher(bad((c) => (c.teacher.limit = 60000)))).toEqual({});
    expect(validateTeacher(bad((c) => (c.teacher = { source: 'run', run: '' })))).toEqual({ 'teacher.run': 'Pick one of your finished runs.' });
    expect(validateTeacher(bad((c) => (c.teacher = { source: 'file', path: '' })))).toEqual({ 'teacher.path': 'Enter the path of the teacher\'s model.json.' });
    expect(validateTeacher(bad((c) => (c.teacher = { source: 'file', path: '/m/model.json' })), { teacherError: 'not a TF.js model' }))
      .toEqual({ 'teacher.path': 'not a TF.js model' });
    expect(validateTeacher(bad((c) => (c.teacher = { source: 'file', path: '/m/model.json' })), { ...facts, teacherClasses: 100 })['teacher.path'])
      .toMatch(/predicts 100 classes but the dataset has 10/);
    expect(validateTeacher(bad((c) => { c.method = 'baseline'; c.teacher.model.depth = 12; }))).toEqual({});
  });

  it('student: each family\'s sizes', () => {
    expect(validateStudent(bad((c) => (c.student.model = { family: 'wrn', depth: 15, widen: 1 })))).toHaveProperty('student.model.depth');
    expect(validateStudent(bad((c) => (c.student.model = { family: 'resnet', depth: 50 })))).toEqual({ 'student.model.depth': 'ResNet comes in depth 18 or 34.' });
    expect(validateStudent(bad((c) => (c.student.model = { family: 'nin', variant: 'thin' })))).toEqual({});
    expect(validateStudent(good(), { studentError: 'cannot build WRN-16-1' })).toEqual({ 'student.model.family': 'cannot build WRN-16-1' });
  });

  it('attention: p follows the engine\'s one rule (MIN_ATTENTION_P): the wizard and the schema accept and refuse the same p', () => {
    for (const p of [0.5, 0.99, MIN_ATTENTION_P, 1.5, 2, 4]) {
      const wizardOk = !('attention.fn.p' in validateAttention(bad((c) => (c.attention.fn.p = p))));
      let schemaOk = true;
      try { parseRunConfig(bad((c) => (c.attention.fn.p = p))); } catch { schemaOk = false; }
      expect([p, wizardOk]).toEqual([p, schemaOk]);
      expect(wizardOk).toBe(p >= 1);
    }
  });

  it('attention: p and β for AT, T and α for KD, β for gradient AT', () => {
    const pMessage = `p is a number, ${MIN_ATTENTION_P} or more (the paper uses 2): below ${MIN_ATTENTION_P} the attention map has no finite gradient where activations are 0.`;
    expect(validateAttention(bad((c) => (c.attention.fn.p = 0)))).toEqual({ 'attention.fn.p': pMessage });
    expect(validateAttention(bad((c) => (c.attention.fn = { kind: 'sum' })))).toEqual({});
    expect(validateAttention(bad((c) => (c.attention.beta = -1)))).toEqual({ 'attention.beta': 'β is a number, 0 or more (the paper\'s code uses 1000).' });
    expect(validateAttention(bad((c) => { c.method = 'kd'; c.attention.beta = -1; c.kd.temperature = 0; c.kd.alpha = 1.5; }))).toEqual({
      'kd.temperature': 'The temperature T is a number above 0 (the paper uses 4).',
      'kd.alpha': 'α is a number from 0 to 1 (the paper uses 0.9).',
    });
    expect(validateAttention(bad((c) => { c.method = 'grad-at'; c.gradAt.beta = null; }))).toEqual({ 'gradAt.beta': 'β is a number, 0 or more (the paper uses 0.1).' });
  });

  it('hints: an empty explicit pairing and engine pairing errors', () => {
    expect(validateHints(bad((c) => (c.attention.pairs = []))))
      .toEqual({ 'attention.pairs': 'Pair at least one student tap with a teacher tap, or go back to the automatic pairing.' });
    expect(validateHints(good(), { pairsError: 'hint pair group0 ← group9: no such teacher tap' })).toEqual({ 'attention.pairs': 'hint pair group0 ← group9: no such teacher tap' });
    expect(validateHints(bad((c) => { c.method = 'kd'; c.attention.pairs = []; }))).toEqual({});
  });

  it('training: recipe numbers, milestones, seed, probes, unavailable backend, long name', () => {
    const e = validateTraining(bad((c) => {
      c.training.epochs = 0; c.training.batchSize = 1.5; c.training.lr = -0.1; c.training.momentum = 2; c.training.weightDecay = -1;
      c.training.schedule = { kind: 'step', milestones: [0.6, 0.3], gamma: 0 }; c.seed = -1; c.backend = 'tensorflow'; c.name = 'x'.repeat(201);
      c.probes = 65;
    }), facts);
    expect(e).toEqual({
      'training.epochs': 'Enter a whole number of epochs, 1 or more.',
      'training.batchSize': 'The batch size is a whole number, 1 or more (128 in the paper).',
      'training.lr': 'The learning rate is a number above 0 (0.1 in the paper).',
      'training.schedule.milestones': 'Milestones are increasing fractions of the epochs between 0 and 1, like 0.3, 0.6, 0.8.',
      'training.schedule.gamma': 'The factor is a number above 0 and at most 1 (0.2 in the paper).',
      'training.momentum': 'Momentum is a number from 0 to 1 (0.9 in the paper).',
      'training.weightDecay': 'Weight decay is a number, 0 or more (0.0005 in the paper).',
      seed: 'The seed is a whole number from 0 to 4294967295.',
      probes: 'The number of probe images is a whole number from 0 to 64.',
      backend: 'tensorflow is not available on this machine: @tensorflow/tfjs-node is not installed for this platform',
      name: 'Keep the run name to 200 characters or fewer.',
    });
    expect(validateTraining(bad((c) => (c.training.schedule = { kind: 'step', milestones: [0.5, Number.NaN], gamma: 0.2 })))).toHaveProperty(['training.schedule.milestones']);
    expect(validateTraining(bad((c) => (c.training.schedule = { kind: 'cosine' })))).toEqual({});
    expect(validateTraining(bad((c) => (c.backend = 'wasm')), facts)).toEqual({});
    expect(validateTraining(bad((c) => (c.probes = 0)), facts)).toEqual({});
    expect(validateTraining(bad((c) => (c.probes = 2.5)), facts)).toHaveProperty(['probes']);
    expect(validateTraining(bad(() => {}), { ...facts, repeats: 0 })).toEqual({ repeats: 'Train 1 to 10 runs (one per seed).' });
    expect(validateTraining(bad((c) => (c.seed = 0xffffffff)), { ...facts, repeats: 2 })).toEqual({ repeats: 'The seeds of these runs would pass 4294967295: pick a smaller seed.' });
    expect(validateTraining(bad((c) => (c.seed = 0xffffffff - 2)), { ...facts, repeats: 3 })).toEqual({});
  });

  it('firstInvalidStep names the earliest bad step', () => {
    const r = firstInvalidStep(bad((c) => { c.training.lr = 0; c.student.model.depth = 11; }), facts);
    expect(r?.step).toBe('student');
    expect(Object.keys(r!.errors)).toEqual(['student.model.depth']);
  });

  it('engine issue paths land on the right step and field', () => {
    expect(issueTarget('data.path')).toEqual({ step: 'dataset', field: 'data.path' });
    expect(issueTarget('data.inputShape')).toEqual({ step: 'dataset', field: '' });
    expect(issueTarget('teacher')).toEqual({ step: 'teacher', field: 'teacher.source' });
    expect(issueTarget('teacher.run')).toEqual({ step: 'teacher', field: 'teacher.run' });
    expect(issueTarget('teacher.training.epochs')).toEqual({ step: 'teacher', field: 'teacher.training.epochs' });
    expect(issueTarget('student.model.depth')).toEqual({ step: 'student', field: 'student.model.depth' });
    expect(issueTarget('method')).toEqual({ step: 'attention', field: 'method' });
    expect(issueTarget('attention.fn.p')).toEqual({ step: 'attention', field: 'attention.fn.p' });
    expect(issueTarget('kd.alpha')).toEqual({ step: 'attention', field: 'kd.alpha' });
    expect(issueTarget('attention.pairs.0.teacher')).toEqual({ step: 'hints', field: 'attention.pairs' });
    expect(issueTarget('training.schedule.milestones')).toEqual({ step: 'training', field: 'training.schedule.milestones' });
    expect(issueTarget('backend')).toEqual({ step: 'training', field: 'backend' });
    expect(issueTarget('probes')).toEqual({ step: 'training', field: 'probes' });
    expect(issueTarget('')).toEqual({ step: 'review', field: '' });
    expect(mapIssues([
      { path: 'attention.pairs.0.teacher', message: 'no tap group7' },
      { path: 'training.lr', message: 'too small' },
      { path: '', message: 'not a config' },
    ])).toEqual({
      hints: { 'attention.pairs': 'attention.pairs.0.teacher: no tap group7' },
      training: { 'training.lr': 'too small' },
      review: { '': 'not a config' },
    });
  });
});

describe('wizard draft', () => {
  it('builds the config to send: automatic name, unused parts left out', () => {
    const d = new WizardDraft(defaultConfig());
    expect(d.config.name).toBe(''); // the automatic name follows the models
    d.config.data.path = ` ${FASHION} `;
    (d.config.data as any).limit = null; // a cleared number input
    const built = d.build();
    expect(built).not.toHaveProperty('name');
    expect(built.data).toEqual({ path: FASHION, format: 'auto', validationSplit: 0, augment: true });
    expect(built.teacher).toEqual({ source: 'train', model: { family: 'wrn', depth: 16, widen: 2 } });
    expect(d.autoName).toBe('at WRN-16-1 ← WRN-16-2');

    d.config.method = 'baseline';
    d.config.attention.fn = { kind: 'sum', p: 2 };
    d.config.attention.pairs = [{ student: 'group0', teacher: 'group0' }];
    const b = d.build();
    expect(b).not.toHaveProperty('teacher');
    expect(b.attention).toEqual({ fn: { kind: 'sum' }, beta: 1000, form: 'code', betaDecay: 'none' });
    expect(d.autoName).toBe('baseline WRN-16-1');
  });

  it('remembers each teacher source when switching between them', () => {
    const d = new WizardDraft(defaultConfig());
    if (d.config.teacher?.source === 'train') d.config.teacher.model = { family: 'wrn', depth: 40, widen: 2 };
    d.setTeacherSource('file');
    expect(d.config.teacher).toEqual({ source: 'file', path: '' });
    if (d.config.teacher?.source === 'file') d.config.teacher.path = '/m/model.json';
    d.setTeacherSource('train');
    expect(d.config.teacher).toEqual({ source: 'train', model: { family: 'wrn', depth: 40, widen: 2 }, training: {} });
    d.setTeacherSource('file');
    expect(d.config.teacher).toEqual({ source: 'file', path: '/m/model.json' });
  });

  it('a loaded config fills the defaults it leaves out', () => {
    const merged = mergeDeep(defaultConfig(), { training: { epochs: 3 }, data: { path: FASHION } });
    expect(merged.training).toEqual({ ...defaultConfig().training, epochs: 3 });
    expect(merged.data.path).toBe(FASHION);
    expect(merged.attention.beta).toBe(1000);
  });
});

describe('validation split', () => {
  it('accepts a fraction in [0, 1) and names the field otherwise', async () => {
    const { validateDataset } = await import('../../renderer/src/wizard/validate.js');
    const { defaultRunConfig } = await import('../../core/config/runConfig.js');
    const cfg = (v: unknown) => ({ ...defaultRunConfig(), data: { ...defaultRunConfig().data, path: '/d', validationSplit: v } }) as never;
    expect(validateDataset(cfg(0))['data.validationSplit']).toBeUndefined();
    expect(validateDataset(cfg(0.1))['data.validationSplit']).toBeUndefined();
    for (const bad of [1, -0.1, null, Number.NaN]) expect(validateDataset(cfg(bad))['data.validationSplit']).toMatch(/fraction/);
  });
});
