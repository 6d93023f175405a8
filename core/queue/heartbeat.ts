// How a worker tells that the holder of a run's lock on ANOTHER machine is gone. A pid on another host
// cannot be checked, and a lock's age says nothing (a healthy run keeps its lock for hours). So each worker
// keeps a heartbeat key in Redis (expiring after the stall timeout, renewed three times as often) and
// registers once in a set of workers. A remote holder is gone when it is a registered worker AND its
// heartbeat is missing twice, one stall timeout apart (a Redis restart without persistence drops every
// heartbeat at once; live workers write theirs again within a third of that time). A remote holder that
// never was a worker (`atstudio train` on that machine) is never judged gone: the lock refuses, as always.
import * as os from 'node:os';
import type { Redis } from 'ioredis';
import type { RunLockHolder } from '../runs/runLock.js';
import { heartbeatKey, QUEUE_PREFIX } from './protocol.js';

export const WORKERS_SET = `${QUEUE_PREFIX}:workers`;

export interface Heartbeat {
  stop(): Promise<void>;
}

export async function startHeartbeat(redis: Redis, ttlMs: number, host = os.hostname(), pid = process.pid): Promise<Heartbeat> {
  const key = heartbeatKey(host, pid);
  const beat = () => redis.set(key, new Date().toISOString(), 'PX', ttlMs);
  await redis.sadd(WORKERS_SET, `${host}:${pid}`);
  await beat();
  const timer = setInterval(() => void beat().catch(() => undefined), Math.max(100, Math.floor(ttlMs / 3)));
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await redis.del(key).catch(() => undefined);
    },
  };
}

/** RunLockOptions.isHolderGone for a worker: see the file comment. */
export function holderGoneByHeartbeat(redis: Redis, ttlMs: number, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))) {
  return async (h: RunLockHolder): Promise<boolean> => {
    if (!(await redis.sismember(WORKERS_SET, `${h.host}:${h.pid}`))) return false;
    if (await redis.exists(heartbeatKey(h.host, h.pid))) return false;
    await sleep(ttlMs);
    return !(await redis.exists(heartbeatKey(h.host, h.pid)));
  };
}
