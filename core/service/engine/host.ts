// An engine host runs one run at a time somewhere (this process, a child process, an Electron
// utilityProcess) and reports back with the messages of protocol.ts.
import type { ControlAction, EngineNotice, HostToEngine } from './protocol.js';

export type StartRequest = Omit<Extract<HostToEngine, { type: 'start' }>, 'type'>;

export interface EngineHost {
  /** 'in-process', 'child-process', 'utility-process', … (shown in logs). */
  readonly kind: string;
  /** Start a run; the engine (process) is (re)started first when it is not running. */
  start(req: StartRequest): Promise<void>;
  control(runId: string, action: ControlAction): void;
  /** Engine messages and process exits; returns an unsubscribe function. */
  onNotice(listener: (n: EngineNotice) => void): () => void;
  /** Stop the engine: the active run (if any) is cancelled at a step boundary; resolves when it is gone. */
  close(): Promise<void>;
}

/** A small listener set, shared by the host implementations. */
export class NoticeListeners {
  private readonly set = new Set<(n: EngineNotice) => void>();
  add(fn: (n: EngineNotice) => void): () => void {
    this.set.add(fn);
    return () => this.set.delete(fn);
  }
  emit(n: EngineNotice): void {
    for (const fn of [...this.set]) {
      try {
        fn(n);
      } catch (err) {
        console.error(err);
      }
    }
  }
}
