// Inference latency on the current backend: ms per image at batch 1 (one picture at a time, as an app
// would classify) and at batch 64 (throughput). Warm-up runs first so kernel setup is not timed.
import { tf } from '../tf.js';
import { logitsOf } from './evaluate.js';

export interface Latency {
  backend: string;
  batch1MsPerImage: number;
  batch64MsPerImage: number;
}

async function timePerImage(model: tf.LayersModel, inputShape: [number, number, number], batch: number, minMs: number, maxRuns: number): Promise<number> {
  const x = tf.zeros([batch, ...inputShape]) as tf.Tensor4D;
  const once = async () => {
    const y = logitsOf(model, x);
    try {
      await y.data(); // wait for the result, not just the dispatch
    } finally {
      y.dispose();
    }
  };
  await once(); // warm-up
  const times: number[] = [];
  const t0 = performance.now();
  while (times.length < maxRuns && (times.length < 3 || performance.now() - t0 < minMs)) {
    const t = performance.now();
    await once();
    times.push(performance.now() - t);
  }
  x.dispose();
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] / batch; // median: robust to a busy machine
}

export async function measureLatency(model: tf.LayersModel, inputShape: [number, number, number], opts: { minMs?: number; maxRuns?: number } = {}): Promise<Latency> {
  const minMs = opts.minMs ?? 200;
  const maxRuns = opts.maxRuns ?? 20;
  return {
    backend: tf.getBackend(),
    batch1MsPerImage: await timePerImage(model, inputShape, 1, minMs, maxRuns),
    batch64MsPerImage: await timePerImage(model, inputShape, 64, minMs, Math.max(3, Math.floor(maxRuns / 4))),
  };
}
