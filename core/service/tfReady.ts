// The service builds models itself (estimates, teacher files, attention previews), so its own process
// needs a TF.js backend even when runs train elsewhere (serve mode's child engine, Electron's utility
// process). One wasm thread is plenty for that and leaves the cores to training; cpu if wasm fails.
import { tf } from '../tf.js';
import { selectBackend } from '../backend/index.js';

let ready: Promise<void> | null = null;

function hasBackend(): boolean {
  // tf.getBackend() would try to initialise the highest-priority backend itself (and throw for wasm).
  return Boolean((tf.engine() as unknown as { backendName?: string | null }).backendName);
}

export function ensureServiceBackend(): Promise<void> {
  if (ready) return ready;
  // TF.js names a backend as soon as setBackend begins, before its asynchronous start ends: whoever
  // started it (this module or a training loop in this process), wait until it is usable.
  if (hasBackend()) return tf.ready();
  ready = (async () => {
    try {
      const choice = await selectBackend({ force: 'wasm', wasmThreads: 1 });
      if (tf.getBackend() !== choice.tfBackend) await tf.setBackend(choice.tfBackend);
    } catch {
      await tf.setBackend('cpu');
    }
    await tf.ready();
  })().finally(() => { ready = null; });
  return ready;
}
