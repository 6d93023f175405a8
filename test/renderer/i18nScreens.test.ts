// Key screens rendered in Chinese: the header's language switch turns the whole frame and the runs
// screen into Chinese at once; the dashboard's facts, buttons and chart titles are Chinese.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { fakeApi, resetFake, summary, detail, epochM, stepM } from './dashboardFakes.js';

vi.mock('../../renderer/src/lib/api.js', async () => {
  const f = await import('./dashboardFakes.js');
  return { api: f.fakeApi, toUiError: f.fakeToUiError };
});

const { default: App } = await import('../../renderer/src/App.svelte');
const { default: RunDashboard } = await import('../../renderer/src/screens/RunDashboard.svelte');
const { locale } = await import('../../renderer/src/i18n/index.js');

const text = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ').trim();

beforeEach(() => { resetFake(); locale.set('en', false); });
afterEach(() => { cleanup(); locale.set('en', false); localStorage.clear(); });

describe('Chinese', () => {
  it('the header switch turns the frame and the runs screen into Chinese, and back', async () => {
    fakeApi.listRuns.mockResolvedValue([summary('a', { name: 'Alpha', status: 'done' })]);
    render(App);
    await screen.findByTestId('runs-table');
    expect(screen.getAllByRole('link', { name: 'New run' }).length).toBeGreaterThan(0);
    await fireEvent.change(screen.getByTestId('lang-switch'), { target: { value: 'zh' } });
    const nav = screen.getByRole('navigation', { name: '主导航' });
    expect(within(nav).getAllByRole('link').map(text)).toEqual(['新建运行', '运行', '比较', '研究']);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('运行');
    const table = screen.getByTestId('runs-table');
    expect(within(table).getByRole('columnheader', { name: '最佳测试 top-1' })).toBeTruthy();
    expect(text(within(table).getByTestId('status-badge'))).toBe('已完成');
    expect(within(table).getByRole('button', { name: '删除 Alpha' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('zh-CN');
    expect(localStorage.getItem('atstudio.lang')).toBe('zh');
    await fireEvent.change(screen.getByTestId('lang-switch'), { target: { value: 'en' } });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Runs');
  });

  it('the empty runs screen says so in Chinese', async () => {
    locale.set('zh', false);
    render(App);
    const empty = await screen.findByTestId('runs-empty');
    expect(text(empty)).toMatch('还没有运行');
    expect(within(empty).getByRole('link', { name: '新建运行' }).getAttribute('href')).toBe('#/new');
  });

  it('the dashboard: facts, controls, charts and the attention panel in Chinese', async () => {
    locale.set('zh', false);
    fakeApi.getRun.mockResolvedValue(detail(summary('r1', { status: 'running', phase: 'student', epoch: 1 })));
    fakeApi.getMetrics.mockResolvedValue([stepM('student', 1, 1, 3), epochM('student', 1, 0.6)]);
    render(RunDashboard, { runId: 'r1' });
    await screen.findByTestId('chart-loss');
    await waitFor(() => expect(text(screen.getByTestId('run-phase'))).toMatch('学生 · 第 1/'));
    expect(text(screen.getByTestId('run-status'))).toBe('训练中');
    for (const name of ['暂停', '继续', '取消']) expect(screen.getByRole('button', { name })).toBeTruthy();
    expect(text(screen.getByTestId('chart-loss'))).toMatch('总损失');
    expect(text(screen.getByTestId('chart-accuracy'))).toMatch('每轮准确率');
    expect(text(screen.getByTestId('attention-panel'))).toMatch('注意力图');
    expect(screen.getByRole('heading', { name: '日志' })).toBeTruthy();
  });
});
