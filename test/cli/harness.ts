// Runs the CLI in-process with captured output, a fake environment and a Ctrl-C that tests can press.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** dist/cli/main.js, rebuilt (tsc) when a cli/ source is newer; for tests that need a fresh process. */
export function builtBin(): string {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const bin = path.join(root, 'dist/cli/main.js');
  const sources = ['cli', 'core'].flatMap((d) => readdirSync(path.join(root, d), { recursive: true }).map((f) => path.join(root, d, String(f)))).filter((f) => f.endsWith('.ts'));
  const stale = !existsSync(bin) || sources.some((f) => statSync(f).mtimeMs > statSync(bin).mtimeMs);
  if (stale) {
    const r = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root, encoding: 'utf8' });
    // tsc emits even when some file has type errors; only errors in the CLI itself stop the test.
    const cliErrors = `${r.stdout}${r.stderr}`.split('\n').filter((l) => /^(cli|test\/cli)\//.test(l));
    if (cliErrors.length > 0 || !existsSync(bin)) throw new Error(`tsc failed:\n${r.stdout}${r.stderr}`);
    if (r.status !== 0) console.log(`note: tsc reported type errors outside cli/ (built anyway):\n${r.stdout}`);
  }
  return bin;
}
