// The TensorFlow.js packages the engine uses, as one namespace (re-exported as `tf` by ./tf.ts): what the
// umbrella @tensorflow/tfjs gave minus webgl (browser only), converter (graph models) and data (tf.data),
// none of which the engine uses. The wasm and webgpu backends are imported where they are chosen (backend/).
//
// Gradients: @tensorflow/tfjs-core's Node bundle registers none (dist/tf-core.node.js has no
// registerGradient call); @tensorflow/tfjs-layers registers all of core's (dist/index.js:13 imports
// '@tensorflow/tfjs-core/dist/register_all_gradients', inlined in dist/tf-layers.node.js at the
// `gradConfigs` list and loop, lines 18699–18809 in 4.22.0), as the umbrella did (tfjs/dist/index.js:19).
// Chained ops (`x.add(y)`), which the umbrella registered too and tfjs-core's Node bundle does not: ./chainedOps.ts.
import './chainedOps.js';
export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
// Registers the 'cpu' backend (plain JavaScript): the fallback, and the reference the wasm kernels are checked against.
export * from '@tensorflow/tfjs-backend-cpu';
