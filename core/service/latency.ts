// Latency that can be compared: the students of the runs compared are loaded into this one process and
// timed here and now, at batch 1 on the service's backend, interleaved (one inference of each model per
// round, the starting model rotating) after a warm-up, and summarised by the median. The figures a run
// recorded when it finished were taken at different times, under different loads (one WRN-10-1 read
// 1.04–20.3 ms across runs), so they are not compared with one another.
import { existsSync } from 'node:fs';
import { tf } from '../tf.js';
import { logitsOf } from '../eval/evaluate.js';
import { loadLayersModelFile } from '../io/modelFiles.js';
import type { RunStore } from '../runs/runStore.js';
import { inputShapeOf } from '../train/networks.js';
import type { LatencyComparison, LatencyRow } from './api.js';
import { ServiceError } from './errors.js';
import { median } from '../util/median.js';

export interface InterleaveOptions {
  /** Untimed rounds first (kernel set-up, caches). */
  warmupRounds: number;
  /** Timed rounds at least, and at most. */
  minRounds: number;
  maxRounds: number;
  /** After minRounds, stop once the timed rounds took this long (ms of `now`). */
  budgetMs: number;
  /** Clock in ms (performance.now; a fake one in tests). */
  now?: () => number;
}

export const DEFAULT_INTERLEAVE: InterleaveOptions = { warmupRounds: 3, minRounds: 15, maxRounds: 200, budgetMs: 1500 };

export interface InterleaveResult {
  /** Timed rounds. */
  rounds: number;
  /** Per runner: its time in each round, in round order. */
  times: number[][];
  medians: number[];
}

export { median };

/**
 * Times each runner once per round, round after round, so a busy spell of the machine falls on all of them
 * alike; round r starts at runner r mod n (no runner is always first, right after another's clean-up).
 */
export async function interleavedMedians(runners: (() => Promise<void>)[], opts: InterleaveOptions = DEFAULT_INTERLEAVE): Promise<InterleaveResult> {
  const now = opts.now ?? (() => performance.now());
  const n = runners.length;
  for (let w = 0; w < opts.warmupRounds; w++) for (const run of runners) await run();
  const times: number[][] = runners.map(() => []);
  let rounds = 0;
  let spent = 0;
  while (n > 0 && rounds < opts.maxRounds && (rounds < opts.minRounds || spent < opts.budgetMs)) {
    for (let k = 0; k < n; k++) {
      const i = (rounds + k) % n;
      const t0 = now();
      await runners[i]!();
      const dt = now() - t0;
      times[i]!.push(dt);
      spent += dt;
    }
    rounds++;
  }
  return { rounds, times, medians: times.map(median) };
}

// One measurement at a time: two at once would each time the other's work.
let queue: Promise<unknown> = Promise.resolve();

/** The students of `runIds`, measured together (see the top of this file). Runs without a saved student get `error`. */
export async function measureLatency(runIds: string[], ctx: { store: RunStore }, opts: InterleaveOptions = DEFAULT_INTERLEAVE): Promise<LatencyComparison> {
  if (!Array.isArray(runIds) || runIds.some((id) => typeof id !== 'string')) throw new ServiceError('invalid', 'measureLatency takes a list of run ids');
  const ids = [...new Set(runIds)];
  if (ids.length > 12) throw new ServiceError('invalid', `measureLatency takes at most 12 runs at once, got ${ids.length}`);
  const job = queue.then(() => measureNow(ids, ctx, opts));
  queue = job.catch(() => undefined);
  return job;
}

async function measureNow(ids: string[], ctx: { store: RunStore }, opts: InterleaveOptions): Promise<LatencyComparison> {
  const rows: LatencyRow[] = [];
  const loaded: { row: LatencyRow; model: tf.LayersModel; x: tf.Tensor4D }[] = [];
  try {
    for (const runId of ids) {
      const run = await ctx.store.open(runId);
      const file = run.modelPath('student');
      const row: LatencyRow = { runId };
      rows.push(row);
      if (!existsSync(file)) {
        row.error = 'no saved student yet (it is saved when training finishes)';
        continue;
      }
      const model = await loadLayersModelFile(file);
      const shape = inputShapeOf(model);
      if (!shape) {
        model.dispose();
        row.error = `${file} has no fixed input shape`;
        continue;
      }
      loaded.push({ row, model, x: tf.zeros([1, ...shape]) as tf.Tensor4D });
    }
    const runners = loaded.map(({ model, x }) => async () => {
      const y = logitsOf(model, x);
      try {
        await y.data(); // the result itself, not only the dispatch
      } finally {
        y.dispose();
      }
    });
    const r = await interleavedMedians(runners, opts);
    loaded.forEach(({ row }, i) => { row.medianMs = r.medians[i]!; });
    return { backend: tf.getBackend(), batchSize: 1, warmupRounds: opts.warmupRounds, rounds: r.rounds, measuredAt: new Date().toISOString(), rows };
  } finally {
    for (const l of loaded) {
      l.x.dispose();
      l.model.dispose();
    }
  }
}
