// Atomic file writes: write to a temporary file beside the target, fsync it, rename it over the target,
// then fsync the folder. A crash at any point leaves either the old file or the new one, never a torn one.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export async function atomicWrite(file: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`);
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(dir);
}

export async function atomicWriteJson(file: string, value: unknown): Promise<void> {
  await atomicWrite(file, JSON.stringify(value, null, 2) + '\n');
}

async function fsyncDir(dir: string): Promise<void> {
  // Directory fsync makes the rename durable; some platforms (Windows) refuse to open folders: skip there.
  let handle;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    /* not supported on this platform */
  } finally {
    await handle?.close();
  }
}
