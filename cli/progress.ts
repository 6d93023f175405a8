// How a training run looks on the command line. Three modes:
//  - json:  every RunEvent as one JSON object per line on stdout, nothing else there;
//  - tty:   a live bar (phase, epoch e/E, step, loss, images/s, ETA) with per-epoch lines printed above it;
//  - plain: (stdout is a pipe or a file) the per-epoch lines and the summary, no control characters.
import cliProgress from 'cli-progress';
import type { CliIO } from './io.js';
import { duration, num, pct } from './format/units.js';
import type { RunEvent } from './engine.js';

type EpochEvent = Extract<RunEvent, { type: 'epoch' }>;
type StepEvent = Extract<RunEvent, { type: 'step' }>;
type Phase = StepEvent['phase'];

export type ProgressMode = 'json' | 'tty' | 'plain';

export function progressMode(io: CliIO, json: boolean): ProgressMode {
  if (json) return 'json';
  return io.stdout.isTTY ? 'tty' : 'plain';
}

export class ProgressView {
  private multi?: cliProgress.MultiBar | undefined;
  private bar?: cliProgress.SingleBar | undefined;
  private barKey = '';
  private lastDraw = 0;
  cancelled = false;
  failed?: string;
  done?: Extract<RunEvent, { type: 'done' }>;

  /** `epochs` gives E in "epoch e/E" until the phase's first epoch event says it. */
  /** `prefix` leads the bar (a study puts "run k/n, time left" there). */
  constructor(private readonly io: CliIO, readonly mode: ProgressMode, private readonly epochs: Record<Phase, number>,
    private readonly prefix?: (e: StepEvent) => string) {}

  /** Feed one engine event. */
  onEvent = (e: RunEvent): void => {
    if (e.type === 'cancelled') this.cancelled = true;
    if (e.type === 'failed') this.failed = e.error;
    if (e.type === 'done') this.done = e;
    if (e.type === 'epoch') this.epochs[e.phase] = e.epochs;
    if (this.mode === 'json') {
      this.io.stdout.write(JSON.stringify(e) + '\n');
      return;
    }
    switch (e.type) {
      case 'started':
        this.line(`started on ${e.backend.name}${e.resumedFrom ? ` (continuing ${e.resumedFrom.phase} after epoch ${e.resumedFrom.epoch}, step ${e.resumedFrom.step})` : ''}`);
        break;
      case 'step':
        if (this.mode === 'tty') this.updateBar(e);
        break;
      case 'epoch':
        this.line(epochLine(e));
        break;
      case 'log':
        this.stderrLine(`${e.level === 'warn' ? 'warning: ' : ''}${e.message}`);
        break;
      case 'cancelled':
        this.stopBar();
        this.line(`cancelled${e.resumable === false ? ' before the first checkpoint' : ` — continue with \`atstudio resume ${e.runId}\``}`);
        break;
      case 'failed':
      case 'done':
        this.stopBar();
        break;
      default:
        break; // attention maps, checkpoints, pause acks: for the desktop app, too chatty for a terminal
    }
  };

  /** A line for people: stdout (above the bar when one is shown), or stderr in json mode. */
  line(text: string): void {
    if (this.mode === 'json') this.io.stderr.write(text + '\n');
    else if (this.multi) {
      this.multi.log(text + '\n');
      this.multi.update(); // MultiBar flushes its log only on a redraw; show the line now
    } else this.io.stdout.write(text + '\n');
  }

  private stderrLine(text: string): void {
    if (this.multi) this.line(text); // keep the bar intact; the line lands above it
    else this.io.stderr.write(text + '\n');
  }

  stopBar(): void {
    this.multi?.stop();
    this.multi = undefined;
    this.bar = undefined;
    this.barKey = '';
  }

  private updateBar(e: StepEvent): void {
    // One bar per epoch (its total is that epoch's steps); the ETA is the engine's, for the whole phase.
    const key = `${e.phase}/${e.epoch}/${e.totalSteps}`;
    const payload = {
      phase: e.phase, epoch: e.epoch, epochs: this.epochs[e.phase] ?? '?', totalSteps: e.totalSteps,
      loss: num(e.loss, 4), ips: Number.isFinite(e.imagesPerSec) ? e.imagesPerSec.toFixed(1) : '–',
      remaining: duration(e.etaSeconds), prefix: this.prefix?.(e) ?? '',
    };
    if (key !== this.barKey) {
      this.stopBar();
      this.multi = new cliProgress.MultiBar({
        stream: this.io.stdout as NodeJS.WritableStream,
        format: '{prefix}{phase} | epoch {epoch}/{epochs} | step {value}/{totalSteps} [{bar}] | loss {loss} | {ips} img/s | ETA {remaining}',
        barsize: 20, hideCursor: true, clearOnComplete: true, fps: 5,
      }, cliProgress.Presets.shades_classic);
      this.bar = this.multi.create(e.totalSteps, e.step, payload);
      this.barKey = key;
      this.lastDraw = 0;
    } else {
      this.bar?.update(e.step, payload);
    }
    // Draw now rather than on cli-progress's timer: a training step may hold the event loop for longer
    // than the timer's period.
    const now = Date.now();
    if (now - this.lastDraw >= 200) {
      this.lastDraw = now;
      this.multi?.update();
    }
  }
}

export function epochLine(e: EpochEvent): string {
  const parts = [
    `${e.phase} epoch ${e.epoch}/${e.epochs}`,
    `train loss ${num(e.train.loss, 4)}`,
    `train acc ${pct(e.train.acc)}`,
    `test top-1 ${pct(e.test.top1)}`,
    ...(e.test.agreement !== undefined ? [`agreement ${pct(e.test.agreement, 1)}`] : []),
    `lr ${num(e.lr, 3)}`,
    duration(e.seconds),
  ];
  return parts.join(' | ');
}
