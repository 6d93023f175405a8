import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import { decodeTensors, encodeTensors } from '../../core/runs/tensorCodec.js';
import { useBackend } from '../helpers/backend.js';

beforeAll(async () => {
  await useBackend('cpu');
});

function bitsOf(t: tf.Tensor): Uint8Array {
  const v = t.dataSync() as Float32Array | Int32Array | Uint8Array;
  return t.dtype === 'bool' ? Uint8Array.from(v) : new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
}

describe('tensor codec', () => {
  it('round-trips float32, int32 and bool tensors bit for bit', async () => {
    // Values whose bits are easy to lose: NaN, ±Infinity, -0, the smallest subnormal, max float, int32 extremes.
    const specials = new Float32Array([NaN, Infinity, -Infinity, -0, 1.4e-45, 3.4028234663852886e38, Math.PI, 1 / 3]);
    const named = [
      { name: 'conv/kernel', tensor: tf.tensor4d(Float32Array.from({ length: 3 * 3 * 2 * 5 }, (_, i) => Math.sin(i) * 1e-3), [3, 3, 2, 5]) },
      { name: 'specials', tensor: tf.tensor1d(specials) },
      { name: 'iter', tensor: tf.scalar(12345, 'int32') },
      { name: 'ints', tensor: tf.tensor2d(new Int32Array([-2147483648, 2147483647, 0, -1, 7, 9]), [2, 3], 'int32') },
      { name: 'mask', tensor: tf.tensor1d([true, false, true], 'bool') }, // 3 bytes: the next tensor must stay aligned
      { name: 'after-bool', tensor: tf.tensor1d([1.5, -2.25]) },
      { name: 'empty', tensor: tf.zeros([0, 4]) },
    ];
    const { tensors, data } = await encodeTensors(named);
    expect(tensors.map((t) => t.offset % 4)).toEqual(tensors.map(() => 0));
    const back = decodeTensors(JSON.parse(JSON.stringify(tensors)), data);
    expect(back.map((b) => b.name)).toEqual(named.map((n) => n.name));
    for (let i = 0; i < named.length; i++) {
      expect(back[i].tensor.dtype).toBe(named[i].tensor.dtype);
      expect(back[i].tensor.shape).toEqual(named[i].tensor.shape);
      expect(bitsOf(back[i].tensor)).toEqual(bitsOf(named[i].tensor));
    }
    expect(Object.is(back[1].tensor.dataSync()[3], -0)).toBe(true);
    tf.dispose([...named.map((n) => n.tensor), ...back.map((b) => b.tensor)]);
  });

  it('refuses entries that point outside the data', () => {
    expect(() => decodeTensors([{ name: 'w', shape: [4], dtype: 'float32', offset: 8, bytes: 16 }], new Uint8Array(16))).toThrow(/outside the data file/);
    expect(() => decodeTensors([{ name: 'w', shape: [5], dtype: 'float32', offset: 0, bytes: 16 }], new Uint8Array(16))).toThrow(/4 values for shape \[5\]/);
  });
});
