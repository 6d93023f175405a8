// Everything a report shows about one run, read back from its folder.
import * as path from 'node:path';
import { readModelMeta } from '../eval/modelMeta.js';
import { describeModels } from '../config/describe.js';
import type { RunConfig } from '../config/types.js';
import { latestEpochMetrics } from '../runs/metrics.js';
import type { AttentionSnapshot, EpochMetric, ProbeSet, RunHandle, RunStatusFile } from '../runs/types.js';

export interface ReportRun {
  id: string;
  config: RunConfig;
  models: string;
  status: RunStatusFile;
  environment: Record<string, unknown> | null;
  teacherEpochs: EpochMetric[];
  studentEpochs: EpochMetric[];
  /** The last student snapshot (else the last teacher one). */
  snapshot: AttentionSnapshot | null;
  probes: ProbeSet | null;
  /** Class names, from the student's meta.json when the run saved one. */
  classes?: string[];
}

export async function loadReportRun(run: RunHandle): Promise<ReportRun> {
  const [status, environment, metrics, snapshots, probes, meta] = await Promise.all([
    run.readStatus(), run.readEnvironment(), run.readMetrics(), run.readSnapshots(), run.readProbes(),
    readModelMeta(path.dirname(run.modelPath('student'))).catch(() => null),
  ]);
  return {
    id: run.id, config: run.config, models: describeModels(run.config), status, environment,
    teacherEpochs: latestEpochMetrics(metrics, 'teacher'), studentEpochs: latestEpochMetrics(metrics, 'student'),
    snapshot: snapshots.length ? snapshots[snapshots.length - 1] : null, probes,
    ...(meta?.classes ? { classes: meta.classes } : {}),
  };
}
