// The HTML report's parts on hand-made inputs: colours, the attention overlay, charts and a run that has
// not started (nothing recorded yet).
import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { attentionOverlayPng, colorAt, lineChart, renderReport, confusionTable, type ReportRun } from '../../core/report/index.js';
import { parseRunConfig } from '../../core/config/index.js';
import { FASHION_DIR } from './harness.js';

describe('report parts', () => {
  it('colours run from dark blue (no attention) to red (most attention)', () => {
    expect(colorAt(0)).toEqual([20, 20, 120]);
    expect(colorAt(1)).toEqual([220, 30, 30]);
    expect(colorAt(0.5)).toEqual([90, 210, 120]);
  });

  it('draws the map over the probe image: the hot cell red-ish, the rest blue-ish', () => {
    // A 2×2 map with all attention in the top-left cell, over a mid-gray 4×4 image.
    const img = new PNG({ width: 4, height: 4 });
    img.data.fill(128);
    const png = PNG.sync.read(attentionOverlayPng([1, 0, 0, 0], 2, 2, PNG.sync.write(img), 8));
    const px = (x: number, y: number) => Array.from(png.data.subarray((y * 8 + x) * 4, (y * 8 + x) * 4 + 3));
    // Top-left pixel: value 1 → (128 + 220)/2, (128 + 30)/2, (128 + 30)/2.
    expect(px(0, 0)).toEqual([174, 79, 79]);
    // Bottom-right pixel: value 0 → (128 + 20)/2, (128 + 20)/2, (128 + 120)/2.
    expect(px(7, 7)).toEqual([74, 74, 124]);
  });

  it('charts as inline SVG and shades the confusion matrix by row share', () => {
    const svg = lineChart({ title: 'loss', xLabel: 'epoch', series: [{ name: 'a', points: [[1, 2], [2, 1]] }] });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('<polyline');
    expect(svg).not.toMatch(/https?:/);
    const cm = confusionTable([[1, 1], [0, 4]], ['cat', '<dog>']);
    expect(cm).toContain('&lt;dog&gt;');
    const shades = [...cm.matchAll(/rgba\(([^)]+)\)/g)].map((m) => m[1]);
    // Share of the true class × 0.85; green on the diagonal, red off it.
    expect(shades).toEqual(['40,160,80,0.425', '210,50,50,0.425', '210,50,50,0.000', '40,160,80,0.850']);
  });

  it('reports a run that has not started without failing', () => {
    const config = parseRunConfig({ name: 'not yet <b>', data: { path: FASHION_DIR }, student: { model: { family: 'wrn', depth: 10, widen: 1 } }, method: 'baseline' });
    const run: ReportRun = {
      id: 'r1', config, models: 'WRN-10-1',
      status: { status: 'queued', phase: null, epoch: 0, step: 0, createdAt: 'c', updatedAt: 'u', resumable: false, activeSeconds: 0, results: {} },
      environment: null, teacherEpochs: [], studentEpochs: [], snapshot: null, probes: null,
    };
    const html = renderReport([run]);
    expect(html).toContain('not yet &lt;b&gt;');
    expect(html).toContain('no data yet');
    expect(html).toContain('No attention snapshot yet.');
    expect(html).not.toMatch(/https?:\/\/|<script/);
  });
});
