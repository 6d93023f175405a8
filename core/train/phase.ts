// One training phase (the teacher trained from scratch, or the student): epochs of SGD steps, then per
// epoch the test evaluation, an attention snapshot, checkpoints and the metric line. The teacher phase
// and a baseline student use the same loop with the CE objective.
//
// Checkpoints and resume: 'latest' is written at the end of every epoch and when the run is cancelled
// between steps (then with the number of steps done in the epoch, the rng state at the epoch's start and
// the running train sums, so the epoch continues with exactly the batches and numbers it would have had).
// At an epoch end the checkpoint (which carries the epoch's metric line) is written before the metric
// line: after a crash between the two the line is restored from the checkpoint, so it is never lost and
// never written twice. The epoch's attention snapshot is written before the checkpoint.
import { tf } from '../tf.js';
import { assertWebGpuHealthy } from '../backend/webgpu.js';
import { batchCount, batches, type Dataset, type Normalization } from '../data/index.js';
import type { RunConfig, TrainingRecipe, Method } from '../config/index.js';
import type { EpochEvent, Phase, RunEvent, StepEvent } from '../events/index.js';
import type { ResolvedHintPair } from '../attention/index.js';
import type { Checkpoint, RunHandle } from '../runs/index.js';
import { evaluate } from '../eval/index.js';
import { Rng } from '../util/rng.js';
import type { TrainControl } from './control.js';
import { doubleBackpropProblems } from '../losses/index.js';
import { makeObjective } from './objective.js';
import { betaScaleAt, learningRateAt } from './schedule.js';
import { Sgd } from './sgd.js';
import { isRecordedStep } from '../runs/recordedSteps.js';
import { attentionSnapshot } from './snapshot.js';
import { NonFiniteLossError, trainStep } from './step.js';
import { restoreWeights, snapshotWeights, trainableVariables } from './weights.js';

export interface PhaseNet {
  /** Logits only: what is evaluated and exported. */
  model: tf.LayersModel;
  /** Same weights; outputs [logits, ...tap activations] in `tapNames` order. */
  tapped: tf.LayersModel;
  tapNames: string[];
}

export interface PhaseSpec {
  phase: Phase;
  run: RunHandle;
  config: RunConfig;
  recipe: TrainingRecipe; // epochs already overridden when asked
  method: Method; // 'baseline' for the teacher phase
  data: Dataset;
  normalization: Normalization;
  numClasses: number;
  net: PhaseNet;
  teacher?: PhaseNet;
  /** Hint pairs (AT loss and snapshots); in the teacher phase and without a teacher, each tap with itself. */
  pairs: ResolvedHintPair[];
  probes: tf.Tensor4D | null;
  emit: (e: RunEvent) => void;
  control?: TrainControl | undefined;
  /** A checkpoint of this phase to continue from (its tensors are disposed here). */
  resume: Checkpoint | null;
  /** Seeds this phase's data order and augmentation. */
  seed: number;
  /** Extra JSON stored in every checkpoint of the phase (normalization, pairs, …). */
  extra: Record<string, unknown>;
}

export interface EpochResultShort { epoch: number; top1: number }
export type PhaseOutcome = { status: 'done'; best?: EpochResultShort; last?: EpochResultShort } | { status: 'cancelled' };

interface EpochSums { lossSum: number; correct: number; seen: number; seconds: number }
const zeroSums = (): EpochSums => ({ lossSum: 0, correct: 0, seen: 0, seconds: 0 });

/** Where in the tapped outputs each pair's tap is (taps are listed once even if several pairs share one). */
function tapIndex(names: string[], wanted: string[]): number[] {
  return wanted.map((n) => {
    const i = names.indexOf(n);
    if (i < 0) throw new Error(`tap ${n} is not an output of the tapped model (${names.join(', ')})`);
    return i;
  });
}

/** A model whose outputs are [logits, ...taps of the pairs in pair order], built without new layers. */
function pairOrdered(net: PhaseNet, wanted: string[]): (x: tf.Tensor4D, training: boolean) => tf.Tensor[] {
  const idx = tapIndex(net.tapNames, wanted);
  return (x, training) => {
    const out = net.tapped.apply(x, { training }) as tf.Tensor[];
    const picked = [out[0], ...idx.map((i) => out[i + 1])];
    tf.dispose(out.filter((t) => !picked.includes(t)));
    return picked;
  };
}

/** A LayersModel-shaped view for code that only calls apply(). */
function asModel(f: (x: tf.Tensor4D, training: boolean) => tf.Tensor[]): tf.LayersModel {
  return { apply: (x: tf.Tensor4D, kw?: { training?: boolean }) => f(x, !!kw?.training) } as unknown as tf.LayersModel;
}

export async function trainPhase(s: PhaseSpec): Promise<PhaseOutcome> {
  const { phase, run, recipe, config } = s;
  const E = recipe.epochs;
  const train = s.data.train;
  const stepsPerEpoch = batchCount(train.count, recipe.batchSize);
  const totalSteps = E * stepsPerEpoch;
  const usesAt = s.method === 'at' || s.method === 'at+kd';
  const usesTeacher = s.method !== 'baseline';
  if (usesTeacher && !s.teacher) throw new Error(`method ${s.method} needs a teacher`);
  if (s.method === 'grad-at') {
    // Refuse before the first step rather than fail in it (or train on a wrong second derivative).
    const problems = doubleBackpropProblems(s.net.model);
    if (problems.length) throw new Error(`gradient-based AT differentiates the student twice, which these layers do not allow in TF.js: ${problems.join('; ')}`);
  }

  const vars = trainableVariables(s.net.model);
  const sgd = new Sgd(recipe.lr, recipe.momentum, recipe.weightDecay, vars);
  const rng = new Rng(s.seed);
  const studentFwd = pairOrdered(s.net, s.pairs.map((p) => p.student));
  const teacherFwd = s.teacher ? pairOrdered(s.teacher, s.pairs.map((p) => p.teacher)) : null;
  const objective = makeObjective({
    method: s.method,
    config,
    student: usesAt ? asModel(studentFwd) : s.net.model,
    pairs: s.pairs,
    ...(s.method === 'grad-at' && s.teacher ? { teacherLogits: (x: tf.Tensor4D) => s.teacher!.model.apply(x, { training: false }) as tf.Tensor2D } : {}),
  });
  const teacherOutputs = !usesTeacher || s.method === 'grad-at' || !s.teacher ? null
    : usesAt ? (x: tf.Tensor4D) => teacherFwd!(x, false)
      : (x: tf.Tensor4D) => [s.teacher!.model.apply(x, { training: false }) as tf.Tensor];
  const ctx = { objective, sgd, vars, teacherOutputs, gradAtBeta: config.gradAt.beta };
  const pairNames = s.pairs.map((p) => `${p.student} ← ${p.teacher}`);

  let startEpoch = 0;
  let startStep = 0;
  let sums = zeroSums();
  let best: EpochResultShort | undefined;
  let last: EpochResultShort | undefined;
  try {
    if (s.resume) {
      const ck = s.resume;
      try {
        restoreWeights(s.net.model, ck.weights);
        await sgd.setState(ck.optimizer);
      } finally {
        tf.dispose([...Object.values(ck.weights), ...ck.optimizer.map((o) => o.tensor)]);
      }
      rng.setState(ck.rngState);
      startEpoch = ck.epoch;
      startStep = ck.step;
      const extra = (ck.extra ?? {}) as { sums?: EpochSums; best?: EpochResultShort; last?: EpochResultShort; epochMetric?: Omit<EpochEvent, 'type'> };
      if (startStep > 0 && extra.sums) sums = { ...extra.sums };
      best = extra.best;
      last = extra.last;
      await restoreMissingEpochLine(run, phase, extra.epochMetric);
    }

    let globalStep = startEpoch * stepsPerEpoch + startStep;
    let stepSecondsAvg = 0;
    for (let epoch = startEpoch + 1; epoch <= E; epoch++) {
      const lr = learningRateAt(recipe, epoch - 1, E);
      sgd.setLearningRate(lr);
      const epochRngState = rng.getState();
      const skip = epoch === startEpoch + 1 ? startStep : 0;
      let step = skip;
      let epochStart = performance.now() - sums.seconds * 1000; // moved forward by pauses, which do not count
      const gen = batches(train, { batchSize: recipe.batchSize, shuffle: true, augment: config.data.augment, normalization: s.normalization, rng, skipBatches: skip });
      for (const { x, y } of gen) {
        // A step's read settles as a microtask on wasm and cpu, which never lets the event loop run: yield
        // once per step so that pause/cancel requests (a UI message, Ctrl-C) and queued file writes get their turn.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (s.control?.paused) epochStart += await pauseHere(s, phase);
        if (s.control?.cancelled) {
          tf.dispose([x, y]);
          gen.return(undefined);
          if (step > skip) { // otherwise the last checkpoint already describes this point
            sums.seconds = (performance.now() - epochStart) / 1000;
            await saveLatest(s, sgd, { epoch: epoch - 1, step, rngState: epochRngState, extra: { sums, best, last } });
          }
          return { status: 'cancelled' };
        }
        const t0 = performance.now();
        const scale = phase === 'student' ? betaScaleAt(config.attention.betaDecay, globalStep, totalSteps) : 1;
        let r;
        try {
          r = await trainStep(ctx, x, y, scale, pairNames);
        } catch (err) {
          if (err instanceof NonFiniteLossError) {
            throw new NonFiniteLossError(
              `the loss became non-finite in the ${phase} phase at epoch ${epoch}, step ${step + 1} of ${stepsPerEpoch}: ${err.message}`,
              err.part, err.value);
          }
          throw err;
        } finally {
          tf.dispose([x, y]);
        }
        // After a GPU error (out of memory, a lost device) results are garbage: stop before any checkpoint.
        assertWebGpuHealthy();
        step++;
        globalStep++;
        sums.lossSum += r.loss * r.count;
        sums.correct += r.correct;
        sums.seen += r.count;
        const dt = (performance.now() - t0) / 1000;
        stepSecondsAvg = stepSecondsAvg === 0 ? dt : 0.9 * stepSecondsAvg + 0.1 * dt;
        const ev: StepEvent = {
          type: 'step', phase, epoch, step, totalSteps: stepsPerEpoch, loss: r.loss, parts: r.parts, lr,
          imagesPerSec: r.count / Math.max(dt, 1e-9), etaSeconds: stepSecondsAvg * (totalSteps - globalStep),
        };
        s.emit(ev);
        if (isRecordedStep(step, stepsPerEpoch)) {
          const { type: _t, ...rest } = ev;
          void _t;
          // Step lines are progress only: one that fails to write is not worth stopping the run for.
          run.appendMetric({ kind: 'step', ...rest }).catch(() => undefined);
        }
      }

      // End of epoch: evaluate, snapshot, checkpoint, then the metric line.
      const test = await evaluate(s.net.model, s.data.test, s.normalization, {
        numClasses: s.numClasses, batchSize: Math.max(recipe.batchSize, 64),
        ...(phase === 'student' && s.teacher ? { teacher: s.teacher.model } : {}),
      });
      // Held-out images from the training set: a measure that choosing settings by it does not spoil the test set.
      const val = s.data.validation && s.data.validation.count > 0
        ? await evaluate(s.net.model, s.data.validation, s.normalization, { numClasses: s.numClasses, batchSize: Math.max(recipe.batchSize, 64) })
        : null;
      const improved = !best || test.top1 > best.top1;
      last = { epoch, top1: test.top1 };
      if (improved) best = { epoch, top1: test.top1 };
      const snap = s.probes && s.pairs.length > 0
        ? await attentionSnapshot({ phase, epoch, probes: s.probes, pairs: s.pairs, fn: config.attention.fn,
          student: asModel(studentFwd), ...(phase === 'student' && s.teacher ? { teacher: asModel(teacherFwd!) } : {}) })
        : null;
      const epochEvent: EpochEvent = {
        type: 'epoch', phase, epoch, epochs: E,
        train: { loss: sums.seen ? sums.lossSum / sums.seen : NaN, acc: sums.seen ? sums.correct / sums.seen : 0 },
        test: {
          loss: test.loss, top1: test.top1, ...(test.top5 !== undefined ? { top5: test.top5 } : {}),
          perClass: test.perClass, confusion: test.confusion, ...(test.agreement !== undefined ? { agreement: test.agreement } : {}),
        },
        ...(val ? { validation: { loss: val.loss, top1: val.top1 } } : {}),
        lr, seconds: (performance.now() - epochStart) / 1000, // training, evaluation and snapshot
      };
      const { type: _e, ...epochMetric } = epochEvent;
      void _e;
      const ckExtra = { best, last, epochMetric };
      // Snapshot first (rewriting it is harmless), then the checkpoint, then the metric line, which the
      // checkpoint can restore.
      if (snap) await run.saveSnapshot(snap);
      await saveLatest(s, sgd, { epoch, step: 0, rngState: rng.getState(), extra: ckExtra });
      if (improved) await saveCheckpoint(s, sgd, 'best', { epoch, step: 0, rngState: rng.getState(), extra: ckExtra });
      await run.appendMetric({ kind: 'epoch', ...epochMetric });
      s.emit(epochEvent);
      if (snap) s.emit({ type: 'attention', ...snap });
      s.emit({ type: 'checkpoint', phase, which: 'latest', epoch });
      if (improved) s.emit({ type: 'checkpoint', phase, which: 'best', epoch });
      await run.writeStatus({ phase, epoch, step: 0 });
      sums = zeroSums();
    }
    return { status: 'done', ...(best ? { best } : {}), ...(last ? { last } : {}) };
  } finally {
    sgd.dispose();
  }
}

/** Wait while paused (status and events say so); returns the milliseconds spent paused. */
async function pauseHere(s: PhaseSpec, phase: Phase): Promise<number> {
  const t0 = performance.now();
  await s.run.writeStatus({ status: 'paused', phase });
  s.emit({ type: 'status', status: 'paused' });
  await s.control!.waitWhilePaused();
  if (s.control!.cancelled) return performance.now() - t0; // the caller saves and stops
  await s.run.writeStatus({ status: 'running', phase });
  s.emit({ type: 'status', status: 'running' });
  return performance.now() - t0;
}

type CkState = Pick<Checkpoint, 'epoch' | 'step' | 'rngState'> & { extra: Record<string, unknown> };

async function saveCheckpoint(s: PhaseSpec, sgd: Sgd, which: 'latest' | 'best', st: CkState): Promise<void> {
  const weights = snapshotWeights(s.net.model);
  const optimizer = await sgd.getState();
  try {
    await s.run.saveCheckpoint(which, {
      phase: s.phase, epoch: st.epoch, step: st.step, rngState: st.rngState, weights, optimizer,
      ...((st.extra.best as EpochResultShort | undefined) ? { bestMetric: (st.extra.best as EpochResultShort).top1 } : {}),
      extra: { ...s.extra, ...st.extra },
    });
  } finally {
    tf.dispose([...Object.values(weights), ...optimizer.map((o) => o.tensor)]);
  }
}

async function saveLatest(s: PhaseSpec, sgd: Sgd, st: CkState): Promise<void> {
  await saveCheckpoint(s, sgd, 'latest', st);
  await s.run.writeStatus({ phase: s.phase, epoch: st.epoch, step: st.step });
}

/** After a crash between the checkpoint and the epoch's metric line, write the line from the checkpoint. */
async function restoreMissingEpochLine(run: RunHandle, phase: Phase, line: Omit<EpochEvent, 'type'> | undefined): Promise<void> {
  if (!line) return;
  const metrics = await run.readMetrics();
  const present = metrics.some((m) => m.kind === 'epoch' && m.phase === phase && m.epoch === line.epoch);
  if (!present) await run.appendMetric({ kind: 'epoch', ...line });
}
