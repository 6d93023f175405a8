// RunQueue with a scripted engine: runs start one at a time in order; a run the engine refuses
// ('service.busy'), a crash and a failed start each write the run failed once (markFailed) and tell
// subscribers; control before the engine has the run is kept and sent once it has; whenIdle waits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseRunConfig } from '../../core/config/runConfig.js';
import type { RunEvent } from '../../core/events/types.js';
import { RunStore } from '../../core/runs/runStore.js';
import { NoticeListeners, type EngineHost, type StartRequest } from '../../core/service/engine/host.js';
import type { ControlAction, EngineNotice } from '../../core/service/engine/protocol.js';
import { EventHub } from '../../core/service/eventHub.js';
import { markFailed } from '../../core/service/markFailed.js';
import { recoverRuns } from '../../core/service/recovery.js';
import { RunQueue } from '../../core/service/runQueue.js';

class ScriptedEngine implements EngineHost {
  readonly kind = 'scripted';
  readonly listeners = new NoticeListeners();
  readonly started: string[] = [];
  readonly controls: [string, ControlAction][] = [];
  startGate: Promise<void> = Promise.resolve();
  failStart: Error | null = null;
  async start(req: StartRequest): Promise<void> {
    this.started.push(req.runId);
    await this.startGate;
    if (this.failStart) throw this.failStart;
  }
  control(runId: string, action: ControlAction): void { this.controls.push([runId, action]); }
  onNotice(fn: (n: EngineNotice) => void): () => void { return this.listeners.add(fn); }
  async close(): Promise<void> {}
  notify(n: EngineNotice): void { this.listeners.emit(n); }
}

const until = async (cond: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 500 && !(await cond()); i++) await new Promise((r) => setTimeout(r, 5));
  expect(await cond()).toBe(true);
};

describe('RunQueue', () => {
  let tmp: string;
  let store: RunStore;
  let engine: ScriptedEngine;
  let events: EventHub;
  let queue: RunQueue;
  let seen: RunEvent[];
  const newRun = async (name: string) => (await store.create(parseRunConfig({ name, data: { path: '/data/x' } }))).id;

  beforeEach(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'atstudio-queue-'));
    store = new RunStore(path.join(tmp, 'runs'));
    engine = new ScriptedEngine();
    events = new EventHub(0);
    seen = [];
    events.subscribe((_, e) => seen.push(e));
    queue = new RunQueue({ store, engine, events });
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    queue.dispose();
    events.close();
    vi.restoreAllMocks();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('starts queued runs one at a time, in order, and is idle when the last one finished', async () => {
    const a = await newRun('a');
    const b = await newRun('b');
    await queue.add(a, b, a); // a run already waiting keeps its one place
    expect(engine.started).toEqual([a]);
    expect(queue.isActive(a)).toBe(true);
    expect(queue.position(b)).toBe(1);
    let idle = false;
    void queue.whenIdle().then(() => { idle = true; });
    engine.notify({ type: 'finished', runId: a, status: 'done', resumable: false });
    await until(() => engine.started.length === 2);
    expect(engine.started).toEqual([a, b]);
    expect(idle).toBe(false);
    engine.notify({ type: 'finished', runId: b, status: 'done', resumable: false });
    await until(() => idle);
    expect(queue.busy).toBe(false);
  });

  it('a run the engine will not take (code service.busy) is written failed once and subscribers told', async () => {
    const a = await newRun('a');
    await queue.add(a);
    // The code decides, not the text: an error notice with the same words but no code changes nothing.
    engine.notify({ type: 'error', runId: a, message: 'the engine is busy with run z; one run at a time' });
    await new Promise((r) => setTimeout(r, 20));
    expect(queue.isActive(a)).toBe(true);
    engine.notify({ type: 'error', runId: a, message: 'the engine is shutting down', code: 'service.busy' });
    await until(() => !queue.isActive(a));
    const st = await (await store.open(a)).readStatus();
    expect(st).toMatchObject({ status: 'failed', error: 'the engine is shutting down', resumable: false });
    expect(seen).toEqual([{ type: 'failed', runId: a, error: 'the engine is shutting down', resumable: false }]);
  });

  it('a crash while starting is reported once, though both the exit and the failed start say so', async () => {
    const a = await newRun('a');
    let release!: () => void;
    engine.startGate = new Promise((r) => { release = r; });
    engine.failStart = new Error('spawn failed');
    const pumped = queue.add(a);
    await until(() => engine.started.length === 1);
    engine.notify({ type: 'exit', code: null, signal: 'SIGKILL', expected: false });
    await until(() => seen.length === 1);
    release();
    await pumped;
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ type: 'failed', runId: a, error: expect.stringContaining('signal SIGKILL') });
    expect((await (await store.open(a)).readLog()).match(/failed:/g)).toHaveLength(1);
  });

  it('control before the engine has the run is kept and sent once it has; cancelActive marks it cancelled by a person', async () => {
    const a = await newRun('a');
    let release!: () => void;
    engine.startGate = new Promise((r) => { release = r; });
    const pumped = queue.add(a);
    await until(() => engine.started.length === 1);
    void queue.control(a, 'pause');
    void queue.cancelActive(a);
    expect(engine.controls).toEqual([]);
    release();
    await pumped;
    expect(engine.controls).toEqual([[a, 'pause'], [a, 'cancel']]);
  });

  it('a finished notice with status failed that the run did not write is written by the queue', async () => {
    const a = await newRun('a');
    await queue.add(a);
    engine.notify({ type: 'finished', runId: a, status: 'failed', error: 'config unreadable', resumable: false });
    await until(async () => (await (await store.open(a)).readStatus()).status === 'failed');
    expect(seen).toEqual([{ type: 'failed', runId: a, error: 'config unreadable', resumable: false }]);
  });
});

describe('markFailed and recoverRuns', () => {
  let tmp: string;
  beforeEach(() => { tmp = mkdtempSync(path.join(tmpdir(), 'atstudio-recover-')); });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('markFailed writes status and log, then tells', async () => {
    const store = new RunStore(tmp);
    const run = await store.create(parseRunConfig({ name: 'x', data: { path: '/data/x' } }));
    const told: unknown[] = [];
    await markFailed(run, 'out of memory', true, (e) => told.push(e));
    expect(await run.readStatus()).toMatchObject({ status: 'failed', error: 'out of memory', resumable: true });
    expect(await run.readLog()).toContain('failed: out of memory');
    expect(told).toEqual([{ type: 'failed', runId: run.id, error: 'out of memory', resumable: true }]);
  });

  it('recoverRuns returns queued runs oldest first and fails a run our own pid left running', async () => {
    const store = new RunStore(tmp);
    const first = await store.create(parseRunConfig({ name: 'first', data: { path: '/data/x' } }));
    const second = await store.create(parseRunConfig({ name: 'second', data: { path: '/data/x' } }));
    const left = await store.create(parseRunConfig({ name: 'left running', data: { path: '/data/x' } }));
    await left.writeStatus({ status: 'running', pid: process.pid });
    await left.flush();
    expect(await recoverRuns(store)).toEqual([first.id, second.id]);
    const st = await (await store.open(left.id)).readStatus();
    expect(st.status).toBe('failed');
    expect(st.error).toMatch(/^the run was interrupted/);
  });
});
