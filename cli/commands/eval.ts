// `atstudio eval <run|model.json|model.onnx> --data <path>`: top-1, top-5 and loss of a run's student (or any saved
// TF.js LayersModel) on a dataset's test split.
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { chooseBackend } from '../backend.js';
import { num, pct } from '../format/units.js';
import type { CliIO } from '../io.js';
import { resolveRunId } from '../lookup.js';
import { resolveRunsDir } from '../runsDir.js';
import { evaluate, RunStore, type RunHandle } from '../engine.js';

export interface EvalFlags { data: string; backend?: string; json?: boolean; runsDir?: string; limit?: number; batch?: number }

export async function evalCommand(io: CliIO, ref: string, flags: EvalFlags): Promise<number> {
  const asFile = path.resolve(io.cwd, ref);
  let run: RunHandle | undefined;
  let modelPath: string;
  // A path to a model file (model.json, .onnx, or any other file, which then gets its format named).
  if (existsSync(asFile) && (statSync(asFile).isFile() || existsSync(path.join(asFile, 'saved_model.pb')))) {
    modelPath = asFile;
  } else {
    const runsDir = resolveRunsDir(flags.runsDir, io.env, io.cwd);
    const store = new RunStore(runsDir);
    run = await store.open(await resolveRunId(store, ref, runsDir));
    modelPath = run.modelPath('student');
    if (!existsSync(modelPath)) throw new Error(`run ${run.id} has no saved student yet (${modelPath})`);
  }
  await chooseBackend(io, flags.backend, run?.config.backend);
  const r = await evaluate({ modelPath, dataPath: path.resolve(io.cwd, flags.data), run,
    ...(flags.limit ? { limit: flags.limit } : {}), ...(flags.batch ? { batchSize: flags.batch } : {}) });
  if (flags.json) {
    io.stdout.write(JSON.stringify({ model: modelPath, data: path.resolve(io.cwd, flags.data), ...(run ? { run: run.id } : {}), ...r }) + '\n');
    return 0;
  }
  io.stdout.write([
    `model:  ${modelPath}`,
    `data:   ${path.resolve(io.cwd, flags.data)} (test split, ${r.count} images)`,
    `top-1:  ${pct(r.top1)}`,
    `top-5:  ${r.top5 !== undefined ? pct(r.top5) : '– (computed for more than 10 classes)'}`,
    `loss:   ${num(r.loss, 4)}`,
  ].join('\n') + '\n');
  return 0;
}
