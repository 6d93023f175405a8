// compareRuns: one row per run for the comparison table — size and speed of the student, its accuracy,
// agreement with the teacher, time, backend, and the settings a comparison must mention.
import { latestEpochMetrics } from '../runs/metrics.js';
import { replicateKey } from '../runs/replicates.js';
import type { RunStore } from '../runs/runStore.js';
import { comparableSettings } from '../runs/settings.js';
import type { ComparisonRow } from './api.js';
import { ServiceError } from './errors.js';
import { openRun, runSummary } from './runQueries.js';

export async function comparisonRows(store: RunStore, runIds: unknown): Promise<ComparisonRow[]> {
  if (!Array.isArray(runIds)) throw new ServiceError('invalid', 'compareRuns takes a list of run ids');
  const rows: ComparisonRow[] = [];
  for (const id of runIds) {
    const run = await openRun(store, id);
    const [summary, status, env, metrics] = await Promise.all([runSummary(store, run.id), run.readStatus(), run.readEnvironment(), run.readMetrics()]);
    const student = (env?.student ?? {}) as { params?: number; multiplyAdds?: number; sizeBytes?: number; latencyMs?: number };
    const backend = (env?.backend ?? {}) as { name?: string };
    const epochs = latestEpochMetrics(metrics, 'student');
    const agreement = epochs.at(-1)?.test.agreement;
    const trainSeconds = status.activeSeconds > 0 ? status.activeSeconds : summary.durationSeconds;
    const res = status.results.student;
    rows.push({
      runId: run.id, name: run.config.name, method: run.config.method, models: summary.models,
      seed: run.config.seed, replicateKey: replicateKey(run.config),
      ...(student.params !== undefined ? { params: student.params } : {}),
      ...(student.multiplyAdds !== undefined ? { multiplyAdds: student.multiplyAdds } : {}),
      ...(student.sizeBytes !== undefined ? { sizeBytes: student.sizeBytes } : {}),
      ...(student.latencyMs !== undefined ? { latencyMs: student.latencyMs } : {}),
      ...(res?.best ? { bestTop1: res.best.top1 } : {}),
      ...(res?.last ? { lastTop1: res.last.top1 } : {}),
      ...(agreement !== undefined ? { agreement } : {}),
      trainSeconds,
      ...(backend.name ? { backend: backend.name } : {}),
      settings: comparableSettings(run.config),
    });
  }
  return rows;
}
