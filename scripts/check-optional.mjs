// After `npm ci`: say which optional native TF.js packages are present. On an offline machine they are
// absent (their install scripts could not download libtensorflow) and the install still succeeded.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// onnxruntime-node (ONNX teachers cross-checked, ONNX exports verified in tests) is optional too: its install
// script would fetch CUDA providers from NuGet; .npmrc's onnxruntime-node-install=skip keeps its CPU build.
for (const name of ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'onnxruntime-node']) {
  let state;
  try {
    require.resolve(`${name}/package.json`);
    state = 'installed';
  } catch {
    state = `absent (optional; install skipped without ${name === 'onnxruntime-node' ? 'its native files' : 'libtensorflow'})`;
  }
  console.log(`${name}: ${state}`);
}
for (const name of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', 'onnx-proto', 'fflate']) {
  require.resolve(`${name}/package.json`); // throws, failing CI, if a required package is missing
  console.log(`${name}: installed`);
}
