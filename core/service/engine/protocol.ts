// Messages between the service and an engine (a child process, an Electron utilityProcess, or the same
// process). Plain JSON only, so they cross node IPC, a MessagePort or a function call unchanged.
import type { StudioErrorCode } from '../../errors.js';
import type { RunEvent } from '../../events/types.js';

/** Bumped when a message changes shape; an engine says which it speaks in its 'ready' message. */
export const ENGINE_PROTOCOL_VERSION = 1;

export type ControlAction = 'pause' | 'resume' | 'cancel';

/** Service → engine. */
export type HostToEngine =
  | {
    type: 'start'; runId: string; runsDir: string; resume: boolean; epochsOverride?: number; limit?: number;
    /** A queue worker's backend ('auto': this machine's fastest), instead of the run config's. */
    backend?: string;
    /** Added to environment.json (a queue worker: which worker trained it). */
    environment?: Record<string, unknown>;
  }
  | { type: 'control'; runId: string; action: ControlAction }
  /** Stop the active run at the next step (checkpointed), then exit. */
  | { type: 'shutdown' };

/** Engine → service. */
export type EngineToHost =
  | { type: 'ready'; pid: number; protocol: number }
  | { type: 'event'; runId: string; event: RunEvent }
  /**
   * runTraining returned: the run's outcome is on disk. code: why it failed, where a StudioError said
   * (run.locked: another process trains it, so the run was left as it was).
   */
  | { type: 'finished'; runId: string; status: 'done' | 'failed' | 'cancelled'; error?: string; resumable: boolean; code?: StudioErrorCode }
  /**
   * Something outside a run went wrong (a start that could not be read, a message not understood);
   * code 'service.busy': the engine will not take this run (it trains another, or it is shutting down).
   */
  | { type: 'error'; runId?: string; message: string; code?: StudioErrorCode };

/** What an engine host tells the service: the engine's messages, plus its process ending. */
export type EngineNotice =
  | EngineToHost
  /** The engine process ended; `expected` is false for a crash or a kill (not asked for by close()). */
  | { type: 'exit'; code: number | null; signal: string | null; expected: boolean };

export function isHostToEngine(m: unknown): m is HostToEngine {
  const t = (m as { type?: unknown } | null)?.type;
  return t === 'start' || t === 'control' || t === 'shutdown';
}

/** The message a crash leaves for people. */
export function crashMessage(code: number | null, signal: string | null): string {
  const how = signal ? `signal ${signal}` : `exit code ${code ?? 'unknown'}`;
  return `the engine process stopped unexpectedly (${how})`;
}
