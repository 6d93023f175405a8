// `atstudio train --queue` and `atstudio study --queue`: the runs go to the BullMQ queue, workers (on this
// machine or others, `atstudio worker`) train them, and this command follows them through the queue's
// events until they end. Ctrl-C cancels them wherever they train (at a checkpoint, resumable).
import { EXIT_FAILURE, EXIT_OK } from '../errors.js';
import { interruptExitCode, type CliIO, type InterruptReason } from '../io.js';
import { pct } from '../format/units.js';
import { connectRunQueue, queueCaFrom, type RemoteOutcome, type RemoteRunQueue } from '../../core/queue/index.js';
import type { RunHandle, RunOutcome, RunStore, StudyDriver, StudyEvent } from '../engine.js';

export async function openQueue(io: CliIO, url: string, store: RunStore): Promise<RemoteRunQueue> {
  const caFile = queueCaFrom(undefined, io.env); // a rediss:// server's own CA: $ATSTUDIO_QUEUE_CA
  const q = await connectRunQueue({ url, ...(caFile ? { caFile } : {}), store, log: (l) => io.stderr.write(`${l}\n`) });
  const c = await q.counts();
  io.stderr.write(`queue ${q.shown}: ${c.workers} worker(s) connected, ${c.waiting} run(s) waiting, ${c.active} training${c.workers === 0 ? ' — start one with `atstudio worker --queue … --runs-dir …`' : ''}\n`);
  return q;
}

/** Print one line per epoch and end of the runs this command follows. */
function follow(io: CliIO, q: RemoteRunQueue, ids: Set<string>, json: boolean, label: (runId: string) => string): () => void {
  return q.onEvent((runId, e, host) => {
    if (!ids.has(runId)) return;
    if (json) io.stdout.write(JSON.stringify({ runId, host, event: e }) + '\n');
    else if (e.type === 'started') io.stdout.write(`${label(runId)}: ${e.resumedFrom ? 'resumed' : 'started'} on ${host} (${e.backend.name})\n`);
    else if (e.type === 'epoch') io.stdout.write(`${label(runId)}: ${e.phase} epoch ${e.epoch}/${e.epochs}: test top-1 ${pct(e.test.top1)} (${host})\n`);
  });
}

/** train --queue: every run at once into the queue, then wait for all. */
export async function trainQueued(io: CliIO, url: string, store: RunStore, runs: RunHandle[], json: boolean): Promise<number> {
  const q = await openQueue(io, url, store);
  const ids = new Set(runs.map((r) => r.id));
  const off = follow(io, q, ids, json, (id) => `run ${id}`);
  let reason: InterruptReason | undefined;
  let interrupts = 0;
  const offInt = io.onInterrupt((why) => {
    interrupts++;
    reason = why;
    if (interrupts === 1) {
      io.stderr.write('\ncancelling the queued runs (a run in training stops at its next step, resumable)…\n');
      for (const id of ids) void q.control(id, 'cancel').catch(() => undefined);
    } else io.exit(interruptExitCode(why));
  });
  try {
    for (const r of runs) io.stderr.write(`run ${r.id} → ${r.dir} (queued)\n`);
    const outcomes = await Promise.all(runs.map((r) => q.runToEnd(r).then((o) => report(io, r.id, o, json))));
    if (interrupts > 0) return interruptExitCode(reason);
    return outcomes.every((o) => o.status === 'done') ? EXIT_OK : EXIT_FAILURE;
  } finally {
    offInt();
    off();
    await q.close();
  }
}

function report(io: CliIO, runId: string, o: RemoteOutcome, json: boolean): RemoteOutcome {
  if (json) io.stdout.write(JSON.stringify({ type: 'run-end', runId, ...o }) + '\n');
  else if (o.status === 'failed') io.stderr.write(`atstudio: run ${runId} failed: ${o.error ?? 'see its log'}\n`);
  else io.stdout.write(`run ${runId}: ${o.status}\n`);
  return o;
}

/** study --queue: the teacher first, then every run at once; the study's record and table as without a queue. */
export function queuedStudyDriver(io: CliIO, q: RemoteRunQueue, json: boolean, stop: { requested: boolean }): StudyDriver & { offEvents(): void; active: Set<string> } {
  const active = new Set<string>();
  const labels = new Map<string, string>();
  const off = follow(io, q, active, json, (id) => labels.get(id) ?? `run ${id}`);
  return {
    parallel: true,
    active,
    offEvents: off,
    stopRequested: () => stop.requested,
    onEvent: (e: StudyEvent) => {
      if (json) io.stdout.write(JSON.stringify(e) + '\n');
      else if (e.type === 'study-run') io.stdout.write(`── study run ${e.index}/${e.total}: ${e.label}${e.resume ? ' (continuing from its checkpoint)' : ''} — run ${e.runId} queued\n`);
      else if (e.type === 'study-skip') io.stdout.write(`── study run ${e.index}/${e.total}: ${e.label} — already done (${e.runId})\n`);
    },
    execute: async (run, s): Promise<RunOutcome> => {
      labels.set(run.id, `run ${s.index}/${s.total} (${s.label})`);
      active.add(run.id);
      try {
        if (stop.requested) return 'cancelled';
        const o = await q.runToEnd(run);
        if (o.status === 'failed') io.stderr.write(`atstudio: run ${run.id} failed: ${o.error ?? 'see its log'}\n`);
        else if (!json) io.stdout.write(`   ${s.label}: ${o.status}\n`);
        return o.status;
      } finally {
        active.delete(run.id);
      }
    },
  };
}
