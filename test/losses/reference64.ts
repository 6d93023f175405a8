// Plain-JavaScript float64 references (no TF.js) for the losses, and central finite differences in float64.
// They give gradients accurate to ~1e-9, so TF.js's float32 autodiff can be held to tight tolerances.

export type Shape4 = [number, number, number, number];
export type Fn = { kind: 'sum' | 'sum-p' | 'max-p'; p?: number | undefined };

const at4 = (s: Shape4, b: number, i: number, j: number, c: number) => ((b * s[1] + i) * s[2] + j) * s[3] + c;

/** Raw attention map [b][h*w]. */
export function rawMap64(x: ArrayLike<number>, s: Shape4, fn: Fn): number[][] {
  const p = fn.p ?? 2;
  const out: number[][] = [];
  for (let b = 0; b < s[0]; b++) {
    const row: number[] = [];
    for (let i = 0; i < s[1]; i++) for (let j = 0; j < s[2]; j++) {
      let acc = fn.kind === 'max-p' ? -Infinity : 0;
      for (let c = 0; c < s[3]; c++) {
        const a = Math.abs(x[at4(s, b, i, j, c)]);
        const v = fn.kind === 'sum' ? a : a ** p;
        acc = fn.kind === 'max-p' ? Math.max(acc, v) : acc + v;
      }
      row.push(acc);
    }
    out.push(row);
  }
  return out;
}

/** Area average of one row-major h×w map to oh×ow. */
export function areaResize64(m: number[], h: number, w: number, oh: number, ow: number): number[] {
  const out: number[] = [];
  const sy = h / oh, sx = w / ow;
  for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) {
    let acc = 0;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const oy = Math.max(0, Math.min(y + 1, (i + 1) * sy) - Math.max(y, i * sy));
      const ox = Math.max(0, Math.min(x + 1, (j + 1) * sx) - Math.max(x, j * sx));
      acc += m[y * w + x] * oy * ox;
    }
    out.push(acc / (sy * sx));
  }
  return out;
}

export function normalize64(row: number[]): number[] {
  const n = Math.max(Math.sqrt(row.reduce((a, v) => a + v * v, 0)), 1e-12);
  return row.map((v) => v / n);
}

export function atLoss64(s: ArrayLike<number>, ss: Shape4, t: ArrayLike<number>, ts: Shape4, fn: Fn, form: 'code' | 'paper'): number {
  const h = Math.min(ss[1], ts[1]), w = Math.min(ss[2], ts[2]);
  const qs = rawMap64(s, ss, fn).map((r) => normalize64(areaResize64(r, ss[1], ss[2], h, w)));
  const qt = rawMap64(t, ts, fn).map((r) => normalize64(areaResize64(r, ts[1], ts[2], h, w)));
  let acc = 0;
  for (let b = 0; b < qs.length; b++) {
    const sq = qs[b].reduce((a, v, k) => a + (v - qt[b][k]) ** 2, 0);
    acc += form === 'code' ? sq / (h * w) : Math.sqrt(sq) / (h * w);
  }
  return acc / qs.length;
}

export function logSoftmax64(z: number[]): number[] {
  const m = Math.max(...z);
  const lse = m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0));
  return z.map((v) => v - lse);
}

export function ce64(logits: number[][], labels: number[]): number {
  return logits.reduce((a, z, b) => a - logSoftmax64(z)[labels[b]], 0) / logits.length;
}

export function kd64(s: number[][], t: number[][], labels: number[], T: number, alpha: number): number {
  let kl = 0;
  for (let b = 0; b < s.length; b++) {
    const lpt = logSoftmax64(t[b].map((v) => v / T));
    const lps = logSoftmax64(s[b].map((v) => v / T));
    kl += lpt.reduce((a, v, c) => a + Math.exp(v) * (v - lps[c]), 0);
  }
  return alpha * T * T * (kl / s.length) + (1 - alpha) * ce64(s, labels);
}

/** Central differences of f at x (float64), one coordinate at a time. */
export function fdGradient(f: (x: Float64Array) => number, x: ArrayLike<number>, eps = 1e-6): Float64Array {
  const base = Float64Array.from(x);
  const g = new Float64Array(base.length);
  for (let k = 0; k < base.length; k++) {
    const v = base[k];
    base[k] = v + eps; const fp = f(base);
    base[k] = v - eps; const fm = f(base);
    base[k] = v;
    g[k] = (fp - fm) / (2 * eps);
  }
  return g;
}

/** ‖a − b‖ / max(‖b‖, tiny): the error measure reported everywhere. */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let k = 0; k < b.length; k++) { num += (a[k] - b[k]) ** 2; den += b[k] ** 2; }
  return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-30);
}

export const rows = (flat: ArrayLike<number>, n: number, k: number): number[][] =>
  Array.from({ length: n }, (_, b) => Array.from({ length: k }, (_, c) => flat[b * k + c]));

/** Deterministic pseudo-random numbers in (−1, 1) (mulberry32), so tests need no TF.js RNG. */
export function seededUniform(seed: number, n: number): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out.push(((t ^ (t >>> 14)) >>> 0) / 4294967296 * 2 - 1);
  }
  return out;
}
