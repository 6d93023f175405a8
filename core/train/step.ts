// One optimization step: teacher outputs (inference mode, outside the gradient scope), student loss and
// gradients, a finiteness check of every loss part, then the SGD update. Nothing survives the step
// except the model and optimizer variables; all values come back to JS in one asynchronous read (sync
// reads do not exist on every backend: webgpu in Node has none).
import { tf } from '../tf.js';
import { guardWebGpu } from '../backend/webgpu.js';
import type { LossParts } from '../events/index.js';
import type { Objective, ObjectiveParts } from './objective.js';
import type { Sgd } from './sgd.js';
import { StudioError } from '../errors.js';

export interface StepResult {
  loss: number;
  parts: LossParts;
  correct: number;
  count: number;
}

/** The loss (or one of its parts) is NaN or ±Inf; the update was not applied. */
export class NonFiniteLossError extends StudioError {
  override name = 'NonFiniteLossError';
  constructor(message: string, readonly part: string, readonly value: number) {
    super('run.nonFinite', message);
  }
}

export interface StepContext {
  objective: Objective;
  sgd: Sgd;
  vars: tf.Variable[];
  /** Teacher outputs for a batch (already without gradients), or null when the method needs none. */
  teacherOutputs: ((x: tf.Tensor4D) => tf.Tensor[]) | null;
  /** grad-at: parts.gradAt = (total − ce)·2/β. */
  gradAtBeta?: number;
}

function describePart(part: string, pairNames: string[]): string {
  if (part === 'total') return 'the total loss';
  if (part === 'ce') return 'the cross-entropy term';
  if (part === 'kd') return 'the KD term';
  if (part === 'gradAt') return 'the gradient-AT term';
  const j = Number(part.slice(3));
  return `the AT term of hint pair ${j + 1} (${pairNames[j] ?? '?'})`;
}

export async function trainStep(ctx: StepContext, x: tf.Tensor4D, y: tf.Tensor1D, betaScale: number, pairNames: string[]): Promise<StepResult> {
  const teacherOut = ctx.teacherOutputs ? tf.tidy(() => ctx.teacherOutputs!(x)) : undefined;
  let parts: ObjectiveParts | undefined;
  let value: tf.Scalar | undefined;
  let grads: tf.NamedTensorMap = {};
  let packed: tf.Tensor | undefined;
  try {
    ({ value, grads } = tf.variableGrads(() => ctx.objective.loss({ x, y, teacherOut, betaScale }, (p) => (parts = p)), ctx.vars));
    const p = parts!;
    const names = ['total', 'ce', ...(p.atPerPair ?? []).map((_, j) => `at:${j}`), ...(p.kd ? ['kd'] : [])];
    packed = tf.tidy(() => {
      const correct = tf.sum(tf.cast(tf.equal(tf.argMax(p.logits, 1), y), 'float32'));
      return tf.stack([value!, p.ce, ...(p.atPerPair ?? []), ...(p.kd ? [p.kd] : []), correct]);
    });
    // The one read the step needs: the update waits on it, since a non-finite loss must not be applied.
    // guardWebGpu: a read waiting on a GPU that failed (lost, out of memory) rejects with why, never hangs.
    const v = (await guardWebGpu(packed.data())) as Float32Array;
    // The parts first (the most specific name), the total last.
    for (const i of [...names.keys()].slice(1).concat(0)) {
      if (!Number.isFinite(v[i])) {
        throw new NonFiniteLossError(`${describePart(names[i], pairNames)} is ${v[i]}`, names[i], v[i]);
      }
    }
    ctx.sgd.apply(grads);
    const loss = v[0];
    const out: LossParts = { ce: v[1] };
    if (p.atPerPair) {
      out.atPerPair = Array.from(v.subarray(2, 2 + p.atPerPair.length));
      out.at = out.atPerPair.reduce((a, b) => a + b, 0);
    }
    if (p.kd) out.kd = v[names.length - 1];
    if (ctx.objective.method === 'grad-at' && ctx.gradAtBeta) out.gradAt = ((loss - out.ce) * 2) / (ctx.gradAtBeta * betaScale || 1);
    return { loss, parts: out, correct: v[names.length], count: x.shape[0] };
  } finally {
    const p = parts as ObjectiveParts | undefined;
    tf.dispose([
      ...(teacherOut ?? []),
      ...(value ? [value] : []),
      ...Object.values(grads),
      ...(packed ? [packed] : []),
      ...(p ? [p.ce, p.logits, ...(p.atPerPair ?? []), ...(p.kd ? [p.kd] : []), ...(p.gradAtTotal ? [p.gradAtTotal] : [])] : []),
    ]);
  }
}
