// cpu: TF.js's plain JavaScript kernels, the last resort (always registered).
import { tf } from '../../tf.js';
import { activate, baseVersions } from '../activate.js';
import type { Outcome } from './outcome.js';

export async function tryCpu(): Promise<Outcome> {
  const failed = await activate('cpu', 'plain JavaScript');
  if (failed !== undefined) return { ok: false, reason: failed };
  return { ok: true, reason: 'plain JavaScript kernels (very slow)', threads: 1, versions: { ...baseVersions(), 'tfjs-backend-cpu': tf.version_cpu } };
}
