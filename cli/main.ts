#!/usr/bin/env node
// Entry point of the `atstudio` command. `main(argv, io)` is exported so tests can run it in-process;
// when this file is executed directly it runs with the real process and exits with main's code.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { CommanderError } from 'commander';
import { EXIT_OK, EXIT_USAGE, exitCodeOf, oneLine } from './errors.js';
import { notifyStdoutClosed, processIO, type CliIO } from './io.js';
import { buildProgram } from './program.js';

export type { CliIO } from './io.js';

/** Run the CLI on `argv` (without node and script). Returns the exit code; never calls process.exit. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  let code = EXIT_OK;
  const quote = (a: string) => (/^[-\w@%+=:,./]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  io = { ...io, commandLine: ['atstudio', ...argv].map(quote).join(' ') };
  const program = buildProgram(io, (c) => { code = c; });
  if (argv.length === 0) {
    io.stderr.write(program.helpInformation());
    return EXIT_USAGE;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; every other commander complaint (already printed) is a usage error.
      return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    io.stderr.write(`atstudio: ${oneLine(err)}\n`);
    const exit = exitCodeOf(err); // from the error's code alone (cli/errors.ts)
    if (exit !== EXIT_USAGE && io.env.ATSTUDIO_DEBUG && err instanceof Error && err.stack) io.stderr.write(err.stack + '\n');
    return exit;
  }
}

function invokedDirectly(): boolean {
  if (!process.argv[1]) return false;
  try {
    // npm's bin shim is a symlink to this file: compare real paths.
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  // `atstudio runs --json | head` closes the pipe early: that is not an error. A run being trained is not
  // dropped silently though: it stops at a checkpoint, cancelled and resumable, and exits 141 (SIGPIPE).
  let pipeClosed = false;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
    if (pipeClosed) return;
    pipeClosed = true;
    if (!notifyStdoutClosed()) process.exit(process.exitCode ?? EXIT_OK);
  });
  // With --json stdout carries only JSON lines: send any library chatter written with console.log to stderr.
  if (process.argv.includes('--json')) console.log = console.info = (...args: unknown[]) => console.error(...args);
  const code = await main(process.argv.slice(2));
  process.exitCode = code;
  // Exit even if a backend keeps a handle open; the timer is unref'd so a clean exit is not delayed.
  setTimeout(() => process.exit(code), 200).unref();
}
