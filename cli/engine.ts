// The one place the CLI imports the engine from, so the commands read as calls to core/ and nothing else.
export { selectBackend, describeBackendChoice } from '../core/backend/index.js';
export type { BackendChoice, BackendName } from '../core/backend/index.js';
export { inspectDataset } from '../core/data/index.js';
export { readRunConfigFile, teacherRecipe, describeModel, describeTeacher, isWrnDepth } from '../core/config/index.js';
export type { ModelFamilySpec } from '../core/config/index.js';
export { RunStore, replicateGroups, replicateKey } from '../core/runs/index.js';
export type { RunHandle } from '../core/runs/index.js';
export type { RunEvent } from '../core/events/index.js';
export { runTraining, createTrainControl } from '../core/train/index.js';
export { evaluate } from '../core/eval/index.js';
export { benchTrainStep } from '../core/bench/trainStepBench.js';
export { PathPolicy } from '../core/service/paths.js';
export { validateRunConfig } from '../core/service/wizard.js';
export { exportStudent, MODEL_EXPORT_FORMATS } from '../core/export/exportStudent.js';
export type { ModelExportFormat } from '../core/export/exportStudent.js';
export { appVersion, gitCommit } from '../core/appInfo.js';
