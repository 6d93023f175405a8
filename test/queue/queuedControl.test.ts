// Pause and cancel of a run that waits in the Redis queue (no worker has taken it yet) answer as the
// in-process queue does: pause is refused and the run stays queued with no request left behind for a
// later worker; cancel takes the job out of the queue and the folder says cancelled. Real redis-server.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { connectRunQueue } from '../../core/queue/index.js';
import { controlKey } from '../../core/queue/protocol.js';
import { RunStore } from '../../core/runs/runStore.js';
import { createService } from '../../core/service/service.js';
import type { RunEvent } from '../../core/events/types.js';
import { FMNIST, queueTrainingSkips, startRedis, type TestRedis } from './redis.js';

const skip = queueTrainingSkips();

const tmp = mkdtempSync(path.join(os.tmpdir(), 'atstudio-queued-'));
const servers: TestRedis[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const config = {
  version: 2, seed: 1, name: 'waits for a worker', method: 'baseline',
  data: { path: FMNIST, format: 'idx', limit: 16, testLimit: 16, augment: false },
  student: { model: { family: 'wrn', depth: 10, widen: 1 } },
  training: { epochs: 1, batchSize: 16, lr: 0.05, schedule: { kind: 'cosine' } },
  backend: 'cpu', probes: 0,
};

describe.skipIf(skip)('a run still waiting in the Redis queue', () => {
  it('pause is refused and leaves it queued; cancel takes its job out and the run is cancelled', async () => {
    const redis = await startRedis(tmp);
    servers.push(redis);
    const runsDir = path.join(tmp, 'runs');
    const store = new RunStore(runsDir);
    const queue = await connectRunQueue({ url: redis.url, store, log: () => undefined, pollMs: 200 });
    const api = createService({ runsDir, queue });
    const probe = new Redis(redis.port, '127.0.0.1');
    const jobKey = (id: string) => `atstudio:atstudio-runs:${id}`;
    try {
      const events: RunEvent[] = [];
      let cancelled!: () => void;
      const gotCancelled = new Promise<void>((r) => (cancelled = r));
      api.subscribe((_, e) => {
        events.push(e);
        if (e.type === 'cancelled') cancelled();
      });
      const run = await api.startRun(config);
      // No worker: the job waits.
      while ((await queue.counts()).waiting < 1) await new Promise((r) => setTimeout(r, 50));
      expect(await probe.exists(jobKey(run.id))).toBe(1);

      await expect(api.pauseRun(run.id)).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/is queued, not running yet: nothing to pause/) });
      await expect(api.resumeRun(run.id)).resolves.toBeUndefined(); // already waiting its turn, as in-process
      expect((await store.open(run.id).then((r) => r.readStatus())).status).toBe('queued');
      // No pause (or resume) left behind for the worker that takes it later.
      expect(await probe.get(controlKey(run.id))).toBeNull();
      expect(await queue.counts()).toMatchObject({ waiting: 1, active: 0 });

      await api.cancelRun(run.id);
      await gotCancelled;
      const st = await (await store.open(run.id)).readStatus();
      expect(st.status).toBe('cancelled');
      expect(readFileSync(path.join(runsDir, run.id, 'log.txt'), 'utf8')).toMatch(/cancelled while queued/);
      expect(await probe.exists(jobKey(run.id))).toBe(0); // the job is gone: no worker will take it
      expect(await queue.counts()).toMatchObject({ waiting: 0, active: 0 });
      expect(await probe.get(controlKey(run.id))).toBeNull();
      expect(events.filter((e) => e.type === 'cancelled')).toHaveLength(1);
      expect(events.some((e) => e.type === 'started')).toBe(false);
      // A cancelled run is not running: cancel and pause now answer as for any stopped run.
      await expect(api.cancelRun(run.id)).rejects.toMatchObject({ code: 'conflict' });
    } finally {
      probe.disconnect();
      await api.close();
    }
  }, 60_000);
});
