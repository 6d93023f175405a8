// Typed kernels and gradients. TF.js declares each kernel's inputs and attributes (TileInputs, TileAttrs,
// … in @tensorflow/tfjs-core's kernel_names.d.ts) but registers, runs and differentiates kernels through
// untyped maps (KernelFunc, NamedAttrMap), which its attribute interfaces do not fit (no index
// signature). TF.js's own kernels are written against the typed arguments and cast once where they are
// registered (tfjs-backend-wasm src/kernels/Tile.ts: `kernelFunc: tile as unknown as KernelFunc`;
// tfjs-core src/gradients/AvgPool_grad.ts: `attrs as unknown as AvgPoolAttrs`). Ours do the same, with
// the casts here and nowhere else.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { tf } from '../tf.js';

/**
 * The tensors of a TF.js `*Inputs` type, each present: those types are picks of an index signature, so
 * every input reads as possibly undefined, while the op that runs the kernel always passes them.
 */
export type Present<I> = { [K in keyof I]-?: NonNullable<I[K]> };

/** A wasm kernel's arguments: the inputs and attributes TF.js declares for it, and the wasm backend. */
export interface WasmKernelArgs<I, A> {
  inputs: Present<I>;
  attrs: A;
  backend: BackendWasm;
}

export type WasmKernelFunc<I, A> = (args: WasmKernelArgs<I, A>) => tf.TensorInfo | tf.TensorInfo[];

/** The registry's view of a typed wasm kernel. */
export function wasmKernelConfig<I, A>(kernelName: string, kernelFunc: WasmKernelFunc<I, A>): tf.KernelConfig {
  return { kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

/** Runs a registered kernel (the stock one a fast path falls back to) with a typed kernel's arguments. */
export function callKernel(config: tf.KernelConfig, args: { inputs: object; attrs: object; backend: BackendWasm }): tf.TensorInfo {
  return config.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
}

/** tf.engine().runKernel with the attributes TF.js declares for the kernel. */
export function runKernel<A>(kernelName: string, inputs: tf.NamedTensorMap, attrs: A): tf.Tensor | tf.Tensor[] {
  return tf.engine().runKernel(kernelName, inputs, attrs as unknown as tf.NamedAttrMap);
}

/** A gradient whose function reads its kernel's attributes as TF.js declares them (the same object, retyped). */
export function gradConfig<A>(config: Omit<tf.GradConfig, 'gradFunc'> & {
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: A) => ReturnType<tf.GradConfig['gradFunc']>;
}): tf.GradConfig {
  return config as unknown as tf.GradConfig;
}
