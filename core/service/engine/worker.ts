// The engine side of the protocol: takes start/control messages, runs runTraining, sends events back.
// Shared by every engine: engineMain.ts (node child process), the in-process host, and Electron's
// utilityProcess entry (which wires `send` to process.parentPort).
import { RunStore } from '../../runs/runStore.js';
import { createTrainControl, type TrainControl } from '../../train/control.js';
import { runTraining } from '../../train/runTraining.js';
import { selectBackend, type BackendName } from '../../backend/index.js';
import type { EngineToHost, HostToEngine } from './protocol.js';
import { StudioError } from '../../errors.js';

export interface EngineWorker {
  handle(msg: HostToEngine): void;
  /** The active run's id, if any. */
  readonly activeRunId: string | null;
  /** Resolves when no run is active. */
  idle(): Promise<void>;
}

export function createEngineWorker(send: (m: EngineToHost) => void, opts: { onShutdown?: () => void } = {}): EngineWorker {
  let active: { runId: string; control: TrainControl; done: Promise<void> } | null = null;
  let shuttingDown = false;

  const start = (m: Extract<HostToEngine, { type: 'start' }>) => {
    if (active) {
      send({ type: 'error', runId: m.runId, message: `the engine is busy with run ${active.runId}; one run at a time`, code: 'service.busy' });
      return;
    }
    const control = createTrainControl();
    const done = (async () => {
      try {
        const run = await new RunStore(m.runsDir).open(m.runId);
        const r = await runTraining(run, {
          onEvent: (event) => send({ type: 'event', runId: m.runId, event }),
          control, resume: m.resume, invocation: `app: ${m.resume ? 'resume' : 'start'} run ${m.runId}`,
          ...(m.epochsOverride !== undefined ? { epochsOverride: m.epochsOverride } : {}),
          ...(m.limit !== undefined ? { limit: m.limit } : {}),
          ...(m.backend ? { backend: await selectBackend(m.backend === 'auto' ? {} : { force: m.backend as BackendName }) } : {}),
          ...(m.environment ? { environment: m.environment } : {}),
        });
        if (r.status === 'cancelled' && shuttingDown) {
          // Stopped because the engine is going away, not by a person: the next service continues it.
          await run.writeStatus({ status: 'queued', endedAt: undefined });
          await run.log('the engine shut down: stopped at a checkpoint and queued to continue when the service starts again');
          await run.flush();
        }
        send({ type: 'finished', runId: m.runId, status: r.status, resumable: r.resumable, ...(r.error ? { error: r.error } : {}) });
      } catch (err) {
        // runTraining reports its own failures; this is a run that could not even be opened.
        const message = (err as Error).message ?? String(err);
        send({ type: 'finished', runId: m.runId, status: 'failed', error: message, resumable: false, ...(err instanceof StudioError ? { code: err.code } : {}) });
      } finally {
        active = null;
        if (shuttingDown) opts.onShutdown?.();
      }
    })();
    active = { runId: m.runId, control, done };
  };

  return {
    handle(msg) {
      switch (msg.type) {
        case 'start':
          if (shuttingDown) send({ type: 'error', runId: msg.runId, message: 'the engine is shutting down', code: 'service.busy' });
          else start(msg);
          return;
        case 'control':
          // A request for a run that has just ended crossed its 'finished' message: nothing to do.
          if (!active || active.runId !== msg.runId) return;
          active.control[msg.action]();
          return;
        case 'shutdown':
          shuttingDown = true;
          if (active) active.control.cancel();
          else opts.onShutdown?.();
          return;
        default:
          send({ type: 'error', message: `unknown message ${JSON.stringify((msg as { type?: unknown }).type)}` });
      }
    },
    get activeRunId() {
      return active?.runId ?? null;
    },
    async idle() {
      while (active) await active.done;
    },
  };
}
