// core/train: the training loop (teacher from scratch, then the student by baseline, AT, KD, AT+KD or
// gradient-based AT), with checkpoints, resume, pause/cancel, events and per-epoch evaluation.
export { runTraining } from './runTraining.js';
export { createTrainControl, type TrainControl } from './control.js';
export type { TrainOptions, RunResult, PhaseSummary, FinalStats } from './types.js';
export { learningRateAt, betaScaleAt, milestoneEpochs } from './schedule.js';
export { NonFiniteLossError } from './step.js';
export { Sgd } from './sgd.js';
export { teacherMarginWarning, teacherWarnings, hintPairWarnings, TEACHER_MARGIN, type TeacherFacts } from './advice.js';
