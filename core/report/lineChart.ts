// A line chart as inline SVG: no script, no external resources, readable when printed.
import { escapeHtml, fmtNum } from './escape.js';

export interface Series { name: string; points: [number, number][] }

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'];

/**
 * A tick label with as many decimals as the spacing between ticks needs, so ticks 0.0025 apart read
 * 2.3500, 2.3525… rather than 2.35 five times; large values keep the compact form.
 */
export function tickLabel(v: number, step: number): string {
  if (Math.abs(v) >= 1e4 || !(step > 0)) return fmtNum(v, 3);
  let decimals = Math.max(0, Math.ceil(-Math.log10(step)) + 1);
  // One decimal fewer when that already shows the step exactly (steps of 2 or 0.2, not 2.5 or 0.25).
  const scaled = step * 10 ** (decimals - 1);
  if (decimals > 0 && Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, scaled)) decimals--;
  return v.toFixed(Math.min(8, decimals));
}

export function lineChart(opts: { title: string; xLabel: string; series: Series[]; width?: number; height?: number; empty?: string }): string {
  const W = opts.width ?? 420;
  const H = opts.height ?? 240;
  const m = { l: 52, r: 12, t: 24, b: 36 };
  const pts = opts.series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  // The legend goes below the plot, never over it (a box over the plot hid the curves' start).
  const legendH = pts.length ? opts.series.length * 13 + 6 : 0;
  const head = `<svg width="${W}" height="${H + legendH}" viewBox="0 0 ${W} ${H + legendH}" role="img" aria-label="${escapeHtml(opts.title)}">`
    + `<text x="${W / 2}" y="16" text-anchor="middle" class="ct">${escapeHtml(opts.title)}</text>`;
  if (pts.length === 0) return `${head}<text x="${W / 2}" y="${H / 2}" text-anchor="middle">${escapeHtml(opts.empty ?? 'no data yet')}</text></svg>`;
  let [x0, x1] = [Math.min(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[0]))];
  let [y0, y1] = [Math.min(...pts.map((p) => p[1])), Math.max(...pts.map((p) => p[1]))];
  if (x0 === x1) { x0 -= 1; x1 += 1; }
  if (y0 === y1) { y0 -= Math.abs(y0) * 0.1 || 1; y1 += Math.abs(y1) * 0.1 || 1; }
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const sy = (y: number) => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  const parts = [head];
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#bbb"/>`);
  for (let i = 0; i <= 4; i++) {
    const y = y0 + ((y1 - y0) * i) / 4;
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${sy(y).toFixed(1)}" y2="${sy(y).toFixed(1)}" stroke="#eee"/>`
      + `<text x="${m.l - 4}" y="${(sy(y) + 4).toFixed(1)}" text-anchor="end" class="tk">${tickLabel(y, (y1 - y0) / 4)}</text>`);
  }
  parts.push(`<text x="${m.l}" y="${H - m.b + 14}" class="tk">${fmtNum(x0, 3)}</text>`
    + `<text x="${W - m.r}" y="${H - m.b + 14}" text-anchor="end" class="tk">${fmtNum(x1, 3)}</text>`
    + `<text x="${(m.l + W - m.r) / 2}" y="${H - 6}" text-anchor="middle" class="tk">${escapeHtml(opts.xLabel)}</text>`);
  opts.series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const p = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (p.length > 1) parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${p.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}"/>`);
    for (const [x, y] of p) parts.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="2.5" fill="${color}"/>`);
  });
  opts.series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const y = H + 8 + i * 13;
    parts.push(`<line x1="${m.l}" x2="${m.l + 16}" y1="${y - 4}" y2="${y - 4}" stroke="${color}" stroke-width="3"/>`
      + `<text x="${m.l + 20}" y="${y}" class="tk">${escapeHtml(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
