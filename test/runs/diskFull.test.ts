// A disk that fills up mid-run (simulated with core/io's write-fault hook: every new file's write fails
// with ENOSPC, as on a full disk, while rewriting blocks a file already has still works): the run ends
// `failed`, not `running`; its message names the file that could not be written; no temporary files are
// left behind; and once there is space again, resume finishes it.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { useBackend } from '../helpers/backend.js';
import { writeFaults } from '../../core/io/atomicWrite.js';
import { createTrainControl, runTraining } from '../../core/train/index.js';
import { currentBackend, tempRuns, tinyConfig } from '../train/harness.js';

const runs = tempRuns();
afterAll(() => runs.cleanup());
afterEach(() => { delete writeFaults.beforeWrite; });
beforeAll(() => useBackend('wasm'));

async function filesUnder(dir: string): Promise<{ name: string; size: number }[]> {
  const out: { name: string; size: number }[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const full = path.join(e.parentPath, e.name);
    out.push({ name: path.relative(dir, full), size: (await fs.stat(full)).size });
  }
  return out;
}

it('the disk fills up at the end of epoch 1: status failed, the message names the file, no .tmp left; resume finishes', async () => {
  const run = await runs.store.create(tinyConfig({ data: { limit: 24 }, training: { epochs: 2, batchSize: 8 }, probes: 0 }));
  let full = false;
  writeFaults.beforeWrite = (file) => {
    if (full) throw Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    void file;
  };
  const r = await runTraining(run, { backend: currentBackend(), control: createTrainControl(),
    onEvent: (e) => { if (e.type === 'step' && e.epoch === 1 && e.step === 3) full = true; } });
  expect(r.status).toBe('failed');
  expect(r.error).toMatch(new RegExp(`^${run.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\S+: ENOSPC: no space left on device, write \\(the disk is full: free some space, then resume\\)`));
  const status = JSON.parse(await fs.readFile(path.join(run.dir, 'status.json'), 'utf8'));
  expect(status.status).toBe('failed');
  expect(status.error).toContain('ENOSPC');
  expect(status.pid).toBe(process.pid);
  const left = await filesUnder(run.dir);
  expect(left.filter((f) => f.name.endsWith('.tmp'))).toEqual([]);

  // Space again: resume (from the start: no checkpoint was written) and finish.
  full = false;
  const again = await runTraining(run, { backend: currentBackend(), resume: true });
  expect(again.error).toBeUndefined();
  expect(again.status).toBe('done');
  expect((await filesUnder(run.dir)).filter((f) => f.name.endsWith('.tmp'))).toEqual([]);
}, 120_000);
