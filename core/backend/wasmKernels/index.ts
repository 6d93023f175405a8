// Training kernels for the wasm backend: the gradient kernels it lacks, plus faster replacements for
// stock kernels that dominated a training step (Conv2DBackpropInput, batch-norm and its gradient's
// per-channel ops and reductions, Tile, Slice, Identity/Cast). Composed from wasm (XNNPACK) kernels
// or block copies in the wasm heap; each is checked against cpu in test/backend/wasmKernels*.test.ts.
// The wasm package registers its own kernels when first imported; importing it here first makes
// sure that registration can never come after (and silently override) ours.
import '@tensorflow/tfjs-backend-wasm';
import { tf } from '../../tf.js';
import { conv2DBackpropFilterConfig } from './conv2DBackpropFilter.js';
import { conv2DBackpropInputConfig } from './conv2DBackpropInput.js';
import {
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
} from './depthwiseBackprop.js';
import { setStockTile, tileConfig } from './tile.js';
import { channelOpConfigs, setStockKernel } from './channelOps.js';
import { castConfig, identityConfig, setStockIdentity } from './identity.js';
import { setStockSlice, sliceConfig } from './slice.js';
import { registerTileGradient } from './tileGrad.js';
import { batchNormTrainingConfigs, registerBatchNormTraining } from './batchNormTraining.js';

export { conv2DBackpropFilter } from './conv2DBackpropFilter.js';
export { registerTileGradient, tileGradient } from './tileGrad.js';
export { registerBatchNormTraining } from './batchNormTraining.js';
export { conv2DBackpropInput } from './conv2DBackpropInput.js';
export { depthwiseConv2dNativeBackpropFilter, depthwiseConv2dNativeBackpropInput } from './depthwiseBackprop.js';

/** Kernels that wasm does not have at all (and our own fused training batch norm and its gradient). */
const MISSING: tf.KernelConfig[] = [
  ...batchNormTrainingConfigs,
  conv2DBackpropFilterConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
];
/** Kernels that wasm has but that we replace for speed (each tested against cpu). */
const FASTER: tf.KernelConfig[] = [conv2DBackpropInputConfig, tileConfig, sliceConfig, identityConfig, castConfig,
  ...channelOpConfigs];

/** The stock wasm kernels we replaced, by name (for benchmarks and comparisons). */
export const stockWasmKernels = new Map<string, tf.KernelConfig>();

export interface WasmTrainingKernelOptions {
  /** Replace stock wasm kernels with the faster ones (default true); false puts the stock ones back. */
  faster?: boolean;
}

function install(config: tf.KernelConfig): void {
  const current = tf.getKernel(config.kernelName, 'wasm');
  if (current?.kernelFunc === config.kernelFunc) return;
  if (current != null) {
    if (!stockWasmKernels.has(config.kernelName)) stockWasmKernels.set(config.kernelName, current);
    tf.unregisterKernel(config.kernelName, 'wasm');
  }
  // The backend runs setupFunc (binding the C++ entry point) only for kernels registered when it
  // initializes; carrying the stock kernel's setup keeps the stock kernel usable as a fallback.
  const stock = stockWasmKernels.get(config.kernelName);
  tf.registerKernel(stock?.setupFunc != null ? { ...config, setupFunc: stock.setupFunc } : config);
}

function restoreStock(kernelName: string): void {
  const stock = stockWasmKernels.get(kernelName);
  const current = tf.getKernel(kernelName, 'wasm');
  if (stock == null || current?.kernelFunc === stock.kernelFunc) return;
  if (current != null) tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel(stock);
}

/** Registers the training kernels for 'wasm'. Idempotent; may be called before or after setBackend. */
export function registerWasmTrainingKernels(options: WasmTrainingKernelOptions = {}): void {
  registerTileGradient(); // a gradient (all backends), not a kernel: double backprop through batch norm
  for (const config of MISSING) install(config);
  // Training-mode tf.layers.batchNormalization through the fused op on wasm (false: TF.js's own ops).
  registerBatchNormTraining(options.faster !== false);
  for (const config of FASTER) {
    if (options.faster === false) restoreStock(config.kernelName);
    else install(config);
  }
  setStockTile(stockWasmKernels.get('Tile'));
  setStockIdentity(stockWasmKernels.get('Identity'), stockWasmKernels.get('Cast'));
  setStockSlice(stockWasmKernels.get('Slice'));
  for (const config of channelOpConfigs) setStockKernel(config.kernelName, stockWasmKernels.get(config.kernelName));
}
