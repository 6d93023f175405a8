// The service's parts on their own, on a runs folder with runs that never train (a scripted engine that
// starts nothing): run queries, run control, comparison rows, report exports, wire errors
// (backendOptions is covered through the API by wizard.test.ts: it probes WebGPU in a child process).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRunConfig } from '../../core/config/runConfig.js';
import type { RunEvent } from '../../core/events/types.js';
import { RunStore } from '../../core/runs/runStore.js';
import { comparisonRows } from '../../core/service/comparison.js';
import { NoticeListeners, type EngineHost } from '../../core/service/engine/host.js';
import { EventHub } from '../../core/service/eventHub.js';
import { PathPolicy } from '../../core/service/paths.js';
import { exportReport, exportReportPdf } from '../../core/service/reportExports.js';
import { cancelRun, deleteRun, pauseRun, resumeRun, type RunControlContext } from '../../core/service/runControl.js';
import { openRun, runDetail } from '../../core/service/runQueries.js';
import { RunQueue } from '../../core/service/runQueue.js';
import { parseBridgeError } from '../../core/service/wireError.js';

const idle: EngineHost = {
  kind: 'idle', start: () => new Promise<void>(() => undefined), control: () => undefined,
  onNotice: (fn) => new NoticeListeners().add(fn), close: async () => undefined,
};
const codeOf = (p: Promise<unknown>) => p.then(() => 'no error', (err: { code?: string }) => err.code ?? String(err));

describe('service parts', () => {
  let tmp: string;
  let store: RunStore;
  let ctx: RunControlContext;
  let seen: RunEvent[];
  const newRun = async (name: string) => store.create(parseRunConfig({ name, data: { path: '/data/x' } }));

  beforeEach(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'atstudio-parts-'));
    store = new RunStore(path.join(tmp, 'runs'));
    const events = new EventHub(0);
    seen = [];
    events.subscribe((_, e) => seen.push(e));
    ctx = { store, paths: new PathPolicy(undefined, store.runsDir), queue: new RunQueue({ store, engine: idle, events }), events };
  });
  afterEach(() => {
    ctx.queue.dispose();
    ctx.events.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('openRun: a bad id is invalid, an unknown one not-found', async () => {
    expect(await codeOf(openRun(store, '../x'))).toBe('invalid');
    expect(await codeOf(openRun(store, 42))).toBe('invalid');
    expect(await codeOf(openRun(store, 'no-such-run'))).toBe('not-found');
    const run = await newRun('here');
    expect((await openRun(store, run.id)).id).toBe(run.id);
  });

  it('runDetail gives the queue position the queue reports, and none otherwise', async () => {
    const run = await newRun('queued');
    expect((await runDetail(store, run.id, () => 2)).queuePosition).toBe(2);
    const d = await runDetail(store, run.id, () => undefined);
    expect(d.queuePosition).toBeUndefined();
    expect(d.summary.id).toBe(run.id);
    expect(d.config.name).toBe('queued');
  });

  it('run control: a queued run cannot be paused; cancelled while queued it says so and tells subscribers; resumed it is queued again', async () => {
    const run = await newRun('waiting');
    expect(await codeOf(pauseRun(ctx, run.id))).toBe('conflict');
    await cancelRun(ctx, run.id);
    expect((await run.readStatus()).status).toBe('cancelled');
    expect(seen).toEqual([{ type: 'cancelled', runId: run.id, resumable: false }]);
    expect(await codeOf(cancelRun(ctx, run.id))).toBe('conflict');
    await resumeRun(ctx, run.id);
    expect((await run.readStatus()).status).toBe('queued');
    expect(await run.readLog()).toContain('queued to start again (no checkpoint yet)');
  });

  it('deleteRun removes a run that is not training, and refuses one another process trains', async () => {
    const gone = await newRun('gone');
    await deleteRun(ctx, gone.id);
    expect(existsSync(gone.dir)).toBe(false);
    const other = await newRun('elsewhere');
    await other.writeStatus({ status: 'running', pid: process.pid });
    await other.flush();
    // A live pid that is not this service's queue: running in another process, not to be deleted under it.
    expect(await codeOf(deleteRun(ctx, other.id))).toBe('conflict');
    expect(existsSync(other.dir)).toBe(true);
  });

  it('comparisonRows: one row per run, with its settings; a list is required', async () => {
    expect(await codeOf(comparisonRows(store, 'not a list'))).toBe('invalid');
    const a = await newRun('a');
    const rows = await comparisonRows(store, [a.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ runId: a.id, name: 'a', method: a.config.method, seed: a.config.seed });
    expect(rows[0]!.bestTop1).toBeUndefined();
  });

  it('report exports: no run ids is invalid, no PDF renderer is unavailable, the HTML report is written', async () => {
    const files = { store, paths: ctx.paths };
    expect(await codeOf(exportReport(files, [], path.join(tmp, 'r.html')))).toBe('invalid');
    expect(await codeOf(exportReportPdf(files, undefined, ['x'], path.join(tmp, 'r.pdf')))).toBe('unavailable');
    const run = await newRun('reported');
    const r = await exportReport(files, [run.id], path.join(tmp, 'out', 'r.html'));
    expect(r.path).toBe(path.join(tmp, 'out', 'r.html'));
    expect(r.bytes).toBeGreaterThan(1000);
    let printed = '';
    const pdf = await exportReportPdf(files, async (html, dest) => {
      printed = html;
      const { writeFileSync } = await import('node:fs');
      writeFileSync(dest, '%PDF-1.4');
    }, [run.id], path.join(tmp, 'r.pdf'));
    expect(printed).toContain('reported');
    expect(pdf.bytes).toBe(8);
    expect(await codeOf(exportReportPdf(files, async () => { throw new Error('printer on fire'); }, [run.id], path.join(tmp, 'r2.pdf')))).toBe('internal');
  });

  it('parseBridgeError takes the preload\'s "[code] message" apart; anything else is internal', () => {
    expect(parseBridgeError(new Error('[not-found] no run x'))).toEqual({ code: 'not-found', message: 'no run x' });
    expect(parseBridgeError(new Error('[conflict] two\nlines'))).toEqual({ code: 'conflict', message: 'two\nlines' });
    expect(parseBridgeError('plain text')).toEqual({ code: 'internal', message: 'plain text' });
  });
});
