// The run lock: atomic, exclusive, stale locks of dead local processes taken over, live, remote and
// unreadable holders refused with a message that names them.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRunConfig } from '../../core/config/index.js';
import { acquireRunLock, assertRunUnlocked, RUN_LOCK_FILE, RunLockedError, RunStore } from '../../core/runs/index.js';

let dir: string;
beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlock-')); });
afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

const host = os.hostname();
const lockFile = () => path.join(dir, RUN_LOCK_FILE);
const files = async () => (await fs.readdir(dir)).sort();

describe('acquireRunLock', () => {
  it('writes pid, host and start time; a second holder is refused naming them; release frees it', async () => {
    const a = await acquireRunLock(dir, 'r1', { pid: 111, isAlive: () => true });
    const onDisk = JSON.parse(await fs.readFile(lockFile(), 'utf8'));
    expect(onDisk).toEqual({ pid: 111, host, startedAt: a.holder.startedAt });
    expect(Number.isNaN(Date.parse(onDisk.startedAt))).toBe(false);
    const refused = acquireRunLock(dir, 'r1', { pid: 222, isAlive: () => true });
    await expect(refused).rejects.toThrow(RunLockedError);
    await expect(refused).rejects.toThrow(`run r1 is being trained by pid 111 on host ${host} since ${onDisk.startedAt}`);
    await expect(assertRunUnlocked(dir, 'r1', { isAlive: () => true })).rejects.toThrow('pid 111');
    expect(await files()).toEqual([RUN_LOCK_FILE]); // no temporary files left by the refused attempt
    await a.release();
    expect(await files()).toEqual([]);
    const b = await acquireRunLock(dir, 'r1', { pid: 222, isAlive: () => true });
    expect(b.holder.pid).toBe(222);
  });

  it('takes over the lock of a dead process on this host', async () => {
    await fs.writeFile(lockFile(), JSON.stringify({ pid: 999999, host, startedAt: '2026-01-01T00:00:00.000Z' }));
    await assertRunUnlocked(dir, 'r1', { isAlive: (p) => p !== 999999 });
    const l = await acquireRunLock(dir, 'r1', { pid: 5, isAlive: (p) => p !== 999999 });
    expect(JSON.parse(await fs.readFile(lockFile(), 'utf8')).pid).toBe(5);
    expect(await files()).toEqual([RUN_LOCK_FILE]);
    await l.release();
  });

  it('refuses a holder on another host even when that pid is not alive here', async () => {
    const remote = JSON.stringify({ pid: 4242, host: 'other-machine', startedAt: '2026-01-01T00:00:00.000Z' });
    await fs.writeFile(lockFile(), remote);
    await expect(acquireRunLock(dir, 'r1', { isAlive: () => false }))
      .rejects.toThrow('run r1 is being trained by pid 4242 on host other-machine since 2026-01-01T00:00:00.000Z');
    expect(await fs.readFile(lockFile(), 'utf8')).toBe(remote);
  });

  it('refuses an unreadable lock (its holder cannot be proven gone), naming the file, and leaves it', async () => {
    for (const garbage of ['', '{"pid": "x"', 'hello']) {
      await fs.writeFile(lockFile(), garbage);
      await expect(acquireRunLock(dir, 'r1', { isAlive: () => false })).rejects.toThrow(`${lockFile()}, which cannot be read`);
      expect(await fs.readFile(lockFile(), 'utf8')).toBe(garbage);
    }
  });

  it('of many processes racing for one lock, exactly one gets it', async () => {
    const tries = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => acquireRunLock(dir, 'r1', { pid: 1000 + i, isAlive: () => true })));
    expect(tries.filter((t) => t.status === 'fulfilled')).toHaveLength(1);
    expect(tries.filter((t) => t.status === 'rejected').every((t) => (t as PromiseRejectedResult).reason instanceof RunLockedError)).toBe(true);
    expect(await files()).toEqual([RUN_LOCK_FILE]);
  });

  it('of many processes racing to take over one stale lock, exactly one gets it', async () => {
    await fs.writeFile(lockFile(), JSON.stringify({ pid: 999999, host, startedAt: 'x' }));
    const alive = (p: number) => p !== 999999;
    const tries = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => acquireRunLock(dir, 'r1', { pid: 1000 + i, isAlive: alive })));
    expect(tries.filter((t) => t.status === 'fulfilled')).toHaveLength(1);
    expect(await files()).toEqual([RUN_LOCK_FILE]);
  });
});

describe('RunStore.remove respects the lock', () => {
  it('refuses to delete a run another live process trains; deletes it once free', async () => {
    const store = new RunStore(dir);
    const run = await store.create(parseRunConfig({ name: 'locked', data: { path: '/data/x' } }));
    await fs.writeFile(path.join(run.dir, RUN_LOCK_FILE), JSON.stringify({ pid: 4242, host: 'other-machine', startedAt: 'T' }));
    await expect(store.remove(run.id)).rejects.toThrow(`run ${run.id} is being trained by pid 4242 on host other-machine since T`);
    expect(await store.exists(run.id)).toBe(true);
    await fs.rm(path.join(run.dir, RUN_LOCK_FILE));
    await store.remove(run.id);
    expect(await store.exists(run.id)).toBe(false);
  });
});
