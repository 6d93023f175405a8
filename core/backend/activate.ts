// Making a registered TF.js backend the active one, and proving it computes.
import { tf } from '../tf.js';
import { captureWarnings } from './captureWarnings.js';
import { errorMessage } from './loadErrors.js';

/** One tiny op, read back: proves the kernels and the backend's memory actually work. */
async function sanityCheck(): Promise<string | undefined> {
  try {
    const sum = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)));
    const value = (await sum.data())[0];
    sum.dispose();
    return value === 3 ? undefined : `1 + 2 gave ${value}`;
  } catch (err) {
    return errorMessage(err);
  }
}

/** Sets backend `tfName` and runs one op; returns why it failed (`label` names the package), or undefined. */
export async function activate(tfName: string, label: string): Promise<string | undefined> {
  const { ok, warnings } = await captureWarnings(() => tf.setBackend(tfName), errorMessage);
  if (!ok) {
    const detail = warnings.filter((w) => w.trim() !== '').slice(-2).join(' ').replace(/\s+/g, ' ');
    return `${label}: backend '${tfName}' failed to initialize${detail ? `: ${detail.slice(0, 400)}` : ''}`;
  }
  const broken = await sanityCheck();
  return broken === undefined ? undefined : `${label}: backend '${tfName}' initialized but a test op failed: ${broken}`;
}

export function baseVersions(): Record<string, string> {
  return { 'tfjs-core': tf.version_core, tfjs: tf.version_core, node: process.versions.node };
}
