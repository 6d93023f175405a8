// `atstudio compare <run> <run>…`: one column per run, one row per metric.
import { UsageError } from '../errors.js';
import { table } from '../format/table.js';
import { bytes, count, duration, ms, pct } from '../format/units.js';
import type { CliIO } from '../io.js';
import { resolveRunId } from '../lookup.js';
import { resolveRunsDir } from '../runsDir.js';
import { RunStore } from '../engine.js';
import { runMetrics, type RunMetrics } from './metrics.js';

const ROWS: [string, (m: RunMetrics) => string][] = [
  ['name', (m) => m.name],
  ['status', (m) => m.status],
  ['method', (m) => m.method],
  ['teacher', (m) => m.teacher],
  ['student', (m) => m.student],
  ['params', (m) => count(m.params)],
  ['multiply-adds', (m) => count(m.multiplyAdds)],
  ['size', (m) => bytes(m.sizeBytes)],
  ['latency', (m) => ms(m.latencyMs)],
  ['best top-1', (m) => (m.bestTop1 === undefined ? '–' : `${pct(m.bestTop1)}${m.bestEpoch ? ` (ep ${m.bestEpoch})` : ''}`)],
  ['last top-1', (m) => pct(m.lastTop1)],
  ['agreement', (m) => pct(m.agreement, 1)],
  ['train time', (m) => duration(m.trainSeconds)],
  ['backend', (m) => m.backend ?? '–'],
];

export async function compareCommand(io: CliIO, refs: string[], flags: { json?: boolean; runsDir?: string }): Promise<number> {
  if (refs.length < 2) throw new UsageError('compare needs at least two runs');
  const runsDir = resolveRunsDir(flags.runsDir, io.env, io.cwd);
  const store = new RunStore(runsDir);
  const metrics: RunMetrics[] = [];
  for (const ref of refs) metrics.push(await runMetrics(await store.open(await resolveRunId(store, ref, runsDir))));
  if (flags.json) {
    for (const m of metrics) io.stdout.write(JSON.stringify(m) + '\n');
    return 0;
  }
  io.stdout.write(table(['', ...metrics.map((m) => m.id)], ROWS.map(([label, f]) => [label, ...metrics.map(f)]),
    ['left', ...metrics.map(() => 'right' as const)]));
  return 0;
}
