// The three ways a run is shown: a live bar on a terminal, plain lines in a pipe, JSON lines with --json.
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../cli/io.js';
import { ProgressView, progressMode } from '../../cli/progress.js';
import type { RunEvent } from '../../core/events/index.js';
import { table } from '../../cli/format/table.js';
import { duration, pct } from '../../cli/format/units.js';

function fakeIO(isTTY: boolean) {
  const io = { out: '', err: '' };
  const cliIO: CliIO = {
    stdout: { isTTY, columns: 200, write: (s: string) => { io.out += s; return true; } },
    stderr: { write: (s: string) => { io.err += s; return true; } },
    env: {}, cwd: '/', onInterrupt: () => () => {}, exit: () => {},
  };
  return { io, cliIO };
}

const step = (phase: 'teacher' | 'student', epoch: number, s: number): RunEvent => ({
  type: 'step', phase, epoch, step: s, totalSteps: 4, loss: 2.5 - s / 10, parts: { ce: 2 }, lr: 0.1,
  imagesPerSec: 123.45, etaSeconds: 75,
});
const epoch = (phase: 'teacher' | 'student', e: number): RunEvent => ({
  type: 'epoch', phase, epoch: e, epochs: 2, train: { loss: 0.61234, acc: 0.8 },
  test: { loss: 0.7, top1: 0.7512, perClass: [], confusion: [], ...(phase === 'student' ? { agreement: 0.9 } : {}) },
  lr: 0.02, seconds: 12.3,
});
const events: RunEvent[] = [
  { type: 'started', runId: 'r1', backend: { name: 'wasm', reason: 'test' }, config: {} as never },
  step('teacher', 1, 1), step('teacher', 1, 4), epoch('teacher', 1),
  { type: 'log', level: 'warn', message: 'teacher and student are the same family' },
  step('student', 1, 2), epoch('student', 1),
  { type: 'done', runId: 'r1', result: {} },
];

describe('ProgressView', () => {
  it('tty: a bar with phase, epoch e/E, step, loss, images/s and the engine ETA; epoch lines above it', () => {
    const { io, cliIO } = fakeIO(true);
    const view = new ProgressView(cliIO, progressMode(cliIO, false), { teacher: 2, student: 2 });
    expect(view.mode).toBe('tty');
    events.forEach(view.onEvent);
    expect(io.out).toContain('teacher | epoch 1/2 | step 1/4');
    expect(io.out).toMatch(/student \| epoch 1\/2 \| step 2\/4 \[[█░]+\] \| loss 2\.300 \| 123\.5 img\/s \| ETA 1m15s/);
    expect(io.out).toContain('teacher epoch 1/2 | train loss 0.6123 | train acc 80.00% | test top-1 75.12% | lr 0.0200 | 12.3s');
    expect(io.out).toContain('student epoch 1/2 | train loss 0.6123 | train acc 80.00% | test top-1 75.12% | agreement 90.0%');
    expect(io.out).toContain('warning: teacher and student are the same family');
    expect(io.out).toContain('\x1b[?25h'); // the cursor is shown again at the end
    expect(view.done?.runId).toBe('r1');
  });

  it('plain (a pipe): epoch lines only, no control characters; warnings on stderr', () => {
    const { io, cliIO } = fakeIO(false);
    const view = new ProgressView(cliIO, progressMode(cliIO, false), { teacher: 2, student: 2 });
    events.forEach(view.onEvent);
    expect(io.out).not.toContain('\x1b');
    expect(io.out.trim().split('\n')).toEqual([
      'started on wasm',
      'teacher epoch 1/2 | train loss 0.6123 | train acc 80.00% | test top-1 75.12% | lr 0.0200 | 12.3s',
      'student epoch 1/2 | train loss 0.6123 | train acc 80.00% | test top-1 75.12% | agreement 90.0% | lr 0.0200 | 12.3s',
    ]);
    expect(io.err).toBe('warning: teacher and student are the same family\n');
  });

  it('json: exactly one JSON object per event on stdout, human lines go to stderr', () => {
    const { io, cliIO } = fakeIO(true);
    const view = new ProgressView(cliIO, progressMode(cliIO, true), { teacher: 2, student: 2 });
    view.line('run r1 → /runs/r1');
    events.forEach(view.onEvent);
    const lines = io.out.trim().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual(JSON.parse(JSON.stringify(events)));
    expect(io.err).toBe('run r1 → /runs/r1\n');
  });

  it('cancelled: says how to continue', () => {
    const { io, cliIO } = fakeIO(false);
    const view = new ProgressView(cliIO, 'plain', { teacher: 1, student: 1 });
    view.onEvent({ type: 'cancelled', runId: 'r9', resumable: true });
    expect(view.cancelled).toBe(true);
    expect(io.out).toContain('atstudio resume r9');
  });
});

describe('formatting', () => {
  it('table pads columns, right-aligns numbers', () => {
    expect(table(['id', 'top-1'], [['a', '9.50%'], ['long-id', '91.25%']], ['left', 'right'])).toBe(
      'id        top-1\n-------  ------\na         9.50%\nlong-id  91.25%\n');
  });
  it('units', () => {
    expect(pct(0.9123)).toBe('91.23%');
    expect(pct(undefined)).toBe('–');
    expect(duration(42.26)).toBe('42.3s');
    expect(duration(185)).toBe('3m05s');
    expect(duration(3725)).toBe('1h02m');
  });
});
