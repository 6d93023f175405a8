// `atstudio worker --queue redis://… --runs-dir DIR`: train runs from the queue, one at a time, on this
// machine's fastest backend, until stopped. Ctrl-C/SIGTERM: the run in training stops at a checkpoint and
// goes back to the queue for another worker (Ctrl-C again quits at once: the job then stalls and another
// worker resumes it from its last checkpoint anyway).
import { EXIT_OK, UsageError } from '../errors.js';
import { interruptExitCode, type CliIO } from '../io.js';
import { resolveRunsDir } from '../runsDir.js';
import { pct } from '../format/units.js';
import { queueCaFrom, queueUrlFrom, startRunWorker } from '../../core/queue/index.js';

export interface WorkerFlags { queue?: string; queueCa?: string; runsDir?: string; backend?: string; json?: boolean; lockMs?: number; stalledMs?: number }

export async function workerCommand(io: CliIO, flags: WorkerFlags): Promise<number> {
  const url = queueUrlFrom(flags.queue, io.env);
  if (!url) throw new UsageError('worker needs --queue redis://host:port (or $ATSTUDIO_QUEUE): the Redis that the app, serve mode or `atstudio study --queue` put runs in');
  const runsDir = resolveRunsDir(flags.runsDir, io.env, io.cwd);
  // The engine picks it per run: --backend, else $ATSTUDIO_BACKEND, else this machine's fastest.
  const backend = flags.backend ?? io.env.ATSTUDIO_BACKEND ?? 'auto';
  const say = (line: string) => io.stderr.write(`${line}\n`);
  const caFile = queueCaFrom(flags.queueCa, io.env);
  const worker = await startRunWorker({
    url, ...(caFile ? { caFile } : {}), runsDir, backend, log: say,
    stall: { ...(flags.lockMs ? { lockDuration: flags.lockMs } : {}), ...(flags.stalledMs ? { stalledInterval: flags.stalledMs } : {}) },
    onEvent: (runId, e) => {
      if (flags.json) io.stdout.write(JSON.stringify({ runId, event: e }) + '\n');
      else if (e.type === 'epoch') io.stdout.write(`run ${runId}: ${e.phase} epoch ${e.epoch}/${e.epochs}: test top-1 ${pct(e.test.top1)}\n`);
      else if (e.type === 'done' || e.type === 'failed' || e.type === 'cancelled') io.stdout.write(`run ${runId}: ${e.type}${e.type === 'failed' ? `: ${e.error}` : ''}\n`);
    },
  });
  io.stdout.write(flags.json ? JSON.stringify({ type: 'worker-ready', worker: worker.id, runsDir }) + '\n' : `worker ${worker.id} ready\n`);
  let interrupts = 0;
  const off = io.onInterrupt((why) => {
    if (why === 'EPIPE') return;
    interrupts++;
    if (interrupts === 1) {
      say(`${why ?? 'SIGINT'}: stopping; a run in training stops at a checkpoint and goes back to the queue (Ctrl-C again to quit at once)`);
      void worker.close();
    } else io.exit(interruptExitCode(why));
  });
  try {
    await worker.closed;
  } finally {
    off();
  }
  // A requested stop is this command's normal end (the run went back to the queue).
  return EXIT_OK;
}
