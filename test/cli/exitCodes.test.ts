// The CLI's exit code of an error comes from its code alone (cli/errors.ts, README "Exit codes").
import { describe, expect, it } from 'vitest';
import { EXIT_FAILURE, EXIT_USAGE, exitCodeOf, oneLine, UsageError } from '../../cli/errors.js';
import { ConfigError } from '../../core/config/configError.js';
import { DataError } from '../../core/data/errors.js';
import { StudioError } from '../../core/errors.js';
import { RunLockedError } from '../../core/runs/runLock.js';
import { RunNotFoundError } from '../../core/runs/runStore.js';
import { StudyNotFoundError } from '../../core/study/record.js';

describe('exitCodeOf', () => {
  it('2 for a wrong command line or a run or study that does not exist', () => {
    expect(exitCodeOf(new UsageError('missing <config>'))).toBe(EXIT_USAGE);
    expect(exitCodeOf(new RunNotFoundError('no run "x"'))).toBe(EXIT_USAGE);
    expect(exitCodeOf(new StudyNotFoundError('no study "x"'))).toBe(EXIT_USAGE);
    expect(exitCodeOf(new StudioError('usage.invalid', 'any class with the code'))).toBe(EXIT_USAGE);
  });

  it('1 for every other failure, and for errors without a code (a name alone decides nothing)', () => {
    expect(exitCodeOf(new ConfigError([{ path: 'seed', message: 'expected an integer' }]))).toBe(EXIT_FAILURE);
    expect(exitCodeOf(new DataError('/d', 'empty'))).toBe(EXIT_FAILURE);
    expect(exitCodeOf(new RunLockedError('r', null, 'locked'))).toBe(EXIT_FAILURE);
    expect(exitCodeOf(Object.assign(new Error('not found'), { name: 'RunNotFoundError' }))).toBe(EXIT_FAILURE);
    expect(exitCodeOf('a string')).toBe(EXIT_FAILURE);
  });
});

describe('oneLine', () => {
  it('a config error: the file, then each field and its problem', () => {
    const err = new ConfigError([{ path: 'training.lr', message: 'expected a number > 0' }, { path: '', message: 'unknown key' }], 'run.json');
    expect(oneLine(err)).toBe('run.json: training.lr: expected a number > 0; (config): unknown key');
  });

  it('our errors as they are, on one line; anything else named', () => {
    expect(oneLine(new DataError('/d/x', 'two\nlines'))).toBe('/d/x: two; lines');
    expect(oneLine(new Error('plain'))).toBe('plain');
    expect(oneLine(new TypeError('x is undefined'))).toBe('TypeError: x is undefined');
  });
});
