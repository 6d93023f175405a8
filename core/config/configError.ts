// One error for everything wrong with a config, phrased for a person: each issue is
// `field.path: what's wrong (expected …, got …)`, and the file name when the config came from a file.
import type { z } from 'zod';
import { StudioError } from '../errors.js';

export interface ConfigIssue {
  /** Dotted path, e.g. `training.lr` or `attention.pairs.0.student`; '' for the whole config. */
  path: string;
  /** What is wrong, including `(expected …, got …)`. */
  message: string;
}

export class ConfigError extends StudioError {
  override name = 'ConfigError';
  readonly issues: ConfigIssue[];
  readonly source?: string;

  constructor(issues: ConfigIssue[], source?: string) {
    super('config.invalid', formatIssues(issues, source), { ...(issues[0]?.path ? { field: issues[0].path } : {}), ...(source ? { file: source } : {}) });
    this.issues = issues;
    if (source !== undefined) this.source = source;
  }
}

export function formatIssues(issues: ConfigIssue[], source?: string): string {
  const where = source ? ` in ${source}` : '';
  const head = issues.length === 1 ? `Invalid run config${where}:` : `Invalid run config${where} (${issues.length} problems):`;
  return [head, ...issues.map((i) => `  ${i.path || '(config)'}: ${i.message}`)].join('\n');
}

export function joinPath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}

/** A short, readable rendering of a value for "got …". */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length > 60 ? `"${value.slice(0, 57)}…"` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

function typeName(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && !Number.isInteger(value)) return `the number ${value}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${describeValue(value)}`;
}

function bound(origin: string | undefined, inclusive: boolean | undefined, op: '≥' | '≤', value: unknown): string {
  const strict = op === '≥' ? '>' : '<';
  const sign = inclusive === false ? strict : op;
  const plural = (unit: string) => `${op === '≥' ? 'at least' : 'at most'} ${String(value)} ${unit}${value === 1 ? '' : 's'}`;
  if (origin === 'array') return plural('item');
  if (origin === 'string') return plural('character');
  return `a number ${sign} ${String(value)}`;
}

// Zod's internals, as far as keysAt needs them.
type AnySchema = { _zod: { def: { type: string; shape?: Record<string, AnySchema>; innerType?: AnySchema; options?: AnySchema[]; discriminator?: string; element?: AnySchema; in?: AnySchema; value?: unknown; values?: unknown[] } } };

/** The keys an object schema allows at `path` (following discriminated unions by the input's value). */
function keysAt(schema: AnySchema, path: readonly PropertyKey[], input: unknown): string[] | undefined {
  const def = schema._zod.def;
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
      return keysAt(def.innerType!, path, input);
    case 'pipe':
      return keysAt(def.in!, path, input);
    case 'union': {
      const disc = def.discriminator;
      const value = disc && input && typeof input === 'object' ? (input as Record<string, unknown>)[disc] : undefined;
      const option = def.options!.find((o) => {
        const lit = o._zod.def.shape?.[disc ?? '']?._zod.def;
        return lit?.values?.includes(value) || lit?.value === value;
      });
      return option ? keysAt(option, path, input) : undefined;
    }
    case 'object': {
      if (path.length === 0) return Object.keys(def.shape!);
      const child = def.shape![String(path[0])];
      const sub = input && typeof input === 'object' ? (input as Record<string, unknown>)[String(path[0])] : undefined;
      return child ? keysAt(child, path.slice(1), sub) : undefined;
    }
    case 'array': {
      const sub = Array.isArray(input) ? input[Number(path[0])] : undefined;
      return path.length > 0 ? keysAt(def.element!, path.slice(1), sub) : undefined;
    }
    default:
      return undefined;
  }
}

/** Turn zod issues into ConfigIssues (unknown keys become one issue per key). */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[], schema?: unknown, root?: unknown): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const iss of issues) {
    const path = joinPath(iss.path);
    const input = (iss as { input?: unknown }).input;
    switch (iss.code) {
      case 'unrecognized_keys': {
        const allowed = schema ? keysAt(schema as AnySchema, iss.path, root) : undefined;
        const expected = allowed ? `one of ${allowed.join(', ')}` : 'a known key';
        for (const key of iss.keys) {
          out.push({ path: path ? `${path}.${key}` : key, message: `unknown key (expected ${expected}, got ${JSON.stringify(key)})` });
        }
        break;
      }
      case 'invalid_type': {
        const expected = iss.expected === 'int' ? 'an integer' : iss.expected;
        const msg = input === undefined ? `required (expected ${expected}, got nothing)` : `wrong type (expected ${expected}, got ${typeName(input)})`;
        out.push({ path, message: msg });
        break;
      }
      case 'invalid_value': {
        const values = iss.values.map((v) => JSON.stringify(v)).join(' | ');
        out.push({ path, message: `not an allowed value (expected ${values}, got ${describeValue(input)})` });
        break;
      }
      case 'too_small':
        // An empty required text ("data.path: too small (expected at least 1 character…)") is simply empty.
        if (iss.origin === 'string' && Number(iss.minimum) === 1) {
          out.push({ path, message: 'empty (a value is required)' });
          break;
        }
        out.push({ path, message: `too small (expected ${bound(iss.origin, iss.inclusive, '≥', iss.minimum)}, got ${describeValue(input)})` });
        break;
      case 'too_big':
        out.push({ path, message: `too large (expected ${bound(iss.origin, iss.inclusive, '≤', iss.maximum)}, got ${describeValue(input)})` });
        break;
      case 'invalid_union': {
        const disc = (iss as { discriminator?: string; options?: unknown[] }).discriminator;
        const options = (iss as { options?: unknown[] }).options;
        if (disc && options) {
          const got = input && typeof input === 'object' ? (input as Record<string, unknown>)[disc] : input;
          const p = path.endsWith(`.${disc}`) || path === disc ? path : path ? `${path}.${disc}` : disc;
          out.push({ path: p, message: `not an allowed value (expected ${options.map((o) => JSON.stringify(o)).join(' | ')}, got ${describeValue(got)})` });
        } else {
          // A literal union (e.g. ResNet depth) whose own message is already phrased for people.
          out.push({ path, message: iss.message.includes('expected') ? iss.message : `not an allowed value (got ${describeValue(input)})` });
        }
        break;
      }
      default:
        out.push({ path, message: iss.message.includes('expected') ? iss.message : `${iss.message} (got ${describeValue(input)})` });
    }
  }
  return out;
}
