import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RunEventEmitter, teeEvents, throttleEvents, type RunEvent, type StepEvent } from '../../core/events/index.js';

function step(n: number): StepEvent {
  return { type: 'step', phase: 'student', epoch: 1, step: n, totalSteps: 1000, loss: 1, parts: { ce: 1 }, lr: 0.1, imagesPerSec: 100, etaSeconds: 10 };
}
const label = (e: RunEvent) => (e.type === 'step' ? `s${e.step}` : e.type);

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-11-28T12:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

describe('throttleEvents', () => {
  it('passes at most 10 step events a second, each the newest, and ends with the last one', () => {
    const seen: RunEvent[] = [];
    const sink = throttleEvents((e) => seen.push(e));
    // 1000 steps, one every millisecond, for one second.
    for (let i = 1; i <= 1000; i++) {
      sink(step(i));
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(200);
    const steps = seen.map(label);
    // Step i is emitted at t = i-1 ms. The first goes through at once. Steps 100, 200, … are the ones the run
    // records in metrics.jsonl (every 1000/10 steps): they pass at once, never coalesced. Between them the
    // timer fires 100 ms after the last one sent, delivering the newest pending step (s199 at t = 199 ms).
    expect(steps).toEqual(['s1', 's100', ...[2, 3, 4, 5, 6, 7, 8, 9, 10].flatMap((k) => [`s${k * 100 - 1}`, `s${k * 100}`])]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('never holds back other events, and delivers the pending step before them', () => {
    const seen: string[] = [];
    const sink = throttleEvents((e) => seen.push(label(e)), 10);
    sink({ type: 'started', runId: 'r', backend: { name: 'cpu', reason: 'test' }, config: {} as never });
    sink(step(1)); // within 100 ms of 'started': held
    sink(step(2)); // replaces step 1
    sink({ type: 'epoch', phase: 'student', epoch: 1, epochs: 1, train: { loss: 1, acc: 0.5 }, test: { loss: 1, top1: 0.5, perClass: [], confusion: [] }, lr: 0.1, seconds: 1 });
    sink({ type: 'attention', phase: 'student', epoch: 1, pairs: [] });
    sink({ type: 'checkpoint', phase: 'student', which: 'latest', epoch: 1 });
    sink(step(3));
    sink({ type: 'done', runId: 'r', result: {} });
    expect(seen).toEqual(['started', 's2', 'epoch', 'attention', 'checkpoint', 's3', 'done']);
    expect(vi.getTimerCount()).toBe(0); // nothing left to fire after a terminal event
  });

  it('honours maxPerSecond and flush()', () => {
    const seen: string[] = [];
    const sink = throttleEvents((e) => seen.push(label(e)), 2); // one per 500 ms
    sink(step(1));
    vi.advanceTimersByTime(100);
    sink(step(2));
    vi.advanceTimersByTime(300);
    expect(seen).toEqual(['s1']);
    vi.advanceTimersByTime(100); // 500 ms after s1
    expect(seen).toEqual(['s1', 's2']);
    sink(step(3));
    sink.flush();
    expect(seen).toEqual(['s1', 's2', 's3']);
    vi.advanceTimersByTime(1000);
    expect(seen).toEqual(['s1', 's2', 's3']);
  });
});

describe('RunEventEmitter', () => {
  it('routes by type, to all listeners, survives a throwing listener, and unsubscribes', async () => {
    const errors: unknown[] = [];
    const em = new RunEventEmitter((err) => errors.push(err));
    const steps: number[] = [];
    const all: string[] = [];
    const off = em.on('step', (e) => steps.push(e.step));
    em.onAny(() => {
      throw new Error('ui bug');
    });
    em.onAny((e) => all.push(e.type));
    const done = em.once('done');
    em.emit(step(1));
    em.emit({ type: 'done', runId: 'r', result: { best: { epoch: 1, top1: 0.9 } } });
    off();
    em.emit(step(2));
    expect(steps).toEqual([1]);
    expect(all).toEqual(['step', 'done', 'step']);
    expect(errors).toHaveLength(3);
    expect((await done).result.best?.top1).toBe(0.9);
    const a: string[] = [];
    teeEvents((e) => a.push(`1${e.type}`), undefined, (e) => a.push(`2${e.type}`))({ type: 'cancelled', runId: 'r' });
    expect(a).toEqual(['1cancelled', '2cancelled']);
  });
});
