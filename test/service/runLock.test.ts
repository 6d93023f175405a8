// The service respects the run lock: a run another process trains (the CLI, another machine on a shared
// runs folder) cannot be queued to resume or deleted, and its status is left as that process wrote it.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parseRunConfig } from '../../core/config/index.js';
import { RUN_LOCK_FILE, RunStore } from '../../core/runs/index.js';
import { createService, ServiceError } from '../../core/service/index.js';
import { tempDir } from './harness.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

it('resumeRun and deleteRun refuse a run locked by another live process, naming pid, host and time', async () => {
  const store = new RunStore(tmp.dir);
  const run = await store.create(parseRunConfig({ name: 'elsewhere', data: { path: '/data/x' } }));
  await run.writeStatus({ status: 'cancelled', phase: 'student' });
  await run.flush();
  await fs.writeFile(path.join(run.dir, RUN_LOCK_FILE), JSON.stringify({ pid: 4242, host: 'gpu-box', startedAt: '2026-12-06T06:00:00.000Z' }));
  const before = await fs.readFile(path.join(run.dir, 'status.json'), 'utf8');
  const api = createService({ runsDir: tmp.dir });
  try {
    const message = `run ${run.id} is being trained by pid 4242 on host gpu-box since 2026-12-06T06:00:00.000Z`;
    const resumed = await api.resumeRun(run.id).then(() => null, (e) => e);
    expect(resumed).toBeInstanceOf(ServiceError);
    expect(resumed).toMatchObject({ code: 'conflict' });
    expect((resumed as Error).message).toContain(message);
    expect((resumed as Error).message).toContain(`if it no longer trains this run, delete ${path.join(run.dir, RUN_LOCK_FILE)}`);
    const deleted = await api.deleteRun(run.id).then(() => null, (e) => e);
    expect(deleted).toMatchObject({ code: 'conflict' });
    expect((deleted as Error).message).toContain(message);
    expect(await fs.readFile(path.join(run.dir, 'status.json'), 'utf8')).toBe(before);
  } finally {
    await api.close();
  }
});
