// Runs spread over workers through BullMQ (issue 16), end to end with real processes: two `atstudio
// worker`s drain a study while one is killed (kill -9, worker and engine: a power cut) and the study
// ends with exactly the numbers and weights of the same study on one machine; a Redis restart mid-study
// loses nothing; a run that fails for its own reasons fails once, with its message; serve mode's dashboard
// (its HTTP API and /events WebSocket) follows a run trained by a worker; a password in the
// queue URL never reaches a run folder or a log.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtBin, cli } from '../cli/harness.js';
import { FMNIST, freePort, queueTrainingSkips, startRedis, type TestRedis } from './redis.js';
import { connectRunQueue } from '../../core/queue/index.js';
import { RunStore } from '../../core/runs/runStore.js';
import { WebSocket } from 'ws';
import type { RunEvent } from '../../core/events/types.js';

const skip = queueTrainingSkips();

const tmp = mkdtempSync(path.join(os.tmpdir(), 'atstudio-queue-'));
const children: ChildProcess[] = [];
const servers: TestRedis[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const s of servers) await s.stop();
  rmSync(tmp, { recursive: true, force: true });
});

// One wasm thread everywhere: the same arithmetic in every process, so results compare exactly.
const ENV = { ...process.env, ATSTUDIO_BACKEND: 'wasm', ATSTUDIO_WASM_THREADS: '1' };
const base = {
  version: 2, seed: 3,
  data: { path: FMNIST, format: 'idx', limit: 32, testLimit: 32, augment: false },
  student: { model: { family: 'wrn', depth: 10, widen: 1 } },
  training: { epochs: 2, batchSize: 16, lr: 0.05, schedule: { kind: 'cosine' } },
  backend: 'wasm', probes: 0,
};
const studyConfig = { ...base, name: 'queued study', methods: ['baseline'], seeds: 2 };
const runConfig = { ...base, name: 'queued run', method: 'baseline' };

function write(name: string, value: unknown): string {
  const p = path.join(tmp, name);
  writeFileSync(p, JSON.stringify(value, null, 2));
  return p;
}

function startWorker(url: string, runsDir: string, name: string): { child: ChildProcess; ready: Promise<void>; output: () => string } {
  const child = spawn(process.execPath, [builtBin(), 'worker', '--queue', url, '--runs-dir', runsDir, '--lock-ms', '4000', '--stalled-ms', '1000'], { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    const on = (d: Buffer) => {
      out += d.toString();
      if (/ready/.test(out)) resolve();
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.once('exit', (code) => reject(new Error(`worker ${name} exited (${code}) before it was ready:\n${out}`)));
  });
  return { child, ready, output: () => out };
}

const runDirs = (runsDir: string) => (existsSync(runsDir) ? readdirSync(runsDir).filter((n) => !n.startsWith('.')).map((n) => path.join(runsDir, n)) : []);
const readJson = (f: string) => { try { return JSON.parse(readFileSync(f, 'utf8')); } catch { return null; } };
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
/** What a run ended with: its config's seed, its last epoch's numbers, its student's weights. */
function outcome(dir: string) {
  const epochs = readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"kind":"epoch"')).map((l) => JSON.parse(l));
  const last = epochs.at(-1);
  return { seed: readJson(path.join(dir, 'config.json')).seed, epochs: epochs.length, loss: last.test.loss, top1: last.test.top1, trainLoss: last.train.loss, weights: sha(path.join(dir, 'models', 'student', 'weights.bin')) };
}
const bySeed = (runsDir: string) => runDirs(runsDir).map(outcome).sort((a, b) => a.seed - b.seed);
/** Every file under a folder, as text (to look for a leaked password). */
const allText = (dir: string): string => readdirSync(dir, { recursive: true }).map((f) => path.join(dir, String(f)))
  .filter((f) => statSync(f).isFile()).map((f) => readFileSync(f, 'latin1')).join('\n');

describe.skipIf(skip)('atstudio worker: a study over two workers', () => {
  it('kill -9 of one worker mid-run: another resumes the run from its checkpoint, and the study ends exactly as on one machine', async () => {
    const cfg = write('study.json', studyConfig);
    // The same study on one machine, in its own process, meanwhile.
    const refDir = path.join(tmp, 'ref');
    const ref = new Promise<number>((resolve) => {
      const c = spawn(process.execPath, [builtBin(), 'study', cfg, '--runs-dir', refDir], { env: ENV, stdio: 'ignore' });
      children.push(c);
      c.once('exit', (code) => resolve(code ?? -1));
    });

    const redis = await startRedis(tmp);
    servers.push(redis);
    const runsDir = path.join(tmp, 'shared');
    const w1 = startWorker(redis.url, runsDir, 'w1');
    const w2 = startWorker(redis.url, runsDir, 'w2');
    await Promise.all([w1.ready, w2.ready]);

    // Kill the worker of the first run that has a checkpoint and still trains — and its engine.
    let killed: { runDir: string; worker: number; engine: number } | null = null;
    const watcher = setInterval(() => {
      if (killed) return;
      for (const dir of runDirs(runsDir)) {
        const st = readJson(path.join(dir, 'status.json'));
        const env = readJson(path.join(dir, 'environment.json'));
        if (st?.status === 'running' && st.epoch >= 1 && existsSync(path.join(dir, 'checkpoints', 'latest')) && env?.worker?.pid) {
          killed = { runDir: dir, worker: env.worker.pid, engine: st.pid };
          for (const pid of [env.worker.pid, st.pid]) try { process.kill(pid, 'SIGKILL'); } catch { /* gone already */ }
          return;
        }
      }
    }, 100);
    const r = await cli(['study', cfg, '--queue', redis.url, '--runs-dir', runsDir], { env: ENV });
    clearInterval(watcher);
    expect(r.code, r.err).toBe(0);
    expect(killed).not.toBeNull();
    const k = killed!;
    // The killed run went on elsewhere, from its checkpoint (not from scratch).
    expect(readFileSync(path.join(k.runDir, 'log.txt'), 'utf8')).toMatch(/resuming student phase after epoch 1/);
    const env = readJson(path.join(k.runDir, 'environment.json'));
    expect(env.worker.pid).not.toBe(k.worker);
    expect(env.worker.host).toBe(os.hostname());

    expect(await ref).toBe(0);
    const queued = bySeed(runsDir);
    const local = bySeed(refDir);
    expect(queued).toHaveLength(2);
    expect(queued.map((o) => o.epochs)).toEqual([2, 2]);
    expect(queued).toEqual(local); // losses, accuracies and weights, bit for bit
    expect(queued[0].weights).not.toBe(queued[1].weights); // two seeds, two different runs
    expect(r.out).toMatch(/Baseline/);
  }, 600_000);
});

describe.skipIf(skip)('atstudio worker: faults and the dashboard', () => {
  it('a Redis restart mid-run loses nothing; a password in the URL never reaches a run folder or a log', async () => {
    const password = 'pw-Zq81-secret';
    const redis = await startRedis(tmp, { password });
    servers.push(redis);
    expect(redis.url).toContain(password);
    const runsDir = path.join(tmp, 'restart');
    const w = startWorker(redis.url, runsDir, 'w');
    await w.ready;
    let restarted = false;
    const watcher = setInterval(() => {
      if (restarted) return;
      if (runDirs(runsDir).some((d) => readJson(path.join(d, 'status.json'))?.status === 'running')) {
        restarted = true;
        void redis.restart(1500);
      }
    }, 100);
    const r = await cli(['train', write('run.json', runConfig), '--queue', redis.url, '--runs-dir', runsDir, '--seeds', '2'], { env: ENV });
    clearInterval(watcher);
    expect(r.code, r.err).toBe(0);
    expect(restarted).toBe(true);
    const runs = runDirs(runsDir);
    expect(runs).toHaveLength(2);
    for (const d of runs) expect(readJson(path.join(d, 'status.json')).status).toBe('done');
    // Nothing printed or written carries the password; what is shown is redacted.
    const printed = `${r.out}${r.err}${w.output()}`;
    expect(printed).not.toContain(password);
    expect(allText(runsDir)).not.toContain(password);
    expect(r.err).toMatch(/redis:\/\/:\*\*\*@127\.0\.0\.1/);
    expect(w.child.exitCode).toBeNull(); // the worker rode out the restart
    w.child.kill('SIGTERM');
  }, 300_000);

  it('the dashboard follows a run trained by a worker; a run that fails for its own reasons fails once, with its message', async () => {
    const redis = await startRedis(tmp);
    servers.push(redis);
    const runsDir = path.join(tmp, 'dash');
    const w = startWorker(redis.url, runsDir, 'w');
    await w.ready;
    // serve mode with the queue, in its own process; the dashboard's WebSocket subscribes to every run.
    const port = await freePort();
    const serve = spawn(process.execPath, [builtBin(), 'serve', '--queue', redis.url, '--runs-dir', runsDir, '--port', String(port), '--no-token'], { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(serve);
    let serveOut = '';
    const serving = new Promise<void>((resolve) => {
      const on = (d: Buffer) => { serveOut += d.toString(); if (/serving on/.test(serveOut)) resolve(); };
      serve.stdout!.on('data', on);
      serve.stderr!.on('data', on);
    });
    await serving;
    const call = async (method: string, ...args: unknown[]) => {
      const res = await fetch(`http://127.0.0.1:${port}/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ args }) });
      const body = await res.json() as { ok: boolean; result?: unknown; error?: unknown };
      if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
      return body.result as Record<string, unknown>;
    };
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/events`);
      const events: RunEvent[] = [];
      const ended = new Promise<void>((resolve) => ws.on('message', (data) => {
        const m = JSON.parse(data.toString()) as { type: string; event?: RunEvent };
        if (m.type !== 'event' || !m.event) return;
        events.push(m.event);
        if (m.event.type === 'done' || m.event.type === 'failed') resolve();
      }));
      await new Promise<void>((resolve) => ws.once('open', () => resolve()));
      ws.send(JSON.stringify({ type: 'subscribe' }));
      const run = await call('startRun', runConfig) as { id: string };
      await ended;
      ws.close();
      const types = events.map((e) => e.type);
      expect(types[0]).toBe('started');
      expect(types.filter((t) => t === 'epoch')).toHaveLength(2);
      expect(types.at(-1)).toBe('done');
      const detail = await call('getRun', run.id) as { status: { status: string }; environment: { worker?: { host?: string; pid?: number } } };
      expect(detail.status.status).toBe('done');
      expect(detail.environment.worker?.host).toBe(os.hostname());
      expect(detail.environment.worker?.pid).toBe(w.child.pid); // trained by the worker, not by serve

      // Its own failure: the dataset is gone by the time a worker takes it (made without the checks).
      const store = new RunStore(runsDir);
      const bad = await store.create({ ...(await store.open(run.id)).config, name: 'no data', data: { ...runConfig.data, path: path.join(tmp, 'no-such-data') } } as never);
      const q2 = await connectRunQueue({ url: redis.url, store, log: () => undefined });
      try {
        const o = await q2.runToEnd(bad);
        expect(o.status).toBe('failed');
        expect(o.error).toMatch(/no-such-data/);
        await new Promise((r) => setTimeout(r, 3000)); // time for a retry, were there one
        const st = await bad.readStatus();
        expect(st.status).toBe('failed');
        expect(st.error).toMatch(/no-such-data/);
        expect(w.output().match(/no data|no-such-data/g)?.length ?? 0).toBeGreaterThan(0);
        expect(w.output().split(`run ${bad.id}: starting`).length - 1).toBe(1); // tried once
      } finally {
        await q2.close();
      }
    } finally {
      serve.kill('SIGTERM');
      w.child.kill('SIGTERM');
    }
  }, 300_000);
});
