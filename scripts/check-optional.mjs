// After `npm ci`: say which optional native TF.js packages are present. On an offline machine they are
// absent (their install scripts could not download libtensorflow) and the install still succeeded.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
for (const name of ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']) {
  let state;
  try {
    require.resolve(`${name}/package.json`);
    state = 'installed';
  } catch {
    state = 'absent (optional; install skipped without libtensorflow)';
  }
  console.log(`${name}: ${state}`);
}
for (const name of ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm']) {
  require.resolve(`${name}/package.json`); // throws, failing CI, if a required package is missing
  console.log(`${name}: installed`);
}
