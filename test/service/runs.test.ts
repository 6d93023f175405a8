// Runs through the service with the engine in this process: events, queue, pause/resume/cancel, delete,
// compare and exports (tiny Fashion-MNIST runs on wasm, about a second each).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { tf } from '../../core/tf.js';
import { useBackend } from '../helpers/backend.js';
import { loadLayersModelFile } from '../../core/io/modelFiles.js';
import { createService, ServiceError, type AtStudioService } from '../../core/service/index.js';
import { replicateGroups, replicateKey, type RunSummary } from '../../core/runs/index.js';
import { isTerminal, record, tempDir, tinyConfig, type Recorder } from './harness.js';

const tmp = tempDir();
const out = tempDir('atstudio-exports-');
let api: AtStudioService;
let rec: Recorder;
let first: RunSummary;

beforeAll(async () => {
  await useBackend('wasm');
  api = createService({ runsDir: tmp.dir });
  rec = record(api);
  first = await api.startRun(tinyConfig({ name: 'first tiny' }));
  await rec.waitFor((id, e) => id === first.id && isTerminal(e));
});
afterAll(async () => {
  await api.close();
  tmp.cleanup();
  out.cleanup();
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(() => 'no error', (err) => (err instanceof ServiceError ? err.code : `not a ServiceError: ${err}`));
}

describe('a run from start to done', () => {
  it('streams started … done and stores everything the UI reads back', async () => {
    const evs = rec.events.filter((e) => e.runId === first.id).map((e) => e.event);
    expect(first.status).toBe('queued');
    expect(evs[0].type).toBe('started');
    expect(evs.at(-1)?.type).toBe('done');
    // Teacher phase then student phase, one epoch each, each with a snapshot.
    expect(rec.of('epoch', first.id).map((e) => `${e.phase}${e.epoch}`)).toEqual(['teacher1', 'student1']);
    expect(rec.of('attention', first.id)).toHaveLength(2);
    expect(rec.of('step', first.id).length).toBeGreaterThan(0);

    const detail = await api.getRun(first.id);
    expect(detail.status.status).toBe('done');
    expect(detail.summary).toMatchObject({ name: 'first tiny', method: 'at', models: 'WRN-10-1 ← WRN-10-1', status: 'done' });
    // Every class name (for confusion matrices), from the saved student's meta.json.
    expect(detail.classes).toHaveLength(10);
    expect(detail.classes?.every((c) => typeof c === 'string' && c.length > 0)).toBe(true);
    expect((await api.listRuns()).map((r) => r.id)).toContain(first.id);
    const metrics = await api.getMetrics(first.id);
    expect(metrics.filter((m) => m.kind === 'epoch')).toHaveLength(2);
    expect((await api.getSnapshots(first.id)).map((s) => s.phase)).toEqual(['teacher', 'student']);
    const probes = await api.getProbes(first.id);
    expect(probes?.pngBase64).toHaveLength(2);
    expect(PNG.sync.read(Buffer.from(probes!.pngBase64[0], 'base64')).width).toBe(28);
    expect(await api.getLog(first.id)).toMatch(/warning: the teacher \(WRN-10-1, 78042 parameters\) is not larger/);
    // Logged once: the service logs the Review step's warnings at creation, and training does not repeat them.
    expect((await api.getLog(first.id)).match(/is not larger than the student/g)).toHaveLength(1);
  });

  it('compares runs with the sizes, speed and results their folders record', async () => {
    const [row] = await api.compareRuns([first.id]);
    const status = (await api.getRun(first.id)).status;
    // WRN-10-1 on 28×28×1: 78042 parameters and 9345920 multiply-adds (counted by hand in wizard.test.ts).
    expect(row).toMatchObject({ runId: first.id, name: 'first tiny', method: 'at', params: 78042, multiplyAdds: 9345920, sizeBytes: 78042 * 4, backend: 'wasm' });
    expect(row.bestTop1).toBe(status.results.student?.best?.top1);
    expect(row.lastTop1).toBe(status.results.student?.last?.top1);
    expect(row.latencyMs).toBeGreaterThan(0);
    expect(row.agreement).toBeGreaterThanOrEqual(0);
    expect(row.agreement).toBeLessThanOrEqual(1);
    expect(row.trainSeconds).toBeCloseTo(status.activeSeconds, 6);
    const config = (await api.getRun(first.id)).config;
    expect(row.seed).toBe(config.seed);
    expect(row.replicateKey).toBe(replicateKey(config));
  });

  it('runs started from one config with other seeds and names are replicates; another β is not', async () => {
    const again = await api.startRun(tinyConfig({ name: 'first tiny · seed 4', seed: 4 }));
    const other = await api.startRun(tinyConfig({ name: 'other beta', seed: 5, attention: { beta: 10 } }));
    await rec.waitFor((id, e) => id === other.id && isTerminal(e));
    const rows = await api.compareRuns([first.id, again.id, other.id]);
    expect(rows[1]!.replicateKey).toBe(rows[0]!.replicateKey);
    expect(rows[2]!.replicateKey).not.toBe(rows[0]!.replicateKey);
    const groups = replicateGroups(rows);
    expect(groups.map((g) => [g.runIds, g.seeds])).toEqual([[[first.id, again.id], [3, 4]]]);
    expect(groups[0]!.bestTop1?.n).toBe(2);
  });
});

describe('exports', () => {
  it('writes one self-contained HTML report', async () => {
    const dest = path.join(out.dir, 'report.html');
    const r = await api.exportReport([first.id], dest);
    const html = await fs.readFile(dest, 'utf8');
    expect(r.bytes).toBe(Buffer.byteLength(html));
    expect(html).toContain('first tiny');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|@import|url\(/i);
    const uris = [...html.matchAll(/src="data:image\/png;base64,([^"]+)"/g)].map((m) => m[1]);
    // 2 probes × 3 hint pairs × (image + teacher map + student map).
    expect(uris).toHaveLength(18);
    const png = PNG.sync.read(Buffer.from(uris[1], 'base64'));
    expect([png.width, png.height]).toEqual([96, 96]);
    expect(html).toMatch(/<table class="cm">/);
    expect(html).toMatch(/Precision and recall per class<\/h3><table class="pr">/);
  });

  it('writes metrics as CSV (one row per epoch) and JSON', async () => {
    const csv = path.join(out.dir, 'm.csv');
    await api.exportMetrics(first.id, csv, 'csv');
    const lines = (await fs.readFile(csv, 'utf8')).trim().split('\n');
    // No test_top5 (10 classes) and no validation columns (no split): no column that is empty in every row.
    expect(lines[0]).toBe('phase,epoch,epochs,train_loss,train_acc,test_loss,test_top1,test_agreement,lr,seconds,time');
    const cells = lines.slice(1).map((l) => l.split(','));
    lines[0]!.split(',').forEach((_, i) => expect(cells.some((c) => c[i] !== ''), `column ${i}`).toBe(true));
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(['teacher,1,1', 'student,1,1']);
    const top1 = Number(lines[2].split(',')[6]);
    expect(top1).toBe((await api.getRun(first.id)).status.results.student?.last?.top1);
    const json = path.join(out.dir, 'm.json');
    await api.exportMetrics(first.id, json, 'json');
    const parsed = JSON.parse(await fs.readFile(json, 'utf8'));
    expect(parsed.epochs.map((e: { phase: string }) => e.phase)).toEqual(['teacher', 'student']);
    expect(await codeOf(api.exportMetrics(first.id, json, 'xml' as 'csv'))).toBe('invalid');
  });

  it('exports the student as a TF.js model folder that loads and predicts like the run\'s', async () => {
    const dest = path.join(out.dir, 'model');
    const r = await api.exportModel(first.id, dest);
    expect((await fs.readdir(dest)).sort()).toEqual(['meta.json', 'model.json', 'weights.bin']);
    expect(r.bytes).toBeGreaterThan(78042 * 4);
    const exported = await loadLayersModelFile(path.join(dest, 'model.json'));
    const original = await loadLayersModelFile(path.join(tmp.dir, first.id, 'models', 'student', 'model.json'));
    const x = tf.randomNormal([2, 28, 28, 1], 0, 1, 'float32', 5);
    const a = exported.predict(x) as tf.Tensor;
    const b = original.predict(x) as tf.Tensor;
    expect(a.shape).toEqual([2, 10]);
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    tf.dispose([x, a, b]);
    exported.dispose();
    original.dispose();
  });
});

describe('the queue and run control', () => {
  it('runs one at a time in order; refuses to delete a running run; cancels a queued one', async () => {
    const a = await api.startRun(tinyConfig({ name: 'queue a' }));
    const b = await api.startRun(tinyConfig({ name: 'queue b', method: 'kd' }));
    const c = await api.startRun(tinyConfig({ name: 'queue c' }));
    const onlyB = record(api, b.id);
    expect(b.status).toBe('queued');
    await rec.waitFor((id, e) => id === a.id && e.type === 'started');
    expect(await codeOf(api.deleteRun(a.id))).toBe('conflict');
    expect(await codeOf(api.pauseRun(b.id))).toBe('conflict'); // queued: nothing to pause
    const waiting = await api.getRun(b.id);
    expect(waiting.status.status).toBe('queued');
    expect([waiting.queuePosition, (await api.getRun(c.id)).queuePosition, (await api.getRun(a.id)).queuePosition]).toEqual([1, 2, undefined]);
    await api.cancelRun(c.id);
    expect((await api.getRun(c.id)).status.status).toBe('cancelled');
    await rec.waitFor((id, e) => id === b.id && isTerminal(e));
    const order = rec.events.filter((e) => [a.id, b.id, c.id].includes(e.runId) && (e.event.type === 'started' || isTerminal(e.event))).map((e) => `${e.event.type}:${e.runId === a.id ? 'a' : e.runId === b.id ? 'b' : 'c'}`);
    expect(order).toEqual(['started:a', 'cancelled:c', 'done:a', 'started:b', 'done:b']);
    expect(new Set(onlyB.events.map((e) => e.runId))).toEqual(new Set([b.id]));
    onlyB.stop();
    await api.deleteRun(a.id);
    expect((await api.listRuns()).map((r) => r.id)).not.toContain(a.id);
    expect(await codeOf(api.getRun(a.id))).toBe('not-found');
    await api.whenIdle();
  });

  it('"Try it": the student\'s and the teacher\'s top 3 with probabilities and their attention maps on a PNG or JPEG', async () => {
    const probes = await api.getProbes(first.id);
    const png = probes!.pngBase64[0]!;
    await api.tryImage(first.id, png); // first call: backend and kernels set up
    const tensorsBefore = tf.memory().numTensors;
    const r = await api.tryImage(first.id, png);
    for (const net of [r.student, r.teacher!]) {
      expect(net.top).toHaveLength(3);
      const ps = net.top.map((t) => t.p);
      expect([...ps].sort((a, b) => b - a)).toEqual(ps); // most probable first
      expect(ps.every((p) => p > 0 && p < 1)).toBe(true);
      expect(ps.reduce((a, p) => a + p, 0)).toBeLessThanOrEqual(1 + 1e-6);
      expect(new Set(net.top.map((t) => t.label)).size).toBe(3);
      expect(net.maps.length).toBeGreaterThan(0);
      for (const m of net.maps) {
        expect(m.map).toHaveLength(m.h * m.w);
        expect(Math.max(...m.map)).toBeCloseTo(1, 6);
      }
    }
    // The same image as a 2× larger RGB JPEG goes through the same preprocessing (resized, made grey).
    const img = PNG.sync.read(Buffer.from(png, 'base64'));
    const { default: jpeg } = await import('jpeg-js');
    const big = Buffer.alloc(img.width * 2 * img.height * 2 * 4);
    for (let y = 0; y < img.height * 2; y++) for (let x = 0; x < img.width * 2; x++) {
      const s = ((y >> 1) * img.width + (x >> 1)) * 4;
      img.data.copy(big, (y * img.width * 2 + x) * 4, s, s + 4);
    }
    const jpg = jpeg.encode({ data: big, width: img.width * 2, height: img.height * 2 }, 95).data;
    const rj = await api.tryImage(first.id, Buffer.from(jpg).toString('base64'));
    expect(rj.student.top).toHaveLength(3);
    expect(rj.student.top[0]!.label).toBe(r.student.top[0]!.label);
    expect(await codeOf(api.tryImage(first.id, Buffer.from('not an image').toString('base64')))).toBe('invalid');
    expect(await codeOf(api.tryImage('no-such-run', png))).toBe('not-found');
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('cancels a run asked to stop while its engine is still starting it', async () => {
    const run = await api.startRun(tinyConfig({ name: 'cancelled at once' }));
    await api.cancelRun(run.id);
    const end = await rec.waitFor((id, e) => id === run.id && isTerminal(e));
    expect(end).toMatchObject({ type: 'cancelled', resumable: false });
    expect(rec.of('step', run.id)).toEqual([]);
    expect((await api.getRun(run.id)).status.status).toBe('cancelled');
    await api.whenIdle();
  });

  it('pauses, resumes, cancels with a checkpoint, and resumes the cancelled run to done', async () => {
    // Baseline without a teacher, 256 images: 8 steps per epoch, time enough to press the buttons.
    const cfg = { ...tinyConfig({ name: 'control', method: 'baseline', data: { limit: 256 }, training: { epochs: 2 } }) };
    delete cfg.teacher;
    const run = await api.startRun(cfg);
    const mine = record(api, run.id);
    await mine.waitFor((_, e) => e.type === 'step');
    await api.pauseRun(run.id);
    await mine.waitFor((_, e) => e.type === 'status' && e.status === 'paused');
    expect((await api.getRun(run.id)).status.status).toBe('paused');
    expect(await codeOf(api.deleteRun(run.id))).toBe('conflict');
    await api.resumeRun(run.id);
    await mine.waitFor((_, e) => e.type === 'status' && e.status === 'running');
    await api.cancelRun(run.id);
    const cancelled = await mine.waitFor((_, e) => e.type === 'cancelled');
    expect(cancelled).toMatchObject({ type: 'cancelled', resumable: true });
    const st = (await api.getRun(run.id)).status;
    expect(st).toMatchObject({ status: 'cancelled', resumable: true });
    // Stopped somewhere after the first step and before the end (8 steps per epoch, 2 epochs).
    expect(st.epoch * 8 + st.step).toBeGreaterThan(0);
    expect(st.epoch * 8 + st.step).toBeLessThan(16);

    await api.resumeRun(run.id);
    const started = await mine.waitFor((_, e) => e.type === 'started' && e.resumedFrom !== undefined);
    expect(started).toMatchObject({ resumedFrom: { phase: 'student', epoch: st.epoch, step: st.step } });
    await mine.waitFor((_, e) => e.type === 'done');
    expect(mine.of('failed')).toEqual([]);
    expect(await codeOf(api.resumeRun(run.id))).toBe('conflict'); // done: nothing to resume
    const epochs = (await api.getMetrics(run.id)).filter((m) => m.kind === 'epoch').map((m) => m.epoch);
    expect(epochs).toEqual([1, 2]);
    mine.stop();
  });

  it('throttles step events: the newest pending one is delivered before the next other event', async () => {
    // The rate itself is timed with fake timers in test/runs/throttleEvents.test.ts; here a rate so low that
    // no timer fires during the run (the 'started' event just sent counts against it) shows what the service
    // does with the steps: the steps metrics.jsonl records pass (live charts plot exactly those, as a reload
    // does), the others are coalesced to the newest, flushed by the next other event, so the UI sees the
    // epoch's last step just before the epoch.
    const own = tempDir('atstudio-throttle-');
    const slow = createService({ runsDir: own.dir, maxStepEventsPerSecond: 0.001 });
    try {
      const cfg = tinyConfig({ name: 'many steps', method: 'baseline', data: { limit: 256 }, training: { epochs: 1, batchSize: 16 } });
      delete cfg.teacher;
      const seen: string[] = [];
      const mine = record(slow);
      const off = slow.subscribe((_, e) => seen.push(e.type === 'step' ? `step ${e.step}` : e.type));
      const run = await slow.startRun(cfg);
      await mine.waitFor((id, e) => id === run.id && e.type === 'done');
      off();
      mine.stop();
      // 256 images / 16 = 16 steps; every 2nd is recorded (metricEvery(16) = 2), so those 8 pass and the odd
      // ones are dropped; the last comes right before the epoch event.
      expect(seen.filter((e) => e.startsWith('step'))).toEqual([2, 4, 6, 8, 10, 12, 14, 16].map((n) => `step ${n}`));
      expect(seen.slice(0, 2)).toEqual(['started', 'step 2']);
      expect(seen[seen.indexOf('epoch') - 1]).toBe('step 16');
    } finally {
      await slow.close();
      own.cleanup();
    }
  });
});
