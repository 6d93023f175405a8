// EventHub: subscribers get every run's events or one run's; step events are coalesced per run (the
// newest pending wins) and delivered before any later event; a throwing listener stops no one else.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunEvent, StepEvent } from '../../core/events/types.js';
import { EventHub } from '../../core/service/eventHub.js';

// 100 steps an epoch: steps 1–3 are not among those metrics.jsonl records (core/runs/recordedSteps.ts), which
// the hub never coalesces away.
const step = (n: number): StepEvent => ({ type: 'step', phase: 'student', epoch: 1, step: n, totalSteps: 100, loss: 1 / n, parts: { ce: 1 / n }, lr: 0.1, imagesPerSec: 100, etaSeconds: 5 });
const seen = (events: [string, RunEvent][]) => events.map(([id, e]) => `${id}:${e.type}${e.type === 'step' ? e.step : ''}`);

describe('EventHub', () => {
  let hub: EventHub | null = null;
  afterEach(() => hub?.close());

  it('delivers to every subscriber, or only to the run asked for, until unsubscribed', () => {
    hub = new EventHub(0); // 0: no throttling
    const all: [string, RunEvent][] = [];
    const one: [string, RunEvent][] = [];
    const offAll = hub.subscribe((id, e) => all.push([id, e]));
    hub.subscribe((id, e) => one.push([id, e]), 'b');
    hub.dispatch('a', { type: 'log', level: 'info', message: 'x' });
    hub.dispatch('b', { type: 'cancelled', runId: 'b' });
    offAll();
    hub.dispatch('b', { type: 'log', level: 'info', message: 'y' });
    expect(seen(all)).toEqual(['a:log', 'b:cancelled']);
    expect(seen(one)).toEqual(['b:cancelled', 'b:log']);
  });

  it('coalesces step events: the newest pending one wins, and comes before the next other event', () => {
    hub = new EventHub(1); // at most one step a second: the 2nd and 3rd wait, only the 3rd is kept
    const got: [string, RunEvent][] = [];
    hub.subscribe((id, e) => got.push([id, e]));
    hub.dispatch('r', step(1));
    hub.dispatch('r', step(2));
    hub.dispatch('r', step(3));
    expect(seen(got)).toEqual(['r:step1']);
    hub.dispatch('r', { type: 'failed', runId: 'r', error: 'boom', resumable: false });
    expect(seen(got)).toEqual(['r:step1', 'r:step3', 'r:failed']);
  });

  it('flush delivers a run\'s pending step now', () => {
    hub = new EventHub(1);
    const got: [string, RunEvent][] = [];
    hub.subscribe((id, e) => got.push([id, e]));
    hub.dispatch('r', step(1));
    hub.dispatch('r', step(2));
    hub.flush('r');
    expect(seen(got)).toEqual(['r:step1', 'r:step2']);
  });

  it('a listener that throws is logged and the others still get the event', () => {
    hub = new EventHub(0);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const got: string[] = [];
    hub.subscribe(() => { throw new Error('listener bug'); });
    hub.subscribe((id) => got.push(id));
    hub.dispatch('r', { type: 'cancelled', runId: 'r' });
    expect(got).toEqual(['r']);
    expect(error).toHaveBeenCalledWith('service: an event listener failed', expect.any(Error));
    error.mockRestore();
  });

  it('close drops every subscriber', () => {
    hub = new EventHub(0);
    const got: string[] = [];
    hub.subscribe((id) => got.push(id));
    hub.close();
    hub.dispatch('r', { type: 'cancelled', runId: 'r' });
    expect(got).toEqual([]);
  });
});
