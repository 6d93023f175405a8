// Named tensors ↔ (JSON manifest + one binary blob). Values are copied byte for byte (little-endian,
// as every platform TF.js runs on), so a round trip is bit-exact, NaN payloads included.
import { createHash } from 'node:crypto';
import { tf } from '../tf.js';
import type { NamedTensor } from './types.js';

export type StoredDType = 'float32' | 'int32' | 'bool';

export interface TensorEntry {
  name: string;
  shape: number[];
  dtype: StoredDType;
  offset: number; // bytes into the blob
  bytes: number;
}

export interface TensorManifest {
  file: string; // blob file name, beside state.json
  bytes: number;
  sha256: string;
  tensors: TensorEntry[];
}

export async function encodeTensors(named: NamedTensor[]): Promise<{ tensors: TensorEntry[]; data: Uint8Array }> {
  const chunks: Uint8Array[] = [];
  const tensors: TensorEntry[] = [];
  let offset = 0;
  for (const { name, tensor } of named) {
    const dtype = tensor.dtype;
    if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') {
      throw new Error(`cannot store tensor "${name}" of dtype ${dtype} (expected float32, int32 or bool)`);
    }
    const values = (await tensor.data()) as Float32Array | Int32Array | Uint8Array;
    // bool data may come back as Uint8Array or Int32Array depending on backend: store one byte each.
    const bytes = dtype === 'bool' ? Uint8Array.from(values as ArrayLike<number>, (v) => (v ? 1 : 0)) : new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    tensors.push({ name, shape: [...tensor.shape], dtype, offset, bytes: bytes.byteLength });
    chunks.push(bytes);
    offset += bytes.byteLength;
    const pad = (4 - (offset % 4)) % 4; // keep the next tensor 4-byte aligned
    if (pad) {
      chunks.push(new Uint8Array(pad));
      offset += pad;
    }
  }
  const data = new Uint8Array(offset);
  let at = 0;
  for (const c of chunks) {
    data.set(c, at);
    at += c.byteLength;
  }
  return { tensors, data };
}

export function decodeTensors(tensors: TensorEntry[], data: Uint8Array): NamedTensor[] {
  return tensors.map((e) => {
    if (e.offset < 0 || e.offset + e.bytes > data.byteLength) {
      throw new Error(`tensor "${e.name}" lies outside the data file (offset ${e.offset}, ${e.bytes} bytes, file ${data.byteLength} bytes)`);
    }
    const size = e.shape.reduce((a, b) => a * b, 1);
    const raw = data.slice(e.offset, e.offset + e.bytes); // a copy, aligned at 0
    let values: Float32Array | Int32Array | Uint8Array;
    if (e.dtype === 'float32') values = new Float32Array(raw.buffer);
    else if (e.dtype === 'int32') values = new Int32Array(raw.buffer);
    else if (e.dtype === 'bool') values = raw;
    else throw new Error(`tensor "${e.name}" has unsupported dtype ${String(e.dtype)}`);
    if (values.length !== size) {
      throw new Error(`tensor "${e.name}" has ${values.length} values for shape [${e.shape.join(', ')}] (expected ${size})`);
    }
    return { name: e.name, tensor: tf.tensor(values, e.shape, e.dtype) };
  });
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
