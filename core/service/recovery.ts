// Start-up recovery: what a service finds in its runs folder. Runs left running by a process that is gone
// become failed (resumable when they have a checkpoint); queued runs are returned, oldest first, to be
// queued again.
import type { RunStore } from '../runs/runStore.js';
import type { RunSummary } from '../runs/types.js';
import { runsActiveInProcess } from './engine/inProcess.js';
import { markFailed } from './markFailed.js';

export async function recoverRuns(store: RunStore): Promise<string[]> {
  const { runs } = await store.scan();
  const queued: RunSummary[] = [];
  for (const r of runs) {
    let orphan = r.interrupted;
    if (!orphan && (r.status === 'running' || r.status === 'paused')) {
      // Our own pid, but no engine in this process trains it: a closed service left it behind.
      const st = await (await store.open(r.id)).readStatus();
      orphan = st.pid === process.pid && !runsActiveInProcess.has(r.id);
    }
    if (orphan) {
      const run = await store.open(r.id);
      const resumable = await run.hasCheckpoint('latest');
      // Nobody subscribed to this run's events yet: the status and log say it.
      await markFailed(run, `the run was interrupted: the process that trained it stopped (a crash, a power cut, or the app was closed)${resumable ? '; resume continues from its last checkpoint' : ''}`, resumable);
    } else if (r.status === 'queued') {
      queued.push(r);
    }
  }
  queued.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  return queued.map((r) => r.id);
}
