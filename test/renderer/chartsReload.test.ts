// Charts rebuilt after a reload equal the live ones: the same training events, once streamed through the
// service's throttle into the dashboard's fold, once as the metrics.jsonl lines the run writes for them and
// read back as history, give exactly the same chart datasets.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EpochEvent, RunEvent, StepEvent } from '../../core/events/types.js';
import type { Metric } from '../../core/runs/types.js';
import { throttleEvents } from '../../core/events/throttle.js';
import { emptyModel, foldEvent, historyModel } from '../../renderer/src/screens/dashboard/fold.js';
import { dashboardCharts } from '../../renderer/src/screens/dashboard/charts.js';

const STEPS = 23; // a step line every round(23/10) = 2 steps, and the epoch's last: 2, 4, …, 22, 23
const RECORDED = [2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 23];

function stepEv(phase: 'teacher' | 'student', epoch: number, step: number): StepEvent {
  const loss = 3 / (epoch + step / STEPS);
  return { type: 'step', phase, epoch, step, totalSteps: STEPS, loss, lr: 0.05 * (1 - step / 100),
    parts: phase === 'student' ? { ce: loss * 0.7, at: loss * 0.3, atPerPair: [loss * 0.1, loss * 0.2] } : { ce: loss },
    imagesPerSec: 100 + step, etaSeconds: 50 - step };
}
function epochEv(phase: 'teacher' | 'student', epoch: number, epochs: number): EpochEvent {
  return { type: 'epoch', phase, epoch, epochs, train: { loss: 1 / epoch, acc: 0.5 + epoch / 20 },
    test: { loss: 1.1 / epoch, top1: 0.45 + epoch / 20, perClass: [], confusion: [] }, lr: 0.05, seconds: 3 };
}

/** What the training loop emits (and which of it it writes to metrics.jsonl, as core/train/phase.ts does). */
function training(): { events: RunEvent[]; metrics: Metric[] } {
  const events: RunEvent[] = [];
  const metrics: Metric[] = [];
  for (const [phase, epochs] of [['teacher', 2], ['student', 3]] as const) {
    for (let e = 1; e <= epochs; e++) {
      for (let s = 1; s <= STEPS; s++) {
        const ev = stepEv(phase, e, s);
        events.push(ev);
        if (RECORDED.includes(s)) {
          const { type: _t, ...line } = ev;
          metrics.push({ kind: 'step', time: '2026-12-06T10:00:00.000Z', ...line });
        }
      }
      const ep = epochEv(phase, e, epochs);
      events.push(ep);
      const { type: _t, ...line } = ep;
      metrics.push({ kind: 'epoch', time: '2026-12-06T10:00:00.000Z', ...line });
    }
  }
  return { events, metrics };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-12-06T10:00:00Z'));
});
afterEach(() => vi.useRealTimers());

describe('dashboard charts: live and after a reload', () => {
  it('are the same datasets, point for point', () => {
    const { events, metrics } = training();
    // Live: a step every 7 ms, through the service's throttle (10 events a second), folded as they arrive.
    const live = emptyModel();
    const delivered: RunEvent[] = [];
    const sink = throttleEvents((e) => { delivered.push(e); foldEvent(live, e); }, 10);
    for (const e of events) {
      sink(e);
      vi.advanceTimersByTime(7);
    }
    sink.close();
    // The throttle did coalesce steps (else this test would prove nothing about it)…
    const liveSteps = delivered.filter((e) => e.type === 'step').length;
    expect(liveSteps).toBeLessThan(events.filter((e) => e.type === 'step').length);
    // …but never a step the run records.
    expect(delivered.filter((e): e is StepEvent => e.type === 'step' && e.phase === 'student' && e.epoch === 2).map((e) => e.step))
      .toEqual(expect.arrayContaining(RECORDED));

    const reloaded = historyModel(metrics, [], { environment: null, status: { phase: 'student' } });
    const a = dashboardCharts(live, 2);
    const b = dashboardCharts(reloaded, 2);
    expect(a).toEqual(b);
    // And they are what was recorded: 12 points an epoch, x = epoch − 1 + step/23, shifted past the 2 teacher epochs.
    const xs = a.loss.find((s) => s.label === 'student loss')!.points.map((p) => p.x);
    expect(xs).toHaveLength(3 * RECORDED.length);
    expect(xs.slice(0, 3)).toEqual([2 + 2 / 23, 2 + 4 / 23, 2 + 6 / 23]);
    expect(a.pairs).toHaveLength(2);
    expect(a.accuracy.find((s) => s.label === 'student test')!.points).toEqual([1, 2, 3].map((e) => ({ x: e + 2, y: 0.45 + e / 20 })));
    // The live view still follows every step it was sent (progress), not only the charted ones.
    expect(live.step).toBe(STEPS);
    expect(live.imagesPerSec).toBe(100 + STEPS);
  });
});
