// Test-set evaluation of a classifier: loss, top-1, top-5 (when there are more than 10 classes),
// per-class accuracy, the confusion matrix, and agreement with a teacher. Models run in inference mode
// (batch-norm running statistics); predictions are computed batch by batch and nothing is kept. Reads are
// asynchronous (webgpu in Node has no sync read), and the next batch is dispatched before the previous
// one is read, so a GPU is not left idle while JavaScript waits and tallies.
import { tf } from '../tf.js';
import { guardWebGpu } from '../backend/webgpu.js';
import { makeBatch, type Normalization, type Split } from '../data/index.js';

export interface EvalOptions {
  batchSize?: number;
  numClasses: number;
  /** When given, the fraction of images on which model and teacher predict the same class. */
  teacher?: tf.LayersModel;
}

export interface EvalResult {
  count: number;
  loss: number;
  top1: number;
  top5?: number;
  perClass: number[];
  confusion: number[][]; // [true][predicted]
  agreement?: number;
}

/** First output of a model (the logits), whatever else it returns. */
export function logitsOf(model: tf.LayersModel, x: tf.Tensor4D): tf.Tensor2D {
  const out = model.apply(x, { training: false }) as tf.Tensor | tf.Tensor[];
  if (!Array.isArray(out)) return out as tf.Tensor2D;
  tf.dispose(out.slice(1));
  return out[0] as tf.Tensor2D;
}

export async function evaluate(model: tf.LayersModel, split: Split, normalization: Normalization, opts: EvalOptions): Promise<EvalResult> {
  const k = opts.numClasses;
  const batchSize = opts.batchSize ?? 128;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const withTop5 = k > 10;
  const width = 2 + (withTop5 ? 1 : 0) + (opts.teacher ? 1 : 0);
  let lossSum = 0;
  let top5Hits = 0;
  let agree = 0;
  // One packed tensor per batch: [per-example loss, prediction, top-5 hit, teacher prediction].
  const dispatch = (start: number): tf.Tensor2D => {
    const n = Math.min(batchSize, split.count - start);
    const indices = Int32Array.from({ length: n }, (_, i) => start + i);
    const { x, y } = makeBatch(split, indices, normalization);
    try {
      return tf.tidy(() => {
        const logits = logitsOf(model, x);
        const logp = tf.logSoftmax(logits);
        const nll = tf.neg(tf.sum(tf.mul(logp, tf.oneHot(y, k)), 1));
        const pred = tf.cast(tf.argMax(logits, 1), 'float32');
        const cols: tf.Tensor[] = [nll, pred];
        if (withTop5) {
          const { indices: top } = tf.topk(logits, 5);
          cols.push(tf.cast(tf.any(tf.equal(top, tf.expandDims(y, 1)), 1), 'float32'));
        }
        if (opts.teacher) cols.push(tf.cast(tf.argMax(logitsOf(opts.teacher, x), 1), 'float32'));
        return tf.stack(cols, 1) as tf.Tensor2D;
      });
    } finally {
      tf.dispose([x, y]);
    }
  };
  let next: tf.Tensor2D | null = split.count > 0 ? dispatch(0) : null;
  for (let start = 0; next; start += batchSize) {
    const packed: tf.Tensor2D = next;
    const n = packed.shape[0];
    next = null;
    let v: Float32Array;
    try {
      if (start + batchSize < split.count) next = dispatch(start + batchSize);
      v = (await guardWebGpu(packed.data())) as Float32Array;
    } catch (err) {
      tf.dispose(next ?? []);
      throw err;
    } finally {
      packed.dispose();
    }
    for (let i = 0; i < n; i++) {
      const row = i * width;
      lossSum += v[row];
      const pred = v[row + 1];
      confusion[split.labels[start + i]][pred]++;
      if (withTop5) top5Hits += v[row + 2];
      if (opts.teacher && v[row + width - 1] === pred) agree++;
    }
  }
  const count = split.count;
  let correct = 0;
  const perClass = confusion.map((row, c) => {
    const total = row.reduce((a, b) => a + b, 0);
    correct += row[c];
    return total > 0 ? row[c] / total : 0;
  });
  return {
    count,
    loss: count > 0 ? lossSum / count : NaN,
    top1: count > 0 ? correct / count : 0,
    ...(withTop5 ? { top5: count > 0 ? top5Hits / count : 0 } : {}),
    perClass,
    confusion,
    ...(opts.teacher ? { agreement: count > 0 ? agree / count : 0 } : {}),
  };
}
