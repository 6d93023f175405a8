// `atstudio export <run> --format tfjs|onnx|zip --out PATH`: the run's student as a TF.js model folder,
// an ONNX file, or one zip holding both with meta.json and a README of the preprocessing.
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../errors.js';
import type { CliIO } from '../io.js';
import { resolveRunId } from '../lookup.js';
import { resolveRunsDir } from '../runsDir.js';
import { appVersion, exportStudent, MODEL_EXPORT_FORMATS, RunStore, type ModelExportFormat } from '../engine.js';

export interface ExportFlags { format?: string; out: string; json?: boolean; runsDir?: string }

export async function exportCommand(io: CliIO, ref: string, flags: ExportFlags): Promise<number> {
  const format = (flags.format ?? 'tfjs') as ModelExportFormat;
  if (!MODEL_EXPORT_FORMATS.includes(format)) throw new UsageError(`--format ${flags.format}: expected one of ${MODEL_EXPORT_FORMATS.join(', ')}`);
  const out = path.resolve(io.cwd, flags.out);
  const isDir = existsSync(out) && statSync(out).isDirectory();
  if (format !== 'tfjs' && isDir) throw new UsageError(`--out ${flags.out} is a folder; --format ${format} writes one file (e.g. ${path.join(flags.out, format === 'onnx' ? 'student.onnx' : 'student.zip')})`);
  if (format === 'tfjs' && existsSync(out) && !isDir) throw new UsageError(`--out ${flags.out} is a file; --format tfjs writes a folder (model.json, weights.bin, meta.json)`);
  const runsDir = resolveRunsDir(flags.runsDir, io.env, io.cwd);
  const store = new RunStore(runsDir);
  const run = await store.open(await resolveRunId(store, ref, runsDir));
  const r = await exportStudent(run, out, format, appVersion());
  if (flags.json) io.stdout.write(JSON.stringify({ run: run.id, format, path: r.path, bytes: r.bytes }) + '\n');
  else io.stdout.write(`exported the student of run ${run.id} as ${format}: ${r.path} (${r.bytes} bytes)\n`);
  return 0;
}
