// Atomic file writes: write to a temporary file beside the target, fsync it, rename it over the target,
// then fsync the folder. A crash at any point leaves either the old file or the new one, never a torn one.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * Fault injection for tests (a full disk without filling one): called once each new file is open, before
 * its bytes are written; it may throw, as the write would. In-place rewrites (overwriteInPlace) are not
 * hooked: on a full disk they reuse blocks the file already has.
 */
export const writeFaults: { beforeWrite?: (file: string) => void } = {};

/** The same error, its message naming the file it concerns (Node's ENOSPC and EIO name none). */
export function namingFile(file: string, err: unknown): Error {
  const e = err as NodeJS.ErrnoException;
  if (typeof e?.message === 'string' && e.message.includes(file)) return e;
  const full = e?.code === 'ENOSPC' || e?.code === 'EDQUOT' ? ' (the disk is full: free some space, then resume)' : '';
  return Object.assign(new Error(`${file}: ${e?.message ?? String(err)}${full}`), { code: e?.code, cause: err });
}

/** Write `data` to `file` (no rename): for checkpoint blobs, whose folder is renamed into place whole. */
export async function writeFileSynced(file: string, data: string | Uint8Array, nameInErrors: string = file): Promise<void> {
  try {
    const h = await fs.open(file, 'w');
    try {
      writeFaults.beforeWrite?.(nameInErrors); // after the open: a full disk still lets a file be created empty
      await h.writeFile(data);
      await h.sync();
    } finally {
      await h.close();
    }
  } catch (err) {
    throw namingFile(nameInErrors, err);
  }
}

export async function atomicWrite(file: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    await writeFileSynced(tmp, data, file);
    await fs.rename(tmp, file);
  } catch (err) {
    // Never leave the temporary file behind (a full disk would otherwise collect empty ones).
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw namingFile(file, err);
  }
  await fsyncDir(dir);
}

/**
 * Rewrite a small file in place (not atomic): the last resort when the disk is full and no new file can
 * be made, so that status.json can still say `failed`; a file under one block reuses the block it has.
 */
export async function overwriteInPlace(file: string, data: string): Promise<void> {
  const h = await fs.open(file, 'r+');
  try {
    const bytes = Buffer.from(data, 'utf8');
    await h.write(bytes, 0, bytes.length, 0);
    await h.truncate(bytes.length);
    await h.sync();
  } finally {
    await h.close();
  }
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
