export { parseStudyConfig, readStudyConfigFile, studyError, MAX_SEEDS, MAX_BETAS, BETA_METHODS, type StudyConfig } from './config.js';
export { studyArms, plannedRuns, trainsTeacher, teacherRunConfig, plannedRunConfig, armLabel, METHOD_LABELS, type PlannedRun, type StudyArm } from './plan.js';
export { StudyStore, StudyNotFoundError, STUDIES_DIR, STUDY_FORMAT, type StudyRecord, type StudyRunEntry, type StudyStatus } from './record.js';
export { studyResults, pairedDifference, methodSentence, points, percent, type StudyResults, type StudyRow, type StudyRunResult, type PairedDifference } from './results.js';
export { runStudy, StudyPaused, studiesActiveInProcess, type StudyDriver, type StudyEvent, type StudyStep, type RunOutcome } from './runStudy.js';
export { studyView, type StudyView, type StudyTeacherView } from './view.js';
export { checkStudy, type StudyCheck } from './validate.js';
export { tCdf, tQuantile, regularizedBeta, logGamma } from './tQuantile.js';
export type * from './types.js';
