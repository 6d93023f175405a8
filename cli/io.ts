// What a command may touch of the outside world, passed in so tests can run `main` in-process with
// captured output, a fake environment and a simulated Ctrl-C.
export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIO {
  stdout: OutStream;
  stderr: OutStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /**
   * Subscribe to Ctrl-C and the other requests to stop (SIGTERM, SIGHUP, stdout closed by its reader);
   * returns the unsubscribe function. The handler is told which (undefined: Ctrl-C).
   */
  onInterrupt(handler: (reason?: InterruptReason) => void): () => void;
  /** Leave at once (a second Ctrl-C while a run is winding down). */
  exit(code: number): void;
  /** The command line as typed (set by main), recorded in a run's environment.json. */
  commandLine?: string;
}

/** What asked a command to stop: a signal, or 'EPIPE' (nobody reads stdout any more). */
export type InterruptReason = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'EPIPE';

/** The exit code after stopping for `reason`: 128 + the signal's number, as a shell reports it (EPIPE: SIGPIPE's). */
export function interruptExitCode(reason: InterruptReason | undefined): number {
  return 128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1, EPIPE: 13 } as const)[reason ?? 'SIGINT'];
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const pipeListeners = new Set<(reason: InterruptReason) => void>();

/** Called by main.ts when stdout's reader has gone; true when a command took it (a run stops at a checkpoint). */
export function notifyStdoutClosed(): boolean {
  for (const l of [...pipeListeners]) l('EPIPE');
  return pipeListeners.size > 0;
}

export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    onInterrupt(handler) {
      const bySignal = STOP_SIGNALS.map((sig) => [sig, () => handler(sig)] as const);
      for (const [sig, h] of bySignal) process.on(sig, h);
      pipeListeners.add(handler);
      return () => {
        for (const [sig, h] of bySignal) process.off(sig, h);
        pipeListeners.delete(handler);
      };
    },
    exit(code) {
      process.exit(code);
    },
  };
}
