// Reading dataset files, gzipped or raw, whole or only a prefix (a `limit` needs only the first records).
import { createReadStream, promises as fs } from 'node:fs';
import { createGunzip, gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { DataError } from './errors.js';

const gunzipAsync = promisify(gunzip);

export const isGzip = (file: string): boolean => file.toLowerCase().endsWith('.gz');

/** The whole file, gunzipped when its name ends in .gz. */
export async function readWhole(file: string): Promise<Uint8Array> {
  const raw = await readRaw(file);
  if (!isGzip(file)) return raw;
  try {
    const b = await gunzipAsync(raw);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (err) {
    throw new DataError(file, `does not gunzip (${(err as Error).message}); expected a complete .gz file`);
  }
}

/**
 * At most the first `maxBytes` bytes of the (gunzipped) content; fewer only when the content is shorter.
 * A gzip stream is stopped as soon as enough is decompressed.
 */
export async function readPrefix(file: string, maxBytes: number): Promise<Uint8Array> {
  if (!isGzip(file)) {
    const handle = await open(file);
    try {
      const buf = new Uint8Array(maxBytes);
      let got = 0;
      while (got < maxBytes) {
        const { bytesRead } = await handle.read(buf, got, maxBytes - got, got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got === maxBytes ? buf : buf.subarray(0, got);
    } finally {
      await handle.close();
    }
  }
  return new Promise<Uint8Array>((resolve, reject) => {
    const out = new Uint8Array(maxBytes);
    let got = 0;
    let done = false;
    const src = createReadStream(file);
    const z = createGunzip();
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      src.destroy();
      z.destroy();
      if (err) reject(err);
      else resolve(got === maxBytes ? out : out.subarray(0, got));
    };
    src.on('error', (e) => finish(fileError(file, e)));
    z.on('data', (chunk: Buffer) => {
      const n = Math.min(chunk.length, maxBytes - got);
      out.set(chunk.subarray(0, n), got);
      got += n;
      if (got >= maxBytes) finish();
    });
    z.on('end', () => finish());
    z.on('error', (e) =>
      finish(new DataError(file, `does not gunzip (${e.message}); expected a complete .gz file`)),
    );
    src.pipe(z);
  });
}

/** `length` bytes at `position` of a raw (not gzipped) file; shorter only at the end of the file. */
export async function readRange(file: string, position: number, length: number): Promise<Uint8Array> {
  const handle = await open(file);
  try {
    const buf = new Uint8Array(length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await handle.read(buf, got, length - got, position + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got === length ? buf : buf.subarray(0, got);
  } finally {
    await handle.close();
  }
}

export async function fileSize(file: string): Promise<number> {
  try {
    return (await fs.stat(file)).size;
  } catch (err) {
    throw fileError(file, err as Error);
  }
}

async function readRaw(file: string): Promise<Uint8Array> {
  try {
    const b = await fs.readFile(file);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (err) {
    throw fileError(file, err as Error);
  }
}

async function open(file: string) {
  try {
    return await fs.open(file, 'r');
  } catch (err) {
    throw fileError(file, err as Error);
  }
}

function fileError(file: string, err: Error): DataError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new DataError(file, 'file not found');
  if (code === 'EACCES') return new DataError(file, 'permission denied');
  return new DataError(file, `cannot be read (${err.message})`);
}

/**
 * Throws a DataError naming the file when its (gunzipped) content is not `expected` bytes long — a file
 * cut short by an interrupted download passes a header-only read. For a .gz the gzip trailer's ISIZE
 * (the content length mod 2^32) is compared first, a 4-byte read; only a mismatch (a truncated or
 * multi-member file) pays for decompressing the whole stream to know for sure.
 */
export async function assertContentLength(file: string, expected: number, what: string): Promise<void> {
  const size = await fileSize(file);
  if (!isGzip(file)) {
    if (size < expected) throw new DataError(file, `truncated: ${what} (${expected} bytes) but the file has ${size} bytes`);
    return;
  }
  if (size >= 18) { // 10-byte header + 8-byte trailer at least
    const tail = await readRange(file, size - 4, 4);
    if (new DataView(tail.buffer, tail.byteOffset, 4).getUint32(0, true) === expected % 2 ** 32) return;
  }
  const got = await new Promise<number>((resolve, reject) => {
    let n = 0;
    const src = createReadStream(file);
    const z = createGunzip();
    src.on('error', (e) => reject(fileError(file, e)));
    z.on('data', (chunk: Buffer) => { n += chunk.length; });
    z.on('end', () => resolve(n));
    z.on('error', (e) => reject(new DataError(file, `does not gunzip (${e.message}); expected a complete .gz file: ${what} (${expected} bytes) — is the download cut short?`)));
    src.pipe(z);
  });
  if (got < expected) throw new DataError(file, `truncated: ${what} (${expected} bytes) but the decompressed file has ${got} bytes`);
}
