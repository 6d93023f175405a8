// Converting images to the model's input shape, once at load, uint8 → uint8: channel conversion
// (gray → RGB by replication, RGB → gray by ITU-R 601 luminance, alpha dropped) and bilinear resizing with
// half-pixel centers. When shrinking, the triangle filter widens with the scale (antialiasing, as PIL
// and torchvision's antialias=True), so a large photo does not alias into noise; when enlarging it is
// plain bilinear interpolation.

export function convertChannels(src: Uint8Array, pixels: number, srcC: number, dstC: number): Uint8Array {
  if (srcC === dstC) return src;
  const dst = new Uint8Array(pixels * dstC);
  if (dstC === 1) {
    if (srcC === 2) { for (let p = 0; p < pixels; p++) dst[p] = src[2 * p]; return dst; } // gray + alpha
    for (let p = 0, s = 0; p < pixels; p++, s += srcC) {
      dst[p] = Math.round(0.299 * src[s] + 0.587 * src[s + 1] + 0.114 * src[s + 2]);
    }
    return dst;
  }
  if (dstC === 3) {
    if (srcC === 1 || srcC === 2) {
      for (let p = 0, s = 0, d = 0; p < pixels; p++, s += srcC, d += 3) dst[d] = dst[d + 1] = dst[d + 2] = src[s];
      return dst;
    }
    for (let p = 0, s = 0, d = 0; p < pixels; p++, s += srcC, d += 3) {
      dst[d] = src[s]; dst[d + 1] = src[s + 1]; dst[d + 2] = src[s + 2];
    }
    return dst;
  }
  throw new Error(`cannot convert ${srcC} channels to ${dstC}; supported targets are 1 (gray) and 3 (RGB)`);
}

interface AxisWeights { start: Int32Array; taps: Int32Array; weights: Float32Array; maxTaps: number }

// Converting a whole split resizes thousands of images between the same two sizes: reuse the weights.
const weightCache = new Map<string, AxisWeights>();

/** For each output index: the first input index, how many inputs, and their normalized weights. */
export function axisWeights(inSize: number, outSize: number): AxisWeights {
  const key = `${inSize}>${outSize}`;
  let hit = weightCache.get(key);
  if (!hit) {
    if (weightCache.size > 64) weightCache.clear();
    hit = computeAxisWeights(inSize, outSize);
    weightCache.set(key, hit);
  }
  return hit;
}

function computeAxisWeights(inSize: number, outSize: number): AxisWeights {
  const scale = inSize / outSize;
  const ss = Math.max(scale, 1);
  const support = ss; // triangle filter of radius 1, stretched by the downscale factor
  const maxTaps = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const taps = new Int32Array(outSize);
  const weights = new Float32Array(outSize * maxTaps);
  for (let o = 0; o < outSize; o++) {
    const center = (o + 0.5) * scale;
    const lo = Math.max(0, Math.floor(center - support + 0.5));
    const hi = Math.min(inSize, Math.floor(center + support + 0.5));
    let sum = 0;
    for (let x = lo; x < hi; x++) {
      const w = Math.max(0, 1 - Math.abs((x - center + 0.5) / ss));
      weights[o * maxTaps + (x - lo)] = w;
      sum += w;
    }
    const n = hi - lo;
    for (let i = 0; i < n; i++) weights[o * maxTaps + i] = sum > 0 ? weights[o * maxTaps + i] / sum : 0;
    start[o] = lo;
    taps[o] = n;
  }
  return { start, taps, weights, maxTaps };
}

/** Resize an HWC uint8 image. Returns the input itself when the size already matches. */
export function resizeBilinear(src: Uint8Array, h: number, w: number, c: number, outH: number, outW: number): Uint8Array {
  if (h === outH && w === outW) return src;
  // Horizontal pass (h × outW × c, float), then vertical pass (outH × outW × c, rounded to uint8).
  const ax = axisWeights(w, outW);
  const tmp = new Float32Array(h * outW * c);
  for (let y = 0; y < h; y++) {
    const row = y * w * c;
    for (let ox = 0; ox < outW; ox++) {
      const s = ax.start[ox], n = ax.taps[ox], wo = ox * ax.maxTaps;
      const t = (y * outW + ox) * c;
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let i = 0; i < n; i++) acc += ax.weights[wo + i] * src[row + (s + i) * c + ch];
        tmp[t + ch] = acc;
      }
    }
  }
  const ay = axisWeights(h, outH);
  const out = new Uint8Array(outH * outW * c);
  const rowLen = outW * c;
  for (let oy = 0; oy < outH; oy++) {
    const s = ay.start[oy], n = ay.taps[oy], wo = oy * ay.maxTaps;
    const o = oy * rowLen;
    for (let j = 0; j < rowLen; j++) {
      let acc = 0;
      for (let i = 0; i < n; i++) acc += ay.weights[wo + i] * tmp[(s + i) * rowLen + j];
      const v = Math.round(acc);
      out[o + j] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return out;
}

/** One image from (h, w, srcC) to `shape`, channels first (cheaper when the target is gray). */
export function convertImage(src: Uint8Array, h: number, w: number, srcC: number, shape: readonly [number, number, number]): Uint8Array {
  const [H, W, C] = shape;
  const channelsFirst = C <= srcC;
  if (channelsFirst) return resizeBilinear(convertChannels(src, h * w, srcC, C), h, w, C, H, W);
  const keep = srcC === 4 || srcC === 2 ? convertChannels(src, h * w, srcC, srcC === 4 ? 3 : 1) : src;
  const kc = srcC === 4 ? 3 : srcC === 2 ? 1 : srcC;
  return convertChannels(resizeBilinear(keep, h, w, kc, H, W), H * W, kc, C);
}
