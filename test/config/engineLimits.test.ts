// The schema holds the engine's real limits: for every limit that the engine itself checks, the engine
// throws for exactly the values that core/config/limits.ts (the table the schema and the wizard use)
// refuses. Property-style, over values on and around each bound.
import { describe, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import { breaksLimit, LIMITS, type LimitKey, type NumberLimit } from '../../core/config/limits.js';
import { resolveAttentionFn } from '../../core/attention/attentionFn.js';
import { pairHints } from '../../core/attention/hintPairs.js';
import { kdLoss } from '../../core/losses/kdLoss.js';
import { atTerm } from '../../core/losses/atLoss.js';
import { batches } from '../../core/data/batches.js';

function values(l: NumberLimit): number[] {
  const out = [-1e9, -1, 0, 1e-9, 0.5, 1, 1.5, 2, 8, 9, 1e9, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (const b of [l.min, l.max]) if (b !== undefined) out.push(b - 1, b - 1e-9, b, b + 1e-9, b + 1);
  return out;
}

const throws = (fn: () => void) => {
  try {
    fn();
    return false;
  } catch {
    return true;
  }
};

const taps = [{ name: 'group0', shape: [8, 8, 16] as [number, number, number] }];
const ENGINE: Partial<Record<LimitKey, (v: number) => void>> = {
  'attention.fn.p': (v) => resolveAttentionFn({ kind: 'sum-p', p: v }),
  'attention.beta': (v) => tf.tidy(() => void atTerm([tf.scalar(1)], v)),
  'attention.pairs.beta': (v) => pairHints(taps, taps, [{ student: 'group0', teacher: 'group0', beta: v }]),
  'kd.temperature': (v) => tf.tidy(() => void kdLoss(tf.zeros([2, 3]) as tf.Tensor2D, tf.zeros([2, 3]) as tf.Tensor2D, tf.tensor1d([0, 1], 'int32'), v, 0.9)),
  'kd.alpha': (v) => tf.tidy(() => void kdLoss(tf.zeros([2, 3]) as tf.Tensor2D, tf.zeros([2, 3]) as tf.Tensor2D, tf.tensor1d([0, 1], 'int32'), 4, v)),
  // Only the batch size check matters here: any later failure of the empty stand-in split is not one.
  'training.batchSize': (v) => {
    try {
      void batches({ count: 0 } as never, { batchSize: v } as never).next();
    } catch (err) {
      if (/^batchSize /.test((err as Error).message)) throw err;
    }
  },
};

describe('the engine\'s own checks agree with core/config/limits.ts', () => {
  for (const [key, engine] of Object.entries(ENGINE) as [LimitKey, (v: number) => void][]) {
    it(key, () => {
      const before = tf.memory().numTensors;
      for (const v of values(LIMITS[key])) {
        expect([v, throws(() => engine(v))], `${key} = ${v}`).toEqual([v, breaksLimit(v, LIMITS[key]) !== null]);
      }
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
