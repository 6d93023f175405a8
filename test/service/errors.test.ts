// One error model: every error class core throws on purpose is a StudioError with its code (and keeps its
// name and instanceof), and the service's answer kind of any error comes from that code alone.
import { describe, expect, it } from 'vitest';
import { HintPairError } from '../../core/attention/hintPairs.js';
import { BackendSelectionError } from '../../core/backend/select.js';
import { WebGpuDeviceError } from '../../core/backend/webgpu.js';
import { ConfigError } from '../../core/config/configError.js';
import { DataError } from '../../core/data/errors.js';
import { StudioError, studioCode, type StudioErrorCode } from '../../core/errors.js';
import { ExportError } from '../../core/export/exportStudent.js';
import { OnnxExportError } from '../../core/export/onnxExport.js';
import { ForeignModelError } from '../../core/io/formatSniff.js';
import { ModelFileError } from '../../core/io/modelFiles.js';
import { ModelError } from '../../core/models/types.js';
import { QueueSettingsError } from '../../core/queue/settings.js';
import { QueueUrlError } from '../../core/queue/url.js';
import { CheckpointError } from '../../core/runs/checkpoint.js';
import { RunLockedError } from '../../core/runs/runLock.js';
import { RunNotFoundError } from '../../core/runs/runStore.js';
import { ANSWER_KIND, ServiceError, serializeError, toServiceError } from '../../core/service/errors.js';
import { StudyNotFoundError } from '../../core/study/record.js';
import { RunSetupError } from '../../core/train/preflight.js';
import { NonFiniteLossError } from '../../core/train/step.js';

const cases: [Error, string, StudioErrorCode][] = [
  [new ConfigError([{ path: 'training.lr', message: 'expected a number > 0' }], 'run.json'), 'ConfigError', 'config.invalid'],
  [new DataError('/d/x.idx', 'not an IDX file'), 'DataError', 'data.invalid'],
  [new ModelError('depth must be 6n+4', 'model.json'), 'ModelError', 'model.invalid'],
  [new ModelFileError('no weights', '/t/model.json'), 'ModelFileError', 'model.file'],
  [new ForeignModelError('/t/m.pt', 'pytorch', 'a PyTorch file'), 'ForeignModelError', 'model.foreign'],
  [new HintPairError('no pairs'), 'HintPairError', 'hints.invalid'],
  [new RunNotFoundError('no run "x"'), 'RunNotFoundError', 'run.notFound'],
  [new RunLockedError('r1', null, 'run r1 is being trained by pid 1'), 'RunLockedError', 'run.locked'],
  [new RunSetupError([{ path: 'teacher.path', message: 'missing' }]), 'RunSetupError', 'run.setup'],
  [new NonFiniteLossError('the loss is NaN', 'ce', Number.NaN), 'NonFiniteLossError', 'run.nonFinite'],
  [new CheckpointError('torn checkpoint'), 'CheckpointError', 'checkpoint.invalid'],
  [new StudyNotFoundError('no study "s"'), 'RunNotFoundError', 'study.notFound'],
  [new BackendSelectionError('wasm is not installed'), 'BackendSelectionError', 'backend.unavailable'],
  [new WebGpuDeviceError('the GPU device was lost', 'lost'), 'WebGpuDeviceError', 'backend.device'],
  [new ExportError('nothing yet', 'export.notFound'), 'ExportError', 'export.notFound'],
  [new ExportError("format 'x'"), 'ExportError', 'export.invalid'],
  [new OnnxExportError('a Lambda layer'), 'OnnxExportError', 'export.invalid'],
  [new QueueUrlError('--queue x: not a URL'), 'QueueUrlError', 'queue.url'],
  [new QueueSettingsError('queue.json: not valid JSON'), 'QueueSettingsError', 'queue.settings'],
];

describe('StudioError', () => {
  it.each(cases)('%s keeps its name and message and carries its code', (err, name, code) => {
    expect(err).toBeInstanceOf(StudioError);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe(name);
    expect(studioCode(err)).toBe(code);
  });

  it('names the field and the file where it has them', () => {
    const c = new ConfigError([{ path: 'training.lr', message: 'expected a number > 0' }], 'run.json');
    expect(c.field).toBe('training.lr');
    expect(c.file).toBe('run.json');
    expect(c.message).toContain('training.lr');
    expect(new DataError('/d/x.idx', 'short').file).toBe('/d/x.idx');
    expect(new ModelFileError('no weights', '/t/model.json').file).toBe('/t/model.json');
    expect(new RunSetupError([{ path: 'teacher.path', message: 'missing' }]).field).toBe('teacher.path');
    expect(studioCode(new Error('plain'))).toBeUndefined();
  });
});

describe('toServiceError: the answer kind comes from the code', () => {
  it('every code has an answer kind, and a ServiceError answers with its own', () => {
    for (const [err, , code] of cases) {
      const s = toServiceError(err);
      expect(s).toBeInstanceOf(ServiceError);
      expect(s.code).toBe(ANSWER_KIND[code]);
      expect(s.message).toBe(err.message);
    }
    for (const kind of ['not-found', 'invalid', 'conflict', 'forbidden', 'unavailable', 'internal'] as const) expect(ANSWER_KIND[kind]).toBe(kind);
  });

  it('maps the codes the UI relies on', () => {
    expect(toServiceError(new RunNotFoundError('no run')).code).toBe('not-found');
    expect(toServiceError(new StudyNotFoundError('no study')).code).toBe('not-found');
    expect(toServiceError(new DataError(undefined, 'bad')).code).toBe('invalid');
    expect(toServiceError(new RunLockedError('r', null, 'locked')).code).toBe('conflict');
    expect(toServiceError(new BackendSelectionError('none')).code).toBe('unavailable');
  });

  it('keeps a config error\'s issues as details', () => {
    const issues = [{ path: 'seed', message: 'expected an integer' }];
    expect(toServiceError(new ConfigError(issues)).details).toEqual(issues);
  });

  it('a name alone decides nothing: an Error that only calls itself DataError is internal', () => {
    const impostor = Object.assign(new Error('looks like data'), { name: 'DataError' });
    expect(toServiceError(impostor).code).toBe('internal');
    expect(toServiceError(Object.assign(new Error('gone'), { code: 'ENOENT' })).code).toBe('not-found');
    expect(toServiceError(Object.assign(new Error('no'), { code: 'EACCES' })).code).toBe('forbidden');
    expect(toServiceError('a string').code).toBe('internal');
  });

  it('serializes what crosses IPC and HTTP as { code, message }', () => {
    expect(serializeError(new ServiceError('conflict', 'busy'))).toEqual({ code: 'conflict', message: 'busy' });
    expect(serializeError(new Error('bug'))).toEqual({ code: 'internal', message: 'bug' });
  });
});
