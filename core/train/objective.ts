// The loss each method minimizes, built inside the gradient scope from one student forward pass (training
// mode) and the teacher's outputs, which were computed beforehand without gradients (inference mode).
//   baseline (and the teacher phase): CE
//   at:      CE + atTerm(at_loss per hint pair)            (Σ_j β_j · L_j, the authors' code; paper form Σ_j β_j/2 · L_j; core/losses/atLoss.ts)
//   kd:      kdLoss (α·T²·KL + (1−α)·CE)
//   at+kd:   kdLoss + atTerm
//   grad-at: gradAtLoss (CE + β/2·‖J_S − J_T‖₂ [+ flip term]); it runs the networks itself (double backprop)
// Besides the total, the unweighted parts are returned (kept alive; the caller disposes them) so the step
// can report them and name the one that went non-finite.
import { tf } from '../tf.js';
import { atLoss, atTerm, crossEntropy, gradAtLoss, kdLoss } from '../losses/index.js';
import type { ResolvedHintPair } from '../attention/index.js';
import type { Method, RunConfig } from '../config/index.js';

export interface StepInputs {
  x: tf.Tensor4D;
  y: tf.Tensor1D;
  /** The teacher's [logits, ...taps in pair order], inference mode, no gradient. */
  teacherOut?: tf.Tensor[] | undefined;
  /** Multiplier of β this step (linear β decay); 1 without decay. */
  betaScale: number;
}

export interface ObjectiveParts {
  ce: tf.Scalar;
  atPerPair?: tf.Scalar[];
  kd?: tf.Scalar;
  /** grad-at: the total, from which the term is recovered as (total − ce)·2/β. */
  gradAtTotal?: tf.Scalar;
  logits: tf.Tensor2D;
}

export interface Objective {
  method: Method;
  /** Called inside tf.variableGrads: returns the scalar to minimize; `keep` receives the parts. */
  loss(inputs: StepInputs, keep: (parts: ObjectiveParts) => void): tf.Scalar;
}

export interface ObjectiveSetup {
  method: Method;
  config: RunConfig;
  /** Student with outputs [logits, ...student taps of the pairs, in pair order]. */
  student: tf.LayersModel;
  /** Teacher logits-only function for grad-at (inference mode). */
  teacherLogits?: (x: tf.Tensor4D) => tf.Tensor2D;
  pairs: ResolvedHintPair[];
}

/** β of each pair: its own when set, else the run's, times the decay multiplier. */
export function pairBetas(pairs: ResolvedHintPair[], beta: number, scale: number): number[] {
  return pairs.map((p) => (p.beta ?? beta) * scale);
}

export function makeObjective(s: ObjectiveSetup): Objective {
  const { method, config } = s;
  const usesAt = method === 'at' || method === 'at+kd';
  const usesKd = method === 'kd' || method === 'at+kd';
  const fn = config.attention.fn;
  const form = config.attention.form;

  const forward = (x: tf.Tensor4D): tf.Tensor[] => {
    const out = s.student.apply(x, { training: true }) as tf.Tensor | tf.Tensor[];
    return Array.isArray(out) ? out : [out];
  };

  if (method === 'grad-at') {
    if (!s.teacherLogits) throw new Error('grad-at needs a teacher');
    const teacherLogits = s.teacherLogits;
    return {
      method,
      loss({ x, y, betaScale }, keep) {
        let first: tf.Tensor2D | undefined;
        const student = (xx: tf.Tensor4D) => {
          const logits = forward(xx)[0] as tf.Tensor2D;
          // The first call is on the unflipped batch: keep its logits for the CE part and train accuracy.
          if (!first) first = tf.keep(logits.clone());
          return logits;
        };
        const total = gradAtLoss({ student, teacher: teacherLogits, x, labels: y, beta: config.gradAt.beta * betaScale, flip: config.gradAt.flip });
        const logits = first as tf.Tensor2D;
        keep({ ce: tf.keep(crossEntropy(logits, y)), gradAtTotal: tf.keep(total.clone()), logits });
        return total;
      },
    };
  }

  return {
    method,
    loss({ x, y, teacherOut, betaScale }, keep) {
      const [logits2, ...taps] = forward(x);
      const logits = logits2 as tf.Tensor2D;
      const ce = crossEntropy(logits, y);
      let total: tf.Scalar = ce;
      let atPerPair: tf.Scalar[] | undefined;
      let kd: tf.Scalar | undefined;
      if (usesKd) {
        if (!teacherOut) throw new Error(`${method} needs the teacher's outputs`);
        kd = kdLoss(logits, teacherOut[0] as tf.Tensor2D, y, config.kd.temperature, config.kd.alpha);
        total = kd;
      }
      if (usesAt) {
        if (!teacherOut) throw new Error(`${method} needs the teacher's outputs`);
        const per = s.pairs.map((_, j) => atLoss(taps[j] as tf.Tensor4D, teacherOut[j + 1] as tf.Tensor4D, fn, { form }));
        atPerPair = per;
        total = tf.add(total, atTerm(per, pairBetas(s.pairs, config.attention.beta, betaScale), form));
      }
      keep({
        ce: tf.keep(ce),
        logits: tf.keep(logits),
        ...(atPerPair ? { atPerPair: atPerPair.map((t) => tf.keep(t)) } : {}),
        ...(kd ? { kd: tf.keep(kd) } : {}),
      });
      return total;
    },
  };
}
