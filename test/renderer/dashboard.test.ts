import { describe, expect, it, vi, beforeEach } from 'vitest';
import { cleanup as cleanupAll, render, screen, fireEvent, waitFor } from '@testing-library/svelte';
import type { RunEvent } from '../../core/events/types.js';
import { PNG_1PX, fakeApi, resetFake, emit, emitConnection, summary, detail, stepM, epochM, snap, listeners } from './dashboardFakes.js';

vi.mock('../../renderer/src/lib/api.js', async () => {
  const f = await import('./dashboardFakes.js');
  return { api: f.fakeApi, toUiError: f.fakeToUiError };
});

const fold = await import('../../renderer/src/screens/dashboard/fold.js');
const { default: RunDashboard } = await import('../../renderer/src/screens/RunDashboard.svelte');

beforeEach(() => resetFake());

const flushFrames = () => new Promise((r) => setTimeout(r, 40));

describe('fold', () => {
  it('folds a recorded event sequence into chart series and attention epochs', () => {
    const m = fold.emptyModel();
    const events: RunEvent[] = [
      { type: 'started', runId: 'r', backend: { name: 'wasm', reason: 'x' }, config: {} as never },
      { ...stepM('teacher', 1, 2, 2), type: 'step' } as RunEvent,
      { ...epochM('teacher', 1, 0.5), type: 'epoch' } as RunEvent,
      { ...stepM('student', 1, 1, 3), type: 'step' } as RunEvent,
      { ...stepM('student', 1, 2, 2.5), type: 'step' } as RunEvent,
      { ...epochM('student', 1, 0.6), type: 'epoch' } as RunEvent,
      { type: 'attention', ...snap('student', 1, 0.1) },
      { type: 'attention', ...snap('student', 2, 0.4) },
      { type: 'log', level: 'warn', message: 'resized' },
    ];
    for (const e of events) fold.foldEvent(m, e);
    expect(m.backend).toBe('wasm');
    expect(m.phase).toBe('student');
    expect(m.steps.teacher.loss).toEqual([{ x: 0.5, y: 2 }]);
    expect(m.steps.student.loss).toEqual([{ x: 0.25, y: 3 }, { x: 0.5, y: 2.5 }]);
    expect(m.steps.student.at.map((p) => p.y)).toEqual([3 * 0.2, 2.5 * 0.2].map((v) => expect.closeTo(v, 9)) as never);
    expect(m.steps.student.atPerPair).toHaveLength(2);
    expect(m.epochs.teacher).toEqual([{ epoch: 1, trainAcc: 0.45, top1: 0.5, trainLoss: 1, testLoss: 1.2 }]);
    expect(m.epochs.student.map((e) => e.top1)).toEqual([0.6]);
    expect(m.snapshots.student.map((s) => s.epoch)).toEqual([1, 2]);
    expect(fold.attentionPhase(m)).toBe('student');
    expect(fold.groupPairs(m.snapshots.student[0]).map((g) => g.probes.length)).toEqual([2, 2]);
    expect(m.logLines).toEqual(['[warn] resized']);
    fold.foldEvent(m, { type: 'failed', runId: 'r', error: 'boom', resumable: true });
    expect(m.statusOverride).toBe('failed');
    expect(m.error).toBe('boom');
  });

  it('keeps validation top-1 when an epoch carries it', () => {
    const m = fold.emptyModel();
    fold.foldEvent(m, { ...epochM('student', 1, 0.6), validation: { loss: 0.9, top1: 0.58 }, type: 'epoch' } as RunEvent);
    fold.foldEvent(m, { ...epochM('student', 2, 0.7), type: 'epoch' } as RunEvent);
    expect(m.epochs.student.map((e) => e.valTop1)).toEqual([0.58, undefined]);
  });

  it('caps step points by thinning old ones, and drops redone steps on resume', () => {
    const arr: { x: number; y: number }[] = [];
    for (let i = 0; i < 2000; i++) fold.pushCapped(arr, { x: i, y: i }, 100);
    expect(arr.length).toBeLessThanOrEqual(100);
    expect(arr[arr.length - 1]).toEqual({ x: 1999, y: 1999 });
    fold.pushCapped(arr, { x: 1990, y: 0 }, 100);
    expect(arr[arr.length - 1]).toEqual({ x: 1990, y: 0 });
    expect(arr.filter((p) => p.x >= 1990)).toHaveLength(1);
  });
});

describe('RunDashboard', () => {
  it('loads the history, shows the charts and the log, and follows live events', async () => {
    fakeApi.getRun.mockResolvedValue(detail(summary('r1', { status: 'running', phase: 'student', epoch: 1 })));
    fakeApi.getMetrics.mockResolvedValue([stepM('student', 1, 1, 3), stepM('student', 1, 2, 2), epochM('student', 1, 0.6)]);
    render(RunDashboard, { runId: 'r1' });
    expect((await screen.findByTestId('run-status')).textContent).toMatch('running');
    expect((screen.getByTestId('run-backend')).textContent).toMatch('wasm');
    expect((screen.getByTestId('run-log')).textContent).toMatch('line 2');
    expect((screen.getByTestId('chart-loss')).getAttribute('data-points')).toEqual('2');
    for (const id of ['chart-loss-parts', 'chart-at-pairs', 'chart-accuracy', 'chart-lr']) expect(screen.getByTestId(id)).toBeTruthy();
    emit('r1', { ...stepM('student', 2, 1, 1.5), type: 'step', imagesPerSec: 321, etaSeconds: 12 } as RunEvent);
    await flushFrames();
    expect((screen.getByTestId('chart-loss')).getAttribute('data-points')).toEqual('3');
    expect((screen.getByTestId('images-per-sec')).textContent).toMatch('321');
    expect((screen.getByTestId('run-phase')).textContent).toMatch('student');
  });

  it('enables buttons per status and pause calls api.pauseRun', async () => {
    fakeApi.getRun.mockResolvedValue(detail(summary('r1', { status: 'running' })));
    render(RunDashboard, { runId: 'r1' });
    await screen.findByTestId('run-status');
    expect(((screen.getByRole('button', { name: 'Pause' })) as HTMLButtonElement).disabled).toBe(false);
    expect(((screen.getByRole('button', { name: 'Resume' })) as HTMLButtonElement).disabled).toBe(true);
    expect(((screen.getByRole('button', { name: 'Cancel' })) as HTMLButtonElement).disabled).toBe(false);
    await fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    expect(fakeApi.pauseRun).toHaveBeenCalledWith('r1');
    emit('r1', { type: 'status', status: 'paused' });
    await flushFrames();
    await waitFor(() => expect(((screen.getByRole('button', { name: 'Resume' })) as HTMLButtonElement).disabled).toBe(false));
    expect(((screen.getByRole('button', { name: 'Pause' })) as HTMLButtonElement).disabled).toBe(true);
  });

  it('a finished run has every control disabled', async () => {
    render(RunDashboard, { runId: 'r1' });
    await screen.findByTestId('run-status');
    for (const n of ['Pause', 'Resume', 'Cancel']) expect(((screen.getByRole('button', { name: n })) as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows a failed event prominently', async () => {
    fakeApi.getRun.mockResolvedValue(detail(summary('r1', { status: 'running' })));
    render(RunDashboard, { runId: 'r1' });
    await screen.findByTestId('run-status');
    emit('r1', { type: 'failed', runId: 'r1', error: 'Out of memory in conv2d', resumable: true });
    await flushFrames();
    expect((screen.getByRole('alert')).textContent).toMatch('Out of memory in conv2d');
    expect((screen.getByTestId('run-status')).textContent).toMatch('failed');
    expect(((screen.getByRole('button', { name: 'Resume' })) as HTMLButtonElement).disabled).toBe(false);
  });

  it('shows a stored error of a failed run', async () => {
    fakeApi.getRun.mockResolvedValue(detail(summary('r1', { status: 'failed', resumable: false }), 'NaN loss'));
    render(RunDashboard, { runId: 'r1' });
    expect((await screen.findByRole('alert')).textContent).toMatch('NaN loss');
  });

  it('the epoch slider changes which snapshot is shown, and follows new epochs until moved', async () => {
    fakeApi.getSnapshots.mockResolvedValue([snap('student', 1, 0.1), snap('student', 2, 0.3)]);
    fakeApi.getRun.mockResolvedValue(detail(summary('r1', { status: 'running' })));
    render(RunDashboard, { runId: 'r1' });
    const slider = (await screen.findByLabelText('Epoch')) as HTMLInputElement;
    expect((slider).getAttribute('data-testid')).toEqual('attention-epoch');
    const student = () => screen.getByTestId('attention-student-1-1');
    expect(screen.getByTestId('attention-teacher-0-0')).toBeTruthy();
    expect((student()).getAttribute('aria-label')).toEqual(expect.stringContaining('epoch 2'));
    emit('r1', { type: 'attention', ...snap('student', 3, 0.5) });
    await flushFrames();
    expect((student()).getAttribute('aria-label')).toEqual(expect.stringContaining('epoch 3'));
    await fireEvent.input(slider, { target: { value: '0' } });
    expect((student()).getAttribute('aria-label')).toEqual(expect.stringContaining('epoch 1'));
    emit('r1', { type: 'attention', ...snap('student', 4, 0.6) });
    await flushFrames();
    expect((student()).getAttribute('aria-label')).toEqual(expect.stringContaining('epoch 1'));
  });

  it('says when a run saves no attention maps, instead of promising them after the first epoch', async () => {
    fakeApi.getSnapshots.mockResolvedValue([]);
    const none = detail(summary('r1', { status: 'running' }));
    none.config = { probes: 0 } as typeof none.config;
    fakeApi.getRun.mockResolvedValue(none);
    render(RunDashboard, { runId: 'r1' });
    const panel = await screen.findByTestId('attention-panel');
    await waitFor(() => expect(panel.textContent).toMatch('This run saves no attention maps'));
    cleanupAll();
    const some = detail(summary('r1', { status: 'running' }));
    some.config = { probes: 4 } as typeof some.config;
    fakeApi.getRun.mockResolvedValue(some);
    render(RunDashboard, { runId: 'r1' });
    await waitFor(() => expect(screen.getByTestId('attention-panel').textContent).toMatch('they appear after the first epoch'));
  });

  it('says "running" once, and Cancel asks first', async () => {
    fakeApi.getRun.mockResolvedValue(detail(summary('r1', { status: 'running' })));
    render(RunDashboard, { runId: 'r1' });
    const st = await screen.findByTestId('run-status');
    expect(st.textContent!.trim()).toBe('running');
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toMatch('Cancel this run?');
    expect(fakeApi.cancelRun).not.toHaveBeenCalled();
    // Its own Cancel button keeps the run.
    const buttons = dialog.querySelectorAll('button');
    await fireEvent.click(buttons[0]!);
    expect(fakeApi.cancelRun).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel the run' }));
    await waitFor(() => expect(fakeApi.cancelRun).toHaveBeenCalledWith('r1'));
  });

  it('a baseline has no "Loss parts" chart (its only part is the total)', async () => {
    fakeApi.getRun.mockResolvedValue(detail(summary('r1', { method: 'baseline', teacher: undefined })));
    render(RunDashboard, { runId: 'r1' });
    await screen.findByTestId('run-status');
    expect(screen.queryByTestId('chart-loss-parts')).toBeNull();
    expect(screen.getByTestId('chart-loss')).toBeTruthy();
  });

  it('shows "connection lost — reconnecting" while the server is away and catches up when it is back', async () => {
    fakeApi.getRun.mockResolvedValue(detail(summary('r1', { status: 'running', epoch: 1 })));
    fakeApi.getMetrics.mockResolvedValue([stepM('student', 1, 1, 3)]);
    render(RunDashboard, { runId: 'r1' });
    await screen.findByTestId('run-status');
    emit('r1', { ...stepM('student', 1, 2, 2.5), type: 'step' } as RunEvent);
    await flushFrames();
    expect(screen.getByTestId('eta').textContent).not.toBe('—');
    emitConnection('reconnecting');
    expect((await screen.findByTestId('connection-lost')).textContent).toMatch('Connection lost — reconnecting');
    await waitFor(() => expect(screen.getByTestId('eta').textContent).toBe('—'));
    // Meanwhile the run finished; the history says so.
    fakeApi.getRun.mockResolvedValue(detail(summary('r1', { status: 'done', epoch: 2 })));
    const calls = fakeApi.getMetrics.mock.calls.length;
    emitConnection('open');
    await waitFor(() => expect(screen.queryByTestId('connection-lost')).toBeNull());
    await waitFor(() => expect(screen.getByTestId('run-status').textContent!.trim()).toBe('done'));
    expect(fakeApi.getMetrics.mock.calls.length).toBe(calls + 1);
  });

  it('"Try it" on a finished run: pick an image, see the student\'s top 3 and the teacher\'s beside it, with their maps', async () => {
    const net = (names: string[]) => ({
      top: names.map((n, i) => ({ label: i, className: n, p: [0.7, 0.2, 0.05][i]! })),
      maps: [{ tap: 'group0', h: 2, w: 2, map: [1, 0, 0, 0] }, { tap: 'group1', h: 1, w: 1, map: [1] }],
    });
    fakeApi.tryImage.mockImplementation(async () => ({ student: net(['Sneaker', 'Sandal', 'Bag']), teacher: net(['Sneaker', 'Ankle boot', 'Sandal']) }));
    render(RunDashboard, { runId: 'r1' });
    const tryIt = await screen.findByTestId('try-it');
    const file = new File([Uint8Array.from(atob(PNG_1PX), (c) => c.charCodeAt(0))], 'shoe.png', { type: 'image/png' });
    await fireEvent.change(screen.getByTestId('try-file'), { target: { files: [file] } });
    const student = await screen.findByTestId('try-student');
    expect(fakeApi.tryImage).toHaveBeenCalledWith('r1', PNG_1PX);
    expect(student.textContent!.replace(/\s+/g, ' ')).toMatch(/Sneaker.*70\.0%.*Sandal.*20\.0%.*Bag.*5\.0%/);
    expect(screen.getByTestId('try-teacher').textContent).toMatch('Ankle boot');
    expect(student.querySelectorAll('canvas, [role="img"]').length).toBeGreaterThan(0);
    // Not an image: said plainly, nothing sent.
    await fireEvent.change(screen.getByTestId('try-file'), { target: { files: [new File(['x'], 'notes.txt', { type: 'text/plain' })] } });
    expect(tryIt.querySelector('[role="alert"]')!.textContent).toMatch('notes.txt is not a PNG or JPEG image.');
    expect(fakeApi.tryImage).toHaveBeenCalledTimes(1);
  });

  it('a running run has no "Try it" yet', async () => {
    fakeApi.getRun.mockResolvedValue(detail(summary('r1', { status: 'running' })));
    render(RunDashboard, { runId: 'r1' });
    await screen.findByTestId('run-status');
    expect(screen.queryByTestId('try-it')).toBeNull();
  });

  it('unsubscribes on unmount', async () => {
    const { unmount } = render(RunDashboard, { runId: 'r1' });
    await screen.findByTestId('run-status');
    expect(fakeApi.subscribe).toHaveBeenCalledWith(expect.any(Function), 'r1');
    expect(listeners.size).toBe(1);
    unmount();
    expect(listeners.size).toBe(0);
  });
});
