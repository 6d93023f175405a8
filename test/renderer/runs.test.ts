import { describe, expect, it, vi, beforeEach } from 'vitest';
import { render, screen, fireEvent, waitFor, within } from '@testing-library/svelte';
import { fakeApi, resetFake, emit, summary, listeners } from './dashboardFakes.js';

vi.mock('../../renderer/src/lib/api.js', async () => {
  const f = await import('./dashboardFakes.js');
  return { api: f.fakeApi, toUiError: f.fakeToUiError };
});

const { default: RunsLibrary } = await import('../../renderer/src/screens/RunsLibrary.svelte');
const { router } = await import('../../renderer/src/lib/router.svelte.js');

beforeEach(() => resetFake());

const RUNS = [
  summary('a', { name: 'Alpha', createdAt: '2026-11-28T09:00:00.000Z' }),
  summary('b', { name: 'Beta', status: 'running', best: undefined, createdAt: '2026-11-28T11:00:00.000Z' }),
  summary('c', { name: 'Gamma', status: 'failed', resumable: true, createdAt: '2026-11-28T10:00:00.000Z' }),
];

describe('RunsLibrary', () => {
  it('shows an empty state pointing to New run', async () => {
    render(RunsLibrary);
    const empty = await screen.findByTestId('runs-empty');
    expect((within(empty).getByRole('link', { name: 'New run' })).getAttribute('href')).toEqual('#/new');
  });

  it('names a reused teacher by its run, and warns before deleting a run that teaches others', async () => {
    const teacherRun = summary('t', { name: 'Big AT run', createdAt: '2026-11-28T08:00:00.000Z' });
    const user = summary('u', { name: 'Reuser', teacher: 'run t', models: 'WRN-16-1 ← run t', teacherRun: { id: 't', role: 'teacher' }, createdAt: '2026-11-28T12:00:00.000Z' });
    fakeApi.listRuns.mockResolvedValue([teacherRun, user]);
    render(RunsLibrary);
    const rows = await screen.findAllByTestId('run-row');
    expect(rows[0]!.textContent).toMatch('WRN-16-1 ← teacher of “Big AT run” (WRN-16-2)');
    expect(rows[0]!.textContent).not.toMatch('run t');
    await fireEvent.click(within(rows[1]!).getByRole('button', { name: /Delete/ }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toMatch('One run uses its network as their teacher (“Reuser”)');
    // A run nobody learns from: no such warning.
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await fireEvent.click(within(rows[0]!).getByRole('button', { name: /Delete/ }));
    expect((await screen.findByRole('dialog')).textContent).not.toMatch('as their teacher');
  });

  it('renders a row per run with its facts and actions', async () => {
    fakeApi.listRuns.mockResolvedValue(RUNS);
    render(RunsLibrary);
    const rows = await screen.findAllByTestId('run-row');
    expect(rows.map((r) => r.getAttribute('data-run-id'))).toEqual(['b', 'c', 'a']);
    const a = rows[2]!;
    expect((within(a).getByRole('link', { name: 'Alpha' })).getAttribute('href')).toEqual('#/runs/a');
    expect((a).textContent).toMatch('76.3%');
    expect((a).textContent).toMatch('WRN-16-1 ← WRN-16-2');
    expect((within(a).getByRole('link', { name: /Duplicate/ })).getAttribute('href')).toEqual('#/new?from=a');
    expect(within(a).queryByRole('button', { name: /Resume/ })).toBeNull();
    await fireEvent.click(within(rows[1]!).getByRole('button', { name: /Resume/ }));
    expect(fakeApi.resumeRun).toHaveBeenCalledWith('c');
  });

  it('asks before deleting and calls deleteRun; refuses while running', async () => {
    fakeApi.listRuns.mockResolvedValue(RUNS);
    render(RunsLibrary);
    const rows = await screen.findAllByTestId('run-row');
    await fireEvent.click(within(rows[0]!).getByRole('button', { name: /Delete/ }));
    expect((screen.getByTestId('delete-error')).textContent).toMatch(/running: cancel it first/);
    await fireEvent.click(within(rows[2]!).getByRole('button', { name: /Delete/ }));
    expect(fakeApi.deleteRun).not.toHaveBeenCalled();
    const dialog = document.querySelector('dialog')!;
    expect((dialog).textContent).toMatch('Alpha');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(fakeApi.deleteRun).toHaveBeenCalledWith('a'));
  });

  it('compares the selected runs', async () => {
    fakeApi.listRuns.mockResolvedValue(RUNS);
    const go = vi.spyOn(router, 'go').mockImplementation(() => {});
    render(RunsLibrary);
    await screen.findAllByTestId('run-row');
    const btn = screen.getByRole('button', { name: /Compare selected/ });
    expect(((btn) as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(screen.getByLabelText('Select Alpha'));
    await fireEvent.click(screen.getByLabelText('Select Gamma'));
    expect(((btn) as HTMLButtonElement).disabled).toBe(false);
    await fireEvent.click(btn);
    expect(go).toHaveBeenCalledWith({ name: 'compare', ids: ['a', 'c'] });
  });

  it('refreshes on run events, at most every 2 s, and unsubscribes on unmount', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      fakeApi.listRuns.mockResolvedValue(RUNS);
      const { unmount } = render(RunsLibrary);
      await screen.findAllByTestId('run-row');
      expect(fakeApi.listRuns).toHaveBeenCalledTimes(1);
      emit('b', { type: 'epoch' } as never);
      emit('b', { type: 'done', runId: 'b', result: {} });
      await vi.advanceTimersByTimeAsync(500);
      expect(fakeApi.listRuns).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(2000);
      expect(fakeApi.listRuns).toHaveBeenCalledTimes(2);
      expect(listeners.size).toBe(1);
      unmount();
      expect(listeners.size).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
