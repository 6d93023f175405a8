// Events → metric lines, and reading them back the way reports need them.
import type { EpochEvent, Phase, StepEvent } from '../events/types.js';
import type { EpochMetric, Metric, StepMetric } from './types.js';

export function stepMetric(e: StepEvent, time = new Date()): StepMetric {
  const { type: _t, ...rest } = e;
  void _t;
  return { kind: 'step', ...rest, time: time.toISOString() };
}

export function epochMetric(e: EpochEvent, time = new Date()): EpochMetric {
  const { type: _t, ...rest } = e;
  void _t;
  return { kind: 'epoch', ...rest, time: time.toISOString() };
}

/**
 * One epoch metric per epoch of a phase, in epoch order. After a crash and resume, an epoch can appear
 * twice (written before the crash, then again after the resume re-ran it): the later line wins.
 */
export function latestEpochMetrics(metrics: Metric[], phase: Phase = 'student'): EpochMetric[] {
  const byEpoch = new Map<number, EpochMetric>();
  for (const m of metrics) if (m.kind === 'epoch' && m.phase === phase) byEpoch.set(m.epoch, m);
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}
