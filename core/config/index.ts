export * from './types.js';
export { parseRunConfig, defaultRunConfig, readRunConfigFile, crossCheck, type ParseOptions } from './runConfig.js';
export { migrateRunConfig } from './migrate.js';
export { ConfigError, formatIssues, type ConfigIssue } from './configError.js';
export { describeModel, describeModels, describeTeacher, defaultRunName, teacherRecipe } from './describe.js';
export { runConfigSchema, modelFamilySchema, isWrnDepth, DEFAULT_RECIPE } from './schema.js';
export { applyOverrides, type ConfigOverrides } from './overrides.js';
