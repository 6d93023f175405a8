// Helpers for checking wasm kernels against the cpu backend on the same random inputs.
import { tf } from '../../core/tf.js';
import { Rng } from '../../core/util/rng.js';

/**
 * The error measure of these tests: max_i |a_i − b_i| / max(max_i |b_i|, 1e-6), b the cpu result.
 * Scaled by the largest reference value rather than per element, because sums of random products
 * can cancel to near zero, where float32 (wasm) and float64 (cpu accumulators) legitimately differ
 * in relative terms.
 */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) return Infinity;
    maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
    maxRef = Math.max(maxRef, Math.abs(b[i]));
  }
  return maxDiff / Math.max(maxRef, 1e-6);
}

export function randomArray(rng: Rng, shape: number[]): Float32Array {
  const size = shape.reduce((p, v) => p * v, 1);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.next() * 2 - 1;
  return out;
}

/** Runs `compute` on the named backend and returns its values and shape. */
export async function computeOn(
  backend: 'cpu' | 'wasm', compute: () => tf.Tensor | tf.Tensor[],
): Promise<{ values: Float32Array[]; shapes: number[][] }> {
  await tf.setBackend(backend);
  const result = tf.tidy(compute);
  const list = Array.isArray(result) ? result : [result];
  const values = list.map((t) => t.dataSync() as Float32Array);
  const shapes = list.map((t) => t.shape);
  tf.dispose(list);
  return { values, shapes };
}

/** Same computation on cpu and on wasm; returns the per-output errors and checks shapes agree. */
export async function compareBackends(compute: () => tf.Tensor | tf.Tensor[]): Promise<number[]> {
  const cpu = await computeOn('cpu', compute);
  const wasm = await computeOn('wasm', compute);
  return cpu.values.map((ref, k) => {
    if (wasm.shapes[k].join() !== cpu.shapes[k].join()) {
      throw new Error(`shape ${wasm.shapes[k]} on wasm vs ${cpu.shapes[k]} on cpu`);
    }
    return maxRelError(wasm.values[k], ref);
  });
}

/** One line per case, printed once at the end, so the measured errors end up in the test log. */
export class ErrorTable {
  private readonly rows: string[] = [];
  add(label: string, errors: number[]): void {
    this.rows.push(`${label.padEnd(70)} ${errors.map((e) => e.toExponential(2)).join(' ')}`);
  }
  print(title: string): void {
    console.log(`${title}\n${this.rows.join('\n')}`);
  }
}
