// A study config: a run config (every field but `method`) plus the study's own fields — `methods`, `seeds`
// and optionally `betas` — in one JSON object. The run-config part is checked by parseRunConfig (so its
// version, defaults and messages are the run config's); the study fields by a strict zod schema here.
// Every problem, of either part, comes back in one ConfigError that names the field.
import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { ConfigError, describeValue, fromZodIssues, type ConfigIssue } from '../config/configError.js';
import { parseRunConfig } from '../config/runConfig.js';
import { CONFIG_VERSION, METHODS, TEACHER_METHODS, type Method, type RunConfig } from '../config/types.js';

export const MAX_SEEDS = 20;
export const MAX_BETAS = 10;
/** Methods whose loss has the attention β (`attention.beta`); only these are repeated per β. */
export const BETA_METHODS: readonly Method[] = ['at', 'at+kd'];

const STUDY_KEYS = ['methods', 'seeds', 'betas'] as const;

const seedValue = z.number().int().min(0).max(0xffffffff);
const seedsError = `expected a count from 1 to ${MAX_SEEDS}, or a list of 1 to ${MAX_SEEDS} different seeds (whole numbers ≥ 0)`;

export const studyFieldsSchema = z.strictObject({
  methods: z
    .array(z.enum(METHODS as [Method, ...Method[]]))
    .min(1, { error: `no methods (expected at least one of ${METHODS.join(', ')})` })
    .refine((m) => new Set(m).size === m.length, { error: (iss) => `a method is listed twice (expected each once, got ${JSON.stringify(iss.input)})` }),
  seeds: z.union([
    z.number().int().min(1).max(MAX_SEEDS),
    z.array(seedValue).min(1).max(MAX_SEEDS).refine((s) => new Set(s).size === s.length, { error: 'a seed is listed twice' }),
  ], { error: (iss) => `${seedsError}, got ${describeValue(iss.input)}` }),
  betas: z
    .array(z.number().min(0))
    .min(1)
    .max(MAX_BETAS)
    .refine((b) => new Set(b).size === b.length, { error: (iss) => `a β is listed twice (expected each once, got ${JSON.stringify(iss.input)})` })
    .optional(),
});

export interface StudyConfig {
  /** The run config every run of the study starts from (its `method` is replaced per run). */
  base: RunConfig;
  name: string;
  methods: Method[];
  /** The seeds, one run per method (and β) per seed. */
  seeds: number[];
  /** β values for the methods in BETA_METHODS; absent: the base config's `attention.beta` only. */
  betas?: number[];
}

/** Untrusted JSON → a StudyConfig, or one ConfigError naming every bad field. */
export function parseStudyConfig(json: unknown, source?: string): StudyConfig {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw studyError([{ path: '', message: `not a study config (expected a JSON object, got ${describeValue(json)})` }], source);
  }
  const input = json as Record<string, unknown>;
  const own: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if ((STUDY_KEYS as readonly string[]).includes(k)) own[k] = v;
    else rest[k] = v;
  }
  const issues: ConfigIssue[] = [];
  // Studies are new in this version: a β list from an older version's convention would be misread.
  if (rest.version !== undefined && rest.version !== CONFIG_VERSION) {
    issues.push({ path: 'version', message: `a study config is version ${CONFIG_VERSION} (expected ${CONFIG_VERSION} or nothing, got ${describeValue(rest.version)})` });
    delete rest.version;
  }
  if (rest.method !== undefined) {
    issues.push({ path: 'method', message: `a study trains every method in "methods" (expected no "method", got ${describeValue(rest.method)})` });
    delete rest.method;
  }
  const fields = studyFieldsSchema.safeParse(own, { reportInput: true });
  if (!fields.success) issues.push(...fromZodIssues(fields.error.issues, studyFieldsSchema, own).map((i) => reword(i, own)));
  // The run-config part, checked as the run that needs the most: a teacher method if the study has one.
  const methods = fields.success ? fields.data.methods : Array.isArray(own.methods) ? (own.methods as unknown[]).filter((m): m is Method => (METHODS as readonly unknown[]).includes(m)) : [];
  const probe = methods.find((m) => TEACHER_METHODS.includes(m)) ?? 'baseline';
  let base: RunConfig | undefined;
  try {
    base = parseRunConfig({ ...rest, method: probe }, source);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    issues.push(...err.issues);
  }
  if (issues.length > 0 || !fields.success || !base) throw studyError(issues, source);

  const f = fields.data;
  const seeds = typeof f.seeds === 'number' ? Array.from({ length: f.seeds }, (_, i) => base.seed + i) : f.seeds;
  const name = typeof rest.name === 'string' ? rest.name : `study: ${f.methods.join(', ')} · ${base.name.replace(/^\S+ /, '')}`;
  return { base: { ...base, name }, name, methods: f.methods, seeds, ...(f.betas ? { betas: f.betas } : {}) };
}

/** The generic "too small" of a count or a list says less than the study's own words. */
function reword(i: ConfigIssue, own: Record<string, unknown>): ConfigIssue {
  if (i.path === 'seeds' && !/listed twice/.test(i.message)) return { path: i.path, message: `${own.seeds === undefined ? 'required (' : 'not a seed count ('}${seedsError}, got ${describeValue(own.seeds)})` };
  if (i.path === 'methods' && Array.isArray(own.methods) && own.methods.length === 0) return { path: i.path, message: `no methods (expected at least one of ${METHODS.join(', ')})` };
  return i;
}

/** A ConfigError whose heading says "study config". */
export function studyError(issues: ConfigIssue[], source?: string): ConfigError {
  const err = new ConfigError(issues, source);
  err.message = err.message.replace(/^Invalid run config/, 'Invalid study config');
  return err;
}

export async function readStudyConfigFile(file: string): Promise<StudyConfig> {
  const text = await fs.readFile(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw studyError([{ path: '', message: `not valid JSON (expected a JSON object, got a syntax error: ${(err as Error).message})` }], file);
  }
  return parseStudyConfig(json, file);
}
