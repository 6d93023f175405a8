import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultRunConfig, parseRunConfig, readRunConfigFile, teacherRecipe } from '../../core/config/index.js';

const minimal = { data: { path: '/data/cifar10' } };
const withTeacher = { ...minimal, teacher: { source: 'train', model: { family: 'wrn', depth: 16, widen: 2 } } };

function issuesOf(json: unknown, source?: string): ConfigError {
  try {
    parseRunConfig(json, source);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseRunConfig defaults', () => {
  it('fills the paper recipe and the documented defaults', () => {
    const c = parseRunConfig(minimal);
    expect(c.version).toBe(2);
    expect(c.seed).toBe(42);
    expect(c.method).toBe('baseline');
    expect(c.student.model).toEqual({ family: 'wrn', depth: 16, widen: 1 });
    expect(c.name).toBe('baseline WRN-16-1');
    expect(c.data).toEqual({ path: '/data/cifar10', format: 'auto', validationSplit: 0, augment: true });
    expect(c.training).toEqual({
      epochs: 200,
      batchSize: 128,
      lr: 0.1,
      momentum: 0.9,
      weightDecay: 5e-4,
      schedule: { kind: 'step', milestones: [0.3, 0.6, 0.8], gamma: 0.2 },
    });
    expect(c.attention).toEqual({ fn: { kind: 'sum-p', p: 2 }, beta: 1000, form: 'code', betaDecay: 'none' });
    expect(c.kd).toEqual({ temperature: 4, alpha: 0.9 });
    expect(c.gradAt.flip).toBe(false);
    expect(c.backend).toBe('auto');
    expect(c.probes).toBe(4);
    expect(c.teacher).toBeUndefined();
  });

  it('means attention transfer when a teacher is given without a method', () => {
    const c = parseRunConfig(withTeacher);
    expect(c.method).toBe('at');
    expect(c.name).toBe('at WRN-16-1 ← WRN-16-2');
  });

  it('fills nested defaults inside a partly given object and keeps given values', () => {
    const c = parseRunConfig({ ...minimal, training: { lr: 0.05, schedule: { kind: 'step', gamma: 0.1 } } });
    expect(c.training.lr).toBe(0.05);
    expect(c.training.epochs).toBe(200);
    expect(c.training.schedule).toEqual({ kind: 'step', milestones: [0.3, 0.6, 0.8], gamma: 0.1 });
  });

  it('is idempotent (config.json is parsed again when a run is opened)', () => {
    const once = parseRunConfig({ ...withTeacher, name: 'mine', attention: { pairs: [{ student: 'a', teacher: 'b' }] } });
    expect(parseRunConfig(JSON.parse(JSON.stringify(once)))).toEqual(once);
  });

  it('merges the teacher recipe over the run recipe', () => {
    const c = parseRunConfig({ ...withTeacher, teacher: { ...withTeacher.teacher, training: { epochs: 5 } }, training: { lr: 0.2 } });
    expect(teacherRecipe(c)).toMatchObject({ epochs: 5, lr: 0.2, batchSize: 128 });
  });
});

describe('parseRunConfig errors', () => {
  it('names an unknown key with its full path, at the top and nested', () => {
    const err = issuesOf({ ...minimal, lerningRate: 1, training: { lrr: 0.1 } });
    expect(err.issues.map((i) => i.path).sort()).toEqual(['lerningRate', 'training.lrr']);
    expect(err.message).toContain('training.lrr: unknown key (expected one of epochs, batchSize, lr, momentum, weightDecay, schedule, got "lrr")');
    // Inside a discriminated union the allowed keys are those of the chosen variant.
    const t = issuesOf({ ...withTeacher, teacher: { source: 'file', path: 'm.json', model: {} } });
    expect(t.issues).toEqual([{ path: 'teacher.model', message: 'unknown key (expected one of source, path, taps, got "model")' }]);
  });

  it('says what was expected and what it got, for every problem, with the file name', () => {
    const err = issuesOf({ ...minimal, training: { lr: '0.1', batchSize: 0 }, attention: { form: 'norm' } }, 'my-run.json');
    expect(err.source).toBe('my-run.json');
    expect(err.message).toContain('my-run.json');
    expect(err.message).toContain('training.lr: wrong type (expected number, got string "0.1")');
    expect(err.message).toContain('training.batchSize: too small (expected a number > 0, got 0)');
    // An empty path is said to be empty, not "too small (expected at least 1 character)".
    expect(issuesOf({ ...minimal, data: { path: '' } }).message).toContain('data.path: empty (a value is required)');
    expect(err.message).toContain('attention.form: not an allowed value (expected "code" | "paper", got "norm")');
    expect(err.issues).toHaveLength(3);
  });

  it('requires data.path', () => {
    expect(issuesOf({}).issues).toEqual([{ path: 'data', message: 'required (expected object, got nothing)' }]);
    expect(issuesOf({ data: { path: '' } }).issues[0].path).toBe('data.path');
  });

  it('rejects an unknown version with one clear message', () => {
    const err = issuesOf({ ...minimal, version: 3, junk: true });
    expect(err.issues).toHaveLength(1);
    expect(err.message).toContain('version: unsupported config version (expected 1 or 2, got 3)');
  });

  it('rejects non-objects', () => {
    expect(issuesOf([1, 2]).message).toContain('expected a JSON object, got an array of 2');
    expect(issuesOf(null).message).toContain('got null');
  });

  it('requires a teacher for methods that learn from one', () => {
    for (const method of ['at', 'kd', 'at+kd', 'grad-at']) {
      const err = issuesOf({ ...minimal, method });
      expect(err.issues[0].path).toBe('teacher');
      expect(err.message).toContain(`required by method "${method}"`);
    }
    expect(parseRunConfig({ ...minimal, method: 'baseline' }).method).toBe('baseline');
  });

  it('checks model depths: WRN 6n+4, ResNet 18 or 34', () => {
    for (const depth of [16, 10, 28, 40]) expect(parseRunConfig({ ...minimal, student: { model: { family: 'wrn', depth, widen: 1 } } }).student.model).toMatchObject({ depth });
    for (const depth of [15, 4, 18]) {
      const err = issuesOf({ ...minimal, student: { model: { family: 'wrn', depth, widen: 1 } } });
      expect(err.issues).toEqual([{ path: 'student.model.depth', message: `WRN depth must be 6n+4 (expected 10, 16, 22, 28, 34, 40, …, got ${depth})` }]);
    }
    const r = issuesOf({ ...withTeacher, teacher: { source: 'train', model: { family: 'resnet', depth: 50 } } });
    expect(r.issues[0].path).toBe('teacher.model.depth');
    expect(r.message).toContain('expected 18 | 34, got 50');
    const f = issuesOf({ ...minimal, student: { model: { family: 'vgg', depth: 13 } } });
    expect(f.issues[0]).toEqual({ path: 'student.model.family', message: 'not an allowed value (expected "wrn" | "resnet" | "nin", got "vgg")' });
  });

  it('checks β, α, T and the milestones', () => {
    expect(issuesOf({ ...minimal, attention: { beta: -1 } }).issues[0].path).toBe('attention.beta');
    expect(issuesOf({ ...minimal, kd: { alpha: 1.5 } }).message).toContain('kd.alpha: too large (expected a number ≤ 1, got 1.5)');
    expect(issuesOf({ ...minimal, kd: { alpha: -0.1 } }).issues[0].path).toBe('kd.alpha');
    expect(issuesOf({ ...minimal, kd: { temperature: 0 } }).message).toContain('kd.temperature: too small (expected a number > 0, got 0)');
    for (const milestones of [[0.6, 0.3], [0, 0.5], [0.5, 1], [0.3, 0.3]]) {
      const err = issuesOf({ ...minimal, training: { schedule: { kind: 'step', milestones } } });
      expect(err.issues[0].path).toBe('training.schedule.milestones');
      expect(err.message).toContain('increasing');
    }
    expect(parseRunConfig({ ...minimal, kd: { alpha: 0 }, attention: { beta: 0 } }).kd.alpha).toBe(0);
  });

  it('reports JSON syntax errors with the file name', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atcfg-'));
    const file = path.join(dir, 'broken.json');
    await fs.writeFile(file, '{ "data": ');
    await expect(readRunConfigFile(file)).rejects.toThrow(/broken\.json[\s\S]*not valid JSON/);
    await fs.rm(dir, { recursive: true, force: true });
  });
});

describe('defaultRunConfig', () => {
  it('is the paper setup (AT, WRN-16-1 ← WRN-16-2) waiting for a dataset', () => {
    const d = defaultRunConfig();
    expect(d.method).toBe('at');
    expect(d.teacher).toEqual({ source: 'train', model: { family: 'wrn', depth: 16, widen: 2 } });
    expect(d.data.path).toBe('');
    expect(issuesOf(d).issues.map((i) => i.path)).toEqual(['data.path']);
    const filled = parseRunConfig({ ...d, data: { ...d.data, path: '/data' } });
    expect(filled).toEqual({ ...d, data: { ...d.data, path: '/data' } });
  });
});
