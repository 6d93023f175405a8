// A tiny study end to end through `atstudio study` (in-process, real Fashion-MNIST, wasm): the teacher is
// trained once, every run is an ordinary run folder, the table's numbers are the runs' own, a bad config
// makes no folder, and a study stopped with Ctrl-C resumes without training its finished runs again.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, jsonLines } from '../cli/harness.js';
import { RunStore } from '../../core/runs/runStore.js';
import { StudyStore } from '../../core/study/record.js';
import type { StudyView } from '../../core/study/view.js';

const FMNIST = '/usr/share/datasets/fashion-mnist';
const haveData = existsSync(path.join(FMNIST, 'train-images-idx3-ubyte.gz'));
if (!haveData) {
  if (process.env.CI === 'true') throw new Error(`${FMNIST} is missing (apt-get install dataset-fashion-mnist)`);
  console.log(`study integration tests skip: ${FMNIST} is missing (apt-get install dataset-fashion-mnist)`);
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'atstudio-study-'));
const runsDir = path.join(tmp, 'runs');
const env = { ATSTUDIO_BACKEND: 'wasm' };
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const study = (extra: Record<string, unknown> = {}) => ({
  version: 2, name: 'tiny study', seed: 1,
  data: { path: FMNIST, format: 'idx', limit: 48, testLimit: 64, augment: false },
  teacher: { source: 'train', model: { family: 'wrn', depth: 10, widen: 1 } },
  student: { model: { family: 'wrn', depth: 10, widen: 1 } },
  training: { epochs: 1, batchSize: 16, lr: 0.05, schedule: { kind: 'cosine' } },
  backend: 'wasm', probes: 0,
  methods: ['baseline', 'at'], seeds: 2,
  ...extra,
});

function write(name: string, value: unknown): string {
  const p = path.join(tmp, name);
  writeFileSync(p, JSON.stringify(value, null, 2));
  return p;
}

const runFolders = () => (existsSync(runsDir) ? readdirSync(runsDir).filter((n) => !n.startsWith('.')) : []);
const epochLines = (id: string) => readFileSync(path.join(runsDir, id, 'metrics.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"kind":"epoch"')).length;

describe('atstudio study: usage', () => {
  it('--help names the subcommands; resume without an id, or an unknown study, is a usage error', async () => {
    const help = await cli(['study', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/study resume <id>/);
    const noId = await cli(['study', 'resume', '--runs-dir', runsDir]);
    expect(noId.code).toBe(2);
    expect(noId.err).toMatch(/needs a study id/);
    const unknown = await cli(['study', 'show', 'nope', '--runs-dir', runsDir]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/no study "nope"/);
  });
});

describe('atstudio study: bad input makes no run folder', () => {
  it.each([
    [{ methods: [] }, /methods: no methods/],
    [{ methods: ['baseline', 'magic'] }, /methods\.1: not an allowed value .*"magic"/],
    [{ seeds: 0 }, /seeds: not a seed count \(expected a count from 1 to 20/],
    [{ seeds: 21 }, /seeds: not a seed count/],
    [{ teacher: { source: 'file', path: path.join(os.tmpdir(), 'no-such-teacher', 'model.json') } }, /teacher\.path: .*does not exist/],
  ])('%j → exit 1 naming the field', async (extra, message) => {
    const r = await cli(['study', write('bad.json', study(extra)), '--runs-dir', runsDir], { env });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
    expect(runFolders()).toEqual([]);
    expect(existsSync(path.join(runsDir, '.studies'))).toBe(false);
  });

  it('a teacher file that exists but cannot be loaded is refused before any folder', async () => {
    const dir = path.join(tmp, 'broken-teacher');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'model.json'), '{"not": "a model"}');
    const r = await cli(['study', write('bad.json', study({ teacher: { source: 'file', path: path.join(dir, 'model.json') } })), '--runs-dir', runsDir], { env });
    expect(r.code).toBe(1);
    expect(r.err).toContain(`teacher.path: ${path.join(dir, 'model.json')}: no modelTopology: not a TF.js LayersModel file`);
    expect(runFolders()).toEqual([]);
  });

  it('a teacher run that does not exist is refused, naming teacher.run', async () => {
    const r = await cli(['study', write('bad.json', study({ teacher: { source: 'run', run: 'no-such-run' } })), '--runs-dir', runsDir], { env });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/teacher\.run: no run "no-such-run"/);
    expect(runFolders()).toEqual([]);
  });
});

describe.runIf(haveData)('atstudio study on Fashion-MNIST', () => {
  it('trains the teacher once, then 2 methods × 2 seeds as ordinary runs; Ctrl-C stops it, resume finishes it without redoing runs', async () => {
    const file = write('study.json', study());
    // Stop while the third run (the first AT run) trains.
    let pressed = false;
    const first = await cli(['study', file, '--runs-dir', runsDir], {
      env,
      onStdout: (chunk, interrupt) => {
        if (!pressed && chunk.includes('study run 3/5')) {
          pressed = true;
          interrupt();
        }
      },
    });
    expect(first.code, first.err).toBe(130);
    expect(first.err).toMatch(/finished runs are kept/);
    const studies = new StudyStore(runsDir);
    const [record] = await studies.list();
    expect(record.status).toBe('cancelled');
    expect(record.teacherRun).toBeDefined();
    const doneBefore = record.runs.filter((r) => r.runId).map((r) => r.runId!);
    expect(doneBefore).toHaveLength(2); // baseline seed 1 (done) and AT seed 1 (stopped)
    const baselineMtime = statSync(path.join(runsDir, doneBefore[0], 'metrics.jsonl')).mtimeMs;
    const teacherMtime = statSync(path.join(runsDir, record.teacherRun!, 'metrics.jsonl')).mtimeMs;

    const second = await cli(['study', 'resume', record.id, '--runs-dir', runsDir, '--json'], { env });
    expect(second.code, second.err).toBe(0);
    const events = jsonLines(second.out);
    const skipped = events.filter((e) => e.type === 'study-skip').map((e) => e.runId);
    expect(skipped).toEqual([record.teacherRun, doneBefore[0]]);
    const started = events.filter((e) => e.type === 'study-run');
    expect(started.map((e) => e.index)).toEqual([3, 4, 5]);
    expect(started[0].runId).toBe(doneBefore[1]); // the stopped run continues in its own folder

    // Finished runs were not trained again.
    expect(statSync(path.join(runsDir, doneBefore[0], 'metrics.jsonl')).mtimeMs).toBe(baselineMtime);
    expect(statSync(path.join(runsDir, record.teacherRun!, 'metrics.jsonl')).mtimeMs).toBe(teacherMtime);

    // Ordinary run folders: 1 teacher run + 4 study runs, all done, and listed like any run.
    const store = new RunStore(runsDir);
    const listed = await store.list();
    expect(listed).toHaveLength(5);
    expect(listed.every((r) => r.status === 'done')).toBe(true);
    const finalRecord = await studies.open(record.id);
    expect(finalRecord.status).toBe('done');
    // The teacher was trained once: only the teacher run has a teacher model of its own making; the AT
    // runs load the teacher run's student, and the baselines have no teacher.
    for (const e of finalRecord.runs) {
      const run = await store.open(e.runId!);
      if (e.method === 'at') expect(run.config.teacher).toEqual({ source: 'run', run: record.teacherRun, role: 'student' });
      else expect(run.config.teacher).toBeUndefined();
      expect(existsSync(run.modelPath('teacher'))).toBe(false);
      expect(epochLines(run.id)).toBe(1);
    }

    // The table's numbers are the runs' own: mean of each method's last-epoch top-1 from metrics.jsonl.
    const result = events.find((e) => e.type === 'study-results')!.study as StudyView;
    const lastTop1 = (id: string) => {
      const lines = readFileSync(path.join(runsDir, id, 'metrics.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
      return lines.filter((m) => m.kind === 'epoch' && m.phase === 'student').at(-1).test.top1 as number;
    };
    for (const row of result.results.rows) {
      const ids = finalRecord.runs.filter((e) => e.method === row.method).map((e) => e.runId!);
      const values = ids.map(lastTop1);
      expect(row.last!.mean).toBeCloseTo((values[0] + values[1]) / 2, 12);
      expect(row.last!.n).toBe(2);
      if (row.method === 'at') {
        const base = finalRecord.runs.filter((e) => e.method === 'baseline').map((e) => lastTop1(e.runId!));
        expect(row.diffLast!.mean).toBeCloseTo((values[0] - base[0] + values[1] - base[1]) / 2, 12);
        expect(row.diffLast!.n).toBe(2);
      }
    }

    // show and report read it back.
    const shown = await cli(['study', 'show', record.id, '--runs-dir', runsDir], { env });
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/^Baseline\s+2\/2/m);
    expect(shown.out).toMatch(/^AT: |^AT (improved|lowered)/m);
    const out = path.join(tmp, 'study.html');
    const rep = await cli(['study', 'report', record.id, '--out', out, '--runs-dir', runsDir], { env });
    expect(rep.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('What the study found');
    expect(html).not.toMatch(/<script|https?:\/\//);

    const again = await cli(['study', 'resume', record.id, '--runs-dir', runsDir], { env });
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/already done/);
  }, 120_000);

  it('a study whose teacher is an earlier run loads it before any run has chosen a backend, and trains', async () => {
    const [record] = await new StudyStore(runsDir).list();
    expect(record.teacherRun).toBeDefined();
    const file = write('reuse.json', study({ teacher: { source: 'run', run: record.teacherRun, role: 'student' }, methods: ['at'], seeds: 1 }));
    const r = await cli(['study', file, '--runs-dir', runsDir, '--json'], { env });
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toMatch(/cannot be loaded/);
    const events = jsonLines(r.out);
    const started = events.filter((e) => e.type === 'study-run');
    expect(started).toHaveLength(1);
    const run = await new RunStore(runsDir).open(started[0].runId as string);
    expect(run.config.teacher).toEqual({ source: 'run', run: record.teacherRun, role: 'student' });
    const result = events.find((e) => e.type === 'study-results')!.study as StudyView;
    expect(result.results.rows.find((row) => row.method === 'at')!.done).toBe(1);
  }, 60_000);
});
