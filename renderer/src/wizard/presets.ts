// Training presets: a recipe sized from the duration the engine measured on this machine, so a first run
// takes minutes instead of the paper's 200 epochs. Pure: the Training step applies a plan to the draft.
import type { LrSchedule, RunConfig } from '../../../core/config/types.js';
import type { DurationEstimate } from '../../../core/service/api.js';

export type PresetKey = 'quick' | 'good' | 'paper';
export type TrainingChoice = PresetKey | 'custom';
export const PRESET_KEYS: readonly PresetKey[] = ['quick', 'good', 'paper'];

/** What each preset aims at, in seconds of the whole run here (the paper's recipe is fixed instead). */
export const PRESET_TARGET_S: Record<Exclude<PresetKey, 'paper'>, number> = { quick: 5 * 60, good: 60 * 60 };
/** A run estimated longer than this asks for a confirmation that states the estimate. */
export const CONFIRM_ABOVE_S = 24 * 3600;

/** The authors' step schedule (0.2 at 30, 60 and 80% of 200 epochs: 60/120/160). */
const paperSchedule = (): LrSchedule => ({ kind: 'step', milestones: [0.3, 0.6, 0.8], gamma: 0.2 });

export interface PresetPlan {
  epochs: number;
  batchSize: number;
  lr: number;
  schedule: LrSchedule;
  /** Training images (data.limit); undefined: all of them. */
  limit?: number | undefined;
  /** Test images (data.testLimit); undefined: all of them. */
  testLimit?: number | undefined;
  /** The plan's estimated duration here, seconds. */
  seconds: number;
}

/**
 * Seconds one image costs per epoch, all phases together, from an estimate of `cfg`: each phase's time over
 * the images it went through. Phases whose epochs are fixed (a teacher with its own epochs) are returned apart.
 */
export function costPerImage(est: DurationEstimate, cfg: RunConfig): { scaled: number; fixedSeconds: number } {
  const batch = cfg.training.batchSize > 0 ? cfg.training.batchSize : 128;
  const phaseSeconds = est.phases.reduce((a, p) => a + p.seconds, 0);
  // Evaluation and set-up (est.seconds beyond the phases) grow with the epochs too: spread over the phases.
  const overhead = phaseSeconds > 0 ? est.seconds / phaseSeconds : 1;
  const teacherEpochsFixed = cfg.teacher?.source === 'train' && !!cfg.teacher.training?.epochs;
  let scaled = 0;
  let fixedSeconds = 0;
  for (const p of est.phases) {
    const images = p.epochs * p.stepsPerEpoch * batch;
    if (images <= 0) continue;
    if (p.phase === 'teacher' && teacherEpochsFixed) fixedSeconds += p.seconds * overhead;
    else scaled += (p.seconds * overhead) / images;
  }
  return { scaled, fixedSeconds };
}

/**
 * The recipe of a preset. Quick look and Good result take as many epochs as fit their target on all the
 * training images (2–10 and 5–60 epochs); where even the fewest do not fit, they train on fewer images.
 * Short runs use a cosine schedule: a step schedule's milestones crowd into the first epochs of a short run
 * (0.3/0.6/0.8 of 2 epochs cut the rate twice after epoch 1).
 */
export function planPreset(key: PresetKey, est: DurationEstimate, cfg: RunConfig, trainCount: number): PresetPlan {
  const { scaled, fixedSeconds } = costPerImage(est, cfg);
  const secondsFor = (epochs: number, images: number) => fixedSeconds + scaled * epochs * images;
  if (key === 'paper') {
    return { epochs: 200, batchSize: 128, lr: 0.1, schedule: paperSchedule(), seconds: secondsFor(200, trainCount) };
  }
  const [minEpochs, maxEpochs] = key === 'quick' ? [2, 10] : [5, 60];
  const target = PRESET_TARGET_S[key];
  const perEpoch = scaled * trainCount;
  const fit = perEpoch > 0 ? Math.floor(Math.max(0, target - fixedSeconds) / perEpoch) : maxEpochs;
  let epochs = Math.min(maxEpochs, Math.max(minEpochs, fit));
  let limit: number | undefined;
  let testLimit: number | undefined;
  if (fit < minEpochs) {
    epochs = minEpochs;
    const fitImages = scaled > 0 ? Math.floor(Math.max(0, target - fixedSeconds) / (scaled * epochs)) : trainCount;
    // At least a few hundred images, so the result says something; rounded to a hundred.
    limit = Math.min(trainCount, Math.max(500, Math.floor(fitImages / 100) * 100));
    testLimit = Math.max(500, Math.min(2000, limit));
  }
  const batchSize = key === 'quick' ? 64 : 128;
  const schedule: LrSchedule = epochs >= 20 ? paperSchedule() : { kind: 'cosine' };
  return { epochs, batchSize, lr: key === 'quick' ? 0.05 : 0.1, schedule, limit, testLimit, seconds: secondsFor(epochs, limit ?? trainCount) };
}

/** Image limits a preset wrote (so a later preset may take them back, while the person's own stay). */
export interface PresetLimits { limit?: number | undefined; testLimit?: number | undefined }

/** The training images a preset plans for: the person's own limit when they set one, else all. */
export function plannedImages(c: RunConfig, trainCount: number, prev: PresetLimits): number {
  const own = c.data.limit !== undefined && c.data.limit !== null && c.data.limit !== prev.limit ? c.data.limit : null;
  return own !== null && own > 0 ? Math.min(own, trainCount) : trainCount;
}

/** Writes a plan into a draft config (in place); returns the limits it wrote. */
export function applyPlan(c: RunConfig, plan: PresetPlan, prev: PresetLimits = {}): PresetLimits {
  c.training.epochs = plan.epochs;
  c.training.batchSize = plan.batchSize;
  c.training.lr = plan.lr;
  c.training.schedule = structuredClone(plan.schedule);
  if (plan.limit !== undefined) {
    c.data.limit = plan.limit;
    c.data.testLimit = plan.testLimit;
    return { limit: plan.limit, testLimit: plan.testLimit };
  }
  // Take back only what an earlier preset wrote.
  if (prev.limit !== undefined && c.data.limit === prev.limit) c.data.limit = undefined;
  if (prev.testLimit !== undefined && c.data.testLimit === prev.testLimit) c.data.testLimit = undefined;
  return {};
}

/**
 * Milestone epochs that fall together in a short step-schedule run (the rate is cut twice at once), or null.
 * The same rounding as core/train/schedule.ts milestoneEpochs.
 */
export function crowdedMilestones(schedule: LrSchedule, epochs: number): number[] | null {
  if (schedule.kind !== 'step' || !(Number.isInteger(epochs) && epochs > 0)) return null;
  const at = schedule.milestones.map((f) => Math.max(1, Math.round(f * epochs)));
  return new Set(at).size < at.length ? at : null;
}
