// Per-kernel wall-clock timing for a backend whose kernels run synchronously (wasm, cpu): every
// registered kernel is wrapped with a timer. Only outermost kernels are counted, so a composed
// kernel's time includes the kernels it calls and nothing is counted twice.
// (tf.profile and the DEBUG flag read every output back and are far slower.)
import { tf } from '../tf.js';

export interface KernelTiming { kernel: string; ms: number; calls: number }

export interface KernelProfiler {
  reset(): void;
  /** Sorted by total time, largest first. */
  report(): KernelTiming[];
  uninstall(): void;
}

/** `byShape`: separate entries per input-shape signature (to see which calls of a kernel cost). */
export function installKernelProfiler(backendName = 'wasm', opts: { byShape?: boolean } = {}): KernelProfiler {
  const totals = new Map<string, { ms: number; calls: number }>();
  const originals = tf.getKernelsForBackend(backendName);
  let depth = 0;
  for (const config of originals) {
    const inner = config.kernelFunc;
    const name = config.kernelName;
    const timed: tf.KernelFunc = (args) => {
      if (depth > 0) return inner(args);
      depth++;
      const t0 = performance.now();
      try {
        return inner(args);
      } finally {
        const dt = performance.now() - t0;
        depth--;
        const key = opts.byShape ? `${name} ${Object.values(args.inputs).map((t) => `[${t?.shape}]`).join('')}` : name;
        const entry = totals.get(key) ?? { ms: 0, calls: 0 };
        entry.ms += dt;
        entry.calls++;
        totals.set(key, entry);
      }
    };
    tf.unregisterKernel(name, backendName);
    tf.registerKernel({ ...config, kernelFunc: timed });
  }
  return {
    reset: () => totals.clear(),
    report: () => [...totals.entries()].map(([kernel, v]) => ({ kernel, ...v })).sort((a, b) => b.ms - a.ms),
    uninstall: () => {
      for (const config of originals) {
        tf.unregisterKernel(config.kernelName, backendName);
        tf.registerKernel(config);
      }
    },
  };
}
