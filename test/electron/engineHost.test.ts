// The engine in an Electron utilityProcess. With utilityProcess mocked: a crash marks the active run
// failed and the next run gets a new engine process. With the real entry (dist/electron/engineProcess.cjs)
// in a node child whose process.parentPort is a shim over node IPC: it speaks the engine protocol.
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createService } from '../../core/service/service.js';
import type { EngineNotice } from '../../core/service/engine/protocol.js';
import type { UtilityProcess, UtilityProcessModule } from '../../electron/electronTypes.js';
import { utilityProcessEngine } from '../../electron/engineHost.js';
import { tinyConfig } from '../service/harness.js';
import { mockElectron, type FakeUtilityProcess } from './mockElectron.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const tmp = mkdtempSync(path.join(tmpdir(), 'atstudio-electron-engine-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const until = async (cond: () => boolean, what: string, ms = 10_000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};
const startsOf = (p: FakeUtilityProcess) => p.received.filter((m) => (m as { type: string }).type === 'start') as { runId: string }[];

describe('utilityProcessEngine with a mocked utilityProcess', () => {
  it('marks the run failed when the engine process dies, and starts a new process for the next run', async () => {
    const m = mockElectron();
    const script = path.join(tmp, 'engineProcess.cjs');
    writeFileSync(script, '// stands in for the built entry\n');
    const readyOnFork: UtilityProcessModule = {
      fork: (modulePath, args, options) => {
        const p = m.electron.utilityProcess.fork(modulePath, args, options) as FakeUtilityProcess;
        setImmediate(() => p.emit('message', { type: 'ready', pid: p.pid, protocol: 1 }));
        return p;
      },
    };
    const crashes: number[] = [];
    const engine = utilityProcessEngine(readyOnFork, { scriptPath: script, onCrash: (c) => crashes.push(c) });
    const notices: EngineNotice[] = [];
    engine.onNotice((n) => notices.push(n));
    const api = createService({ runsDir: path.join(tmp, 'runs'), engine });
    const events: { runId: string; type: string; error?: string }[] = [];
    api.subscribe((runId, e) => events.push({ runId, type: e.type, ...('error' in e ? { error: String(e.error) } : {}) }));

    const victim = await api.startRun(tinyConfig({ name: 'crashes' }));
    await until(() => m.forks.length === 1 && startsOf(m.forks[0]!).length === 1, 'the first start');
    expect(m.forks[0]!.modulePath).toBe(script);
    expect(startsOf(m.forks[0]!)[0]!.runId).toBe(victim.id);

    m.forks[0]!.emit('exit', 134); // the engine aborts (a native crash in training)
    await until(() => events.some((e) => e.runId === victim.id && e.type === 'failed'), 'the failed event');
    const detail = await api.getRun(victim.id);
    expect(detail.status.status).toBe('failed');
    expect(detail.status.error).toMatch(/engine process stopped unexpectedly \(exit code 134\)/);
    expect(crashes).toEqual([134]);
    expect(notices.find((n) => n.type === 'exit')).toEqual({ type: 'exit', code: 134, signal: null, expected: false });

    const next = await api.startRun(tinyConfig({ name: 'after the crash' }));
    await until(() => m.forks.length === 2 && startsOf(m.forks[1]!).length === 1, 'a new engine process');
    expect(startsOf(m.forks[1]!)[0]!.runId).toBe(next.id);
    expect(engine.starts).toBe(2);

    // Quitting: the active run is cancelled at a step, then the engine is asked to shut down; its exit is
    // expected, not a crash.
    const closing = api.close();
    const got = (type: string) => m.forks[1]!.received.some((x) => (x as { type: string }).type === type);
    await until(() => got('control'), 'the cancel request');
    m.forks[1]!.emit('message', { type: 'finished', runId: next.id, status: 'cancelled', resumable: false });
    await until(() => got('shutdown'), 'the shutdown message');
    m.forks[1]!.emit('exit', 0);
    await closing;
    expect(crashes).toEqual([134]);
  });
});

describe('dist/electron/engineProcess.cjs (the utilityProcess entry)', () => {
  const entry = path.join(root, 'dist', 'electron', 'engineProcess.cjs');
  // process.parentPort as Electron gives it to a utility process: 'message' events of { data }, postMessage.
  const shim = path.join(tmp, 'parentPortShim.cjs');
  writeFileSync(shim, `
    const { EventEmitter } = require('node:events');
    const port = new EventEmitter();
    port.postMessage = (m) => process.send(m);
    process.on('message', (m) => port.emit('message', { data: m, ports: [] }));
    process.parentPort = port;
  `);
  // utilityProcess.fork, played by node's fork with the shim preloaded.
  const nodeUtility: UtilityProcessModule = {
    fork(modulePath) {
      const c = fork(modulePath, [], { execArgv: ['--require', shim], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
      const p = new EventEmitter() as EventEmitter & UtilityProcess;
      Object.defineProperty(p, 'pid', { get: () => c.pid });
      p.postMessage = (m: unknown) => void c.send(m as object);
      p.kill = () => c.kill();
      c.on('message', (m) => p.emit('message', m));
      c.on('exit', (code) => p.emit('exit', code ?? 1));
      return p;
    },
  };

  it('says ready over parentPort, answers a start, and exits when asked', async () => {
    expect(existsSync(entry), `${entry} is built by npm run build`).toBe(true);
    const engine = utilityProcessEngine(nodeUtility, { scriptPath: entry, readyTimeoutMs: 30_000 });
    const notices: EngineNotice[] = [];
    engine.onNotice((n) => notices.push(n));
    await engine.start({ runId: '20260101-000000-missing', runsDir: path.join(tmp, 'no-runs'), resume: false });
    await until(() => notices.some((n) => n.type === 'finished'), 'the finished message', 30_000);
    const fin = notices.find((n) => n.type === 'finished') as Extract<EngineNotice, { type: 'finished' }>;
    expect(fin.runId).toBe('20260101-000000-missing');
    expect(fin.status).toBe('failed');
    expect(engine.pid).toBeGreaterThan(0);
    await engine.close();
    expect(notices.at(-1)).toEqual({ type: 'exit', code: 0, signal: null, expected: true });
  });
});
