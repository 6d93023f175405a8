// The one place the CLI imports the engine from, so the commands read as calls to core/ and nothing else.
export { selectBackend, describeBackendChoice } from '../core/backend/index.js';
export type { BackendChoice, BackendName } from '../core/backend/index.js';
export { inspectDataset } from '../core/data/index.js';
export { applyOverrides, readRunConfigFile, teacherRecipe, describeModel, describeTeacher, isWrnDepth } from '../core/config/index.js';
export type { ModelFamilySpec } from '../core/config/index.js';
export { RunStore, replicateGroups, replicateKey, assertRunUnlocked } from '../core/runs/index.js';
export type { RunHandle } from '../core/runs/index.js';
export type { RunEvent } from '../core/events/index.js';
export { runTraining, createTrainControl, type TrainControl } from '../core/train/index.js';
export { evaluate } from '../core/eval/index.js';
export { benchTrainStep } from '../core/bench/trainStepBench.js';
export { PathPolicy } from '../core/service/paths.js';
export { validateRunConfig } from '../core/service/wizard.js';
export { readStudyConfigFile, checkStudy, StudyStore, runStudy, studyView, studiesActiveInProcess, armLabel, percent, points } from '../core/study/index.js';
export type { StudyView, StudyEvent, StudyStep, StudyConfig, RunOutcome, StudyDriver } from '../core/study/index.js';
export { renderStudyReport } from '../core/report/study.js';
