// `atstudio serve`: the app's API and UI over HTTP + WebSocket (for GPU servers watched from a browser).
// A thin adapter: the service does the work (training in a child engine process), serve/ does HTTP.
import * as path from 'node:path';
import type { CliIO } from '../io.js';
import { resolveRunsDir } from '../runsDir.js';
import { createService, childProcessEngine } from '../../core/service/index.js';
import { DATASETS_DIR } from '../../core/service/directory.js';
import { defaultPdfRenderer } from '../../core/report/chromiumPdf.js';
import { startServer, defaultStaticDir, isLoopbackHost } from '../../serve/index.js';
import { queueUrlFrom } from '../../core/queue/index.js';
import { RunStore } from '../../core/runs/runStore.js';
import { openQueue } from './queued.js';

export interface ServeFlags { port?: number; host?: string; token?: string | false; root?: string[]; runsDir?: string; queue?: string }

export async function serveCommand(io: CliIO, flags: ServeFlags): Promise<number> {
  const runsDir = resolveRunsDir(flags.runsDir, io.env, io.cwd);
  const host = flags.host ?? '127.0.0.1';
  // Folders the browser may use: writes (exports) and listings go only to the runs folder and the --root
  // folders (the working folder when none is named), on every host. Reads of a dataset or teacher path
  // typed in the wizard are open on loopback (the token guards it) and confined like the rest elsewhere.
  const named = (flags.root ?? []).map((r) => path.resolve(io.cwd, r));
  const fileRoots = [runsDir, ...(named.length > 0 ? named : [io.cwd])];
  const loopback = isLoopbackHost(host);
  const roots = named.length > 0 || !loopback ? fileRoots : undefined;
  // Ctrl-C, SIGTERM and SIGHUP are taken from here on, before anything starts or is printed: a signal that
  // comes while the server starts still stops it cleanly instead of killing the process.
  const stopRequested = new Promise<string>((resolve) => {
    const off = io.onInterrupt((why) => { if (why !== 'EPIPE') { off(); resolve(why ?? 'SIGINT'); } });
  });
  const renderPdf = defaultPdfRenderer(io.env);
  // --queue: runs train on `atstudio worker`s (any machine on the shared runs folder), not here.
  const queueUrl = queueUrlFrom(flags.queue, io.env);
  const queue = queueUrl ? await openQueue(io, queueUrl, new RunStore(runsDir)) : undefined;
  const api = createService({ runsDir, roots, fileRoots, ...(roots ? {} : { listAlso: [DATASETS_DIR] }),
    engine: childProcessEngine(), ...(renderPdf ? { renderPdf } : {}), ...(queue ? { queue } : {}) });
  const server = await startServer({
    api, host, port: flags.port ?? 7860, token: flags.token === false ? null : flags.token, staticDir: defaultStaticDir(), runsDir,
    log: (line) => io.stderr.write(line + '\n'),
  }).catch(async (err: unknown) => {
    await api.close();
    throw err;
  });
  // startServer's log has already announced the address; with a token, print the address that opens it.
  if (server.token) io.stdout.write(`open: ${server.url}?token=${server.token}\n`);
  if (queue) io.stdout.write(`queue: ${queue.shown} — runs train on its workers (\`atstudio worker --queue … --runs-dir …\`)\n`);
  io.stdout.write(`runs: ${runsDir}; files written and listed only in ${fileRoots.join(', ')}${roots ? '' : ` (and ${DATASETS_DIR} listed)`}\n`);
  if (!server.token) io.stdout.write('no token (--no-token): any process or user on this machine can use the server\n');
  if (server.token) io.stdout.write(`token: ${server.token} (needed on every request)\n`);
  io.stdout.write('Press Ctrl-C to stop.\n');
  // Ctrl-C, SIGTERM and SIGHUP stop the server and the service (a run in training stops at a checkpoint
  // and is queued to continue); a closed stdout does not (nothing is written there after the start).
  const signal = await stopRequested;
  io.stderr.write(`${signal}: stopping the server…\n`);
  await server.close();
  await api.close();
  return 0;
}
