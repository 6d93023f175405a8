// Every limit on a single config value, in one table. The zod schema (schema.ts) builds its number checks
// from it and the wizard (renderer/src/wizard/validate.ts) checks the same table, so the two cannot
// disagree; the engine's own throws (e.g. core/attention/attentionFn.ts for p) read the same constants.
// Pure data and functions: no zod, no Node, so the renderer bundles it as is.
import { MIN_ATTENTION_P } from './types.js';

export interface NumberLimit {
  /** A whole number. */
  int?: boolean;
  min?: number;
  /** min is excluded (a value must be above it). */
  minExclusive?: boolean;
  max?: number;
  /** max is excluded (a value must be below it). */
  maxExclusive?: boolean;
  /**
   * A cap the wizard keeps people under although the engine accepts more (a config file may go past it):
   * past it a run is far too large for a desktop or diverges. Never part of the schema.
   */
  practicalMax?: number;
}

/** Limits by the config path they apply to ('model.widen' is the WRN width of the student and the teacher). */
export const LIMITS = {
  seed: { int: true, min: 0, max: 0xffffffff },
  probes: { int: true, min: 0, max: 64 },
  'data.limit': { int: true, min: 1 },
  'data.testLimit': { int: true, min: 1 },
  'data.validationSplit': { min: 0, max: 1, maxExclusive: true },
  'data.inputShape': { int: true, min: 1 },
  'teacher.limit': { int: true, min: 1 },
  'model.widen': { int: true, min: 1, practicalMax: 20 },
  // the engine's own limit: types.ts says why p < 1 cannot train; above 8 the map is one bright spot
  'attention.fn.p': { min: MIN_ATTENTION_P, practicalMax: 8 },
  'attention.beta': { min: 0 },
  'attention.pairs.beta': { min: 0 },
  'kd.temperature': { min: 0, minExclusive: true },
  'kd.alpha': { min: 0, max: 1 },
  'gradAt.beta': { min: 0 },
  'training.epochs': { int: true, min: 1 },
  'training.batchSize': { int: true, min: 1, practicalMax: 4096 },
  'training.lr': { min: 0, minExclusive: true, practicalMax: 10 },
  'training.momentum': { min: 0, max: 1 },
  'training.weightDecay': { min: 0 },
  'training.schedule.gamma': { min: 0, minExclusive: true, max: 1 },
} as const satisfies Record<string, NumberLimit>;

export type LimitKey = keyof typeof LIMITS;

export const NAME_MAX_LENGTH = 200;
export const RESNET_DEPTHS = [18, 34] as const;
export const ATTENTION_KINDS = ['sum', 'sum-p', 'max-p'] as const;
export const NIN_VARIANTS = ['thin', 'wide'] as const;

/** Which rule a value breaks: the structured answer a message is made from. */
export type NumberRule = 'number' | 'int' | 'min' | 'max' | 'practicalMax';

/**
 * The first rule of `limit` that `value` breaks, or null. `hard` leaves out practicalMax (the schema's
 * view); the wizard passes false.
 */
export function breaksLimit(value: unknown, limit: NumberLimit, hard = true): { rule: NumberRule; limit?: number } | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return { rule: 'number' };
  if (limit.int && !Number.isInteger(value)) return { rule: 'int' };
  if (limit.min !== undefined && (limit.minExclusive ? value <= limit.min : value < limit.min)) return { rule: 'min', limit: limit.min };
  if (limit.max !== undefined && (limit.maxExclusive ? value >= limit.max : value > limit.max)) return { rule: 'max', limit: limit.max };
  if (!hard && limit.practicalMax !== undefined && value > limit.practicalMax) return { rule: 'practicalMax', limit: limit.practicalMax };
  return null;
}

/** WRN depth is 6n+4 (n ≥ 1 blocks per group): 10, 16, 22, 28, 34, 40, … */
export function isWrnDepth(depth: unknown): boolean {
  return typeof depth === 'number' && Number.isInteger(depth) && depth >= 10 && (depth - 4) % 6 === 0;
}

/** Step milestones: increasing fractions of the epochs, each in (0, 1). */
export function isMilestones(m: unknown): boolean {
  return Array.isArray(m) && m.every((v, i) => typeof v === 'number' && Number.isFinite(v) && v > 0 && v < 1 && (i === 0 || v > (m[i - 1] as number)));
}
