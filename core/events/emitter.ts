// A small typed emitter: listeners for one event type or for all. A listener that throws does not
// stop the others or the run (training must not die because a UI handler failed); its error goes to
// onListenerError (default: console.error).
import type { EventOf, RunEvent, RunEventType } from './types.js';

type Listener<E> = (e: E) => void;

export class RunEventEmitter {
  private readonly byType = new Map<RunEventType, Set<Listener<RunEvent>>>();
  private readonly any = new Set<Listener<RunEvent>>();

  constructor(private readonly onListenerError: (err: unknown, e: RunEvent) => void = (err) => console.error(err)) {}

  /** Listen to one type; returns an unsubscribe function. */
  on<T extends RunEventType>(type: T, fn: Listener<EventOf<T>>): () => void {
    let set = this.byType.get(type);
    if (!set) this.byType.set(type, (set = new Set()));
    set.add(fn as Listener<RunEvent>);
    return () => set.delete(fn as Listener<RunEvent>);
  }

  /** Listen to every event; returns an unsubscribe function. */
  onAny(fn: Listener<RunEvent>): () => void {
    this.any.add(fn);
    return () => this.any.delete(fn);
  }

  /** Resolves with the first event of this type (e.g. await the terminal event in a test). */
  once<T extends RunEventType>(type: T): Promise<EventOf<T>> {
    return new Promise((resolve) => {
      const off = this.on(type, (e) => {
        off();
        resolve(e);
      });
    });
  }

  emit = (e: RunEvent): void => {
    for (const fn of [...(this.byType.get(e.type) ?? []), ...this.any]) {
      try {
        fn(e);
      } catch (err) {
        this.onListenerError(err, e);
      }
    }
  };

  clear(): void {
    this.byType.clear();
    this.any.clear();
  }
}

/** Fan one event out to several sinks (e.g. the run folder writer and a throttled UI sink). */
export function teeEvents(...sinks: Array<((e: RunEvent) => void) | undefined>): (e: RunEvent) => void {
  const live = sinks.filter((s): s is (e: RunEvent) => void => typeof s === 'function');
  return (e) => {
    for (const s of live) s(e);
  };
}
