// Checkpoints: checkpoints/<which>/ = state.json + weights.bin + optimizer.bin.
// Crash safety: the new checkpoint is written in full into checkpoints/.<which>.next/ (binaries fsynced,
// state.json last, atomically, with the binaries' sha256), then the old folder is renamed aside to
// .<which>.prev, the new one renamed into place, and the old one removed. A folder cannot be renamed
// over a non-empty one, hence the two renames; at every instant at least one complete, verifiable
// checkpoint exists under one of the three names, and loading (and the next save) looks in all three.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { atomicWrite, atomicWriteJson, writeFileSynced } from '../io/atomicWrite.js';
import { tf } from '../tf.js';
import { decodeTensors, encodeTensors, sha256, type TensorManifest } from './tensorCodec.js';
import type { Checkpoint } from './types.js';
import { StudioError } from '../errors.js';

export const CHECKPOINT_FORMAT = 1;

export interface CheckpointState {
  format: typeof CHECKPOINT_FORMAT;
  phase: Checkpoint['phase'];
  epoch: number;
  step: number;
  rngState: number;
  bestMetric?: number;
  extra?: Record<string, unknown>;
  savedAt: string;
  weights: TensorManifest;
  optimizer: TensorManifest;
}

export type CheckpointStage = 'written' | 'old-moved' | 'renamed';

/** Test hook: called after each stage; throwing from it simulates a crash at that point. */
export interface CheckpointHooks { afterStage?(stage: CheckpointStage): void | Promise<void> }

export class CheckpointError extends StudioError {
  override name = 'CheckpointError';
  constructor(message: string) { super('checkpoint.invalid', message); }
}

function names(root: string, which: string) {
  return { final: path.join(root, which), next: path.join(root, `.${which}.next`), prev: path.join(root, `.${which}.prev`) };
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(() => true, () => false);
}

async function fsyncDir(dir: string): Promise<void> {
  let h;
  try {
    h = await fs.open(dir, 'r');
    await h.sync();
  } catch {
    /* folders cannot be opened on some platforms (Windows) */
  } finally {
    await h?.close();
  }
}

async function writeBlob(file: string, data: Uint8Array): Promise<void> {
  await writeFileSynced(file, data); // an error names the file
}

async function readVerified(dir: string, m: TensorManifest): Promise<Uint8Array> {
  const data = new Uint8Array(await fs.readFile(path.join(dir, m.file)));
  if (data.byteLength !== m.bytes || sha256(data) !== m.sha256) {
    throw new CheckpointError(`${path.join(dir, m.file)} does not match its checksum in state.json (${data.byteLength} of ${m.bytes} bytes)`);
  }
  return data;
}

/** Read and verify one checkpoint folder; throws if it is incomplete or corrupt. */
async function readFolder(dir: string): Promise<{ state: CheckpointState; weights: Uint8Array; optimizer: Uint8Array }> {
  const state = JSON.parse(await fs.readFile(path.join(dir, 'state.json'), 'utf8')) as CheckpointState;
  if (state.format !== CHECKPOINT_FORMAT) throw new CheckpointError(`${dir}: unsupported checkpoint format ${String(state.format)} (expected ${CHECKPOINT_FORMAT})`);
  return { state, weights: await readVerified(dir, state.weights), optimizer: await readVerified(dir, state.optimizer) };
}

async function isComplete(dir: string): Promise<boolean> {
  try {
    await readFolder(dir);
    return true;
  } catch {
    return false;
  }
}

/** After a crash mid-save: put the newest complete checkpoint back under its name, drop leftovers. */
export async function recoverCheckpoint(root: string, which: string): Promise<void> {
  const n = names(root, which);
  if (!(await exists(n.final))) {
    if (await isComplete(n.next)) await fs.rename(n.next, n.final);
    else if (await isComplete(n.prev)) await fs.rename(n.prev, n.final);
  }
  if (await exists(n.final)) {
    await fs.rm(n.next, { recursive: true, force: true });
    await fs.rm(n.prev, { recursive: true, force: true });
  }
}

export async function saveCheckpointDir(root: string, which: string, ck: Checkpoint, hooks: CheckpointHooks = {}): Promise<void> {
  await fs.mkdir(root, { recursive: true });
  await recoverCheckpoint(root, which);
  const n = names(root, which);

  await fs.rm(n.next, { recursive: true, force: true });
  await fs.mkdir(n.next);
  const weightNamed = Object.keys(ck.weights).map((name) => ({ name, tensor: ck.weights[name] }));
  const w = await encodeTensors(weightNamed);
  const o = await encodeTensors(ck.optimizer);
  await writeBlob(path.join(n.next, 'weights.bin'), w.data);
  await writeBlob(path.join(n.next, 'optimizer.bin'), o.data);
  const state: CheckpointState = {
    format: CHECKPOINT_FORMAT,
    phase: ck.phase,
    epoch: ck.epoch,
    step: ck.step,
    rngState: ck.rngState,
    ...(ck.bestMetric !== undefined ? { bestMetric: ck.bestMetric } : {}),
    ...(ck.extra !== undefined ? { extra: ck.extra } : {}),
    savedAt: new Date().toISOString(),
    weights: { file: 'weights.bin', bytes: w.data.byteLength, sha256: sha256(w.data), tensors: w.tensors },
    optimizer: { file: 'optimizer.bin', bytes: o.data.byteLength, sha256: sha256(o.data), tensors: o.tensors },
  };
  await atomicWriteJson(path.join(n.next, 'state.json'), state); // last: marks the folder complete
  await fsyncDir(n.next);
  await hooks.afterStage?.('written');

  if (await exists(n.final)) {
    await fs.rm(n.prev, { recursive: true, force: true });
    await fs.rename(n.final, n.prev);
    await hooks.afterStage?.('old-moved');
  }
  await fs.rename(n.next, n.final);
  await fsyncDir(root);
  await hooks.afterStage?.('renamed');
  await fs.rm(n.prev, { recursive: true, force: true });
}

/**
 * The newest complete checkpoint under `which` (looking at leftovers of an interrupted save too), or
 * null when there is none. Read-only: a shared run folder is not modified by loading. Throws when
 * checkpoint folders exist but none is intact, rather than silently starting over.
 */
export async function loadCheckpointDir(root: string, which: string): Promise<Checkpoint | null> {
  const n = names(root, which);
  const problems: string[] = [];
  for (const dir of [n.final, n.next, n.prev]) {
    if (!(await exists(path.join(dir, 'state.json')))) {
      if (dir === n.final && (await exists(dir))) problems.push(`${dir}: no state.json`);
      continue;
    }
    try {
      const { state, weights, optimizer } = await readFolder(dir);
      const weightList = decodeTensors(state.weights.tensors, weights);
      const map: tf.NamedTensorMap = {};
      for (const { name, tensor } of weightList) map[name] = tensor;
      return {
        phase: state.phase,
        epoch: state.epoch,
        step: state.step,
        rngState: state.rngState,
        weights: map,
        optimizer: decodeTensors(state.optimizer.tensors, optimizer),
        ...(state.bestMetric !== undefined ? { bestMetric: state.bestMetric } : {}),
        ...(state.extra !== undefined ? { extra: state.extra } : {}),
      };
    } catch (err) {
      problems.push(`${dir}: ${(err as Error).message}`);
    }
  }
  if (problems.length > 0) throw new CheckpointError(`no intact "${which}" checkpoint: ${problems.join('; ')}`);
  return null;
}

/** Whether a loadable checkpoint probably exists (state.json present; not verified). */
export async function hasCheckpointDir(root: string, which: string): Promise<boolean> {
  const n = names(root, which);
  for (const dir of [n.final, n.next, n.prev]) if (await exists(path.join(dir, 'state.json'))) return true;
  return false;
}

export { atomicWrite };
