// Command-line overrides (`atstudio train --epochs/--limit/--test-limit`) written into the config itself, so
// the run's config.json alone says what ran.
import type { RunConfig } from './types.js';

export interface ConfigOverrides {
  /** Epochs of both phases (the student's, and a teacher trained in the run). */
  epochs?: number;
  /** A quick trial: the first N training images of both phases and, unless testLimit is given, N test images. */
  limit?: number;
  /** The first N test images. */
  testLimit?: number;
}

export function applyOverrides(config: RunConfig, o: ConfigOverrides): RunConfig {
  const out: RunConfig = { ...config };
  if (o.epochs !== undefined) {
    out.training = { ...out.training, epochs: o.epochs };
    // A trained teacher without its own epochs inherits the student's; one with its own gets the override too.
    if (out.teacher?.source === 'train' && out.teacher.training?.epochs !== undefined) {
      out.teacher = { ...out.teacher, training: { ...out.teacher.training, epochs: o.epochs } };
    }
  }
  if (o.limit !== undefined) {
    out.data = { ...out.data, limit: o.limit, testLimit: o.limit };
    if (out.teacher?.source === 'train' && out.teacher.limit !== undefined) out.teacher = { ...out.teacher, limit: o.limit };
  }
  if (o.testLimit !== undefined) out.data = { ...out.data, testLimit: o.testLimit };
  return out;
}
