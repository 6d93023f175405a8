// Numbers as people read them: counts with K/M, sizes in KB/MB, durations in h/min/s, percentages.
// Units and dates follow the app's language (t() and locale.intl).
import { locale, t } from '../i18n/index.js';
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const a = Math.abs(n);
  if (a >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (a >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (a >= 1e3) return `${(n / 1e3).toFixed(1)}K`;
  return String(Math.round(n));
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '–';
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(2)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${Math.round(n)} B`;
}

/** 12 s, 4 min 02 s, 1 h 05 min. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return t('fmt.seconds', { s });
  if (s < 3600) return t('fmt.minSec', { m: Math.floor(s / 60), s: String(s % 60).padStart(2, '0') });
  const m = Math.round(s / 60);
  return t('fmt.hourMin', { h: Math.floor(m / 60), m: String(m % 60).padStart(2, '0') });
}

export function formatPercent(fraction: number | undefined | null, digits = 1): string {
  if (fraction === undefined || fraction === null || !Number.isFinite(fraction)) return '–';
  return `${(fraction * 100).toFixed(digits)}%`;
}

export function formatRate(imagesPerSec: number): string {
  if (!Number.isFinite(imagesPerSec)) return '–';
  return t('fmt.rate', { n: imagesPerSec >= 10 ? String(Math.round(imagesPerSec)) : imagesPerSec.toFixed(1) });
}

export function formatRatio(x: number): string {
  if (!Number.isFinite(x)) return '–';
  return `${x >= 10 ? x.toFixed(0) : x.toFixed(1)}×`;
}

export function formatDate(iso: string | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(locale.intl, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/**
 * The student against the teacher from their ratio (teacher / student): "3.9×" "fewer", or, for a student
 * larger than its teacher, "10×" "more" (never "0.1× fewer"); within 5%: "about as many".
 */
export function sizeAgainst(ratio: number): { factor: string; word: 'fewer' | 'more' | 'about as many' } {
  // word is a key for the caller's sentence (sizeWord.*), not text to show.
  if (!Number.isFinite(ratio) || ratio <= 0) return { factor: '–', word: 'fewer' };
  if (ratio >= 1.05) return { factor: formatRatio(ratio), word: 'fewer' };
  if (ratio <= 1 / 1.05) return { factor: formatRatio(1 / ratio), word: 'more' };
  return { factor: '', word: 'about as many' };
}
