// Exports of one run: the student as a TF.js model folder, and the metrics as CSV or JSON.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { atomicWrite } from '../io/atomicWrite.js';
import { latestEpochMetrics } from '../runs/metrics.js';
import type { EpochMetric, RunHandle } from '../runs/types.js';
import type { ExportResult } from './api.js';
import { ServiceError } from './errors.js';
import type { PathPolicy } from './paths.js';
import { openRun } from './runQueries.js';
import type { RunStore } from '../runs/runStore.js';
import { exportStudent } from '../export/exportStudent.js';
import { appVersion } from '../appInfo.js';

/** What an export needs of the service: its runs and the paths it may write. */
export interface RunFilesContext { store: RunStore; paths: PathPolicy }

/** Copies models/student (model.json, its weight files, meta.json) into destDir. */
export async function exportStudentModel(run: RunHandle, destDir: string): Promise<ExportResult> {
  const src = path.dirname(run.modelPath('student'));
  let names: string[];
  try {
    names = await fs.readdir(src);
  } catch {
    throw new ServiceError('not-found', `run ${run.id} has no trained student model yet (it is saved when the run is done)`);
  }
  if (!names.includes('model.json')) throw new ServiceError('not-found', `run ${run.id} has no student model.json`);
  await fs.mkdir(destDir, { recursive: true });
  let bytes = 0;
  // Weights first, model.json last: a model.json never points at files that are not there yet.
  const ordered = [...names.filter((n) => n !== 'model.json'), 'model.json'];
  for (const name of ordered) {
    const st = await fs.stat(path.join(src, name));
    if (!st.isFile() || name.startsWith('.')) continue;
    const data = await fs.readFile(path.join(src, name));
    await atomicWrite(path.join(destDir, name), data);
    bytes += data.byteLength;
  }
  return { path: destDir, bytes };
}

const CSV_COLUMNS = ['phase', 'epoch', 'epochs', 'train_loss', 'train_acc', 'test_loss', 'test_top1', 'test_top5', 'test_agreement', 'val_loss', 'val_top1', 'lr', 'seconds', 'time'] as const;

function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * One row per epoch (teacher phase first), flat columns; a re-run epoch counts once (its later line).
 * A column no epoch has a value for is left out (top-5 exists only beyond 10 classes, validation only with a split).
 */
export function metricsCsv(epochs: EpochMetric[]): string {
  const rows = epochs.map((m) => [m.phase, m.epoch, m.epochs, m.train.loss, m.train.acc, m.test.loss, m.test.top1, m.test.top5,
    m.test.agreement, m.validation?.loss, m.validation?.top1, m.lr, m.seconds, m.time]);
  const keep = CSV_COLUMNS.map((_, i) => i < 7 || rows.some((r) => r[i] !== undefined && r[i] !== null));
  const pick = <T>(r: readonly T[]) => r.filter((_, i) => keep[i]);
  return `${[pick(CSV_COLUMNS).join(','), ...rows.map((r) => pick(r).map(csvCell).join(','))].join('\n')}\n`;
}

export async function exportRunMetrics(run: RunHandle, dest: string, format: 'csv' | 'json'): Promise<ExportResult> {
  const metrics = await run.readMetrics();
  const epochs = [...latestEpochMetrics(metrics, 'teacher'), ...latestEpochMetrics(metrics, 'student')];
  const text = format === 'csv' ? metricsCsv(epochs)
    : `${JSON.stringify({ runId: run.id, name: run.config.name, epochs, steps: metrics.filter((m) => m.kind === 'step') }, null, 1)}\n`;
  await fs.mkdir(path.dirname(dest), { recursive: true });
  const data = Buffer.from(text, 'utf8');
  await atomicWrite(dest, data);
  return { path: dest, bytes: data.byteLength };
}

/** exportModel: the student as a TF.js folder (default), an ONNX file or a zip of both, where paths allow. */
export async function exportModelAs(ctx: RunFilesContext, runId: unknown, dest: unknown, format?: unknown): Promise<ExportResult> {
  if (format === undefined || format === 'tfjs') return exportStudentModel(await openRun(ctx.store, runId), ctx.paths.check(dest, 'export folder', 'write'));
  if (format !== 'onnx' && format !== 'zip') throw new ServiceError('invalid', `format must be "tfjs", "onnx" or "zip", got ${JSON.stringify(format)}`);
  const run = await openRun(ctx.store, runId);
  const r = await exportStudent(run, ctx.paths.check(dest, 'export file', 'write'), format, appVersion());
  return { path: r.path, bytes: r.bytes };
}

export async function exportMetricsAs(ctx: RunFilesContext, runId: unknown, dest: unknown, format: unknown): Promise<ExportResult> {
  if (format !== 'csv' && format !== 'json') throw new ServiceError('invalid', `format must be "csv" or "json", got ${JSON.stringify(format)}`);
  return exportRunMetrics(await openRun(ctx.store, runId), ctx.paths.check(dest, 'metrics file', 'write'), format);
}
