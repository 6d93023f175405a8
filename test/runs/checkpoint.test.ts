import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import { CheckpointError, loadCheckpointDir, saveCheckpointDir, type CheckpointStage } from '../../core/runs/checkpoint.js';
import type { Checkpoint } from '../../core/runs/types.js';
import { useBackend } from '../helpers/backend.js';

beforeAll(async () => {
  await useBackend('cpu');
});

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'atck-'));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** A checkpoint whose every value encodes its epoch, so a loaded one shows which save it came from. */
function makeCheckpoint(epoch: number): Checkpoint {
  return {
    phase: 'student',
    epoch,
    step: 0,
    rngState: 1000 + epoch,
    weights: { 'dense/kernel': tf.fill([3, 2], epoch + 0.5), 'dense/bias': tf.fill([2], -epoch) },
    optimizer: [
      { name: 'iter', tensor: tf.scalar(epoch * 10, 'int32') },
      { name: 'dense/kernel/momentum', tensor: tf.fill([3, 2], epoch / 4) },
    ],
    bestMetric: epoch / 100,
    extra: { lr: 0.1, note: `epoch ${epoch}` },
  };
}

function dispose(ck: Checkpoint | null) {
  if (!ck) return;
  tf.dispose([...Object.values(ck.weights), ...ck.optimizer.map((o) => o.tensor)]);
}

async function save(epoch: number, crashAt?: CheckpointStage) {
  const ck = makeCheckpoint(epoch);
  try {
    await saveCheckpointDir(root, 'latest', ck, {
      afterStage: (s) => {
        if (s === crashAt) throw new Error(`simulated crash after ${s}`);
      },
    });
  } finally {
    dispose(ck);
  }
}

async function loadedEpoch(): Promise<number | null> {
  const ck = await loadCheckpointDir(root, 'latest');
  if (!ck) return null;
  // Every tensor must agree with the epoch in state.json: no mixing of two saves.
  expect(Array.from(ck.weights['dense/kernel'].dataSync())).toEqual(Array(6).fill(ck.epoch + 0.5));
  expect(Array.from(ck.optimizer[0].tensor.dataSync())).toEqual([ck.epoch * 10]);
  expect(ck.rngState).toBe(1000 + ck.epoch);
  const e = ck.epoch;
  dispose(ck);
  return e;
}

describe('checkpoints', () => {
  it('save then load gives back every field and tensor', async () => {
    expect(await loadCheckpointDir(root, 'latest')).toBeNull();
    await save(3);
    const ck = (await loadCheckpointDir(root, 'latest'))!;
    expect(ck).toMatchObject({ phase: 'student', epoch: 3, step: 0, rngState: 1003, bestMetric: 0.03, extra: { lr: 0.1, note: 'epoch 3' } });
    expect(ck.weights['dense/bias'].shape).toEqual([2]);
    expect(Array.from(ck.weights['dense/bias'].dataSync())).toEqual([-3, -3]);
    expect(ck.optimizer.map((o) => o.name)).toEqual(['iter', 'dense/kernel/momentum']);
    expect(ck.optimizer[0].tensor.dtype).toBe('int32');
    dispose(ck);
    expect((await fs.readdir(path.join(root, 'latest'))).sort()).toEqual(['optimizer.bin', 'state.json', 'weights.bin']);
    expect(await fs.readdir(root)).toEqual(['latest']);
  });

  it('a crash at any stage of a save leaves a complete checkpoint (old or new), and the next save recovers', async () => {
    const expected: Record<CheckpointStage, number> = { written: 1, 'old-moved': 2, renamed: 2 };
    for (const stage of ['written', 'old-moved', 'renamed'] as CheckpointStage[]) {
      await fs.rm(root, { recursive: true, force: true });
      await save(1);
      await expect(save(2, stage)).rejects.toThrow('simulated crash');
      // After 'old-moved' the folder `latest` does not exist at all: the load finds the complete new one.
      expect(await loadedEpoch()).toBe(expected[stage]);
      await save(3);
      expect(await loadedEpoch()).toBe(3);
      expect(await fs.readdir(root)).toEqual(['latest']); // leftovers cleaned
    }
  });

  it('ignores a half-written new checkpoint (no state.json yet)', async () => {
    await save(1);
    const next = path.join(root, '.latest.next');
    await fs.mkdir(next);
    await fs.writeFile(path.join(next, 'weights.bin'), new Uint8Array(10)); // crash before state.json
    expect(await loadedEpoch()).toBe(1);
    await save(2);
    expect(await loadedEpoch()).toBe(2);
  });

  it('falls back to the previous checkpoint when the new one is torn, and refuses when none is intact', async () => {
    await save(1);
    // Crash between the renames, with the new folder's weights damaged: only .latest.prev is good.
    await expect(save(2, 'old-moved')).rejects.toThrow('simulated crash');
    expect((await fs.readdir(root)).sort()).toEqual(['.latest.next', '.latest.prev']);
    await fs.writeFile(path.join(root, '.latest.next', 'weights.bin'), new Uint8Array(4));
    expect(await loadedEpoch()).toBe(1);

    await fs.rm(root, { recursive: true, force: true });
    await save(5);
    const w = path.join(root, 'latest', 'weights.bin');
    const bytes = await fs.readFile(w);
    bytes[0] ^= 0xff; // one flipped byte
    await fs.writeFile(w, bytes);
    await expect(loadCheckpointDir(root, 'latest')).rejects.toThrow(CheckpointError);
    await expect(loadCheckpointDir(root, 'latest')).rejects.toThrow(/checksum/);
  });

  it('keeps latest and best apart', async () => {
    const a = makeCheckpoint(4);
    const b = makeCheckpoint(7);
    await saveCheckpointDir(root, 'latest', a);
    await saveCheckpointDir(root, 'best', b);
    dispose(a);
    dispose(b);
    const best = (await loadCheckpointDir(root, 'best'))!;
    const latest = (await loadCheckpointDir(root, 'latest'))!;
    expect([latest.epoch, best.epoch]).toEqual([4, 7]);
    dispose(best);
    dispose(latest);
  });
});

describe('checkpoints through a run folder', () => {
  it('serializes concurrent saves and marks the run resumable', async () => {
    const { RunStore } = await import('../../core/runs/index.js');
    const { parseRunConfig } = await import('../../core/config/index.js');
    const run = await new RunStore(root).create(parseRunConfig({ data: { path: '/d' } }));
    expect(await run.hasCheckpoint('latest')).toBe(false);
    const cks = [1, 2, 3].map(makeCheckpoint);
    await Promise.all(cks.map((ck) => run.saveCheckpoint('latest', ck))); // not awaited one by one
    cks.forEach(dispose);
    const ck = (await run.loadCheckpoint('latest'))!;
    expect(ck.epoch).toBe(3);
    dispose(ck);
    expect(await run.hasCheckpoint('latest')).toBe(true);
    expect((await run.readStatus()).resumable).toBe(true);
    expect(await fs.readdir(path.join(run.dir, 'checkpoints'))).toEqual(['latest']);
  });
});
