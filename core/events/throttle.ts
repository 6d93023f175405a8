// A UI should see at most ~maxPerSecond events. Step events are many and only the latest matters, so
// they are coalesced (the newest pending one wins); every other event passes at once, after the
// pending step (so the order seen downstream stays the order emitted). A step that the run records in
// metrics.jsonl is never coalesced away: live charts plot exactly those, as a reload does.
import { isRecordedStep } from '../runs/recordedSteps.js';
import { isTerminalEvent, type RunEvent, type StepEvent } from './types.js';

export type ThrottledSink = ((e: RunEvent) => void) & {
  /** Deliver the pending step event now, if any. */
  flush(): void;
  /** Drop the timer (the pending step is delivered first). */
  close(): void;
};

export function throttleEvents(sink: (e: RunEvent) => void, maxPerSecond = 10): ThrottledSink {
  const interval = maxPerSecond > 0 ? 1000 / maxPerSecond : 0;
  let lastSent = -Infinity;
  let pending: StepEvent | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const send = (e: RunEvent) => {
    lastSent = Date.now();
    sink(e);
  };
  const clearTimer = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  const flush = () => {
    clearTimer();
    if (pending) {
      const e = pending;
      pending = null;
      send(e);
    }
  };

  const throttled = ((e: RunEvent) => {
    if (e.type !== 'step') {
      flush();
      send(e);
      if (isTerminalEvent(e)) clearTimer();
      return;
    }
    if (isRecordedStep(e.step, e.totalSteps)) {
      clearTimer();
      pending = null; // older than e: the newest wins, as below
      send(e);
      return;
    }
    const wait = lastSent + interval - Date.now();
    if (wait <= 0 && timer === null) {
      send(e);
      return;
    }
    pending = e;
    if (timer === null) timer = setTimeout(flush, Math.max(0, wait));
  }) as ThrottledSink;
  throttled.flush = flush;
  throttled.close = flush;
  return throttled;
}
