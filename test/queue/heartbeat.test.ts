// A run lock held on another machine: taken over only when that holder is a known worker whose heartbeat
// in Redis is missing twice, a stall timeout apart; never for a holder that is not a worker.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holderGoneByHeartbeat, startHeartbeat } from '../../core/queue/heartbeat.js';
import { heartbeatKey } from '../../core/queue/protocol.js';
import { parseQueueUrl } from '../../core/queue/url.js';
import { acquireRunLock, RunLockedError, RUN_LOCK_FILE } from '../../core/runs/runLock.js';
import { redisMissing, startRedis, type TestRedis } from './redis.js';

const skip = redisMissing() !== null;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'atstudio-heartbeat-'));
let server: TestRedis;
let redis: Redis;
beforeAll(async () => {
  if (skip) return;
  server = await startRedis(tmp);
  redis = new Redis(parseQueueUrl(server.url).options);
});
afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const TTL = 300;
const remote = { host: 'other-machine', pid: 4242, startedAt: '2026-01-01T00:00:00.000Z' };

describe.skipIf(skip)('remote lock holders and worker heartbeats', () => {
  it('not a worker: never gone; a beating worker: not gone; a stopped one: gone', async () => {
    const gone = holderGoneByHeartbeat(redis, TTL);
    expect(await gone({ ...remote, pid: 1 })).toBe(false); // never registered (`atstudio train` over there)
    const hb = await startHeartbeat(redis, TTL, remote.host, remote.pid);
    expect(await gone(remote)).toBe(false);
    await new Promise((r) => setTimeout(r, 2 * TTL)); // renewed meanwhile: still there
    expect(await gone(remote)).toBe(false);
    await hb.stop();
    expect(await gone(remote)).toBe(true);
  });

  it('a heartbeat missing once but back within the stall timeout (Redis restarted) is not gone', async () => {
    const hb = await startHeartbeat(redis, TTL, remote.host, remote.pid);
    await redis.del(heartbeatKey(remote.host, remote.pid));
    const gone = holderGoneByHeartbeat(redis, TTL, async (ms) => {
      await redis.set(heartbeatKey(remote.host, remote.pid), 'x', 'PX', TTL); // the live worker beats again
      await new Promise((r) => setTimeout(r, ms));
    });
    expect(await gone(remote)).toBe(false);
    await hb.stop();
  });

  it('the run lock takes over a gone remote worker, and refuses a remote holder otherwise', async () => {
    const dir = path.join(tmp, 'run');
    rmSync(dir, { recursive: true, force: true });
    (await import('node:fs')).mkdirSync(dir);
    writeFileSync(path.join(dir, RUN_LOCK_FILE), JSON.stringify(remote) + '\n');
    await expect(acquireRunLock(dir, 'r1')).rejects.toBeInstanceOf(RunLockedError);
    await expect(acquireRunLock(dir, 'r1', { isHolderGone: () => false })).rejects.toThrow(/pid 4242 on host other-machine/);
    await redis.sadd('atstudio:workers', `${remote.host}:${remote.pid}`); // a known worker with no heartbeat
    const lock = await acquireRunLock(dir, 'r1', { isHolderGone: holderGoneByHeartbeat(redis, TTL) });
    expect(lock.holder.host).toBe(os.hostname());
    await lock.release();
  });
});
