// The service's run queue: runs wait their turn here and train one at a time on the engine, or — with a
// remote queue (BullMQ on Redis) — all go to the workers at once. It follows the engine's notices, writes
// a run failed when its engine could not take it or went away (markFailed), and wakes whoever waits for
// a run to stop (a study's driver) or for the queue to be idle (tests, the CLI).
import { isTerminalEvent } from '../events/types.js';
import type { RemoteRunQueue } from '../queue/remoteRuns.js';
import { assertRunUnlocked } from '../runs/runLock.js';
import type { RunStore } from '../runs/runStore.js';
import type { RunHandle } from '../runs/types.js';
import type { EngineHost } from './engine/host.js';
import { crashMessage, type ControlAction, type EngineNotice } from './engine/protocol.js';
import type { EventHub } from './eventHub.js';
import { ServiceError } from './errors.js';
import { markFailed } from './markFailed.js';

interface ActiveRun {
  runId: string;
  finished: Promise<void>;
  finish: () => void;
  failing?: boolean;
  /** Requests made before the engine had the run (it is still starting): sent once it has. */
  started: boolean;
  pending: ControlAction[];
  /** A person cancelled it: closing the service must not queue it again. */
  cancelledByUser?: boolean;
}

export interface RunQueueOptions {
  store: RunStore;
  engine: EngineHost;
  events: EventHub;
  /** Runs go to this queue instead of the engine; the RunQueue closes it. */
  remote?: RemoteRunQueue;
}

export class RunQueue {
  private readonly waiting: string[] = [];
  private active: ActiveRun | null = null;
  private pumping = false;
  /** Set once the service closes: nothing new starts. */
  closing = false;
  private idleWaiters: (() => void)[] = [];
  /** Who waits for a run to stop (a study's driver). */
  private readonly runWaiters = new Map<string, (() => void)[]>();
  /** Runs this service waits for in the remote queue, and those whose end event came. */
  private readonly remoteRuns = new Set<string>();
  private readonly remoteEnded = new Set<string>();
  private readonly offNotice: () => void;
  private readonly offRemote: () => void;

  constructor(private readonly opts: RunQueueOptions) {
    this.offNotice = opts.engine.onNotice((n) => void this.onNotice(n).catch((err) => console.error('service: engine notice failed', err)));
    this.offRemote = opts.remote?.onEvent((runId, e) => {
      if (isTerminalEvent(e)) this.remoteEnded.add(runId);
      this.opts.events.dispatch(runId, e);
    }) ?? (() => undefined);
  }

  /** Whether runs train side by side (a remote queue with its workers). */
  get parallel(): boolean {
    return !!this.opts.remote;
  }

  /** Training now (or starting), here or in the remote queue. */
  isActive(runId: string): boolean {
    return this.active?.runId === runId || this.remoteRuns.has(runId);
  }

  /** Whether this service's engine trains a run now. */
  get busy(): boolean {
    return this.active !== null;
  }

  /** For a queued run: how many runs are ahead of it on this engine, the one training included. */
  position(runId: string): number | undefined {
    const i = this.waiting.indexOf(runId);
    return i >= 0 ? i + (this.active ? 1 : 0) : undefined;
  }

  /** How many runs a new one waits for on this engine (0 with a remote queue: its workers decide). */
  ahead(): number {
    return this.active && !this.opts.remote ? 1 + this.waiting.length : 0;
  }

  /** Queue runs at the end (a run already waiting keeps its place), then start what can start. */
  add(...runIds: string[]): Promise<void> {
    for (const id of runIds) if (!this.waiting.includes(id)) this.waiting.push(id);
    return this.pump();
  }

  /** Append the run again even if it waits already (resume/start, as they always did). */
  push(runId: string): void {
    this.waiting.push(runId);
    void this.pump();
  }

  drop(runId: string): void {
    for (let i = this.waiting.indexOf(runId); i >= 0; i = this.waiting.indexOf(runId)) this.waiting.splice(i, 1);
  }

  /** Resolves once a remote queue has it; a pause of a run still waiting for a worker is a conflict. */
  async control(runId: string, action: ControlAction): Promise<void> {
    if (this.remoteRuns.has(runId)) {
      const done = await this.opts.remote?.control(runId, action).catch((err: Error) => console.error(`service: ${action} of run ${runId} through the queue failed: ${err.message}`));
      // Still waiting for a worker: nothing to pause, as in the in-process queue (the run stays queued).
      if (done === 'waiting' && action === 'pause') throw new ServiceError('conflict', `run ${runId} is queued, not running yet: nothing to pause (cancel it to take it out of the queue)`);
      return;
    }
    const a = this.active;
    if (!a || a.runId !== runId) return;
    if (a.started) this.opts.engine.control(runId, action);
    else a.pending.push(action);
  }

  /** A person cancels the run training here: closing the service will not queue it again. */
  cancelActive(runId: string): Promise<void> {
    if (this.active?.runId === runId) this.active.cancelledByUser = true;
    return this.control(runId, 'cancel');
  }

  /** Queue a run (again, from its checkpoint when it has one) and resolve once it has stopped. */
  async runToEnd(run: RunHandle): Promise<void> {
    if (this.closing) return;
    const stopped = new Promise<void>((resolve) => this.runWaiters.set(run.id, [...(this.runWaiters.get(run.id) ?? []), resolve]));
    // Already training or waiting its turn (start-up recovery queued it): just wait for it.
    if (!this.isActive(run.id) && !this.waiting.includes(run.id)) {
      const st = await run.readStatus();
      // A remote queue sets the status itself (and leaves a run that a worker trains as it is).
      if (st.status !== 'queued' && !this.opts.remote) {
        await run.writeStatus({ status: 'queued', error: undefined, endedAt: undefined, resumable: await run.hasCheckpoint('latest') });
        await run.flush();
      }
      this.push(run.id);
    }
    await stopped;
  }

  /** Wake whoever waits for the run to stop. */
  wake(runId: string): void {
    const waiters = this.runWaiters.get(runId) ?? [];
    this.runWaiters.delete(runId);
    for (const w of waiters) w();
  }

  whenIdle(): Promise<void> {
    return this.idle() ? Promise.resolve() : new Promise<void>((r) => this.idleWaiters.push(r));
  }

  async pump(): Promise<void> {
    if (this.opts.remote) return this.pumpRemote(this.opts.remote);
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.active && !this.closing && this.waiting.length > 0) {
        const id = this.waiting.shift()!;
        let run: RunHandle;
        try {
          run = await this.opts.store.open(id);
        } catch {
          continue; // deleted while queued
        }
        if ((await run.readStatus()).status !== 'queued') continue;
        // Another process (the CLI, another service on a shared folder) trains it: its status is not ours.
        if (await assertRunUnlocked(run.dir, id).then(() => false, () => true)) continue;
        let finish!: () => void;
        const finished = new Promise<void>((resolve) => { finish = resolve; });
        const entry: ActiveRun = { runId: id, finished, finish, started: false, pending: [] };
        this.active = entry;
        const resume = await run.hasCheckpoint('latest');
        try {
          await this.opts.engine.start({ runId: id, runsDir: this.opts.store.runsDir, resume });
          entry.started = true;
          for (const action of entry.pending.splice(0)) this.opts.engine.control(id, action);
        } catch (err) {
          await this.failActive(id, `the engine could not start: ${(err as Error).message}`);
        }
      }
    } finally {
      this.pumping = false;
    }
    this.idleCheck();
  }

  /**
   * Closing: the run training here stops at a step boundary with a checkpoint and is queued again, so the
   * next service continues it; runs in a remote queue go on training on their workers (we stop watching).
   */
  async close(): Promise<void> {
    this.closing = true;
    const a = this.active;
    if (a) {
      void this.control(a.runId, 'cancel');
      await Promise.race([a.finished, new Promise((r) => setTimeout(r, 30_000))]);
    }
    await this.opts.engine.close();
    if (a) {
      const run = await this.opts.store.open(a.runId).catch(() => null);
      const st = await run?.readStatus().catch(() => null);
      const stoppedByClose = st && (st.status === 'running' || st.status === 'paused' || (st.status === 'cancelled' && !a.cancelledByUser));
      if (run && stoppedByClose) {
        await run.writeStatus({ status: 'queued', error: undefined, endedAt: undefined });
        await run.log('the service closed: stopped at a checkpoint and queued to continue when it starts again');
        await run.flush();
      }
      this.active = null;
    }
    this.offRemote();
    await this.opts.remote?.close();
    for (const id of [...this.runWaiters.keys()]) this.wake(id);
  }

  /** The last step of closing: stop following the engine and let every idle waiter go. */
  dispose(): void {
    this.offNotice();
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private idle(): boolean {
    return !this.active && this.waiting.length === 0 && this.remoteRuns.size === 0;
  }

  private idleCheck(): void {
    if (!this.idle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /** With a remote queue: every queued run goes to it at once; the workers decide the order. */
  private async pumpRemote(q: RemoteRunQueue): Promise<void> {
    while (!this.closing && this.waiting.length > 0) {
      const id = this.waiting.shift()!;
      if (this.remoteRuns.has(id)) continue;
      const run = await this.opts.store.open(id).catch(() => null);
      if (!run) continue; // deleted while queued
      this.remoteRuns.add(id);
      this.remoteEnded.delete(id);
      void q.runToEnd(run).catch((err: Error) => ({ status: 'failed' as const, error: err.message })).then((o) => {
        this.remoteRuns.delete(id);
        // Ended without a word from a worker (it could not open the run, or the queue gave up on it).
        if (!this.remoteEnded.delete(id) && !this.closing && o.status !== 'done') {
          this.opts.events.dispatch(id, o.status === 'failed' ? { type: 'failed', runId: id, error: o.error ?? 'the run failed', resumable: true }
            : { type: 'cancelled', runId: id, resumable: true });
        }
        this.wake(id);
        this.idleCheck();
      });
    }
    this.idleCheck();
  }

  private async onNotice(n: EngineNotice): Promise<void> {
    switch (n.type) {
      case 'event':
        this.opts.events.dispatch(n.runId, n.event);
        return;
      case 'finished':
        if (this.active?.runId !== n.runId) return;
        if (n.status === 'failed') await this.ensureFailedWritten(n.runId, n.error ?? 'the run failed', n.resumable);
        this.endActive();
        return;
      case 'error':
        console.error(`engine: ${n.message}`);
        // The engine would not take the run (another one trains, or it is shutting down): it never will.
        if (n.runId && this.active?.runId === n.runId && n.code === 'service.busy') await this.failActive(n.runId, n.message);
        return;
      case 'exit':
        if (!n.expected && this.active) await this.failActive(this.active.runId, crashMessage(n.code, n.signal));
        return;
      case 'ready':
        return;
    }
  }

  private endActive(): void {
    const a = this.active;
    if (!a) return;
    this.opts.events.flush(a.runId);
    this.active = null;
    a.finish();
    this.wake(a.runId);
    void this.pump();
  }


  /**
   * runTraining writes its own failures; a run the engine could not even open (unreadable config) would
   * otherwise stay 'queued' and be picked up again at every start.
   */
  private async ensureFailedWritten(runId: string, error: string, resumable: boolean): Promise<void> {
    try {
      const run = await this.opts.store.open(runId);
      if ((await run.readStatus()).status === 'failed') return;
      await assertRunUnlocked(run.dir, runId); // refused because another process trains it: leave it be
      await markFailed(run, error, resumable, (e) => this.opts.events.dispatch(runId, e));
    } catch (err) {
      console.error(`service: could not mark run ${runId} failed`, err);
    }
  }

  /** The active run's engine is gone (or never started): write the run failed, tell subscribers, go on. */
  private async failActive(runId: string, reason: string): Promise<void> {
    const a = this.active;
    // Once per run: a crash while starting is reported both by the exit and by the failed start.
    if (!a || a.runId !== runId || a.failing) return;
    a.failing = true;
    try {
      const run = await this.opts.store.open(a.runId);
      const resumable = await run.hasCheckpoint('latest');
      await markFailed(run, `${reason}${resumable ? '; the run can be resumed from its last checkpoint' : ''}`, resumable, (e) => this.opts.events.dispatch(a.runId, e));
    } catch (err) {
      console.error(`service: could not mark run ${a.runId} failed`, err);
    }
    if (this.active === a) this.endActive();
  }
}
