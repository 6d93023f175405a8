// Run events on their way to subscribers: step events throttled per run (core/events/throttle.ts), each
// subscriber given every run's events or one run's, and a listener that throws never stops the others.
import { throttleEvents, type ThrottledSink } from '../events/throttle.js';
import { isTerminalEvent, type RunEvent } from '../events/types.js';
import type { EventListener } from './api.js';

interface Subscriber { listener: EventListener; runId?: string }

export class EventHub {
  private readonly subscribers = new Set<Subscriber>();
  private readonly throttles = new Map<string, ThrottledSink>();

  /** maxStepEventsPerSecond: step events per second per run that subscribers get at most. */
  constructor(private readonly maxStepEventsPerSecond = 10) {}

  dispatch(runId: string, e: RunEvent): void {
    let sink = this.throttles.get(runId);
    if (!sink) {
      sink = throttleEvents((ev) => this.deliver(runId, ev), this.maxStepEventsPerSecond);
      this.throttles.set(runId, sink);
    }
    sink(e);
    if (isTerminalEvent(e)) {
      sink.close();
      this.throttles.delete(runId);
    }
  }

  /** Deliver the run's pending step event now (its engine finished). */
  flush(runId: string): void {
    this.throttles.get(runId)?.flush();
  }

  subscribe(listener: EventListener, runId?: string): () => void {
    const s: Subscriber = { listener, ...(runId !== undefined ? { runId } : {}) };
    this.subscribers.add(s);
    return () => void this.subscribers.delete(s);
  }

  close(): void {
    for (const t of this.throttles.values()) t.close();
    this.throttles.clear();
    this.subscribers.clear();
  }

  private deliver(runId: string, e: RunEvent): void {
    for (const s of [...this.subscribers]) {
      if (s.runId !== undefined && s.runId !== runId) continue;
      try {
        s.listener(runId, e);
      } catch (err) {
        console.error('service: an event listener failed', err);
      }
    }
  }
}
