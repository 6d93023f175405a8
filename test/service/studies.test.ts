// Studies through the service: checked before any folder, each run through the queue like any run, the
// table read back, and a service that closes mid-study continues it when it starts again.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backend.js';
import { createService, type AtStudioApi } from '../../core/service/index.js';
import { FASHION_DIR, record, tempDir, tinyConfig } from './harness.js';

const haveData = existsSync(path.join(FASHION_DIR, 'train-images-idx3-ubyte.gz'));
if (!haveData) {
  if (process.env.CI === 'true') throw new Error(`${FASHION_DIR} is missing (apt-get install dataset-fashion-mnist)`);
  console.log(`service study tests skip: ${FASHION_DIR} is missing`);
}

const tmp = tempDir('atstudio-studies-');
afterAll(() => tmp.cleanup());
beforeAll(async () => {
  await useBackend('wasm');
});

function studyConfig(over: Record<string, unknown> = {}): Record<string, unknown> {
  const c = tinyConfig({ name: 'service study', data: { limit: 32, testLimit: 64 }, probes: 0, ...over });
  delete c.method;
  return { methods: ['baseline', 'kd'], seeds: 2, ...c, ...over };
}

async function until(api: AtStudioApi, id: string, pred: (s: Awaited<ReturnType<AtStudioApi["getStudy"]>>) => boolean, ms = 60_000) {
  const end = Date.now() + ms;
  for (;;) {
    const s = await api.getStudy(id);
    if (pred(s)) return s;
    if (Date.now() > end) throw new Error(`timed out; study is ${s.status} ${s.finished}/${s.total}: ${JSON.stringify(s.runs)} ${JSON.stringify(await api.listRuns().then((l) => l.map((r) => [r.id, r.status])))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('service studies', () => {
  it('refuses a bad study config by field before any folder is made', async () => {
    const api = createService({ runsDir: path.join(tmp.dir, 'bad') });
    try {
      const v = await api.validateStudy(studyConfig({ methods: ['baseline', 'magic'], seeds: 25 }));
      expect(v.ok).toBe(false);
      expect(v.issues.map((i) => i.path).sort()).toEqual(['methods.1', 'seeds']);
      await expect(api.startStudy(studyConfig({ methods: [] }))).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/methods: no methods/) });
      await expect(api.startStudy(studyConfig({ teacher: { source: 'run', run: 'gone' } }))).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/teacher\.run/) });
      expect(existsSync(path.join(tmp.dir, 'bad')) ? readdirSync(path.join(tmp.dir, 'bad')) : []).toEqual([]);
      const ok = await api.validateStudy(studyConfig());
      expect(ok).toMatchObject({ ok: true, runs: 5, arms: 2, seeds: 2, trainsTeacher: true });
    } finally {
      await api.close();
    }
  });

  it.runIf(haveData)('trains the teacher once and every run through the queue; a restart mid-study continues it', async () => {
    const a = createService({ runsDir: tmp.dir });
    const recA = record(a);
    const started = await a.startStudy(studyConfig());
    expect(started.total).toBe(5);
    // Close while the second run (baseline, seed 1) trains: the teacher run is done by then.
    const s1 = await until(a, started.id, (s) => s.runs[0].runId !== undefined);
    await recA.waitFor((id, e) => id === s1.runs[0].runId && e.type === 'started');
    await a.close();

    const b = createService({ runsDir: tmp.dir });
    const recB = record(b);
    try {
      const done = await until(b, started.id, (s) => s.status === 'done');
      expect(done.finished).toBe(5);
      expect(done.teacher?.status).toBe('done');
      // The teacher run trained once: service b never started it.
      expect(recB.of('started', done.teacher!.runId)).toHaveLength(0);
      expect(recA.of('done', done.teacher!.runId)).toHaveLength(1);
      const runs = await b.listRuns();
      expect(runs).toHaveLength(5);
      // KD runs learn from the teacher run's student; the table's numbers are the runs' own.
      for (const r of done.runs) {
        const detail = await b.getRun(r.runId!);
        expect(detail.config.teacher).toEqual(r.method === 'kd' ? { source: 'run', run: done.teacher!.runId, role: 'student' } : undefined);
        expect(r.lastTop1).toBe(detail.status.results.student!.last!.top1);
      }
      const kd = done.results.rows[1];
      const base = done.runs.filter((r) => r.method === 'baseline');
      const kds = done.runs.filter((r) => r.method === 'kd');
      expect(kd.diffLast!.mean).toBeCloseTo((kds[0].lastTop1! - base[0].lastTop1! + kds[1].lastTop1! - base[1].lastTop1!) / 2, 12);
      expect(kd.sentence).toMatch(/^KD/);
      expect((await b.listStudies()).map((s) => s.id)).toEqual([started.id]);
      const out = path.join(tmp.dir, 'study.html');
      await b.exportStudyReport(started.id, out);
      expect(readFileSync(out, 'utf8')).toContain(kd.sentence.replace(/'/g, '&#39;'));
      await expect(b.resumeStudy(started.id)).rejects.toMatchObject({ code: 'conflict' });
    } finally {
      await b.close();
    }
  }, 150_000);
});
