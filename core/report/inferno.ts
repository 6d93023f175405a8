// The one colour map of attention maps, in the app and in reports (inferno-like: black → purple → orange →
// pale yellow): brightness rises with the value, so maps read the same in greyscale and for colour-blind
// readers. No imports: the renderer bundles it too.
const STOPS: [number, number, number][] = [
  [0, 0, 4], [40, 11, 84], [101, 21, 110], [159, 42, 99], [212, 72, 66], [245, 125, 21], [250, 193, 39], [252, 255, 164],
];

/** RGB of a value in [0, 1] (clamped; NaN reads 0). */
export function inferno(v: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const t = x - i;
  const a = STOPS[i]!, b = STOPS[i + 1]!;
  return [Math.round(a[0] + (b[0] - a[0]) * t), Math.round(a[1] + (b[1] - a[1]) * t), Math.round(a[2] + (b[2] - a[2]) * t)];
}
