// parseRunConfig: untrusted JSON → a complete, validated RunConfig (defaults filled), or one ConfigError
// that lists every problem by field path.
import { promises as fs } from 'node:fs';
import { isValidRunId } from '../runs/runId.js';
import { ConfigError, describeValue, fromZodIssues, type ConfigIssue } from './configError.js';
import { defaultRunName } from './describe.js';
import { migrateRunConfig } from './migrate.js';
import { runConfigSchema } from './schema.js';
import { CONFIG_VERSION, TEACHER_METHODS, type RunConfig } from './types.js';

export interface ParseOptions {
  /** Called when the config was written in an older version and migrated (what changed, one line each). */
  onMigrate?: (from: number, notes: string[]) => void;
}

export function parseRunConfig(json: unknown, source?: string, opts: ParseOptions = {}): RunConfig {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new ConfigError([{ path: '', message: `not a config (expected a JSON object, got ${describeValue(json)})` }], source);
  }
  let input: Record<string, unknown> = { ...(json as Record<string, unknown>) };

  // Check the version before anything else: a config from another version fails for that reason,
  // not with a page of field errors. A config without one is taken as the current version (hand-written
  // files); an older one is migrated (migrate.ts) so it means what it meant when it was written.
  if (input.version === undefined) input.version = CONFIG_VERSION;
  const migrated = migrateRunConfig(input);
  input = migrated.input;
  if (input.version !== CONFIG_VERSION) {
    throw new ConfigError(
      [{ path: 'version', message: `unsupported config version (expected 1 or ${CONFIG_VERSION}, got ${describeValue(input.version)}); it was written by a different version of Attention Transfer Studio` }],
      source,
    );
  }
  // Without a method, a config that names a teacher means attention transfer; otherwise the baseline.
  if (input.method === undefined) input.method = input.teacher === undefined ? 'baseline' : 'at';

  const parsed = runConfigSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw new ConfigError(fromZodIssues(parsed.error.issues, runConfigSchema, input), source);

  const config = { ...parsed.data, name: parsed.data.name ?? defaultRunName(parsed.data) } as RunConfig;
  const issues = crossCheck(config);
  if (issues.length > 0) throw new ConfigError(issues, source);
  if (migrated.from !== undefined) opts.onMigrate?.(migrated.from, migrated.notes);
  return config;
}

/** Checks that involve more than one field; they run once every field is valid on its own. */
export function crossCheck(c: RunConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (TEACHER_METHODS.includes(c.method) && !c.teacher) {
    issues.push({
      path: 'teacher',
      message: `required by method "${c.method}" (expected { source: "train" | "file" | "run", … }, got nothing); use method "baseline" to train the student alone`,
    });
  }
  const fn = c.attention.fn;
  if (fn.kind === 'sum' && fn.p !== undefined) {
    issues.push({ path: 'attention.fn.p', message: `only "sum-p" and "max-p" use p (expected no p with kind "sum", got ${fn.p})` });
  }
  if (c.teacher?.source === 'run' && !isValidRunId(c.teacher.run)) {
    issues.push({ path: 'teacher.run', message: `not a run id (expected letters, digits, ".", "_" or "-", got ${describeValue(c.teacher.run)})` });
  }
  return issues;
}

/** Read and parse a config file; JSON syntax errors become a ConfigError naming the file. */
export async function readRunConfigFile(file: string, opts: ParseOptions = {}): Promise<RunConfig> {
  const text = await fs.readFile(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError([{ path: '', message: `not valid JSON (expected a JSON object, got a syntax error: ${(err as Error).message})` }], file);
  }
  return parseRunConfig(json, file, opts);
}

/**
 * The wizard's starting point: the paper's CIFAR recipe with AT from a WRN-16-2 teacher (trained in
 * the run) to a WRN-16-1 student. `data.path` is empty and must be filled before parseRunConfig accepts it.
 */
export function defaultRunConfig(): RunConfig {
  const config = parseRunConfig({
    data: { path: '(dataset)' },
    method: 'at',
    teacher: { source: 'train', model: { family: 'wrn', depth: 16, widen: 2 } },
    student: { model: { family: 'wrn', depth: 16, widen: 1 } },
  });
  return { ...config, data: { ...config.data, path: '' } };
}
