// The paper's spatial attention mapping functions F: (batch, H, W, C) → (batch, H, W), before normalization.
// NHWC here; the reference code is NCHW, so its channel axis 1 is our axis 3.
import { tf } from '../tf.js';
import { MIN_ATTENTION_P } from '../config/types.js';

export type AttentionFn = { kind: 'sum' | 'sum-p' | 'max-p'; p?: number | undefined }; // p defaults to 2

/** The reference code's `at(x)`: F_sum^2 (it uses a channel mean, identical after normalization). */
export const DEFAULT_ATTENTION_FN: AttentionFn = { kind: 'sum-p', p: 2 };

export function resolveAttentionFn(fn: AttentionFn = DEFAULT_ATTENTION_FN): { kind: AttentionFn['kind']; p: number } {
  const kinds = ['sum', 'sum-p', 'max-p'];
  if (!kinds.includes(fn.kind)) {
    throw new Error(`attention function kind must be one of ${kinds.join(', ')}, got ${JSON.stringify(fn.kind)}`);
  }
  const p = fn.p ?? 2;
  // p < 1 would make |A|^p non-differentiable (infinite slope) at zero activations, which ReLU nets have plenty of.
  // The config schema and the wizard check the same MIN_ATTENTION_P, so a config that passes them never gets here.
  if (!Number.isFinite(p) || p < MIN_ATTENTION_P) throw new Error(`attention exponent p must be a finite number ≥ ${MIN_ATTENTION_P}, got ${p}`);
  return { kind: fn.kind, p };
}

/** |A|^p with derivatives that stay finite at 0 (square for p = 2, the common case). */
function absPow(x: tf.Tensor4D, p: number): tf.Tensor4D {
  if (p === 1) return tf.abs(x);
  if (p === 2) return tf.square(x);
  return tf.pow(tf.abs(x), p);
}

/** F(A) as a [batch, H, W] map, not yet normalized. */
export function rawAttention(x: tf.Tensor4D, fn?: AttentionFn): tf.Tensor3D {
  if (x.rank !== 4) throw new Error(`attention needs a 4-D NHWC activation, got shape [${x.shape.join(', ')}]`);
  const { kind, p } = resolveAttentionFn(fn);
  return tf.tidy(() => {
    switch (kind) {
      case 'sum': return tf.sum(tf.abs(x), 3) as tf.Tensor3D;            // F_sum = Σ_c |A_c| (p unused)
      case 'sum-p': return tf.sum(absPow(x, p), 3) as tf.Tensor3D;       // F_sum^p = Σ_c |A_c|^p
      case 'max-p': return tf.max(absPow(x, p), 3) as tf.Tensor3D;       // F_max^p = max_c |A_c|^p
    }
  });
}
