// Learning-rate schedules (set once per epoch, as the reference does with MultiStepLR) and the optional
// linear decay of β over training (for AT+KD, where the two transfer terms can fight late in training).
import type { TrainingRecipe } from '../config/index.js';

/**
 * Milestone epochs of a step schedule: fractions of the epochs, rounded (0.3/0.6/0.8 of 200 → 60/120/160), and
 * never before the end of the first epoch: Math.round(0.3 · 1) = 0 would otherwise train a 1-epoch run at lr · γ
 * from its first step.
 */
export function milestoneEpochs(milestones: number[], epochs: number): number[] {
  return milestones.map((f) => Math.max(1, Math.round(f * epochs)));
}

/** Learning rate for the epoch that starts after `completed` epochs (0-based). */
export function learningRateAt(recipe: Pick<TrainingRecipe, 'lr' | 'schedule'>, completed: number, epochs: number): number {
  const s = recipe.schedule;
  if (s.kind === 'cosine') {
    // CosineAnnealingLR with T_max = epochs and a floor of 0, stepped per epoch.
    return 0.5 * recipe.lr * (1 + Math.cos((Math.PI * completed) / epochs));
  }
  const passed = milestoneEpochs(s.milestones, epochs).filter((m) => completed >= m).length;
  return recipe.lr * Math.pow(s.gamma, passed);
}

/** Multiplier of β at a global step: 1 throughout, or falling linearly from 1 to 0 over all steps. */
export function betaScaleAt(decay: 'none' | 'linear', globalStep: number, totalSteps: number): number {
  if (decay === 'none' || totalSteps <= 0) return 1;
  return Math.max(0, 1 - globalStep / totalSteps);
}
