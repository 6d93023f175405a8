// The HTML report's parts on hand-made inputs: colours, the attention overlay, charts and a run that has
// not started (nothing recorded yet).
import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { colormap } from '../../renderer/src/lib/colormap.js';
import { attentionOverlayPng, colorAt, lineChart, renderReport, confusionTable, tickLabel, type ReportRun } from '../../core/report/index.js';
import { parseRunConfig } from '../../core/config/index.js';
import { FASHION_DIR } from './harness.js';

describe('report parts', () => {
  it("colours maps with the app's inferno map: black (no attention) to pale yellow (most attention)", () => {
    expect(colorAt(0)).toEqual([0, 0, 4]);
    expect(colorAt(1)).toEqual([252, 255, 164]);
    // 0.5 · 7 = 3.5: halfway between stops 3 (159, 42, 99) and 4 (212, 72, 66).
    expect(colorAt(0.5)).toEqual([186, 57, 83]);
    expect(colorAt(0.3)).toEqual(colormap(0.3));
  });

  it('draws the map over the probe image: the hot cell red-ish, the rest blue-ish', () => {
    // A 2×2 map with all attention in the top-left cell, over a mid-gray 4×4 image.
    const img = new PNG({ width: 4, height: 4 });
    img.data.fill(128);
    const png = PNG.sync.read(attentionOverlayPng([1, 0, 0, 0], 2, 2, PNG.sync.write(img), 8));
    const px = (x: number, y: number) => Array.from(png.data.subarray((y * 8 + x) * 4, (y * 8 + x) * 4 + 3));
    // Top-left pixel: value 1 → (128 + 252)/2, (128 + 255)/2, (128 + 164)/2.
    expect(px(0, 0)).toEqual([190, 192, 146]);
    // Bottom-right pixel: value 0 → (128 + 0)/2, (128 + 0)/2, (128 + 4)/2.
    expect(px(7, 7)).toEqual([64, 64, 66]);
  });

  it('charts as inline SVG and shades the confusion matrix by row share', () => {
    const svg = lineChart({ title: 'loss', xLabel: 'epoch', series: [{ name: 'a', points: [[1, 2], [2, 1]] }] });
    expect(svg.startsWith('<svg')).toBe(true);
    // The legend sits below the 240-px plot (whose frame ends at 240 − 36), not on it: the SVG grows by a row.
    expect(svg).toMatch(/^<svg width="420" height="259"/);
    expect(Number(/<text x="72" y="(\d+)" class="tk">a<\/text>/.exec(svg)![1])).toBeGreaterThan(240);
    expect(svg).toContain('<polyline');
    expect(svg).not.toMatch(/https?:/);
    const cm = confusionTable([[1, 1], [0, 4]], ['cat', '<dog>']);
    expect(cm).toContain('&lt;dog&gt;');
    const shades = [...cm.matchAll(/rgba\(([^)]+)\)/g)].map((m) => m[1]);
    // Share of the true class × 0.85; green on the diagonal, red off it.
    expect(shades).toEqual(['40,160,80,0.425', '210,50,50,0.425', '210,50,50,0.000', '40,160,80,0.850']);
  });

  it('labels y ticks with the decimals their spacing needs, so close ticks stay distinct', () => {
    // Loss 2.35–2.36 in four steps of 0.0025: four decimals.
    expect([0, 1, 2, 3, 4].map((i) => tickLabel(2.35 + 0.0025 * i, 0.0025))).toEqual(['2.3500', '2.3525', '2.3550', '2.3575', '2.3600']);
    // Steps of 0.25 need two decimals, steps of 0.2 one, steps of 2 none, steps of 2.5 one.
    expect(tickLabel(0.25, 0.25)).toBe('0.25');
    expect(tickLabel(0.4, 0.2)).toBe('0.4');
    expect(tickLabel(6, 2)).toBe('6');
    expect(tickLabel(7.5, 2.5)).toBe('7.5');
    expect(tickLabel(12345, 1000)).toBe('12,345');
    const svg = lineChart({ title: 'loss', xLabel: 'epoch', series: [{ name: 'a', points: [[1, 2.35], [2, 2.36]] }] });
    const ticks = [...svg.matchAll(/class="tk">([0-9.]+)</g)].map((m) => m[1]).slice(0, 5);
    expect(new Set(ticks).size).toBe(5);
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
    expect(html).not.toContain('Across seeds'); // one run repeats nothing
  });

  it("a baseline's maps have no teacher column (its snapshot pairs the student with itself)", () => {
    const config = parseRunConfig({ name: 'base', data: { path: FASHION_DIR }, student: { model: { family: 'wrn', depth: 10, widen: 1 } }, method: 'baseline' });
    const snapshot = { phase: 'student' as const, epoch: 2, pairs: [{ student: 'group0', teacher: 'group0', probe: 0, h: 2, w: 2, studentMap: [1, 0, 0, 0], teacherMap: [1, 0, 0, 0] }] };
    const run: ReportRun = {
      id: 'b1', config, models: 'WRN-10-1',
      status: { status: 'done', phase: null, epoch: 2, step: 0, createdAt: 'c', updatedAt: 'u', resumable: false, activeSeconds: 1, results: {} },
      environment: null, teacherEpochs: [], studentEpochs: [], snapshot, probes: null,
    };
    const html = renderReport([run]);
    expect(html).toContain('alt="student attention, probe 0"');
    expect(html).not.toContain('teacher attention');
    expect(html).toContain('a baseline has no teacher');
  });

  it('summarises runs that differ only in seed as mean ± spread of their accuracy', () => {
    const make = (id: string, seed: number, best: number, last: number, beta = 1000): ReportRun => {
      const config = parseRunConfig({ name: `at ${id}`, seed, data: { path: FASHION_DIR }, method: 'baseline', attention: { beta } });
      return {
        id, config, models: 'WRN-16-1',
        status: { status: 'done', phase: 'student', epoch: 1, step: 0, createdAt: 'c', updatedAt: 'u', resumable: false, activeSeconds: 1,
          results: { student: { best: { epoch: 1, top1: best }, last: { epoch: 1, top1: last } } } },
        environment: null, teacherEpochs: [], studentEpochs: [], snapshot: null, probes: null,
      } as ReportRun;
    };
    const html = renderReport([make('a', 1, 0.8, 0.79), make('b', 2, 0.84, 0.81), make('c', 3, 0.82, 0.8), make('other', 4, 0.5, 0.5, 10)]);
    const start = html.indexOf('<h2>Across seeds</h2>');
    const section = html.slice(start, html.indexOf('</table>', start));
    expect(section).toContain('<td>1, 2, 3</td>');
    // Best: 80, 84, 82 → mean 82.0, sd 2.0; last: 79, 81, 80 → mean 80.0, sd 1.0.
    expect(section).toContain('82.0% ± 2.0 (80.0–84.0%, n = 3)');
    expect(section).toContain('80.0% ± 1.0 (79.0–81.0%, n = 3)');
    expect(section).not.toContain('<td>4</td>'); // the run with another β repeats nothing
  });

  it('writes the whole report in Chinese with lang "zh": headings, labels, status, dates, <html lang>', () => {
    const config = parseRunConfig({ name: '我的 AT', data: { path: FASHION_DIR }, student: { model: { family: 'wrn', depth: 10, widen: 1 } }, method: 'baseline' });
    const confusion = [[3, 1], [0, 4]];
    const run: ReportRun = {
      id: 'z1', config, models: 'WRN-10-1',
      status: { status: 'done', phase: null, epoch: 1, step: 0, createdAt: 'c', updatedAt: 'u', resumable: false, activeSeconds: 12.5,
        results: { student: { best: { epoch: 1, top1: 0.875 }, last: { epoch: 1, top1: 0.875 } } } },
      environment: null, teacherEpochs: [],
      studentEpochs: [{ kind: 'epoch', phase: 'student', epoch: 1, lr: 0.1, seconds: 1, train: { loss: 0.5, top1: 0.8 }, test: { loss: 0.4, top1: 0.875, confusion } }] as never,
      snapshot: null, probes: null,
    };
    const at = new Date('2026-12-06T09:30:00Z');
    const zh = renderReport([run], { lang: 'zh', generatedAt: at });
    expect(zh).toContain('<html lang="zh-CN">');
    expect(zh).toContain('生成于 2026年12月6日 09:30 UTC');
    for (const s of ['<h3>结果</h3>', '<h3>配置</h3>', '<h3>运行环境</h3>', '<h3>混淆矩阵(学生,第 1 轮)</h3>', '每个类别的精确率和召回率',
      '<th>学生最佳 top-1</th><td>87.50%(第 1 轮)</td>', '<td>已完成</td>', '训练时间', '12.5 秒', '真实 \\ 预测', '训练损失(学生)', '还没有注意力快照。']) {
      expect(zh).toContain(s);
    }
    // Nothing of the English words left in the report's own text (user data such as the path stays).
    for (const s of ['Results', 'Configuration', 'Environment', 'Confusion matrix', 'Precision and recall', 'training time', 'No attention']) expect(zh).not.toContain(s);
    const en = renderReport([run], { generatedAt: at });
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Generated December 6, 2026 at 09:30 UTC');
    expect(en).toContain('<h3>Results</h3>');
  });

  it("labels each run's recorded latency as not comparable, in both languages, and marks no best on it", () => {
    const config = parseRunConfig({ name: 'lat', data: { path: FASHION_DIR }, method: 'baseline' });
    const run = {
      id: 'l1', config, models: 'WRN-16-1',
      status: { status: 'done', phase: null, epoch: 1, step: 0, createdAt: 'c', updatedAt: 'u', resumable: false, activeSeconds: 1, results: {} },
      environment: { recordedAt: 'r', student: { latencyMs: 1.5 } }, teacherEpochs: [], studentEpochs: [], snapshot: null, probes: null,
    } as unknown as ReportRun;
    const en = renderReport([run, { ...run, id: 'l2' }]);
    expect(en).toContain('<th>latency (batch 1), recorded at the end of this run (different times and conditions from other runs; not comparable)</th><td>1.500 ms/image</td>');
    expect(en.match(/ms\/image<\/td>/g)).toHaveLength(2);
    expect(en).not.toMatch(/ms\/image[^<]*<(strong|mark|b)>|best[^<]*latency/i);
    const zh = renderReport([run], { lang: 'zh' });
    expect(zh).toContain('<th>延迟(批大小 1),本次运行结束时记录(与其他运行的时间和条件不同,不可比较)</th><td>1.500 毫秒/张</td>');
  });
});
