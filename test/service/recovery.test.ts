// A new service on the same runs folder: runs left running by a dead process become failed (resumable),
// queued runs are picked up, and a service that closes mid-run leaves that run queued to continue.
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backend.js';
import { parseRunConfig } from '../../core/config/index.js';
import { RunStore } from '../../core/runs/index.js';
import { createTrainControl, runTraining } from '../../core/train/index.js';
import { createService } from '../../core/service/index.js';
import { record, tempDir, tinyConfig } from './harness.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
beforeAll(async () => {
  await useBackend('wasm');
});

function baseline(name: string): Record<string, unknown> {
  const cfg = tinyConfig({ name, method: 'baseline', data: { limit: 256 }, training: { epochs: 2 } });
  delete cfg.teacher;
  return cfg;
}

describe('start-up recovery', () => {
  it('fails a run whose process died (resumable), runs the queued one, then resumes the failed one', async () => {
    const store = new RunStore(tmp.dir);
    // A run that trained one epoch, then its process "died": status.json still says running, with a dead pid.
    const crashed = await store.create(parseRunConfig(baseline('crashed')));
    const control = createTrainControl();
    await runTraining(crashed, { control, onEvent: (e) => { if (e.type === 'epoch') control.cancel(); } });
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    const statusFile = path.join(crashed.dir, 'status.json');
    const st = JSON.parse(await fs.readFile(statusFile, 'utf8'));
    await fs.writeFile(statusFile, JSON.stringify({ ...st, status: 'running', pid: deadPid, host: os.hostname(), runningSince: st.updatedAt, endedAt: undefined }));
    const queued = await store.create(parseRunConfig(tinyConfig({ name: 'left queued' })));
    expect((await queued.readStatus()).status).toBe('queued');

    const api = createService({ runsDir: tmp.dir });
    const rec = record(api);
    try {
      await api.whenIdle();
      const failed = (await api.getRun(crashed.id)).status;
      expect(failed).toMatchObject({ status: 'failed', resumable: true, epoch: 1 });
      expect(failed.error).toMatch(/interrupted/);
      expect((await api.getRun(queued.id)).status.status).toBe('done');
      expect(rec.of('started').map((e) => e.runId)).toEqual([queued.id]);

      await api.resumeRun(crashed.id);
      expect((await api.getRun(crashed.id)).status.status).toMatch(/queued|running/);
      await rec.waitFor((id, e) => id === crashed.id && e.type === 'done');
      expect(rec.of('started', crashed.id)[0].resumedFrom).toEqual({ phase: 'student', epoch: 1, step: 0 });
      const after = (await api.getRun(crashed.id)).status;
      expect(after.status).toBe('done');
      expect(after.error).toBeUndefined();
    } finally {
      await api.close();
    }
  });

  it('a service that closes mid-run leaves the run queued; the next one continues it from its checkpoint', async () => {
    const a = createService({ runsDir: tmp.dir });
    const recA = record(a);
    const run = await a.startRun(baseline('across restarts'));
    await recA.waitFor((id, e) => id === run.id && e.type === 'checkpoint');
    await a.close();
    const left = JSON.parse(await fs.readFile(path.join(run.dir, 'status.json'), 'utf8'));
    expect(left).toMatchObject({ status: 'queued', resumable: true });
    expect(left.epoch * 8 + left.step).toBeGreaterThan(0);

    const b = createService({ runsDir: tmp.dir });
    const recB = record(b);
    try {
      await recB.waitFor((id, e) => id === run.id && e.type === 'done');
      expect(recB.of('started', run.id)[0].resumedFrom).toEqual({ phase: 'student', epoch: left.epoch, step: left.step });
      expect((await b.getRun(run.id)).status.status).toBe('done');
      expect(await b.getLog(run.id)).toMatch(/the service closed: stopped at a checkpoint and queued/);
    } finally {
      await b.close();
    }
  });

  it('a run a person cancelled stays cancelled when the service closes right after', async () => {
    const own = tempDir();
    const api = createService({ runsDir: own.dir });
    try {
      const rec = record(api);
      const run = await api.startRun(baseline('cancelled then closed'));
      await rec.waitFor((id, e) => id === run.id && e.type === 'step');
      await api.cancelRun(run.id);
      await api.close();
      const st = JSON.parse(await fs.readFile(path.join(run.dir, 'status.json'), 'utf8'));
      expect(st.status).toBe('cancelled');
    } finally {
      await api.close();
      own.cleanup();
    }
  });

  it('fails a run marked running by this very process when no engine here trains it', async () => {
    const own = tempDir();
    try {
      const store = new RunStore(own.dir);
      const run = await store.create(parseRunConfig(tinyConfig({ name: 'left by a closed service' })));
      await run.writeStatus({ status: 'running' }); // pid: this process, which is alive
      await run.flush();
      const api = createService({ runsDir: own.dir });
      try {
        await api.whenIdle();
        const st = (await api.getRun(run.id)).status;
        expect(st).toMatchObject({ status: 'failed', resumable: false, pid: process.pid });
        expect(st.error).toMatch(/^the run was interrupted/);
      } finally {
        await api.close();
      }
    } finally {
      own.cleanup();
    }
  });
});
