// zod 4 schema of RunConfig. Every object is strict (an unknown key is an error that names the key) and
// every optional field carries the paper's default (DESIGN.md, "The method"). Checks that involve a
// single field live here; checks across fields live in crossChecks.ts.
import { z } from 'zod';
import { isMilestones, isWrnDepth, LIMITS, NAME_MAX_LENGTH, type NumberLimit } from './limits.js';
import { CONFIG_VERSION, type RunConfig, type TrainingRecipe } from './types.js';

export { isWrnDepth };

/** A number checked by its entry in LIMITS (limits.ts), the one table the wizard also reads. */
function num(limit: NumberLimit): z.ZodNumber {
  let s = z.number();
  if (limit.int) s = s.int();
  // A whole number ≥ 1 is checked as > 0 (zod's positive()), which says "expected a number > 0" as before.
  if (limit.int && limit.min === 1 && !limit.minExclusive) s = s.gt(0);
  else if (limit.min !== undefined) s = limit.minExclusive ? s.gt(limit.min) : s.min(limit.min);
  if (limit.max !== undefined) s = limit.maxExclusive ? s.lt(limit.max) : s.max(limit.max);
  return s;
}

export const modelFamilySchema = z.discriminatedUnion('family', [
  z.strictObject({
    family: z.literal('wrn'),
    depth: z.number().int().refine(isWrnDepth, {
      error: (iss) => `WRN depth must be 6n+4 (expected 10, 16, 22, 28, 34, 40, …, got ${String(iss.input)})`,
    }),
    widen: num(LIMITS['model.widen']),
  }),
  z.strictObject({
    family: z.literal('resnet'),
    depth: z.union([z.literal(18), z.literal(34)], {
      error: (iss) => `ResNet depth must be 18 or 34 (expected 18 | 34, got ${JSON.stringify(iss.input)})`,
    }),
    stem: z.enum(['auto', 'small', 'imagenet']).optional(),
  }),
  z.strictObject({ family: z.literal('nin'), variant: z.enum(['thin', 'wide']) }),
]);

const attentionFnSchema = z.strictObject({
  kind: z.enum(['sum', 'sum-p', 'max-p']),
  p: num(LIMITS['attention.fn.p']).optional(), // the engine's own limit (types.ts says why)
});

const hintPairSchema = z.strictObject({
  student: z.string().min(1),
  teacher: z.string().min(1),
  beta: num(LIMITS['attention.pairs.beta']).optional(),
});

const milestonesSchema = z
  .array(z.number())
  .refine(isMilestones, {
    error: (iss) =>
      `milestones must be increasing fractions of the epochs (expected values in (0,1), each larger than the one before, got ${JSON.stringify(iss.input)})`,
  });

const scheduleSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('step'),
    milestones: milestonesSchema.default([0.3, 0.6, 0.8]),
    gamma: num(LIMITS['training.schedule.gamma']).default(0.2),
  }),
  z.strictObject({ kind: z.literal('cosine') }),
]);

const recipeFields = {
  epochs: num(LIMITS['training.epochs']),
  batchSize: num(LIMITS['training.batchSize']),
  lr: num(LIMITS['training.lr']),
  momentum: num(LIMITS['training.momentum']),
  weightDecay: num(LIMITS['training.weightDecay']),
  schedule: scheduleSchema,
};

export const DEFAULT_RECIPE: TrainingRecipe = {
  epochs: 200,
  batchSize: 128,
  lr: 0.1,
  momentum: 0.9,
  weightDecay: 5e-4,
  schedule: { kind: 'step', milestones: [0.3, 0.6, 0.8], gamma: 0.2 },
};

const recipeSchema = z
  .strictObject({
    epochs: recipeFields.epochs.default(DEFAULT_RECIPE.epochs),
    batchSize: recipeFields.batchSize.default(DEFAULT_RECIPE.batchSize),
    lr: recipeFields.lr.default(DEFAULT_RECIPE.lr),
    momentum: recipeFields.momentum.default(DEFAULT_RECIPE.momentum),
    weightDecay: recipeFields.weightDecay.default(DEFAULT_RECIPE.weightDecay),
    schedule: recipeFields.schedule.prefault({ kind: 'step' }),
  })
  .prefault({});

// The teacher's own recipe only overrides what it names; the rest comes from `training`.
const partialRecipeSchema = z.strictObject({
  epochs: recipeFields.epochs.optional(),
  batchSize: recipeFields.batchSize.optional(),
  lr: recipeFields.lr.optional(),
  momentum: recipeFields.momentum.optional(),
  weightDecay: recipeFields.weightDecay.optional(),
  schedule: recipeFields.schedule.optional(),
});

const tapsSchema = z.array(z.string().min(1)).min(1).optional();

const teacherSchema = z.discriminatedUnion('source', [
  z.strictObject({
    source: z.literal('train'),
    model: modelFamilySchema,
    training: partialRecipeSchema.optional(),
    limit: num(LIMITS['teacher.limit']).optional(),
  }),
  z.strictObject({ source: z.literal('file'), path: z.string().min(1), taps: tapsSchema }),
  z.strictObject({
    source: z.literal('run'),
    run: z.string().min(1),
    role: z.enum(['student', 'teacher']).optional(),
    taps: tapsSchema,
  }),
]);

export const runConfigSchema = z.strictObject({
  version: z.literal(CONFIG_VERSION),
  name: z.string().min(1).max(NAME_MAX_LENGTH).optional(), // filled from method and models by parseRunConfig
  seed: num(LIMITS.seed).default(42),
  data: z.strictObject({
    path: z.string().min(1, { error: 'required (expected the dataset folder or file, got an empty string)' }),
    format: z.enum(['auto', 'cifar10', 'cifar100', 'idx', 'folder']).default('auto'),
    inputShape: z.tuple([num(LIMITS['data.inputShape']), num(LIMITS['data.inputShape']), num(LIMITS['data.inputShape'])]).optional(),
    limit: num(LIMITS['data.limit']).optional(),
    testLimit: num(LIMITS['data.testLimit']).optional(),
    validationSplit: num(LIMITS['data.validationSplit']).default(0),
    augment: z.boolean().default(true),
  }),
  teacher: teacherSchema.optional(),
  student: z
    .strictObject({
      model: modelFamilySchema.default({ family: 'wrn', depth: 16, widen: 1 }),
      taps: tapsSchema,
    })
    .prefault({}),
  method: z.enum(['baseline', 'at', 'kd', 'at+kd', 'grad-at']),
  attention: z
    .strictObject({
      fn: attentionFnSchema.default({ kind: 'sum-p', p: 2 }),
      beta: num(LIMITS['attention.beta']).default(1000),
      form: z.enum(['code', 'paper']).default('code'),
      pairs: z.array(hintPairSchema).min(1).optional(),
      betaDecay: z.enum(['none', 'linear']).default('none'),
    })
    .prefault({}),
  kd: z
    .strictObject({
      temperature: num(LIMITS['kd.temperature']).default(4),
      alpha: num(LIMITS['kd.alpha']).default(0.9),
    })
    .prefault({}),
  gradAt: z
    .strictObject({
      beta: num(LIMITS['gradAt.beta']).default(0.1),
      flip: z.boolean().default(false),
    })
    .prefault({}),
  training: recipeSchema,
  backend: z.enum(['auto', 'tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']).default('auto'),
  probes: num(LIMITS.probes).default(4),
});

export type ParsedRunConfig = z.output<typeof runConfigSchema>;

// Compile-time proof that the schema's output is the hand-written RunConfig (apart from `name`, which
// parseRunConfig fills in). If either drifts, one of these lines stops compiling.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesType: Same<Omit<ParsedRunConfig, 'name'>, Omit<RunConfig, 'name'>> = true;
void schemaMatchesType;
