// Human units for tables and summaries; '–' marks a value the run does not have (yet).
export const MISSING = '–';

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Accuracy in [0,1] → "92.31%". */
export function pct(v: unknown, digits = 2): string {
  return finite(v) ? `${(v * 100).toFixed(digits)}%` : MISSING;
}

/** 1234567 → "1.23M". */
export function count(v: unknown): string {
  if (!finite(v)) return MISSING;
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toFixed(2)}G`;
  if (a >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (a >= 1e3) return `${(v / 1e3).toFixed(1)}k`;
  return String(Math.round(v));
}

export function bytes(v: unknown): string {
  if (!finite(v)) return MISSING;
  if (v >= 2 ** 20) return `${(v / 2 ** 20).toFixed(2)} MB`;
  if (v >= 2 ** 10) return `${(v / 2 ** 10).toFixed(1)} kB`;
  return `${v} B`;
}

/** Seconds → "1h02m", "3m05s", "12.3s". */
export function duration(seconds: unknown): string {
  if (!finite(seconds) || seconds < 0) return MISSING;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(r).padStart(2, '0')}s`;
}

export function ms(v: unknown): string {
  return finite(v) ? `${v.toFixed(v < 10 ? 2 : 1)} ms` : MISSING;
}

export function num(v: unknown, digits = 4): string {
  return finite(v) ? (Math.abs(v) >= 1000 ? v.toFixed(0) : v.toPrecision(digits)) : MISSING;
}
