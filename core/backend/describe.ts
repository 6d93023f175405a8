// The choice in words, for the CLI and the UI.
import type { BackendChoice } from './choice.js';
import { describeAdapter } from './webgpu.js';

function label(choice: BackendChoice): string {
  if (choice.name === 'wasm') {
    const simd = choice.simd === undefined ? '' : choice.simd ? 'SIMD, ' : 'no SIMD, ';
    return `wasm (${simd}${choice.threads} thread${choice.threads === 1 ? '' : 's'})`;
  }
  if (choice.name === 'tensorflow-gpu') return choice.gpu === false ? 'tensorflow-gpu (on the CPU: no usable GPU)' : 'tensorflow-gpu (CUDA)';
  if (choice.name === 'tensorflow') return `tensorflow (libtensorflow on the CPU, ${choice.threads} threads)`;
  if (choice.name === 'webgpu') return `webgpu (${choice.adapter ? describeAdapter(choice.adapter) : 'unknown adapter'})`;
  return 'cpu (plain JavaScript, very slow)';
}

/** One paragraph for the CLI and the UI: what runs, why, and why each faster backend did not. */
export function describeBackendChoice(choice: BackendChoice): string {
  const skipped = choice.attempts.filter((a) => !a.ok && a.name !== choice.name);
  const parts = [`${label(choice)}${choice.forced ? `, ${choice.reason}` : ''}.`];
  if (skipped.length > 0) parts.push(`Not used: ${skipped.map((a) => `${a.name}: ${a.reason}`).join('; ')}.`);
  for (const w of choice.warnings ?? []) parts.push(`Warning: ${w}.`);
  const v = choice.versions;
  const pkg = Object.keys(v).find((k) => k.startsWith('@tensorflow/'));
  parts.push(`TensorFlow.js ${v['tfjs-core'] ?? '?'}${pkg ? `, ${pkg} ${v[pkg]}` : ''}, Node ${v.node ?? process.versions.node}.`);
  return parts.join(' ');
}
