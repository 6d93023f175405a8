// Latency for a comparison: every student timed in one process, interleaved round by round after a warm-up,
// summarised by the median. The scheduling is checked with a fake clock (no wall-clock figures); the
// service function with real saved students (structure, no leaked tensors).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import { createModel } from '../../core/models/index.js';
import { RunStore } from '../../core/runs/index.js';
import { parseRunConfig } from '../../core/config/runConfig.js';
import { interleavedMedians, measureLatency, median } from '../../core/service/latency.js';
import { useBackend } from '../helpers/backend.js';
import { tempDir } from './harness.js';

/** Runners that log their calls and advance a fake clock by a cost per call (runner i: costs[i](call)). */
function fakes(costs: ((call: number) => number)[]) {
  let clock = 0;
  const calls: number[] = [];
  const counts = costs.map(() => 0);
  const runners = costs.map((cost, i) => async () => {
    calls.push(i);
    clock += cost(counts[i]!++);
  });
  return { runners, calls, now: () => clock };
}

describe('interleavedMedians', () => {
  it('warms every model up first, then times each once per round, the first of a round rotating', async () => {
    const f = fakes([() => 1, () => 2, () => 3]);
    const r = await interleavedMedians(f.runners, { warmupRounds: 2, minRounds: 4, maxRounds: 4, budgetMs: 0, now: f.now });
    expect(f.calls.slice(0, 6)).toEqual([0, 1, 2, 0, 1, 2]); // warm-up: not timed
    expect(f.calls.slice(6)).toEqual([0, 1, 2, 1, 2, 0, 2, 0, 1, 0, 1, 2]);
    expect(r.rounds).toBe(4);
    expect(r.times.map((t) => t.length)).toEqual([4, 4, 4]);
  });

  it('ranks by the median: a slow spell that hits one model in one round does not reorder them', async () => {
    // Model 0 costs 2 units, model 1 costs 3, but model 0's 2nd and 5th timed calls are 50 (the machine was busy).
    const f = fakes([(c) => (c === 3 || c === 6 ? 50 : 2), () => 3]);
    const r = await interleavedMedians(f.runners, { warmupRounds: 2, minRounds: 9, maxRounds: 9, budgetMs: 0, now: f.now });
    expect(r.medians[0]).toBeLessThan(r.medians[1]!);
    expect(r.medians).toEqual([2, 3]);
    // The mean would have put model 0 behind model 1.
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    expect(mean(r.times[0]!)).toBeGreaterThan(mean(r.times[1]!));
  });

  it('stops after the time budget once the minimum rounds are done, and never beyond the maximum', async () => {
    const slow = fakes([() => 10, () => 10]); // 20 units a round
    expect((await interleavedMedians(slow.runners, { warmupRounds: 0, minRounds: 3, maxRounds: 100, budgetMs: 100, now: slow.now })).rounds).toBe(5);
    const busy = fakes([() => 1000]);
    expect((await interleavedMedians(busy.runners, { warmupRounds: 0, minRounds: 3, maxRounds: 100, budgetMs: 100, now: busy.now })).rounds).toBe(3);
    const fast = fakes([() => 0]);
    expect((await interleavedMedians(fast.runners, { warmupRounds: 0, minRounds: 3, maxRounds: 7, budgetMs: 100, now: fast.now })).rounds).toBe(7);
    expect((await interleavedMedians([], { warmupRounds: 1, minRounds: 3, maxRounds: 7, budgetMs: 100 })).rounds).toBe(0);
  });

  it('median of odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('measureLatency (saved students, this process)', () => {
  const tmp = tempDir('atstudio-latency-');
  const store = new RunStore(tmp.dir);
  const ids: string[] = [];
  beforeAll(async () => {
    await useBackend('cpu');
    for (const [name, depth, widen] of [['small', 10, 1], ['wider', 10, 2], ['unfinished', 10, 1]] as const) {
      const run = await store.create(parseRunConfig({ name, data: { path: '/data/fashion' }, student: { model: { family: 'wrn', depth, widen } } }));
      ids.push(run.id);
      if (name === 'unfinished') continue;
      const zoo = createModel({ family: 'wrn', depth, widen, inputShape: [28, 28, 1], numClasses: 10 });
      await run.saveModel('student', zoo.model);
      zoo.model.dispose();
    }
  }, 60_000);
  afterAll(() => tmp.cleanup());

  it('times every saved student together and says which could not be timed; nothing leaks', async () => {
    const opts = { warmupRounds: 1, minRounds: 3, maxRounds: 3, budgetMs: 0 };
    await measureLatency(ids.slice(0, 1), { store }, opts); // kernels set up
    const before = tf.memory().numTensors;
    const r = await measureLatency(ids, { store }, opts);
    expect(tf.memory().numTensors).toBe(before);
    expect(r).toMatchObject({ backend: 'cpu', batchSize: 1, warmupRounds: 1, rounds: 3 });
    expect(r.rows.map((x) => x.runId)).toEqual(ids);
    for (const row of r.rows.slice(0, 2)) {
      expect(row.error).toBeUndefined();
      expect(row.medianMs).toBeGreaterThan(0);
      expect(Number.isFinite(row.medianMs)).toBe(true);
    }
    expect(r.rows[2]).toEqual({ runId: ids[2], error: expect.stringMatching(/no saved student/) });
    await expect(measureLatency(['no-such-run'], { store }, opts)).rejects.toThrow(/no-such-run/);
    await expect(measureLatency('x' as never, { store }, opts)).rejects.toThrow(/list of run ids/);
  }, 60_000);
});
