// onnxruntime-node is an optionalDependency (its install can be dropped offline): tests that need it load
// it here, say why they skip when it is absent, and fail under CI=true, where it must be installed.
import { it } from 'vitest';

export type Ort = typeof import('onnxruntime-node');

let cached: Ort | null | undefined;

export async function loadOrt(): Promise<Ort | null> {
  if (cached !== undefined) return cached;
  try {
    cached = (await import('onnxruntime-node')) as Ort;
  } catch (err) {
    if (process.env.CI) throw new Error(`onnxruntime-node is required under CI=true: ${(err as Error).message}`);
    console.warn(`skipping onnxruntime checks: onnxruntime-node is not installed (${(err as Error).message})`);
    cached = null;
  }
  return cached;
}

/** `it` that runs with onnxruntime, or is skipped with the reason printed. */
export function itWithOrt(name: string, fn: (ort: Ort) => Promise<void>, timeout?: number): void {
  it(name, async (ctx) => {
    const ort = await loadOrt();
    if (!ort) { ctx.skip(); return; }
    await fn(ort);
  }, timeout);
}

/** Runs an ONNX model (bytes) on NCHW float input; returns the named outputs' data and dims. */
export async function runOnnx(ort: Ort, bytes: Uint8Array, input: { name?: string; data: Float32Array; dims: number[] }, outputs?: string[]) {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const feeds = { [input.name ?? session.inputNames[0]]: new ort.Tensor('float32', input.data, input.dims) };
    const res = await session.run(feeds, outputs ?? session.outputNames);
    return Object.fromEntries(Object.entries(res).map(([k, v]) => [k, { data: v.data as Float32Array, dims: [...v.dims] }]));
  } finally {
    await session.release();
  }
}
