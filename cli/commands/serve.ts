// `atstudio serve`: the app's API and UI over HTTP + WebSocket (for GPU servers watched from a browser).
// A thin adapter: serve/serveMode.ts starts the service and the server, this prints where and waits for Ctrl-C.
import * as path from 'node:path';
import type { CliIO } from '../io.js';
import { resolveRunsDir } from '../runsDir.js';
import { startServeMode } from '../../serve/index.js';
import { queueUrlFrom } from '../../core/queue/index.js';
import { RunStore } from '../../core/runs/runStore.js';
import { openQueue } from './queued.js';

export interface ServeFlags { port?: number; host?: string; token?: string | false; root?: string[]; runsDir?: string; queue?: string }

export async function serveCommand(io: CliIO, flags: ServeFlags): Promise<number> {
  const runsDir = resolveRunsDir(flags.runsDir, io.env, io.cwd);
  // Ctrl-C, SIGTERM and SIGHUP are taken from here on, before anything starts or is printed: a signal that
  // comes while the server starts still stops it cleanly instead of killing the process.
  const stopRequested = new Promise<string>((resolve) => {
    const off = io.onInterrupt((why) => { if (why !== 'EPIPE') { off(); resolve(why ?? 'SIGINT'); } });
  });
  // --queue: runs train on `atstudio worker`s (any machine on the shared runs folder), not here.
  const queueUrl = queueUrlFrom(flags.queue, io.env);
  const queue = queueUrl ? await openQueue(io, queueUrl, new RunStore(runsDir)) : undefined;
  const serve = await startServeMode({
    runsDir, host: flags.host ?? '127.0.0.1', port: flags.port ?? 7860, token: flags.token === false ? null : flags.token,
    roots: (flags.root ?? []).map((r) => path.resolve(io.cwd, r)), cwd: io.cwd, env: io.env, ...(queue ? { queue } : {}),
    log: (line) => io.stderr.write(line + '\n'),
  });
  const { server, fileRoots, listedAlso } = serve;
  // startServer's log has already announced the address; with a token, print the address that opens it.
  if (server.token) io.stdout.write(`open: ${server.url}?token=${server.token}\n`);
  if (queue) io.stdout.write(`queue: ${queue.shown} — runs train on its workers (\`atstudio worker --queue … --runs-dir …\`)\n`);
  io.stdout.write(`runs: ${runsDir}; files written and listed only in ${fileRoots.join(', ')}${listedAlso ? ` (and ${listedAlso} listed)` : ''}\n`);
  if (!server.token) io.stdout.write('no token (--no-token): any process or user on this machine can use the server\n');
  if (server.token) io.stdout.write(`token: ${server.token} (needed on every request)\n`);
  io.stdout.write('Press Ctrl-C to stop.\n');
  // Ctrl-C, SIGTERM and SIGHUP stop the server and the service (a run in training stops at a checkpoint
  // and is queued to continue); a closed stdout does not (nothing is written there after the start).
  const signal = await stopRequested;
  io.stderr.write(`${signal}: stopping the server…\n`);
  await serve.close();
  return 0;
}
