// `atstudio compare <run> <run>…`: one column per run, one row per metric.
import { UsageError } from '../errors.js';
import { table } from '../format/table.js';
import { bytes, count, duration, ms, pct } from '../format/units.js';
import type { CliIO } from '../io.js';
import { resolveRunId } from '../lookup.js';
import { resolveRunsDir } from '../runsDir.js';
import { RunStore, replicateGroups } from '../engine.js';
import { runMetrics, type RunMetrics } from './metrics.js';

const ROWS: [string, (m: RunMetrics) => string][] = [
  ['name', (m) => m.name],
  ['seed', (m) => String(m.seed)],
  ['status', (m) => m.status],
  ['method', (m) => m.method],
  ['teacher', (m) => m.teacher],
  ['student', (m) => m.student],
  ['params', (m) => count(m.params)],
  ['multiply-adds', (m) => count(m.multiplyAdds)],
  ['size', (m) => bytes(m.sizeBytes)],
  ['latency (recorded)', (m) => ms(m.latencyMs)],
  ['best top-1', (m) => (m.bestTop1 === undefined ? '–' : `${pct(m.bestTop1)}${m.bestEpoch ? ` (ep ${m.bestEpoch})` : ''}`)],
  ['last top-1', (m) => pct(m.lastTop1)],
  ['agreement', (m) => pct(m.agreement, 1)],
  ['train time', (m) => duration(m.trainSeconds)],
  ['backend', (m) => m.backend ?? '–'],
];

// Each run timed its student once, when it finished, on whatever else the machine was doing then: those
// numbers do not rank models (the app's Compare page measures them side by side, interleaved).
export const LATENCY_NOTE = 'latency (recorded): each run\'s own measurement when it finished, at different times and conditions; not comparable between runs.';

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
  io.stdout.write(`\n${LATENCY_NOTE}\n`);
  for (const line of seedSpreadLines(metrics)) io.stdout.write(`\n${line}\n`);
  return 0;
}

/** One line per group of runs that differ only in seed: how much the seed alone moves the result. */
export function seedSpreadLines(metrics: RunMetrics[]): string[] {
  const groups = replicateGroups(metrics.map((m) => ({ runId: m.id, name: m.name, replicateKey: m.replicateKey, seed: m.seed,
    ...(m.bestTop1 !== undefined ? { bestTop1: m.bestTop1 } : {}), ...(m.lastTop1 !== undefined ? { lastTop1: m.lastTop1 } : {}) })));
  const fmt = (s: { mean: number; sd: number; n: number } | undefined) =>
    (s ? `${(s.mean * 100).toFixed(1)}% ± ${(s.sd * 100).toFixed(1)} (n = ${s.n})` : '–');
  return groups.map((g) => `across seeds ${g.seeds.join(', ')} (${g.runIds.join(', ')}): best top-1 ${fmt(g.bestTop1)}, last top-1 ${fmt(g.lastTop1)}`);
}
