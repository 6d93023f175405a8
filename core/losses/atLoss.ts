// Activation-based attention transfer loss, and the one place that says how β enters the total loss.
//
// THE CONVENTION (single source of truth; the training loop calls atTerm), β_j = the pair's β or else β:
//   'code'  (default): total = task loss + Σ_j β_j · L_j, i.e. β · Σ_j at_loss_j — the authors' code:
//                      `+ opt.beta * sum(loss_groups)` (szagoruyko/attention-transfer cifar.py:223, imagenet.py:270),
//                      β = 1e+3 in its README.md:68; no commit of that repository ever divides β by 2.
//                      L_j = mean over batch and H·W positions of (Q_S − Q_T)² = mean_b ‖Q_S,b − Q_T,b‖₂² / (H·W),
//                      exactly the reference at_loss (utils.py:22-23, `(at(x) - at(y)).pow(2).mean()`).
//   'paper':           total = task loss + Σ_j β_j/2 · L_j — the paper's eq. 2, with its β/2 in front,
//                      L_j = mean_b ‖Q_S,b − Q_T,b‖₂ / (H·W): the paper's norm (p = 2, not squared), with the paper's
//                      scaling of β: "10³ divided by the number of elements in the attention map and batch size for
//                      each layer". A batch sum with β/(H·W·B) equals this batch mean with β/(H·W), so the paper's
//                      β = 1000 is the β to pass here too. Since ‖d‖ ≤ √2 and usually ≪ 1, this L_j is larger than
//                      the code form's (‖d‖ vs ‖d‖²).
// Q = attention map normalized per example (attentionMap). Config version 1 used β/2 for the code form too; such
// configs are migrated with β halved (core/config/migrate.ts), which gives the same loss bit for bit.
//
// Size of the term: maps are non-negative and unit-norm, so ‖Q_S − Q_T‖² = 2(1 − cos) ∈ [0, 2] and the code form
// contributes β · Σ_j 2(1 − cos_j)/(H_j·W_j). With β = 1000 and WRN's CIFAR groups (32², 16², 8²) that is
// 41 · (1 − cos) when all pairs share one cosine, so the term is small only once the student's maps are close to
// the teacher's. (Measured under the former β/2 weighting, Fashion-MNIST, WRN-16-1 ← WRN-16-2, random init,
// batch 32: 3.02 at step 0 (CE 2.33), falling to 0.27 by step 8 (CE 1.36); with β · Σ the term is twice that at step 0.)
import { tf } from '../tf.js';
import { type AttentionFn, rawAttention } from '../attention/attentionFn.js';
import { normalizeMap } from '../attention/attentionMap.js';
import { resizeMapArea } from '../attention/resizeMap.js';
import { stopGradient } from './stableOps.js';

export type AtForm = 'code' | 'paper';

/** sqrt(max(s, 1e-24)) per row: the norm with a finite gradient when two maps are identical. */
function rowNorm(d: tf.Tensor2D): tf.Tensor1D {
  return tf.sqrt(tf.maximum(tf.sum(tf.square(d), 1), 1e-24)) as tf.Tensor1D;
}

/**
 * AT loss for one hint pair (see the convention above). The teacher's activations are constants (no gradient).
 * When resolutions differ, the larger raw map F(A) is area-averaged (resizeMapArea) to the smaller H×W, then both
 * are normalized; a map that is larger in one dimension but smaller in the other is an error.
 */
export function atLoss(student: tf.Tensor4D, teacher: tf.Tensor4D, fn?: AttentionFn, opts?: { form?: AtForm }): tf.Scalar {
  const form = opts?.form ?? 'code';
  if (form !== 'code' && form !== 'paper') throw new Error(`AT form must be 'code' or 'paper', got ${JSON.stringify(form)}`);
  if (student.rank !== 4 || teacher.rank !== 4) throw new Error('atLoss needs 4-D NHWC activations');
  if (student.shape[0] !== teacher.shape[0]) {
    throw new Error(`student batch ${student.shape[0]} ≠ teacher batch ${teacher.shape[0]}`);
  }
  const [, sh, sw] = student.shape;
  const [, th, tw] = teacher.shape;
  const smaller = sh <= th && sw <= tw;
  const larger = sh >= th && sw >= tw;
  if (!smaller && !larger) {
    throw new Error(`cannot resize attention maps ${sh}×${sw} (student) and ${th}×${tw} (teacher) to one size: ` +
      'one must be at least as large as the other in both dimensions');
  }
  const [h, w] = smaller ? [sh, sw] : [th, tw];
  return tf.tidy(() => {
    const qs = normalizeMap(resizeMapArea(rawAttention(student, fn), h, w));
    const qt = normalizeMap(resizeMapArea(rawAttention(stopGradient(teacher), fn), h, w));
    const d = tf.sub(qs, qt) as tf.Tensor2D;
    if (form === 'code') return tf.mean(tf.square(d)) as tf.Scalar;
    return tf.div(tf.mean(rowNorm(d)), h * w) as tf.Scalar;
  });
}

/**
 * The AT part of the total loss: Σ_j β_j·L_j in the `code` form (the authors' code), Σ_j β_j/2·L_j in the
 * `paper` form (eq. 2). Pass one β for all pairs, or per-pair values: `pairs.map((p) => p.beta ?? beta)`.
 * `form` names which L_j were computed (see the convention at the top of this file).
 */
export function atTerm(pairLosses: tf.Scalar[], beta: number | number[], form: AtForm = 'code'): tf.Scalar {
  if (form !== 'code' && form !== 'paper') throw new Error(`AT form must be 'code' or 'paper', got ${JSON.stringify(form)}`);
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
