// LineChart keeps one chart.js object and updates it in place: data, scale type and axis titles follow the
// props. chart.js is replaced by a recorder here (jsdom cannot draw); what is checked is what it is told.
import { afterEach, expect, it, vi } from 'vitest';
import { render } from '@testing-library/svelte';

const made: { options: any; data: any; updates: number; destroyed: boolean }[] = [];
vi.mock('chart.js', () => {
  class Chart {
    options: any; data: any; updates = 0; destroyed = false;
    static register() {}
    constructor(_ctx: unknown, cfg: { data: unknown; options: unknown }) {
      this.options = cfg.options;
      this.data = cfg.data;
      made.push(this as any);
    }
    update() { this.updates++; }
    destroy() { this.destroyed = true; }
  }
  const part = class {};
  return { Chart, LineController: part, LineElement: part, PointElement: part, LinearScale: part, LogarithmicScale: part, Legend: part, Tooltip: part };
});

import LineChart from '../../renderer/src/components/LineChart.svelte';

// A context to hand the recorder (this file runs in its own jsdom; setup.ts's null stays for the others).
HTMLCanvasElement.prototype.getContext = (() => ({})) as any;
afterEach(() => { made.length = 0; });

const pts = (n: number, x0 = 1) => Array.from({ length: n }, (_, i) => ({ x: x0 + i, y: 1 / (i + 1) }));

it('updates the one chart in place: points, legend and the axis titles', async () => {
  const { rerender } = render(LineChart, { title: 'Loss', series: [{ label: 'student loss', points: pts(2) }], xLabel: 'epoch', yLabel: 'loss' });
  expect(made).toHaveLength(1);
  const chart = made[0]!;
  expect(chart.options.scales.x.title).toMatchObject({ text: 'epoch', display: true });
  expect(chart.options.plugins.legend.display).toBe(false);

  // The history loads: a teacher trained first, so the x axis says so, and a second series appears.
  await rerender({ title: 'Loss', xLabel: 'epoch (teacher, then student)', yLabel: 'loss',
    series: [{ label: 'teacher loss', points: pts(1), dashed: true }, { label: 'student loss', points: pts(3, 2) }] });
  expect(made).toHaveLength(1);
  expect(chart.options.scales.x.title).toMatchObject({ text: 'epoch (teacher, then student)', display: true });
  expect(chart.options.scales.y.title).toMatchObject({ text: 'loss', display: true });
  expect(chart.data.datasets.map((d: { label: string; data: unknown[] }) => [d.label, d.data.length])).toEqual([['teacher loss', 1], ['student loss', 3]]);
  expect(chart.data.datasets[0].borderDash).toEqual([6, 4]);
  expect(chart.options.plugins.legend.display).toBe(true);
  expect(chart.updates).toBeGreaterThan(0);

  await rerender({ title: 'Loss', xLabel: undefined, series: [{ label: 'student loss', points: pts(3) }] });
  expect(chart.options.scales.x.title).toMatchObject({ text: '', display: false });
});
