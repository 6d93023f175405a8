// The end-of-run summary: final and best top-1, the student's size and latency, where the run is.
import { count, ms, pct } from '../format/units.js';
import type { RunHandle } from '../engine.js';
import { runMetrics } from './metrics.js';

export async function summaryLines(run: RunHandle): Promise<string[]> {
  const m = await runMetrics(run);
  return [
    `done: final top-1 ${pct(m.lastTop1)} · best top-1 ${pct(m.bestTop1)}${m.bestEpoch ? ` (epoch ${m.bestEpoch})` : ''}`,
    `student: ${m.student} · ${count(m.params)} params · ${count(m.multiplyAdds)} multiply-adds · latency ${ms(m.latencyMs)}`,
    `run folder: ${run.dir}`,
  ];
}
