// The engine in this very process: for tests and the CLI. Training blocks this event loop between its
// (short) steps, which a UI process must not do — the app uses a separate process instead.
import { NoticeListeners, type EngineHost, type StartRequest } from './host.js';
import type { ControlAction } from './protocol.js';
import { createEngineWorker } from './worker.js';

/** Run ids training in this process right now, across services (start-up recovery must not fail them). */
export const runsActiveInProcess = new Set<string>();

export function inProcessEngine(): EngineHost {
  const listeners = new NoticeListeners();
  const worker = createEngineWorker((m) => {
    if (m.type === 'finished') runsActiveInProcess.delete(m.runId);
    // Asynchronous like a real channel, so the service never re-enters itself from inside a call.
    queueMicrotask(() => listeners.emit(m));
  });
  return {
    kind: 'in-process',
    async start(req: StartRequest) {
      runsActiveInProcess.add(req.runId);
      worker.handle({ type: 'start', ...req });
    },
    control(runId: string, action: ControlAction) {
      worker.handle({ type: 'control', runId, action });
    },
    onNotice: (fn) => listeners.add(fn),
    async close() {
      const id = worker.activeRunId;
      if (id) worker.handle({ type: 'control', runId: id, action: 'cancel' });
      await worker.idle();
    },
  };
}
