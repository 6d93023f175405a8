// Config version 2 (the authors' β, separate training and test limits, a teacher's own limit) and the
// migration that makes every version 1 config mean exactly what it meant.
import { describe, expect, it } from 'vitest';
import { applyOverrides, ConfigError, MIN_ATTENTION_P, migrateRunConfig, parseRunConfig } from '../../core/config/index.js';
import { resolveAttentionFn } from '../../core/attention/attentionFn.js';

const teacher = { source: 'train', model: { family: 'wrn', depth: 16, widen: 2 } };
const v1 = { version: 1, data: { path: '/data' }, method: 'at', teacher };

function parseNoting(json: unknown): { config: ReturnType<typeof parseRunConfig>; notes: string[]; from?: number } {
  let notes: string[] = [];
  let from: number | undefined;
  const config = parseRunConfig(json, undefined, { onMigrate: (f, n) => { from = f; notes = n; } });
  return { config, notes, ...(from !== undefined ? { from } : {}) };
}

describe('config version 1 → 2', () => {
  it('halves the code form\'s β (v1 weighed Σ at_loss by β/2; v2 by β, as the authors\' cifar.py:223)', () => {
    const { config, notes, from } = parseNoting({ ...v1, attention: { beta: 1000 } });
    expect(config.version).toBe(2);
    expect(config.attention.beta).toBe(500);
    expect(from).toBe(1);
    expect(notes.join('\n')).toMatch(/attention\.beta 1000 .* is 500 in version 2/);
  });

  it('takes an absent v1 β as the v1 default 1000, i.e. 500 now', () => {
    expect(parseRunConfig(v1).attention.beta).toBe(500);
    expect(parseRunConfig({ ...v1, attention: { form: 'code' } }).attention.beta).toBe(500);
  });

  it('halves per-pair β too, and leaves pairs without one alone', () => {
    const c = parseRunConfig({ ...v1, attention: { beta: 300, pairs: [{ student: 'a', teacher: 'b', beta: 7 }, { student: 'c', teacher: 'd' }] } });
    expect(c.attention.beta).toBe(150);
    expect(c.attention.pairs).toEqual([{ student: 'a', teacher: 'b', beta: 3.5 }, { student: 'c', teacher: 'd' }]);
  });

  it('leaves the paper form as it was (eq. 2 keeps its β/2 in both versions)', () => {
    const { config } = parseNoting({ ...v1, attention: { beta: 1000, form: 'paper', pairs: [{ student: 'a', teacher: 'b', beta: 8 }] } });
    expect(config.attention.beta).toBe(1000);
    expect(config.attention.pairs?.[0].beta).toBe(8);
  });

  it('keeps a v1 limit on both splits (testLimit = limit); no limit stays no limit', () => {
    const { config, notes } = parseNoting({ ...v1, data: { path: '/data', limit: 2000 } });
    expect(config.data.limit).toBe(2000);
    expect(config.data.testLimit).toBe(2000);
    expect(notes.join('\n')).toContain('data.testLimit 2000');
    const none = parseRunConfig(v1);
    expect(none.data.limit).toBeUndefined();
    expect(none.data.testLimit).toBeUndefined();
  });

  it('does not touch a version 2 config, and says nothing', () => {
    const { config, notes, from } = parseNoting({ ...v1, version: 2, attention: { beta: 1000 }, data: { path: '/data', limit: 10 } });
    expect(config.attention.beta).toBe(1000);
    expect(config.data.testLimit).toBeUndefined();
    expect(from).toBeUndefined();
    expect(notes).toEqual([]);
    // A migrated config is a valid version 2 config that parses to itself.
    const migrated = parseRunConfig({ ...v1, attention: { beta: 1000 } });
    expect(parseRunConfig(migrated)).toEqual(migrated);
  });

  it('reports a bad v1 value by its field, after migrating the rest', () => {
    const err = (() => { try { parseRunConfig({ ...v1, attention: { beta: 'big' } }); } catch (e) { return e as ConfigError; } throw new Error('no error'); })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.issues[0].path).toBe('attention.beta');
    expect(migrateRunConfig({ version: 1, attention: 'x' }).input.attention).toBe('x');
  });

  it('is bit-exact: (β/2)·s = (β·s)/2 for every β and β-decay scale s (halving a double is exact)', () => {
    const betas = [1000, 300, 1, 0.1, 123.456, 1e-3, 7];
    const scales = [1, 0.999, 0.5, 1 / 3, 0.123456789, 1e-6, 0];
    for (const b of betas) for (const s of scales) expect((b / 2) * s).toBe((b * s) / 2);
  });
});

describe('version 2 fields', () => {
  it('data.testLimit and the trained teacher\'s own limit', () => {
    const c = parseRunConfig({ data: { path: '/d', limit: 1000, testLimit: 10000 }, method: 'at', teacher: { ...teacher, limit: 60000 } });
    expect(c.data).toMatchObject({ limit: 1000, testLimit: 10000 });
    expect(c.teacher).toMatchObject({ source: 'train', limit: 60000 });
    expect(() => parseRunConfig({ data: { path: '/d', testLimit: 0 } })).toThrow(/data\.testLimit/);
    expect(() => parseRunConfig({ data: { path: '/d' }, method: 'at', teacher: { ...teacher, limit: 1.5 } })).toThrow(/teacher\.limit/);
    // Only a teacher trained here has training images of its own.
    expect(() => parseRunConfig({ data: { path: '/d' }, method: 'at', teacher: { source: 'file', path: 'm.json', limit: 5 } })).toThrow(/teacher.*limit/);
  });

  it('p: one rule (MIN_ATTENTION_P) for the schema and the engine', () => {
    expect(MIN_ATTENTION_P).toBe(1);
    expect(parseRunConfig({ data: { path: '/d' }, attention: { fn: { kind: 'sum-p', p: 1 } } }).attention.fn.p).toBe(1);
    expect(() => parseRunConfig({ data: { path: '/d' }, attention: { fn: { kind: 'sum-p', p: 0.5 } } }))
      .toThrow('attention.fn.p: too small (expected a number ≥ 1, got 0.5)');
    // What the schema lets through the engine accepts, and the first value it refuses the engine refuses too.
    expect(resolveAttentionFn({ kind: 'max-p', p: MIN_ATTENTION_P }).p).toBe(1);
    expect(() => resolveAttentionFn({ kind: 'sum-p', p: MIN_ATTENTION_P - 0.01 })).toThrow(/≥ 1/);
  });
});

describe('applyOverrides (--epochs, --limit, --test-limit written into config.json)', () => {
  const base = parseRunConfig({ data: { path: '/d', limit: 5000 }, method: 'at', teacher: { ...teacher, training: { epochs: 30 }, limit: 20000 }, training: { epochs: 10 } });
  it('--epochs sets both phases\' epochs', () => {
    const c = applyOverrides(base, { epochs: 2 });
    expect(c.training.epochs).toBe(2);
    expect(c.teacher).toMatchObject({ training: { epochs: 2 } });
    expect(base.training.epochs).toBe(10); // not mutated
  });
  it('--limit sets training and test images of both phases; --test-limit the test images alone', () => {
    expect(applyOverrides(base, { limit: 200 }).data).toMatchObject({ limit: 200, testLimit: 200 });
    expect(applyOverrides(base, { limit: 200 }).teacher).toMatchObject({ limit: 200 });
    expect(applyOverrides(base, { limit: 200, testLimit: 1000 }).data).toMatchObject({ limit: 200, testLimit: 1000 });
    expect(applyOverrides(base, { testLimit: 50 }).data).toMatchObject({ limit: 5000, testLimit: 50 });
    expect(applyOverrides(base, {})).toEqual(base);
  });
});
