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
  /** Subscribe to Ctrl-C; returns the unsubscribe function. */
  onInterrupt(handler: () => void): () => void;
  /** Leave at once (a second Ctrl-C while a run is winding down). */
  exit(code: number): void;
  /** The command line as typed (set by main), recorded in a run's environment.json. */
  commandLine?: string;
}

export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    onInterrupt(handler) {
      process.on('SIGINT', handler);
      return () => process.off('SIGINT', handler);
    },
    exit(code) {
      process.exit(code);
    },
  };
}
