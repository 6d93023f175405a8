// Every gradient the engine replaces in TF.js, registered in this one place. TF.js keeps gradients in
// one global registry (all backends), so this runs before any training: selectBackend calls it, and so
// does the tests' backend helper. Idempotent.
import { registerPoolGradients } from './poolGradients.js';
import { registerReduceGradients } from './reduceGradients.js';
import { registerTileGradient } from './wasmKernels/tileGrad.js';

export function registerEngineGradients(): void {
  // Double backprop (gradient-based AT) through batch norm needs a batched Tile gradient on every backend.
  registerTileGradient();
  // Pooling gradients TF.js gets wrong ('same' average pooling) or cannot differentiate again.
  registerPoolGradients();
  // Sum and Mean gradients that broadcast on the device instead of uploading a tensor of ones (webgpu).
  registerReduceGradients();
}
