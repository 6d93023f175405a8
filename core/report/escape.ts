// Text into HTML: everything a run carries (names, paths, class names) is user text.
export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function fmtPct(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '–' : `${(v * 100).toFixed(2)}%`;
}

export function fmtNum(v: number | undefined, digits = 4): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  return Math.abs(v) >= 1e4 ? Math.round(v).toLocaleString('en-US') : Number(v.toPrecision(digits)).toString();
}
