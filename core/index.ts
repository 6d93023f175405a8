// The public API of Attention Transfer Studio's engine: `import { … } from 'attention-transfer-studio'`.
// One TensorFlow.js instance (`tf`) is shared by everything exported here.
export { tf } from './tf.js';
export { Rng } from './util/rng.js';
export { atomicWrite, atomicWriteJson } from './io/atomicWrite.js';
export { StudioError, isStudioError, studioCode, type StudioErrorCode, type StudioErrorOptions } from './errors.js';

export * from './backend/index.js';
export * from './models/index.js';
export * from './attention/index.js';
export * from './losses/index.js';
export * from './data/index.js';
export * from './events/index.js';
export * from './runs/index.js';
export * from './train/index.js';
export * from './eval/index.js';
// The config module mirrors a few engine types (ModelFamilySpec, AttentionFn, HintPair, DatasetFormat,
// BackendName) so it has no engine imports; the engine's own declarations are the ones exported above.
export {
  type RunConfig,
  type TrainingRecipe,
  type TeacherConfig,
  type LrSchedule,
  type Method,
  METHODS,
  TEACHER_METHODS,
  CONFIG_VERSION,
  parseRunConfig,
  defaultRunConfig,
  readRunConfigFile,
  ConfigError,
  formatIssues,
  type ConfigIssue,
  describeModel,
  describeModels,
  describeTeacher,
  defaultRunName,
  teacherRecipe,
} from './config/index.js';
export * from './service/index.js';
