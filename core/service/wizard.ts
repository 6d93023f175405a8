// What the wizard asks while a person fills it in: dataset facts, model estimates, teacher files, hint
// pairs, and whether a config is valid (with advice that does not block a start).
import { promises as fs } from 'node:fs';
import { inspectDataset } from '../data/inspect.js';
import type { DatasetFormat, DatasetInfo } from '../data/types.js';
import { estimateModel, modelName } from '../models/create.js';
import { loadTeacherFile } from '../models/teacher.js';
import { summarizeModel } from '../models/summary.js';
import { tapCandidates } from '../models/taps.js';
import type { ModelFamilySpec, TapInfo } from '../models/types.js';
import { pairHints } from '../attention/hintPairs.js';
import { ConfigError } from '../config/configError.js';
import { describeModel } from '../config/describe.js';
import { parseRunConfig } from '../config/runConfig.js';
import type { RunConfig } from '../config/types.js';
import type { RunStore } from '../runs/runStore.js';
import { isValidRunId } from '../runs/runId.js';
import { hintPairWarnings, teacherWarnings } from '../train/advice.js';
import { readModelMeta } from '../eval/modelMeta.js';
import * as path from 'node:path';
import { preflightModels } from '../train/preflight.js';
import { ensureServiceBackend } from './tfReady.js';
import type { DatasetView, EstimateRequest, ModelEstimate, TeacherFileView, ValidationResult } from './api.js';
import { studioCode } from '../errors.js';
import { ServiceError } from './errors.js';
import type { PathPolicy } from './paths.js';
import { teacherFileIssue } from './teacherCheck.js';

export async function datasetView(file: string, format?: DatasetFormat | 'auto'): Promise<DatasetView> {
  const info = await inspectDataset(file, format ? { format } : {});
  return {
    path: info.path, format: info.format, classes: info.classes, trainCount: info.trainCount, testCount: info.testCount,
    imageShape: info.imageShape, samples: info.samples.map((s) => ({ label: s.label, pngBase64: Buffer.from(s.png).toString('base64') })),
    ...(info.notes?.length ? { notes: info.notes } : {}),
  };
}

/** Validation runs on every change in the wizard: remember what a dataset folder holds while it is unchanged. */
const inspected = new Map<string, { mtimeMs: number; info: DatasetInfo }>();

async function inspectCached(dir: string, format: DatasetFormat | 'auto'): Promise<DatasetInfo> {
  const mtimeMs = (await fs.stat(dir)).mtimeMs;
  const key = `${format}\0${dir}`;
  const hit = inspected.get(key);
  if (hit && hit.mtimeMs === mtimeMs) return hit.info;
  const info = await inspectDataset(dir, { format });
  if (inspected.size > 50) inspected.clear();
  inspected.set(key, { mtimeMs, info });
  return info;
}

/** Estimates are asked for on every keystroke of the wizard: memoize them (they build a model). */
const estimates = new Map<string, ModelEstimate>();

export function modelEstimate(req: EstimateRequest): ModelEstimate {
  const { inputShape, numClasses } = req;
  if (!Array.isArray(inputShape) || inputShape.length !== 3 || !inputShape.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new ServiceError('invalid', `estimateModel: inputShape must be [height, width, channels] of whole numbers ≥ 1, got ${JSON.stringify(inputShape)}`);
  }
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new ServiceError('invalid', `estimateModel: numClasses must be a whole number ≥ 2, got ${JSON.stringify(numClasses)}`);
  }
  const key = JSON.stringify([req.model, req.inputShape, req.numClasses]);
  const hit = estimates.get(key);
  if (hit) return hit;
  let s;
  try {
    s = estimateModel({ ...req.model, inputShape: req.inputShape, numClasses: req.numClasses } as Parameters<typeof estimateModel>[0]);
  } catch (err) {
    // The spec or the input is wrong (the model zoo's and TF.js layers' own checks); anything else is ours.
    if (!isModelSpecError(err)) throw err;
    throw new ServiceError('invalid', `cannot build ${describeSafe(req.model)}: ${(err as Error).message}`);
  }
  // Tap names without the estimate's layer prefix: the names a config's hint pairs use.
  const taps = s.taps.map((t) => ({ name: plainTapName(t.name), shape: t.shape }));
  const out: ModelEstimate = { name: modelName(req.model), params: s.params, trainableParams: s.trainableParams, multiplyAdds: s.multiplyAdds, sizeBytes: s.sizeBytes, taps };
  if (estimates.size > 200) estimates.clear();
  estimates.set(key, out);
  return out;
}

/** Our model.invalid, or TF.js's own ValueError for a spec it cannot build (its class is not exported). */
function isModelSpecError(err: unknown): boolean {
  return studioCode(err) === 'model.invalid' || (err as Error | null)?.name === 'ValueError';
}

/** A zoo layer name without the prefix the engine gives it ('student_', 'teacher_', 'estimate.'). */
export function plainTapName(name: string): string {
  return name.replace(/^(estimate\.|student_|teacher_)/, '');
}

function describeSafe(m: ModelFamilySpec): string {
  try {
    return describeModel(m);
  } catch {
    return JSON.stringify(m);
  }
}

export async function teacherFileView(file: string, taps?: string[]): Promise<TeacherFileView> {
  const zoo = await loadTeacherFile(file, taps ? { taps } : {});
  try {
    const inShape = zoo.model.inputs[0].shape;
    const outShape = zoo.model.outputs[0].shape;
    const inputShape = inShape.length === 4 && inShape.slice(1).every((d) => typeof d === 'number') ? (inShape.slice(1) as [number, number, number]) : null;
    const summary = summarizeModel(zoo.model, zoo.taps);
    return { path: file, inputShape, numClasses: Number(outShape[outShape.length - 1]), params: summary.params,
      ...(inputShape && Number.isFinite(summary.multiplyAdds) ? { multiplyAdds: summary.multiplyAdds } : {}),
      sizeBytes: summary.sizeBytes, taps: zoo.taps, layers: tapCandidates(zoo.model),
      ...(zoo.notes?.length ? { notes: zoo.notes } : {}) };
  } finally {
    zoo.model.dispose();
  }
}

const AT_METHODS = new Set(['at', 'at+kd']);

/** The taps of a zoo model as the estimate names them, for pairing checks. */
function zooTaps(model: ModelFamilySpec, inputShape: [number, number, number], numClasses: number): TapInfo[] | null {
  try {
    return modelEstimate({ model, inputShape, numClasses }).taps;
  } catch {
    return null;
  }
}

/**
 * `deep`: also build the models and load a teacher file, to check explicit hint pairs and the file itself
 * (for a start; the wizard's per-keystroke validation leaves it off).
 */
export async function validateRunConfig(input: unknown, ctx: { paths: PathPolicy; store: RunStore; deep?: boolean }): Promise<ValidationResult> {
  let config: RunConfig;
  try {
    config = parseRunConfig(input);
  } catch (err) {
    if (err instanceof ConfigError) return { ok: false, issues: err.issues.map((i) => ({ path: i.path, message: i.message })), warnings: [] };
    return { ok: false, issues: [{ path: '', message: (err as Error).message }], warnings: [] };
  }
  const issues: { path: string; message: string }[] = [];
  const warnings: string[] = [];
  const pathIssue = async (p: string, field: string, kind: 'file' | 'folder' | 'any') => {
    try {
      const abs = ctx.paths.check(p, field, 'read');
      const st = await fs.stat(abs).catch(() => null);
      if (!st) issues.push({ path: field, message: `${p} does not exist` });
      else if (kind === 'folder' && !st.isDirectory()) issues.push({ path: field, message: `${p} is not a folder` });
      else if (kind === 'file' && !st.isFile()) issues.push({ path: field, message: `${p} is not a file (expected a model.json)` });
    } catch (err) {
      issues.push({ path: field, message: (err as Error).message });
    }
  };
  await pathIssue(config.data.path, 'data.path', 'folder');
  const t = config.teacher;
  let teacherTop1: number | undefined;
  let teacherSpec: ModelFamilySpec | undefined = t?.source === 'train' ? t.model : undefined;
  // A folder is read too: a SavedModel folder gets its name and the way to convert it.
  if (t?.source === 'file') await pathIssue(t.path, 'teacher.path', 'any');
  if (t?.source === 'run') {
    if (!isValidRunId(t.run) || !(await ctx.store.exists(t.run))) issues.push({ path: 'teacher.run', message: `no run ${JSON.stringify(t.run)} in the runs folder` });
    else {
      const other = await ctx.store.open(t.run);
      const st = await other.readStatus();
      const role = t.role ?? 'student';
      if (st.status !== 'done') warnings.push(`the teacher run ${t.run} is ${st.status}, not done: its ${role} model may be missing when this run starts`);
      // The teacher's test top-1 at its last epoch: what it will actually teach with (the saved model is the last).
      teacherTop1 = st.results[role]?.last?.top1 ?? st.results[role]?.best?.top1;
      const ot = other.config.teacher;
      teacherSpec = role === 'student' ? other.config.student.model : ot?.source === 'train' ? ot.model : undefined;
    }
  }

  // The folder must hold a dataset the engine can read (checked now, not when the run starts).
  let info: DatasetInfo | null = null;
  if (!issues.some((i) => i.path === 'data.path')) {
    try {
      info = await inspectCached(config.data.path, config.data.format);
    } catch (err) {
      issues.push({ path: 'data.path', message: (err as Error).message });
    }
  }

  // The teacher file: a format the engine reads, loadable, fitting the data (before any run folder exists).
  if (t?.source === 'file' && !issues.some((i) => i.path === 'teacher.path')) {
    const problem = await teacherFileIssue(ctx.paths.check(t.path, 'teacher.path', 'read'),
      { ...(config.data.inputShape ? { inputShape: config.data.inputShape } : {}), ...(info ? { numClasses: info.classes.length } : {}) }, t.taps);
    if (problem) issues.push({ path: 'teacher.path', message: problem });
  }

  if (ctx.deep && issues.length === 0 && info) {
    // Building models needs a backend that has finished starting: an op while one is still starting
    // throws "Backend '…' has not yet been initialized" (the CLI picks its backend before validating).
    await ensureServiceBackend();
    let teacherFile: string | null = null;
    if (t?.source === 'file') teacherFile = ctx.paths.check(t.path, 'teacher.path', 'read');
    if (t?.source === 'run') {
      const file = (await ctx.store.open(t.run)).modelPath(t.role ?? 'student');
      if (await fs.stat(file).then(() => true, () => false)) teacherFile = file;
    }
    issues.push(...await preflightModels(config, config.data.inputShape ?? info.imageShape, info.classes.length,
      { teacherFile, teacherField: t?.source === 'run' ? 'teacher.run' : 'teacher.path' }));
  }

  // Advice (core/train/advice.ts, the same words the run's log uses): only worth computing for a config that can run.
  if (issues.length === 0 && info && t && config.method !== 'baseline') {
    const dataShape = config.data.inputShape ?? info.imageShape;
    const numClasses = info.classes.length;
    const estimate = (model: ModelFamilySpec) => (zooTaps(model, dataShape, numClasses) ? modelEstimate({ model, inputShape: dataShape, numClasses }) : null);
    const sEst = estimate(config.student.model);
    let tName = t.source === 'file' ? path.basename(path.dirname(t.path)) || t.path : t.source === 'run' ? `run ${t.run}` : describeModel(t.model);
    let tParams: number | undefined;
    let tTaps: TapInfo[] | null = null;
    let tFamily = teacherSpec?.family;
    if (teacherSpec) {
      const e = estimate(teacherSpec);
      tName = describeSafe(teacherSpec);
      tParams = e?.params;
      tTaps = e?.taps ?? null;
    } else if (t.source === 'file') {
      try {
        const v = await teacherFileView(ctx.paths.check(t.path, 'teacher.path', 'read'), t.taps);
        tParams = v.params;
        tTaps = v.taps.map((x) => ({ ...x, name: plainTapName(x.name) }));
        const spec = (await readModelMeta(path.dirname(v.path)))?.spec as ModelFamilySpec | undefined;
        if (spec && typeof spec === 'object' && typeof spec.family === 'string') tFamily = spec.family;
      } catch {
        // A teacher file that cannot be read is reported by the Teacher step; no advice about it here.
      }
    }
    // What the student reaches alone: the best finished baseline of the same student on the same data.
    let baselineTop1: number | undefined;
    if (teacherTop1 !== undefined) {
      const alone = (await ctx.store.list()).filter((r) => r.method === 'baseline' && !(t.source === 'run' && r.id === t.run) && r.student === describeModel(config.student.model) && r.dataset === config.data.path && r.best);
      if (alone.length) baselineTop1 = Math.max(...alone.map((r) => r.best!.top1));
    }
    warnings.push(...teacherWarnings({
      usesAt: AT_METHODS.has(config.method),
      // Sizes only for a teacher not trained yet (as the run's log does): a file or a run's network may have
      // seen more images or epochs than its size suggests.
      teacher: {
        name: tName, ...(tFamily ? { family: tFamily } : {}), ...(teacherTop1 !== undefined ? { top1: teacherTop1 } : {}),
        ...(tParams !== undefined && t.source === 'train' ? { params: tParams } : {}),
        ...(t.source === 'train' && (t.limit ?? config.data.limit) !== undefined ? { trainImages: (t.limit ?? config.data.limit)! } : {}),
      },
      student: {
        name: describeModel(config.student.model), family: config.student.model.family, ...(sEst ? { params: sEst.params } : {}),
        ...(baselineTop1 !== undefined ? { baselineTop1 } : {}), ...(config.data.limit !== undefined ? { trainImages: config.data.limit } : {}),
      },
    }));
    if (sEst && tTaps) {
      const explicit = config.attention.pairs?.map((p) => ({ ...p, student: plainTapName(p.student), teacher: plainTapName(p.teacher) }));
      try {
        warnings.push(...hintPairWarnings(pairHints(sEst.taps, tTaps, explicit)));
      } catch (err) {
        if (AT_METHODS.has(config.method) && t.source === 'train') issues.push({ path: 'attention.pairs', message: `${(err as Error).message}; choose the hint pairs explicitly` });
      }
    }
  }
  return issues.length ? { ok: false, issues, warnings } : { ok: true, config, issues: [], warnings };
}
