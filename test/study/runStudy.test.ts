// The study driver with a stand-in for training (each "run" writes its status and result at once): order,
// one teacher run, what a failed run or a stop does, and a resume that touches only unfinished runs.
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RunStore } from '../../core/runs/runStore.js';
import type { RunHandle } from '../../core/runs/types.js';
import { parseStudyConfig } from '../../core/study/config.js';
import { StudyStore } from '../../core/study/record.js';
import { runStudy, type RunOutcome, type StudyEvent, type StudyStep } from '../../core/study/runStudy.js';
import { studyView } from '../../core/study/view.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'atstudio-runstudy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const config = parseStudyConfig({
  name: 'driver', seed: 1, data: { path: '/data' },
  teacher: { source: 'train', model: { family: 'wrn', depth: 16, widen: 2 } },
  methods: ['baseline', 'at'], seeds: 2,
});

/** Top-1 a fake run reaches: the baseline 0.80 + seed/100, AT one point more. */
const top1 = (run: RunHandle) => 0.8 + run.config.seed / 100 + (run.config.method === 'at' ? 0.01 : 0);

function fakeDriver(outcomes: (run: RunHandle, step: StudyStep) => RunOutcome = () => 'done') {
  const executed: { runId: string; method: string; seed: number; resume: boolean }[] = [];
  const events: StudyEvent[] = [];
  return {
    executed, events,
    onEvent: (e: StudyEvent) => events.push(e),
    execute: async (run: RunHandle, step: StudyStep): Promise<RunOutcome> => {
      executed.push({ runId: run.id, method: run.config.method, seed: run.config.seed, resume: step.resume });
      const outcome = outcomes(run, step);
      const r = { epoch: 1, top1: top1(run) };
      await run.writeStatus(outcome === 'done' ? { status: 'done', results: { student: { best: r, last: r } } } : { status: outcome });
      await run.flush();
      return outcome;
    },
  };
}

async function fresh(dir: string) {
  const runs = new RunStore(path.join(tmp, dir));
  const studies = new StudyStore(runs.runsDir);
  const record = await studies.create(config);
  return { runs, studies, id: record.id };
}

describe('runStudy', () => {
  it('trains the teacher run first, then the runs seed by seed; the table reads their results', async () => {
    const { runs, studies, id } = await fresh('order');
    const d = fakeDriver();
    const record = await runStudy(runs, studies, id, d);
    expect(record.status).toBe('done');
    expect(d.executed.map((e) => `${e.method}/${e.seed}`)).toEqual(['baseline/1', 'baseline/1', 'at/1', 'baseline/2', 'at/2']);
    const teacher = await runs.open(record.teacherRun!);
    expect(teacher.config.student.model).toEqual({ family: 'wrn', depth: 16, widen: 2 });
    expect(d.events.filter((e) => e.type === 'study-run').map((e) => (e as { index: number }).index)).toEqual([1, 2, 3, 4, 5]);
    const v = await studyView(runs, record);
    expect(v.finished).toBe(5);
    expect(v.results.rows[1].diffLast).toMatchObject({ n: 2, sd: 0 });
    expect(v.results.rows[1].diffLast!.mean).toBeCloseTo(0.01, 12);
    // Zero spread of the differences: the interval is the point itself, and the sentence says improved.
    expect(v.results.rows[1].sentence).toBe('AT improved top-1 by 1.0 points (95 % CI 1.0 to 1.0).');
  });

  it('a failed run does not stop the others; the study ends failed and resume retries only that run', async () => {
    const { runs, studies, id } = await fresh('failed');
    const d = fakeDriver((run) => (run.config.method === 'at' && run.config.seed === 1 ? 'failed' : 'done'));
    const first = await runStudy(runs, studies, id, d);
    expect(first.status).toBe('failed');
    expect(first.error).toMatch(/1 run\(s\) failed: AT · seed 1/);
    expect(d.executed).toHaveLength(5);
    const again = fakeDriver();
    const second = await runStudy(runs, studies, id, again);
    expect(second.status).toBe('done');
    expect(again.executed.map((e) => `${e.method}/${e.seed}`)).toEqual(['at/1']);
    expect(again.executed[0].runId).toBe(first.runs[1].runId); // the same folder, not a new one
    expect(again.events.filter((e) => e.type === 'study-skip')).toHaveLength(4);
  });

  it('a failed teacher stops the study before any other run folder is made', async () => {
    const { runs, studies, id } = await fresh('teacher-failed');
    const d = fakeDriver(() => 'failed');
    const record = await runStudy(runs, studies, id, d);
    expect(record.status).toBe('failed');
    expect(record.error).toMatch(/the teacher run .* failed/);
    expect((await runs.list()).map((r) => r.id)).toEqual([record.teacherRun]);
  });

  it('a cancelled run or a stop request ends the study cancelled, keeping finished runs', async () => {
    const { runs, studies, id } = await fresh('cancelled');
    let stop = false;
    const d = fakeDriver((run) => (run.config.method === 'at' ? 'cancelled' : 'done'));
    const record = await runStudy(runs, studies, id, { ...d, stopRequested: () => stop });
    expect(record.status).toBe('cancelled');
    expect(record.runs.filter((r) => r.runId)).toHaveLength(2);
    stop = true;
    const d2 = fakeDriver();
    const again = await runStudy(runs, studies, id, { ...d2, stopRequested: () => stop });
    expect(again.status).toBe('cancelled');
    expect(d2.executed).toHaveLength(0);
    expect((await runs.list()).filter((r) => r.status === 'done')).toHaveLength(2);
  });
});
