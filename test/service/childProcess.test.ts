// The engine in a real child process (node:child_process.fork): a run trains there to done; killing the
// process mid-run marks the run failed (resumable), says so in a failed event, and the next queued run
// trains on a fresh engine process.
//
// The child runs the compiled engine, dist/core/service/engine/engineMain.js. `npm test` builds first
// (`npm run build && vitest run`); when this file runs alone and dist is missing or older than the
// sources, beforeAll builds it (tsc, about 5 s).
import { execFileSync, fork } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childProcessEngine, createService, defaultEngineScript, type AtStudioService, type ChildProcessEngine, type EngineToHost } from '../../core/service/index.js';
import { parseRunConfig } from '../../core/config/index.js';
import { RunStore } from '../../core/runs/index.js';
import { isTerminal, record, tempDir, tinyConfig } from './harness.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

const tmp = tempDir();
let engine: ChildProcessEngine;
let api: AtStudioService;

beforeAll(() => {
  const script = defaultEngineScript();
  if (!existsSync(script) || statSync(script).mtimeMs < newestSource(path.join(ROOT, 'core'))) {
    try {
      execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'pipe' });
    } catch (err) {
      // tsc still emits when another part of the tree has type errors; the script is what matters.
      console.warn(`tsc reported errors (the engine script is used anyway): ${String((err as { stdout?: Buffer }).stdout ?? err).slice(0, 500)}`);
    }
  }
  expect(existsSync(script)).toBe(true);
  engine = childProcessEngine();
  api = createService({ runsDir: tmp.dir, engine });
});
afterAll(async () => {
  await api?.close();
  tmp.cleanup();
});

describe('engine in a child process', () => {
  it('trains a tiny run to done in the child', async () => {
    const rec = record(api);
    const run = await api.startRun(tinyConfig({ name: 'in a child' }));
    const end = await rec.waitFor((id, e) => id === run.id && isTerminal(e));
    expect(end.type).toBe('done');
    const pid = engine.pid;
    expect(pid).toBeGreaterThan(0);
    expect(pid).not.toBe(process.pid);
    const st = (await api.getRun(run.id)).status;
    expect(st).toMatchObject({ status: 'done', pid });
    expect(rec.of('epoch', run.id).map((e) => `${e.phase}${e.epoch}`)).toEqual(['teacher1', 'student1']);
    rec.stop();
  });

  it('a killed engine fails its run (resumable), and the next queued run trains on a fresh engine', async () => {
    const rec = record(api);
    const cfg = tinyConfig({ name: 'killed', method: 'baseline', data: { limit: 256 }, training: { epochs: 2 } });
    delete cfg.teacher;
    const victim = await api.startRun(cfg);
    const next = await api.startRun(tinyConfig({ name: 'after the crash' }));
    await rec.waitFor((id, e) => id === victim.id && e.type === 'checkpoint');
    const killed = engine.pid!;
    process.kill(killed, 'SIGKILL');

    const failed = await rec.waitFor((id, e) => id === victim.id && e.type === 'failed');
    expect(failed).toMatchObject({ type: 'failed', resumable: true });
    expect((failed as { error: string }).error).toMatch(/^the engine process stopped unexpectedly \(signal SIGKILL\); the run can be resumed/);
    const st = (await api.getRun(victim.id)).status;
    expect(st).toMatchObject({ status: 'failed', resumable: true });
    expect(st.epoch).toBeGreaterThanOrEqual(1);
    expect(await api.getLog(victim.id)).toMatch(/failed: the engine process stopped unexpectedly/);

    await rec.waitFor((id, e) => id === next.id && isTerminal(e));
    expect(rec.of('done', next.id)).toHaveLength(1);
    expect(engine.pid).not.toBe(killed);
    expect((await api.getRun(next.id)).status.pid).toBe(engine.pid);

    // And the failed run continues from its checkpoint on the new engine.
    await api.resumeRun(victim.id);
    await rec.waitFor((id, e) => id === victim.id && e.type === 'done');
    expect(rec.of('started', victim.id).at(-1)?.resumedFrom?.epoch).toBe(st.epoch);
    rec.stop();
  });

  it('says so when the engine cannot start, and the run fails (not resumable)', async () => {
    const broken = createService({ runsDir: path.join(tmp.dir, 'other'), engine: childProcessEngine({ scriptPath: path.join(tmp.dir, 'missing.js') }) });
    try {
      const rec = record(broken);
      const run = await broken.startRun(tinyConfig({ name: 'no engine' }));
      const failed = await rec.waitFor((id, e) => id === run.id && e.type === 'failed');
      expect(failed).toMatchObject({ resumable: false });
      expect((failed as { error: string }).error).toMatch(/^the engine could not start: the engine script .*missing\.js does not exist; build the project first/);
      expect((await broken.getRun(run.id)).status.status).toBe('failed');
    } finally {
      await broken.close();
    }
  });

  it('an engine whose service went away stops at a checkpoint, queues the run and exits', async () => {
    const dir = path.join(tmp.dir, 'orphaned');
    const cfg = tinyConfig({ name: 'orphaned', method: 'baseline', data: { limit: 256 }, training: { epochs: 2 } });
    delete cfg.teacher;
    const run = await new RunStore(dir).create(parseRunConfig(cfg));
    const child = fork(defaultEngineScript(), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      child.on('message', (m: EngineToHost) => {
        if (m.type === 'ready') child.send({ type: 'start', runId: run.id, runsDir: dir, resume: false });
        if (m.type === 'event' && m.event.type === 'step' && m.event.step === 2) resolve();
      });
    });
    child.disconnect(); // what the child sees when its parent dies
    expect(await exited).toBe(0);
    const st = await run.readStatus();
    expect(st).toMatchObject({ status: 'queued', resumable: true });
    expect(st.epoch * 8 + st.step).toBeGreaterThanOrEqual(2);
    expect(await run.readLog()).toMatch(/the engine shut down: stopped at a checkpoint and queued/);
  });
});
