// A tiny conv net in float64 JavaScript: conv 3×3 'same' (+bias) → ReLU → global mean pool → dense.
// Forward, J = ∂(Σ_b CE_b)/∂x by hand, and the gradient-AT loss — the float64 reference for gradAtLoss.
import { logSoftmax64, type Shape4 } from './reference64.js';

export interface TinyNetShape { cin: number; c: number; k: number } // input channels, conv channels, classes
export const paramCount = (n: TinyNetShape) => 9 * n.cin * n.c + n.c + n.c * n.k + n.k;

/** Unpacks [kernel(3,3,cin,c) | b1(c) | w2(c,k) | b2(k)] from one flat vector. */
function unpack(n: TinyNetShape, p: ArrayLike<number>) {
  let o = 0;
  const take = (len: number) => { const v = Array.from({ length: len }, (_, i) => p[o + i]); o += len; return v; };
  return { kern: take(9 * n.cin * n.c), b1: take(n.c), w2: take(n.c * n.k), b2: take(n.k) };
}

export function tinyNetJ64(n: TinyNetShape, p: ArrayLike<number>, x: ArrayLike<number>, s: Shape4, labels: number[]):
  { ce: number[]; j: Float64Array } {
  const [B, H, W, Ci] = s;
  const { kern, b1, w2, b2 } = unpack(n, p);
  const K = (di: number, dj: number, ci: number, c: number) => kern[((di * 3 + dj) * Ci + ci) * n.c + c];
  const X = (b: number, i: number, j: number, ci: number) =>
    i < 0 || j < 0 || i >= H || j >= W ? 0 : x[((b * H + i) * W + j) * Ci + ci];
  const pre = new Float64Array(B * H * W * n.c);
  const pooled = new Float64Array(B * n.c);
  for (let b = 0; b < B; b++) for (let i = 0; i < H; i++) for (let j = 0; j < W; j++) for (let c = 0; c < n.c; c++) {
    let acc = b1[c];
    for (let di = 0; di < 3; di++) for (let dj = 0; dj < 3; dj++) for (let ci = 0; ci < Ci; ci++) {
      acc += X(b, i + di - 1, j + dj - 1, ci) * K(di, dj, ci, c);
    }
    pre[((b * H + i) * W + j) * n.c + c] = acc;
    pooled[b * n.c + c] += Math.max(acc, 0) / (H * W);
  }
  const ce: number[] = [];
  const j = new Float64Array(B * H * W * Ci);
  for (let b = 0; b < B; b++) {
    const z = Array.from({ length: n.k }, (_, k) => b2[k] + Array.from({ length: n.c }, (_, c) => pooled[b * n.c + c] * w2[c * n.k + k]).reduce((a, v) => a + v, 0));
    const lp = logSoftmax64(z);
    ce.push(-lp[labels[b]]);
    const gz = lp.map((v, k) => Math.exp(v) - (k === labels[b] ? 1 : 0));
    const gPool = Array.from({ length: n.c }, (_, c) => gz.reduce((a, g, k) => a + g * w2[c * n.k + k], 0));
    for (let i = 0; i < H; i++) for (let jj = 0; jj < W; jj++) for (let c = 0; c < n.c; c++) {
      if (pre[((b * H + i) * W + jj) * n.c + c] <= 0) continue;
      const g = gPool[c] / (H * W);
      for (let di = 0; di < 3; di++) for (let dj = 0; dj < 3; dj++) {
        const y = i + di - 1, xx = jj + dj - 1;
        if (y < 0 || xx < 0 || y >= H || xx >= W) continue;
        for (let ci = 0; ci < Ci; ci++) j[((b * H + y) * W + xx) * Ci + ci] += g * K(di, dj, ci, c);
      }
    }
  }
  return { ce, j };
}

const flipW = (v: ArrayLike<number>, s: Shape4) => {
  const [B, H, W, C] = s;
  const out = new Float64Array(v.length);
  for (let b = 0; b < B; b++) for (let i = 0; i < H; i++) for (let j = 0; j < W; j++) for (let c = 0; c < C; c++) {
    out[((b * H + i) * W + (W - 1 - j)) * C + c] = v[((b * H + i) * W + j) * C + c];
  }
  return out;
};

function meanRowDistance(a: ArrayLike<number>, b: ArrayLike<number>, B: number): number {
  const per = a.length / B;
  let acc = 0;
  for (let r = 0; r < B; r++) {
    let sq = 0;
    for (let k = 0; k < per; k++) sq += (a[r * per + k] - b[r * per + k]) ** 2;
    acc += Math.sqrt(sq);
  }
  return acc / B;
}

/** CE_S + β/2·mean_b‖J_S − J_T‖ (+ β/2·mean_b‖J_S − flip(J_S(flip x))‖), as core/losses/gradAtLoss.ts. */
export function gradAtLoss64(sn: TinyNetShape, ps: ArrayLike<number>, tn: TinyNetShape, pt: ArrayLike<number>,
  x: ArrayLike<number>, s: Shape4, labels: number[], beta: number, flip: boolean): number {
  const S = tinyNetJ64(sn, ps, x, s, labels);
  const T = tinyNetJ64(tn, pt, x, s, labels);
  let loss = S.ce.reduce((a, v) => a + v, 0) / s[0] + (beta / 2) * meanRowDistance(S.j, T.j, s[0]);
  if (flip) {
    const F = tinyNetJ64(sn, ps, flipW(x, s), s, labels);
    loss += (beta / 2) * meanRowDistance(S.j, flipW(F.j, s), s[0]);
  }
  return loss;
}
