// Starting and steering runs: start (validated, then queued), pause, resume, cancel, delete. Each answers
// 'conflict' when the run's state does not allow it, naming the state and what would.
import { assertRunUnlocked, RunLockedError } from '../runs/runLock.js';
import type { RunStore } from '../runs/runStore.js';
import type { RunHandle, RunSummary } from '../runs/types.js';
import { ServiceError } from './errors.js';
import type { EventHub } from './eventHub.js';
import type { PathPolicy } from './paths.js';
import { openRun, runSummary } from './runQueries.js';
import type { RunQueue } from './runQueue.js';
import { validateRunConfig } from './wizard.js';

export interface RunControlContext {
  store: RunStore;
  paths: PathPolicy;
  queue: RunQueue;
  events: EventHub;
}

export async function startRun(ctx: RunControlContext, input: unknown): Promise<RunSummary> {
  const v = await validateRunConfig(input, { paths: ctx.paths, store: ctx.store, deep: true });
  if (!v.ok || !v.config) {
    throw new ServiceError('invalid', `the run config has problems:\n${v.issues.map((i) => `  ${i.path || '(config)'}: ${i.message}`).join('\n')}`, v.issues);
  }
  if (ctx.queue.closing) throw new ServiceError('conflict', 'the service is closing');
  const run = await ctx.store.create(v.config);
  for (const w of v.warnings) await run.log(`warning: ${w}`);
  const waiting = ctx.queue.ahead();
  if (waiting) await run.log(`queued: ${waiting} run(s) before it on this engine`);
  await run.flush();
  ctx.queue.push(run.id);
  return runSummary(ctx.store, run.id);
}

export async function pauseRun(ctx: RunControlContext, runId: unknown): Promise<void> {
  const run = await openRun(ctx.store, runId);
  if (ctx.queue.isActive(run.id)) {
    await ctx.queue.control(run.id, 'pause');
    return;
  }
  const st = await run.readStatus();
  throw new ServiceError('conflict', st.status === 'queued'
    ? `run ${run.id} is queued, not running yet: nothing to pause (cancel it to take it out of the queue)`
    : `run ${run.id} is ${st.status}, not running: nothing to pause`);
}

export async function resumeRun(ctx: RunControlContext, runId: unknown): Promise<void> {
  const run = await openRun(ctx.store, runId);
  const st = await run.readStatus();
  if (ctx.queue.isActive(run.id) && st.status !== 'done') {
    await ctx.queue.control(run.id, 'resume');
    return;
  }
  if (st.status === 'queued') return; // already waiting its turn
  if (st.status === 'done') throw new ServiceError('conflict', `run ${run.id} is done: nothing to resume`);
  await unlockedOrConflict(run);
  // failed, cancelled, or paused/running by a process that is gone: back into the queue, from its checkpoint.
  const resumable = await run.hasCheckpoint('latest');
  await run.writeStatus({ status: 'queued', error: undefined, endedAt: undefined, resumable });
  await run.log(resumable ? 'queued to resume from its last checkpoint' : 'queued to start again (no checkpoint yet)');
  await run.flush();
  ctx.queue.push(run.id);
}

export async function cancelRun(ctx: RunControlContext, runId: unknown): Promise<void> {
  const run = await openRun(ctx.store, runId);
  if (ctx.queue.isActive(run.id)) {
    await ctx.queue.cancelActive(run.id);
    return;
  }
  const st = await run.readStatus();
  if (st.status !== 'queued') throw new ServiceError('conflict', `run ${run.id} is ${st.status}: only a queued or running run can be cancelled`);
  ctx.queue.drop(run.id);
  const resumable = await run.hasCheckpoint('latest');
  await run.writeStatus({ status: 'cancelled', resumable });
  await run.log('cancelled while queued');
  await run.flush();
  ctx.events.dispatch(run.id, { type: 'cancelled', runId: run.id, resumable });
  ctx.queue.wake(run.id);
}

export async function deleteRun(ctx: RunControlContext, runId: unknown): Promise<void> {
  const run = await openRun(ctx.store, runId);
  if (ctx.queue.isActive(run.id)) throw new ServiceError('conflict', `run ${run.id} is running: cancel it before deleting it`);
  const summary = await runSummary(ctx.store, run.id);
  if ((summary.status === 'running' || summary.status === 'paused') && !summary.interrupted) {
    throw new ServiceError('conflict', `run ${run.id} is ${summary.status} in another process (pid ${(await run.readStatus()).pid}): stop it before deleting it`);
  }
  ctx.queue.drop(run.id);
  await run.flush();
  try {
    await ctx.store.remove(run.id);
  } catch (err) {
    if (err instanceof RunLockedError) throw new ServiceError('conflict', `${err.message}: stop it before deleting it`);
    throw err;
  }
}

/** Another process (the CLI, another service on a shared folder) holds the run's lock: a conflict. */
async function unlockedOrConflict(run: RunHandle): Promise<void> {
  try {
    await assertRunUnlocked(run.dir, run.id);
  } catch (err) {
    if (err instanceof RunLockedError) throw new ServiceError('conflict', err.message);
    throw err;
  }
}
