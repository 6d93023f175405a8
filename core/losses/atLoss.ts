// Activation-based attention transfer (paper §3.1), and the one place that says how β enters the total loss.
// The authors' code (szagoruyko/attention-transfer, utils.py:18–23 and cifar.py:223), NCHW:
//   def at(x):         return F.normalize(x.pow(2).mean(1).view(x.size(0), -1))
//   def at_loss(x, y): return (at(x) - at(y)).pow(2).mean()
//   loss = distillation-or-CE + opt.beta * sum(loss_groups)            # β = 1e+3 (its README.md:68)
// Here at(x) is attentionMap(x) (F_sum^2: its channel mean is the same map once normalized), atLoss is at_loss
// and atTerm is β · Σ. Two forms of L_j, with β_j = the pair's β or else β:
//   'code'  (default): total = task loss + Σ_j β_j · L_j, L_j = mean over batch and H·W of (Q_S − Q_T)², the
//                      reference exactly; no commit of that repository ever divides β by 2.
//   'paper':           total = task loss + Σ_j β_j/2 · L_j, L_j = mean_b ‖Q_S,b − Q_T,b‖₂ / (H·W) — eq. 2 with
//                      its unsquared norm and β "divided by the number of elements in the attention map and
//                      batch size for each layer", so the paper's β = 1000 is the β to pass here too.
// Config version 1 used β/2 for the code form; core/config/migrate.ts halves such a β (same loss bit for bit).
// What β means in practice (the term's size, figures): README, "The method, as implemented".
import { tf } from '../tf.js';
import type { AttentionFn } from '../attention/attentionFn.js';
import { attentionMap } from '../attention/attentionMap.js';
import { stopGradient } from './stableOps.js';

export type AtForm = 'code' | 'paper';

/** sqrt(max(s, 1e-24)) per row: the norm with a finite gradient when two maps are identical. */
function rowNorm(d: tf.Tensor2D): tf.Tensor1D {
  return tf.sqrt(tf.maximum(tf.sum(tf.square(d), 1), 1e-24)) as tf.Tensor1D;
}

function checkForm(form: AtForm): AtForm {
  if (form !== 'code' && form !== 'paper') throw new Error(`AT form must be 'code' or 'paper', got ${JSON.stringify(form)}`);
  return form;
}

/** The H×W both maps are compared at: the smaller one's (an error when neither is smaller in both dimensions). */
function comparedSize(student: tf.Tensor4D, teacher: tf.Tensor4D): [number, number] {
  if (student.rank !== 4 || teacher.rank !== 4) throw new Error('atLoss needs 4-D NHWC activations');
  if (student.shape[0] !== teacher.shape[0]) {
    throw new Error(`student batch ${student.shape[0]} ≠ teacher batch ${teacher.shape[0]}`);
  }
  const [, sh, sw] = student.shape;
  const [, th, tw] = teacher.shape;
  if (sh <= th && sw <= tw) return [sh, sw];
  if (sh >= th && sw >= tw) return [th, tw];
  throw new Error(`cannot resize attention maps ${sh}×${sw} (student) and ${th}×${tw} (teacher) to one size: ` +
    'one must be at least as large as the other in both dimensions');
}

/**
 * AT loss for one hint pair (see the convention above). The teacher's activations are constants (no gradient).
 * When resolutions differ, attentionMap area-averages the larger raw map F(A) to the smaller H×W before normalizing.
 */
export function atLoss(student: tf.Tensor4D, teacher: tf.Tensor4D, fn?: AttentionFn, opts?: { form?: AtForm }): tf.Scalar {
  const form = checkForm(opts?.form ?? 'code');
  const size = comparedSize(student, teacher);
  return tf.tidy(() => {
    const d = tf.sub(attentionMap(student, fn, size), attentionMap(stopGradient(teacher), fn, size)) as tf.Tensor2D; // at(x) - at(y)
    if (form === 'code') return tf.mean(tf.square(d)) as tf.Scalar; // .pow(2).mean()
    return tf.div(tf.mean(rowNorm(d)), size[0] * size[1]) as tf.Scalar;
  });
}

/**
 * The AT part of the total loss: Σ_j β_j·L_j in the `code` form (the authors' code), Σ_j β_j/2·L_j in the
 * `paper` form (eq. 2). Pass one β for all pairs, or per-pair values: `pairs.map((p) => p.beta ?? beta)`.
 * `form` names which L_j were computed (see the convention at the top of this file).
 */
export function atTerm(pairLosses: tf.Scalar[], beta: number | number[], form: AtForm = 'code'): tf.Scalar {
  checkForm(form);
  const betas = Array.isArray(beta) ? beta : pairLosses.map(() => beta);
  if (betas.length !== pairLosses.length) throw new Error(`${pairLosses.length} pair losses but ${betas.length} β values`);
  for (const b of betas) {
    if (!(Number.isFinite(b) && b >= 0)) throw new Error(`β must be a finite number ≥ 0, got ${b}`);
  }
  return tf.tidy(() => {
    let total: tf.Scalar = tf.scalar(0);
    const weight = form === 'code' ? 1 : 0.5;
    pairLosses.forEach((l, j) => { total = tf.add(total, tf.mul(l, betas[j] * weight)); });
    return total;
  });
}
