// A whole run: backend, dataset, teacher (trained here first, or loaded), student, the training phases,
// then the exported student with its size and speed. Every outcome — done, failed, cancelled — is written
// to the run folder (status, log) and emitted; runTraining itself resolves with the outcome rather than
// throwing, so a caller cannot leave a run marked "running".
import * as path from 'node:path';
import { tf } from '../tf.js';
import { registerWasmTrainingKernels, selectBackend, webGpuFailure, type BackendChoice } from '../backend/index.js';
import { describeModel, teacherRecipe, type RunConfig, type TrainingRecipe } from '../config/index.js';
import { computeNormalization, loadDataset, makeBatch, type Dataset, type Normalization } from '../data/index.js';
import type { Phase, RunEvent } from '../events/index.js';
import { pairHints, type ResolvedHintPair } from '../attention/index.js';
import { summarizeModel } from '../models/index.js';
import { collectEnvironment, type Checkpoint, type RunHandle } from '../runs/index.js';
import { datasetFingerprint } from '../runs/datasetFingerprint.js';
import { acquireRunLock } from '../runs/runLock.js';
import { encodePng } from '../data/samples.js';
import { evaluate, measureLatency, weightFileBytes, writeModelMeta } from '../eval/index.js';
import { buildNet, inputShapeOf, loadTeacherNet, randomTrainingLayers, resolveLayerName, retap, teacherModelPath, withConfigTaps, type Net } from './networks.js';
import { trainPhase, type PhaseOutcome } from './phase.js';
import { hintPairWarnings, teacherMarginWarning, teacherWarnings } from './advice.js';
import { deriveSeed } from './seeds.js';
import { selfPairs } from './snapshot.js';
import { NonFiniteLossError } from './step.js';
import { preflightModels, RunSetupError } from './preflight.js';
import type { FinalStats, PhaseSummary, RunResult, TrainOptions } from './types.js';

class Cancelled extends Error {}

/** Saved with every checkpoint: what a resume must reuse. `limit` without `testLimit` (older runs) cut both splits. */
interface RunExtra { normalization?: Normalization; limit?: number; testLimit?: number; epochs?: number }

export async function runTraining(run: RunHandle, opts: TrainOptions = {}): Promise<RunResult> {
  const startedAt = performance.now();
  const config = run.config;
  const emit = (e: RunEvent) => {
    try {
      opts.onEvent?.(e);
    } catch (err) {
      // A failing UI handler must not kill the run.
      void run.log(`event handler failed on a ${e.type} event: ${(err as Error).message}`).catch(() => undefined);
    }
  };
  const note = async (level: 'info' | 'warn', message: string) => {
    emit({ type: 'log', level, message });
    await run.log(`${level === 'warn' ? 'warning: ' : ''}${message}`);
  };
  const result: RunResult = { runId: run.id, status: 'failed', resumable: false, seconds: 0 };
  const owned: Net[] = [];
  let probes: tf.Tensor4D | null = null;
  let phaseNow: Phase = config.teacher?.source === 'train' ? 'teacher' : 'student';
  let ck: Checkpoint | null = null;
  // One writer per run folder: when another process trains this run, throw (RunLockedError) before
  // anything in the folder is touched — its status is that process's to write.
  const lock = await acquireRunLock(run.dir, run.id);
  if (opts.resume && (await run.readStatus().catch(() => null))?.status === 'done') {
    await lock.release();
    throw new Error(`run ${run.id} is already done; nothing to resume`);
  }
  // Before the last event: whoever hears it may resume or delete the run at once.
  const letGo = async () => {
    await run.flush().catch(() => undefined);
    await lock.release().catch(() => undefined);
  };

  try {
    // --- backend and environment -------------------------------------------------------------------
    const backend = await ensureBackend(opts.backend, config);
    const previousEnv = opts.resume ? await run.readEnvironment() : null;
    const environment = { ...collectEnvironment(backend as unknown as { name: string; reason: string }),
      ...(opts.invocation ? { invocation: opts.invocation } : {}),
      ...(previousEnv ? { earlierStarts: [...((previousEnv.earlierStarts as unknown[]) ?? []), { backend: previousEnv.backend, recordedAt: previousEnv.recordedAt, invocation: previousEnv.invocation }] } : {}) };
    await run.writeEnvironment(environment);

    // --- where to start -----------------------------------------------------------------------------
    if (opts.resume) {
      ck = await run.loadCheckpoint('latest');
      if (!ck) await note('info', 'no checkpoint to resume from: starting from the beginning');
      // What the interrupted epoch wrote after the checkpoint is trained again: keep each step once.
      const dropped = await run.trimMetricsAfter(ck ? { phase: ck.phase, epoch: ck.epoch, step: ck.step } : null);
      if (dropped > 0) await run.log(`resume: removed ${dropped} metric line(s) written after the checkpoint (they are trained again)`);
    } else if (await run.hasCheckpoint('latest')) {
      throw new Error(`run ${run.id} has already trained (it has a checkpoint); resume it instead of training it again`);
    }
    const ckExtra = (ck?.extra ?? {}) as RunExtra;
    // An override (TrainOptions, or the one a checkpoint recorded) wins over the config; a bare `limit` override
    // means both splits (a quick trial), as it always did.
    const limitOverride = opts.limit ?? ckExtra.limit;
    const testLimitOverride = opts.testLimit ?? opts.limit ?? ckExtra.testLimit ?? ckExtra.limit;
    const limit = limitOverride ?? config.data.limit;
    const testLimit = testLimitOverride ?? config.data.testLimit;
    const epochsOverride = opts.epochsOverride ?? ckExtra.epochs;
    if (ck) phaseNow = ck.phase;
    await run.writeStatus({ status: 'running', phase: phaseNow, ...(ck ? { epoch: ck.epoch, step: ck.step } : {}) });
    emit({
      type: 'started', runId: run.id, backend: { ...backend, name: backend.name, reason: backend.reason }, config,
      ...(ck ? { resumedFrom: { phase: ck.phase, epoch: ck.epoch, step: ck.step } } : {}),
    });
    await run.log(ck ? `resuming ${ck.phase} phase after epoch ${ck.epoch}, step ${ck.step} on ${backend.name}` : `training on ${backend.name} (${backend.reason})`);
    for (const n of run.configNotes ?? []) await note('info', `config.json: ${n}`);

    // --- a loaded teacher first: its input size decides the dataset's ---------------------------------
    const teacherFile = await teacherModelPath(run, config);
    const t = config.teacher;
    let loaded = teacherFile ? await loadTeacherNet(teacherFile, t && t.source !== 'train' ? t.taps : undefined) : null;
    if (loaded) owned.push(loaded.net);
    for (const n of loaded?.notes ?? []) await note('info', `teacher: ${n}`);

    const inputShape = config.data.inputShape ?? (loaded ? inputShapeOf(loaded.net.model) : undefined);
    const loadWith = (trainImages: number | undefined) => loadDataset(config.data.path, {
      format: config.data.format, ...(inputShape ? { inputShape } : {}), ...(trainImages ? { limit: trainImages } : {}),
      testLimit: testLimit ?? 'all', validationSplit: config.data.validationSplit, seed: config.seed,
    });
    const data = await loadWith(limit);
    for (const n of data.info.notes ?? []) await note('info', `data: ${n}`);
    await run.writeEnvironment({ ...environment, dataset: await datasetFingerprint(config.data.path, data) });
    // A teacher trained here may see more (or fewer) training images than the student: its own copy then.
    const teacherLimit = t?.source === 'train' ? (limitOverride ?? t.limit ?? limit) : limit;
    const teacherData = t?.source === 'train' && ck?.phase !== 'student' && teacherLimit !== limit ? await loadWith(teacherLimit) : data;
    if (teacherData !== data) {
      await note('info', `data: the teacher trains on ${teacherData.train.count} training images, the student on ${data.train.count}`);
    }
    const shape = data.train.shape;
    const numClasses = data.info.classes.length;
    if (config.probes > data.test.count) throw new Error(`probes (${config.probes}) exceeds the ${data.test.count} test images`);
    // The student must see inputs the way the teacher was trained to see them.
    // With a teacher trained here, its training images set the normalization both phases use.
    const normalization = ckExtra.normalization ?? loaded?.meta?.normalization ?? computeNormalization(teacherData.train);
    const extra: RunExtra = {
      normalization, ...(limitOverride ? { limit: limitOverride } : {}), ...(testLimitOverride ? { testLimit: testLimitOverride } : {}),
      ...(epochsOverride ? { epochs: epochsOverride } : {}),
    };

    probes = await setUpProbes(run, data, normalization, config.probes, !ck);

    const recipeOf = (r: TrainingRecipe): TrainingRecipe => (epochsOverride ? { ...r, epochs: epochsOverride } : r);
    const common = { run, config, data, normalization, numClasses, probes, emit, control: opts.control, extra: extra as Record<string, unknown> };

    // A hint pair naming a missing layer is found now, not after the teacher phase has trained.
    const setup = await preflightModels(config, shape, numClasses, loaded ? { teacher: loaded.net } : {});
    if (setup.length > 0) throw new RunSetupError(setup);

    // --- teacher phase ------------------------------------------------------------------------------
    if (t?.source === 'train') {
      if (ck?.phase === 'student') {
        loaded = await loadTeacherNet(run.modelPath('teacher'));
        owned.push(loaded.net);
        const earlier = (await run.readStatus()).results.teacher;
        if (earlier) result.teacher = { ...(earlier.best ? { best: earlier.best } : {}), ...(earlier.last ? { last: earlier.last } : {}) };
      } else {
        phaseNow = 'teacher';
        const net = buildNet(t.model, shape, numClasses, 'teacher_', deriveSeed(config.seed, 'teacher-init'));
        owned.push(net);
        await warnRandomLayers(net, 'teacher', note);
        const outcome = await trainPhase({ ...common, data: teacherData, phase: 'teacher', recipe: recipeOf(teacherRecipe(config)), method: 'baseline',
          net, pairs: selfPairs(net.taps), resume: ck?.phase === 'teacher' ? ck : null, seed: deriveSeed(config.seed, 'teacher-data') });
        ck = ck?.phase === 'teacher' ? null : ck;
        result.teacher = summary(outcome);
        if (outcome.status === 'cancelled') throw new Cancelled();
        const modelPath = await run.saveModel('teacher', net.model);
        await writeModelMeta(path.dirname(modelPath), { normalization, taps: net.taps, spec: t.model, classes: data.info.classes, inputShape: shape });
        await note('info', `teacher ${describeModel(t.model)} trained: test top-1 ${pct(outcome.last?.top1)} (best ${pct(outcome.best?.top1)})`);
        loaded = { net, meta: null, source: modelPath };
      }
    }

    // --- student phase ------------------------------------------------------------------------------
    phaseNow = 'student';
    const teacher = loaded?.net;
    if (teacher) checkTeacher(teacher, shape, numClasses);
    const built = buildNet(config.student.model, shape, numClasses, 'student_', deriveSeed(config.seed, 'student-init'));
    owned.push(built);
    await warnRandomLayers(built, 'student', note);
    const teacherSpec = t?.source === 'train' ? t.model : (loaded?.meta?.spec as { family?: unknown } | undefined);
    const { pairs, student, teacher: teacherNet } = await choosePairs(config, withConfigTaps(built, config.student.taps, 'student'), teacher,
      typeof teacherSpec?.family === 'string' ? teacherSpec.family : undefined, note, () => run.flush().then(() => run.readLog()).catch(() => ''));
    const outcome = await trainPhase({ ...common, phase: 'student', recipe: recipeOf(config.training), method: config.method,
      net: student, ...(teacherNet ? { teacher: teacherNet } : {}), pairs, resume: ck?.phase === 'student' ? ck : null,
      seed: deriveSeed(config.seed, 'student-data') });
    result.student = summary(outcome);
    if (outcome.status === 'cancelled') throw new Cancelled();
    if (teacherNet) await compareWithTeacher(teacherNet, result, data, normalization, numClasses, note);

    // --- the exported student -----------------------------------------------------------------------
    const modelPath = await run.saveModel('student', student.model);
    await writeModelMeta(path.dirname(modelPath), { normalization, taps: student.taps, spec: config.student.model, classes: data.info.classes, inputShape: shape });
    const final = await finalStats(student, modelPath, shape, opts.latency !== false);
    const env = (await run.readEnvironment()) ?? {};
    await run.writeEnvironment({ ...env, student: { ...final, latency: final.latency } });
    result.final = final;
    result.modelPath = modelPath;
    result.status = 'done';
    result.resumable = true;
    result.seconds = (performance.now() - startedAt) / 1000;
    await run.writeStatus({ status: 'done', phase: 'student' });
    await run.log(`done: student test top-1 ${pct(outcome.status === 'done' ? outcome.last?.top1 : undefined)}, ${final.params} parameters${final.latencyMs !== undefined ? `, ${final.latencyMs.toFixed(3)} ms/image at batch 1` : ''}`);
    await letGo();
    emit({
      type: 'done', runId: run.id,
      result: { phase: 'student', ...result.student, ...(result.teacher ? { teacher: result.teacher } : {}), seconds: result.seconds, modelPath,
        params: final.params, multiplyAdds: final.multiplyAdds, sizeBytes: final.sizeBytes, fileBytes: final.fileBytes, latency: final.latency },
    });
    return result;
  } catch (err) {
    result.seconds = (performance.now() - startedAt) / 1000;
    result.resumable = await run.hasCheckpoint('latest').catch(() => false);
    if (err instanceof Cancelled) {
      result.status = 'cancelled';
      await run.writeStatus({ status: 'cancelled', phase: phaseNow });
      await run.log(`cancelled${result.resumable ? ' (resumable from the latest checkpoint)' : ''}`);
      await letGo();
      emit({ type: 'cancelled', runId: run.id, resumable: result.resumable });
      return result;
    }
    const st = await run.readStatus().catch(() => null);
    // A config that cannot work fails the same way on every resume: say what to change instead.
    const kept = err instanceof RunSetupError ? ' Resuming would fail the same way: change the config and start a new run.'
      : result.resumable ? ` The last good checkpoint (${st?.phase ?? phaseNow} phase, epoch ${st?.epoch ?? '?'}) is kept: resume continues from it.` : '';
    // A lost GPU or a GPU out of memory makes reads fail with an empty or unrelated message: say what happened.
    const gpu = webGpuFailure();
    const message = err instanceof NonFiniteLossError
      ? `Training stopped: ${err.message}.${kept} Lowering the learning rate${config.method !== 'baseline' ? ' or β' : ''} usually helps.`
      : gpu !== undefined && tf.getBackend() === 'webgpu'
        ? `${gpu.message}.${kept}`
        : `${(err as Error).message ?? String(err)}${kept}`;
    result.status = 'failed';
    result.error = message;
    await run.writeStatus({ status: 'failed', phase: phaseNow, error: message }).catch(() => undefined);
    await run.log(`failed: ${message}${err instanceof NonFiniteLossError ? '' : `\n${(err as Error).stack ?? ''}`}`).catch(() => undefined);
    await letGo();
    emit({ type: 'failed', runId: run.id, error: message, resumable: result.resumable });
    return result;
  } finally {
    // Checkpoint tensors not handed to a phase (an error came first); disposing twice is harmless.
    if (ck) tf.dispose([...Object.values(ck.weights), ...ck.optimizer.map((o) => o.tensor)]);
    probes?.dispose();
    for (const n of owned) {
      try {
        n.dispose();
      } catch {
        /* already disposed with a model that shared its layers */
      }
    }
    await run.flush().catch(() => undefined);
    await lock.release().catch(() => undefined);
  }
}

async function ensureBackend(given: BackendChoice | undefined, config: RunConfig): Promise<BackendChoice> {
  const choice = given ?? (await selectBackend(config.backend === 'auto' ? {} : { force: config.backend }));
  if (choice.tfBackend === 'wasm') registerWasmTrainingKernels(); // idempotent; training needs its gradient kernels
  // A backend still starting (one that an earlier model build set off) would make the first op on the
  // new one throw "Backend '…' has not yet been initialized": let it finish first.
  await tf.ready().catch(() => undefined);
  if (tf.getBackend() !== choice.tfBackend) {
    if (!(await tf.setBackend(choice.tfBackend))) throw new Error(`backend ${choice.tfBackend} failed to start`);
    await tf.ready();
  }
  return choice;
}

/** The first `n` test images, fixed for the whole run (and stored in it, with PNGs, on a fresh start). */
async function setUpProbes(run: RunHandle, data: Dataset, norm: Normalization, n: number, write: boolean): Promise<tf.Tensor4D | null> {
  if (n <= 0) return null;
  const indices = Array.from({ length: n }, (_, i) => i);
  if (write) {
    const [h, w, c] = data.test.shape;
    const size = h * w * c;
    await run.writeProbes({
      split: 'test', indices, labels: indices.map((i) => data.test.labels[i]), classes: indices.map((i) => data.info.classes[data.test.labels[i]]),
      pngs: indices.map((i) => encodePng(data.test.images.subarray(i * size, (i + 1) * size), h, w, c)),
    });
  }
  const { x, y } = makeBatch(data.test, indices, norm);
  y.dispose();
  return x;
}

function checkTeacher(teacher: Net, shape: [number, number, number], numClasses: number): void {
  const ts = inputShapeOf(teacher.model);
  if (ts && !tf.util.arraysEqual(ts, shape)) {
    throw new Error(`the teacher takes ${ts.join('×')} images but the data is ${shape.join('×')}; set data.inputShape to ${JSON.stringify(ts)}`);
  }
  const out = teacher.model.outputs[0].shape;
  if (out[out.length - 1] !== numClasses) {
    throw new Error(`the teacher has ${out[out.length - 1]} outputs but the dataset has ${numClasses} classes`);
  }
}

/**
 * Hint pairs, and the student and teacher tapped at every layer a pair names. Explicit pairs from the
 * config override the default pairing; their names may omit the engine's layer prefixes.
 */
async function choosePairs(config: RunConfig, student: Net, loadedTeacher: Net | undefined, teacherFamily: string | undefined,
  note: (l: 'info' | 'warn', m: string) => Promise<void>, runLog: () => Promise<string>): Promise<{ pairs: ResolvedHintPair[]; student: Net; teacher?: Net }> {
  if (!loadedTeacher) return { pairs: selfPairs(student.taps), student };
  let teacher: Net = loadedTeacher;
  const usesAt = config.method === 'at' || config.method === 'at+kd';
  const union = (a: string[], b: string[]) => [...a, ...b.filter((n) => !a.includes(n))];
  let pairs: ResolvedHintPair[];
  try {
    const explicit = config.attention.pairs?.map((p) => ({
      ...p, student: resolveLayerName(student.model, p.student, 'student'), teacher: resolveLayerName(teacher.model, p.teacher, 'teacher'),
    }));
    if (explicit) {
      student = retap(student, union(student.tapNames, explicit.map((p) => p.student)));
      teacher = retap(teacher, union(teacher.tapNames, explicit.map((p) => p.teacher)));
    }
    pairs = pairHints(student.taps, teacher.taps, explicit);
  } catch (err) {
    if (usesAt) throw err;
    // Without an AT loss the pairs only feed the snapshots: show the student alone instead.
    await note('info', `attention snapshots show the student only: ${(err as Error).message}`);
    return { pairs: selfPairs(student.taps), student, teacher };
  }
  // The warnings the wizard showed before Start (core/train/advice.ts), now in the log with this run's models:
  // once per run (the service logs the Review step's warnings when it creates the run; a resume repeats none).
  const logged = await runLog();
  const warnOnce = async (w: string) => { if (!logged.includes(`warning: ${w}`)) await note('warn', w); };
  if (usesAt) for (const w of hintPairWarnings(pairs)) await warnOnce(w);
  else for (const p of pairs) if (p.note) await note('info', `hint pair ${p.student} ← ${p.teacher}: ${p.note}`);
  const t = config.teacher;
  const teacherName = t?.source === 'train' ? describeModel(t.model) : t?.source === 'run' ? `the ${t.role ?? 'student'} of run ${t.run}` : 'the teacher file';
  for (const w of teacherWarnings({
    usesAt,
    // Size says how good a teacher could be only before it is trained: one from a file or a run may have seen
    // more images or epochs than its size suggests, so its parameters are left out of the advice.
    teacher: {
      name: teacherName, ...(teacherFamily ? { family: teacherFamily } : {}),
      ...(t?.source === 'train' ? { params: teacher.model.countParams(), ...trainImages(t.limit ?? config.data.limit) } : {}),
    },
    student: { name: describeModel(config.student.model), family: config.student.model.family, params: student.model.countParams(), ...trainImages(config.data.limit) },
  })) await warnOnce(w);
  return { pairs, student, teacher };
}

const trainImages = (limit: number | undefined) => (limit !== undefined ? { trainImages: limit } : {});

/** Little can be transferred from a teacher that is barely better than the student: say so. */
async function compareWithTeacher(teacher: Net, result: RunResult, data: Dataset, normalization: Normalization, numClasses: number,
  note: (l: 'info' | 'warn', m: string) => Promise<void>): Promise<void> {
  const student = result.student?.best?.top1;
  if (student === undefined) return;
  const teacherTop1 = result.teacher?.last?.top1 ?? (await evaluate(teacher.model, data.test, normalization, { numClasses })).top1;
  const warning = teacherMarginWarning(teacherTop1, student);
  if (warning) await note('warn', warning);
}

async function warnRandomLayers(net: Net, who: string, note: (l: 'info' | 'warn', m: string) => Promise<void>): Promise<void> {
  const layers = randomTrainingLayers(net.model);
  if (layers.length) await note('warn', `the ${who} has dropout (${layers.join(', ')}): its runs do not repeat exactly`);
}

async function finalStats(student: Net, modelPath: string, shape: [number, number, number], withLatency: boolean): Promise<FinalStats> {
  const s = summarizeModel(student.model, student.taps);
  const latency = withLatency ? await measureLatency(student.model, shape) : undefined;
  return {
    params: s.params, trainableParams: s.trainableParams, multiplyAdds: s.multiplyAdds, sizeBytes: s.sizeBytes,
    fileBytes: await weightFileBytes(modelPath), ...(latency ? { latency, latencyMs: latency.batch1MsPerImage } : {}),
  };
}

function summary(o: PhaseOutcome): PhaseSummary {
  return o.status === 'done' ? { ...(o.best ? { best: o.best } : {}), ...(o.last ? { last: o.last } : {}) } : {};
}

function pct(v: number | undefined): string {
  return v === undefined ? '–' : `${(v * 100).toFixed(2)}%`;
}
