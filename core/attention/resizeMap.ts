// Resizing an attention map to a smaller grid by area averaging, for hint pairs whose resolutions differ.
// Why not tf.avgPool / tf.image.resizeBilinear: avgPool only covers integral ratios, bilinear downsampling
// skips input pixels (aliasing) and neither has a second derivative in TF.js. Area averaging as two small
// matrix products handles any ratio, equals avgPool for integral ratios, and is plain matMul to autodiff.
import { tf } from '../tf.js';

/**
 * [out, in] weights: output cell i covers input interval [i·in/out, (i+1)·in/out); each input cell contributes
 * its overlap with that interval, and the row is divided by the interval's length (in/out).
 */
export function areaWeights(inSize: number, outSize: number): number[][] {
  if (!Number.isInteger(inSize) || !Number.isInteger(outSize) || outSize < 1 || inSize < outSize) {
    throw new Error(`area resize needs integers in ≥ out ≥ 1, got in=${inSize}, out=${outSize}`);
  }
  const scale = inSize / outSize;
  const rows: number[][] = [];
  for (let i = 0; i < outSize; i++) {
    const lo = i * scale;
    const hi = (i + 1) * scale;
    const row = new Array<number>(inSize).fill(0);
    for (let j = Math.floor(lo); j < Math.min(inSize, Math.ceil(hi)); j++) {
      const overlap = Math.min(hi, j + 1) - Math.max(lo, j);
      if (overlap > 0) row[j] = overlap / scale;
    }
    rows.push(row);
  }
  return rows;
}

/** Area-averages a [batch, H, W] map down to [batch, outH, outW] (outH ≤ H, outW ≤ W). */
export function resizeMapArea(map: tf.Tensor3D, outH: number, outW: number): tf.Tensor3D {
  const [b, h, w] = map.shape;
  if (h === outH && w === outW) return map.clone();
  return tf.tidy(() => {
    const mw = tf.tensor2d(areaWeights(w, outW)); // [outW, W]
    const mh = tf.tensor2d(areaWeights(h, outH)); // [outH, H]
    // Along W: [b·H, W] × [W, outW]
    const alongW = tf.matMul(tf.reshape(map, [b * h, w]), mw, false, true);
    // Along H: bring H last, [b·outW, H] × [H, outH]
    const t = tf.reshape(tf.transpose(tf.reshape(alongW, [b, h, outW]), [0, 2, 1]), [b * outW, h]);
    const alongH = tf.matMul(t, mh, false, true);
    return tf.transpose(tf.reshape(alongH, [b, outW, outH]), [0, 2, 1]) as tf.Tensor3D;
  });
}
