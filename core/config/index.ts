export * from './types.js';
export { parseRunConfig, defaultRunConfig, readRunConfigFile, crossCheck, type ParseOptions } from './runConfig.js';
export { migrateRunConfig } from './migrate.js';
export { ConfigError, formatIssues, type ConfigIssue } from './configError.js';
export { describeModel, describeModels, describeTeacher, defaultRunName, teacherRecipe } from './describe.js';
export { runConfigSchema, modelFamilySchema, DEFAULT_RECIPE } from './schema.js';
export { LIMITS, NAME_MAX_LENGTH, breaksLimit, isWrnDepth, isMilestones, type LimitKey, type NumberLimit, type NumberRule } from './limits.js';
export { applyOverrides, type ConfigOverrides } from './overrides.js';
