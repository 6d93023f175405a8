// Runs the CLI in-process with captured output, a fake environment and a Ctrl-C that tests can press.
import { main } from '../../cli/main.js';
import type { CliIO } from '../../cli/io.js';

export interface Captured {
  code: number;
  out: string;
  err: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  isTTY?: boolean;
  /** Called with each chunk written to stdout, and a function that presses Ctrl-C. */
  onStdout?: (chunk: string, interrupt: () => void) => void;
}

export async function cli(argv: string[], opts: RunOptions = {}): Promise<Captured> {
  let out = '';
  let err = '';
  const handlers = new Set<() => void>();
  const interrupt = () => handlers.forEach((h) => h());
  const io: CliIO = {
    stdout: {
      isTTY: opts.isTTY ?? false,
      columns: 160,
      write(chunk: string) {
        out += chunk;
        opts.onStdout?.(chunk, interrupt);
        return true;
      },
    },
    stderr: { write: (chunk: string) => { err += chunk; return true; } },
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
    onInterrupt(h) {
      handlers.add(h);
      return () => handlers.delete(h);
    },
    exit(code) {
      throw new Error(`the CLI asked to exit(${code}) at once`);
    },
  };
  const code = await main(argv, io);
  return { code, out, err };
}

/** The stdout of a --json command: every line must be one JSON object. */
export function jsonLines(out: string): Record<string, unknown>[] {
  return out.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
}
