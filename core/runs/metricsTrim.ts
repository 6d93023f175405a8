// What a resumed run keeps of metrics.jsonl: the lines written up to its checkpoint. Steps (and, after a
// crash, epochs) written past the checkpoint are trained again by the resume and would appear twice.
import type { Phase } from '../events/types.js';
import type { Metric } from './types.js';

export interface ResumePoint { phase: Phase; epoch: number; step: number }

const ORDER: Record<Phase, number> = { teacher: 0, student: 1 };

/** Whether a metric line was written at or before `point` (null: no checkpoint, nothing is kept). */
export function writtenBy(m: Metric, point: ResumePoint | null): boolean {
  if (!point) return false;
  const byPhase = ORDER[m.phase] - ORDER[point.phase];
  if (byPhase !== 0) return byPhase < 0;
  if (m.kind === 'epoch') return m.epoch <= point.epoch;
  return m.epoch <= point.epoch || (m.epoch === point.epoch + 1 && m.step <= point.step);
}
