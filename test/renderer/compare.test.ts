import { describe, expect, it, vi, beforeEach } from 'vitest';
import { cleanup as cleanupAll, render, screen, fireEvent, waitFor, within } from '@testing-library/svelte';
import { fakeApi, resetFakeApi, row, summary, epoch, snapshot, probes } from './compareFakes.js';

vi.mock('../../renderer/src/lib/api.js', async () => {
  const f = await import('./compareFakes.js');
  return { api: f.fakeApi, toUiError: f.fakeToUiError };
});

const { default: Compare } = await import('../../renderer/src/screens/Compare.svelte');
const { default: CompareTable } = await import('../../renderer/src/screens/compare/CompareTable.svelte');
const { columnVerdict } = await import('../../renderer/src/screens/compare/data.js');
const data = await import('../../renderer/src/screens/compare/data.js');
const { router } = await import('../../renderer/src/lib/router.svelte.js');

beforeEach(() => {
  vi.restoreAllMocks();
  resetFakeApi('browser');
});

describe('compare helpers', () => {
  it('finds the best row per column, lower or higher being better', () => {
    const rows = [row('a', { params: 100, bestTop1: 0.8 }), row('b', { params: 50, bestTop1: 0.9 }), row('c', { params: 50, bestTop1: undefined })];
    expect([...data.bestRows(rows, 'params')]).toEqual([1, 2]);
    expect([...data.bestRows(rows, 'bestTop1')]).toEqual([1]);
    // One value, or all equal: nothing to highlight.
    expect(data.bestRows([row('a')], 'params').size).toBe(0);
    expect(data.bestRows([row('a'), row('b')], 'latencyMs').size).toBe(0);
  });

  it('builds top-1 series with the teacher phase dashed', () => {
    const s = data.top1Series([{ id: 'a', name: 'A', metrics: [epoch('teacher', 1, 0.4), epoch('student', 1, 0.3), epoch('student', 2, 0.5)] }]);
    expect(s).toEqual([
      { label: 'A', points: [{ x: 1, y: 0.3 }, { x: 2, y: 0.5 }] },
      { label: 'A — teacher', points: [{ x: 1, y: 0.4 }], dashed: true },
    ]);
    expect(data.lossSeries([{ id: 'a', name: 'A', metrics: [epoch('student', 1, 0.3)] }])[0]!.points).toEqual([{ x: 1, y: 1.5 }]);
  });

  it('names confusion classes from the probes where it can', () => {
    expect(data.classNames(3, probes)).toEqual(['T-shirt', 'class 1', 'Pullover']);
    expect(data.classNames(2, null)).toEqual(['class 0', 'class 1']);
  });

  it('takes the last student snapshot and scales maps to [0,1]', () => {
    expect(data.lastStudentSnapshot([snapshot(1), snapshot(3), snapshot(2)])!.epoch).toBe(3);
    expect(data.scaleMap([2, 4, 6])).toEqual([0, 0.5, 1]);
    expect(data.pairsForProbe(snapshot(1), 1)).toHaveLength(2);
  });
});

describe('compare table', () => {
  it('highlights the best value of each numeric column, but not a single-seed accuracy or a same-architecture latency', () => {
    render(CompareTable, { rows: [
      row('a', { params: 100000, bestTop1: 0.8, latencyMs: 2, models: 'WRN-16-1 ← WRN-16-2' }),
      row('b', { params: 50000, bestTop1: 0.9, latencyMs: 1, models: 'WRN-10-1 ← WRN-16-2' }),
    ] });
    const table = screen.getByTestId('compare-table');
    const [ra, rb] = [table.querySelector('tr[data-run-id="a"]')!, table.querySelector('tr[data-run-id="b"]')!];
    expect(rb.querySelector('td[data-col="params"]')!.getAttribute('data-best')).toBe('true');
    expect(ra.querySelector('td[data-col="params"]')!.hasAttribute('data-best')).toBe(false);
    // One seed each: 10 points apart, yet the seed's spread is unknown.
    expect((rb.querySelector('td[data-col="bestTop1"]'))!.classList.contains('best')).toBe(false);
    expect(screen.getByTestId('verdict-bestTop1').textContent).toBe('1 seed: not conclusive');
    expect((rb.querySelector('td[data-col="latencyMs"]'))!.textContent).toContain('(best)');
    // Same value in both rows: no highlight.
    expect((ra.querySelector('td[data-col="agreement"]'))!.classList.contains('best')).toBe(false);
    expect((rb.querySelector('td[data-col="agreement"]'))!.classList.contains('best')).toBe(false);
  });
});

describe('honest verdicts', () => {
  it('marks the better accuracy only when its lead exceeds the seed spread', () => {
    // AT over 3 seeds: 0.80, 0.82, 0.84 (sd 0.02); the baseline over 2 seeds: 0.70, 0.72 (sd 0.0141).
    const at = [0.8, 0.82, 0.84].map((v, i) => row(`at${i}`, { seed: i + 1, replicateKey: 'AT', bestTop1: v }));
    const base = [0.7, 0.72].map((v, i) => row(`b${i}`, { seed: i + 1, replicateKey: 'B', method: 'baseline', bestTop1: v }));
    // Lead of the best run 0.84 over the best other 0.72: 0.12 > 0.02.
    expect([...columnVerdict([...at, ...base], 'bestTop1').best]).toEqual([2]);
    // A baseline 0.83 instead: lead 0.01 < 0.02, nothing marked, and it says why.
    const close = [0.83, 0.72].map((v, i) => row(`c${i}`, { seed: i + 1, replicateKey: 'B', method: 'baseline', bestTop1: v }));
    const v = columnVerdict([...at, ...close], 'bestTop1');
    expect(v.best.size).toBe(0);
    expect(v.note).toBe('within the seed spread (±7.8 points): not conclusive'); // the baseline's own sd: √((0.055² · 2)/1) = 0.0778
  });

  it('does not rank runs of the same student architecture on latency', () => {
    const v = columnVerdict([row('a', { latencyMs: 1.04 }), row('b', { latencyMs: 20.3 })], 'latencyMs');
    expect(v.best.size).toBe(0);
    expect(v.note).toBe('same architecture: not ranked on latency');
  });

  it('lists the settings that differ beyond method and seed', () => {
    const s = (epochs: string, extra: Record<string, string> = {}) => ({ dataset: '/d', epochs, batch: '32', student: 'WRN-10-1', ...extra });
    render(CompareTable, { rows: [
      row('a', { settings: s('3', { teacher: 'WRN-10-2', 'β': '1000 (sum-p, p 2)' }) }),
      row('b', { method: 'baseline', settings: s('2') }),
    ] });
    const tr = screen.getByTestId('settings-differ');
    // The baseline has no teacher and no β: not a difference; the epochs are.
    expect(tr.textContent!.replace(/\s+/g, ' ')).toMatch('differ in: epochs (3 vs 2).');
  });

  it('words the settings that differ in Chinese (names and fixed values; numbers and paths stay)', async () => {
    const { locale } = await import('../../renderer/src/i18n/index.js');
    locale.set('zh', false);
    try {
      const s = (epochs: string, augmentation: string) => ({ dataset: '/d', epochs, augmentation, 'β': '1000 (sum-p, p 2)' });
      render(CompareTable, { rows: [row('a', { settings: s('3', 'on') }), row('b', { settings: s('2', 'off') })] });
      const text = screen.getByTestId('settings-differ').textContent!.replace(/\s+/g, ' ');
      expect(text).toMatch('轮数 (3 对比 2)');
      expect(text).toMatch('数据增强 (开 对比 关)');
      expect(text).not.toMatch(/epochs|augmentation/);
    } finally {
      locale.set('en', false);
    }
  });
});

describe('compare screen', () => {
  it('explains how to pick runs when none is selected', async () => {
    render(Compare, { ids: [] });
    expect((await screen.findByTestId('compare-empty'))!.textContent).toContain('Tick two or more runs');
    const picker = screen.getByTestId('compare-picker');
    await waitFor(() => expect(within(picker).getAllByRole('checkbox')).toHaveLength(2));
    expect(screen.queryByTestId('compare-table')).toBeNull();
  });

  it('updates the route when runs are picked', async () => {
    const go = vi.spyOn(router, 'go').mockImplementation(() => {});
    render(Compare, { ids: ['a'] });
    const box = await screen.findByRole('checkbox', { name: 'Run b' });
    expect((screen.getByRole('checkbox', { name: 'Run a' }) as HTMLInputElement).checked).toBe(true);
    await fireEvent.click(box);
    expect(go).toHaveBeenCalledWith({ name: 'compare', ids: ['a', 'b'] });
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Run a' }));
    expect(go).toHaveBeenLastCalledWith({ name: 'compare', ids: [] });
  });

  it('shows the table, charts, one confusion matrix per run and the attention maps', async () => {
    render(Compare, { ids: ['a', 'b'] });
    await screen.findByTestId('compare-table');
    await waitFor(() => expect(fakeApi.compareRuns).toHaveBeenCalledWith(['a', 'b']));
    await waitFor(() => expect(screen.getByTestId('compare-table').querySelectorAll('tbody tr')).toHaveLength(2));
    expect(screen.getByTestId('compare-chart-top1')).toBeTruthy();
    expect(screen.getByTestId('compare-chart-loss')).toBeTruthy();
    await screen.findByTestId('confusion-a');
    await screen.findByTestId('confusion-b');
    // Per-class precision and recall: 3 classes, 8 right and 1 + 1 wrong in each row and column → 8/10 both.
    const pr = await screen.findByTestId('pr-a');
    expect(pr.querySelectorAll('tbody tr')).toHaveLength(3);
    expect([...pr.querySelector('tbody tr')!.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['80.0%', '80.0%', '10']);
    expect(fakeApi.getMetrics).toHaveBeenCalledWith('a');
    expect(fakeApi.getMetrics).toHaveBeenCalledWith('b');
    const attn = screen.getByTestId('compare-attention');
    // Teacher once per hint pair (from run a; b is a baseline), one student map per run per pair.
    await waitFor(() => expect(within(attn).getAllByTestId(/^compare-attn-teacher-/)).toHaveLength(2));
    expect(within(attn).getByTestId('compare-attn-a-0')).toBeTruthy();
    expect(within(attn).getByTestId('compare-attn-b-1')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Export report (HTML)' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Export metrics (CSV)' })).toBeNull();
  });

  it('summarises runs that differ only in seed as mean ± spread, and shows nothing of it otherwise', async () => {
    render(Compare, { ids: ['a', 'b'] });
    await screen.findByTestId('compare-table');
    await waitFor(() => expect(screen.getByTestId('compare-table').querySelectorAll('tbody tr')).toHaveLength(2));
    expect(screen.queryByTestId('compare-seeds')).toBeNull();
    cleanupAll();

    fakeApi.compareRuns.mockImplementation(async (ids: string[]) => ids.map((id, i) => row(id, {
      seed: i + 1, replicateKey: 'same experiment', bestTop1: [0.8, 0.84][i], lastTop1: [0.79, undefined][i],
    })));
    render(Compare, { ids: ['a', 'b'] });
    const seeds = await screen.findByTestId('compare-seeds');
    const cells = [...seeds.querySelectorAll('tbody td')].map((td) => (td.textContent ?? '').replace(/\s+/g, ' ').trim());
    // Best 80 and 84 → 82.0 ± 2.8 (√((2² + 2²)/1)); final: only a has one yet → 79.0 ± 0.0 over 1 run.
    expect(cells).toEqual(['1, 2', 'Run a, Run b', '82.0% ± 2.8 80.0–84.0%, 2 runs', '79.0% ± 0.0 79.0–79.0%, 1 run']);
  });

  it('switches the probe image of the attention maps', async () => {
    render(Compare, { ids: ['a'] });
    const select = await screen.findByLabelText('Probe image');
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['Image 1 — Pullover', 'Image 2 — T-shirt']);
    await fireEvent.change(select, { target: { value: '1' } });
    await waitFor(() => expect((screen.getByTestId('compare-attn-a-0')).getAttribute('aria-label')).toEqual(expect.stringContaining('probe image 2')));
  });

  it('tells about a run in the link that no longer exists', async () => {
    render(Compare, { ids: ['a', 'gone'] });
    expect(await screen.findByText(/no longer exists/)).toBeTruthy();
    await waitFor(() => expect(fakeApi.compareRuns).toHaveBeenCalledWith(['a']));
  });

  it('shows an error when the comparison fails', async () => {
    fakeApi.compareRuns.mockRejectedValue({ code: 'internal', message: 'disk on fire' });
    render(Compare, { ids: ['a'] });
    expect(await screen.findByText(/disk on fire/)).toBeTruthy();
  });
});

void summary;

describe('compare: latency measured together, and Try it', () => {
  it('shows the latency measured now for every finished student, not the figures recorded per run, and ranks different architectures only', async () => {
    fakeApi.listRuns.mockResolvedValue([summary('a'), summary('b', { method: 'baseline', teacher: undefined, models: 'WRN-10-1', student: 'WRN-10-1' }), summary('c', { status: 'running' })]);
    fakeApi.compareRuns.mockImplementation(async (ids: string[]) => ids.map((id) => row(id, id === 'b' ? { models: 'WRN-16-1' } : {})));
    render(Compare, { ids: ['a', 'b', 'c'] });
    // One call for the finished runs together (the running one has no student to time).
    await waitFor(() => expect(fakeApi.measureLatency).toHaveBeenCalledWith(['a', 'b']));
    const note = await screen.findByTestId('latency-measured');
    expect(note.getAttribute('data-rounds')).toBe('17');
    const table = screen.getByTestId('compare-table');
    await waitFor(() => expect(table.querySelector('tr[data-run-id="b"] td[data-col="latencyMs"]')!.textContent).toContain('0.90 ms'));
    expect(table.querySelector('tr[data-run-id="a"] td[data-col="latencyMs"]')!.textContent).toContain('1.50 ms');
    // c was not timed: its recorded 0.6 ms is not shown.
    expect(table.querySelector('tr[data-run-id="c"] td[data-col="latencyMs"]')!.textContent).not.toContain('0.60');
    // WRN-10-1 vs WRN-16-1: different architectures, the faster is marked.
    expect(table.querySelector('tr[data-run-id="b"] td[data-col="latencyMs"]')!.getAttribute('data-best')).toBe('true');
    await fireEvent.click(screen.getByTestId('latency-remeasure'));
    await waitFor(() => expect(fakeApi.measureLatency).toHaveBeenCalledTimes(2));
  });

  it('does not rank students of the same architecture on latency: the figures, no "best"', async () => {
    render(Compare, { ids: ['a', 'b'] });
    await screen.findByTestId('latency-measured');
    const table = screen.getByTestId('compare-table');
    await waitFor(() => expect(table.querySelector('tr[data-run-id="b"] td[data-col="latencyMs"]')!.textContent).toContain('0.90 ms'));
    expect(table.querySelectorAll('td[data-col="latencyMs"][data-best]')).toHaveLength(0);
    expect(screen.getByTestId('verdict-latencyMs').textContent).toBe('same architecture: not ranked on latency');
  });

  it('Try it: one image, every finished run\'s student top 3, the teacher only for the run that has one', async () => {
    render(Compare, { ids: ['a', 'b'] });
    await screen.findByTestId('try-it');
    const png = new File([new Uint8Array([137, 80, 78, 71])], 'shoe.png', { type: 'image/png' });
    await fireEvent.change(screen.getByTestId('try-file'), { target: { files: [png] } });
    await waitFor(() => expect(screen.getAllByTestId('try-run')).toHaveLength(2));
    expect(fakeApi.tryImage.mock.calls.map((c: unknown[]) => c[0]).sort()).toEqual(['a', 'b']);
    const [ra, rb] = ['a', 'b'].map((id) => screen.getAllByTestId('try-run').find((el) => el.getAttribute('data-run-id') === id)!);
    expect(within(ra!).getByRole('heading', { name: 'Run a' })).toBeTruthy();
    expect(within(ra!).getByTestId('try-student').querySelectorAll('li')).toHaveLength(3);
    expect(within(ra!).getByTestId('try-teacher')).toBeTruthy();
    // b is a baseline: no teacher, and nothing in its block speaks of one.
    expect(within(rb!).queryByTestId('try-teacher')).toBeNull();
    expect(rb!.textContent).not.toMatch(/teacher/i);
    expect([...rb!.querySelectorAll('[aria-label]')].map((e) => e.getAttribute('aria-label')).join(' ')).not.toMatch(/teacher/i);
  });
});
