// The `atstudio` command end to end: in-process through `main(argv, io)` for speed (real core/ engine,
// real Fashion-MNIST, wasm backend), plus a few spawns of the built dist/cli/main.js for exit codes and
// a real Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtBin, cli, jsonLines } from './harness.js';

const FMNIST = '/usr/share/datasets/fashion-mnist';
const haveData = existsSync(path.join(FMNIST, 'train-images-idx3-ubyte.gz'));
if (!haveData) console.log(`cli tests that train skip: ${FMNIST} is missing (apt-get install dataset-fashion-mnist)`);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'atstudio-cli-'));
const runsDir = path.join(tmp, 'runs');
const env = { ATSTUDIO_BACKEND: 'wasm' };

/** A tiny AT run: WRN-10-1 teacher trained first for one epoch, then a WRN-10-1 student, 28×28×1. */
function tinyConfig(name: string, extra: Record<string, unknown> = {}) {
  return {
    version: 2, name, seed: 7,
    data: { path: FMNIST, format: 'idx' },
    teacher: { source: 'train', model: { family: 'wrn', depth: 10, widen: 1 } },
    student: { model: { family: 'wrn', depth: 10, widen: 1 } },
    method: 'at',
    training: { epochs: 1, batchSize: 16, lr: 0.05 },
    backend: 'wasm',
    ...extra,
  };
}

function writeConfig(file: string, value: unknown): string {
  const p = path.join(tmp, file);
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return p;
}

function statusOf(id: string): string {
  return JSON.parse(readFileSync(path.join(runsDir, id, 'status.json'), 'utf8')).status;
}

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('atstudio --help and usage errors', () => {
  it.each(['train', 'resume', 'eval', 'runs', 'compare', 'inspect', 'bench'])('%s --help exits 0 with its usage', async (cmd) => {
    const r = await cli([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Usage: atstudio ${cmd}`);
    if (cmd !== 'inspect' && cmd !== 'bench') expect(r.out).toContain('--runs-dir');
    if (['train', 'resume', 'eval', 'bench'].includes(cmd)) expect(r.out).toContain('--backend');
  });

  it('top-level --help lists every command; no arguments is a usage error (2)', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const c of ['train', 'resume', 'eval', 'runs', 'compare', 'inspect', 'bench']) expect(help.out).toContain(c);
    expect((await cli([])).code).toBe(2);
  });

  it('unknown command, bad number, missing --data, one run to compare: exit 2 naming the problem', async () => {
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("unknown command 'frobnicate'");
    const badNum = await cli(['train', 'x.json', '--epochs', 'many']);
    expect(badNum.code).toBe(2);
    expect(badNum.err).toContain('--epochs');
    const noData = await cli(['eval', 'some-run']);
    expect(noData.code).toBe(2);
    expect(noData.err).toContain('--data');
    const one = await cli(['compare', 'a', '--runs-dir', runsDir]);
    expect(one.code).toBe(2);
    expect(one.err).toContain('at least two runs');
  });
});

describe('atstudio train: bad configs exit 1 with one line naming the file and field', () => {
  it('a wrong field type names the field path', async () => {
    const file = writeConfig('bad-field.json', tinyConfig('bad', { training: { epochs: 'many', batchSize: 16 } }));
    const r = await cli(['train', file, '--runs-dir', runsDir], { env });
    expect(r.code).toBe(1);
    expect(r.err).toContain('training.epochs');
    expect(r.err.trim().split('\n').filter((l) => l.startsWith('atstudio:'))).toHaveLength(1);
    expect(existsSync(runsDir) ? readdirSync(runsDir) : []).toHaveLength(0); // nothing created
  });

  it('a dataset folder that does not exist names the field and leaves no run folder', async () => {
    const file = writeConfig('no-data.json', { ...tinyConfig('nodata', {}), data: { path: path.join(tmp, 'no-such-dataset') } });
    const r = await cli(['train', file, '--runs-dir', runsDir], { env });
    expect(r.code).toBe(1);
    expect(r.err).toContain('no-data.json');
    expect(r.err).toMatch(/data\.path: .*no-such-dataset does not exist/);
    expect(existsSync(runsDir) ? readdirSync(runsDir) : []).toHaveLength(0);
  });

  it('invalid JSON names the file; a missing file names it too', async () => {
    const file = writeConfig('broken.json', '{ "name": ');
    const r = await cli(['train', file, '--runs-dir', runsDir], { env });
    expect(r.code).toBe(1);
    expect(r.err).toContain('broken.json');
    expect(r.err).toContain('not valid JSON');
    const missing = await cli(['train', path.join(tmp, 'nope.json'), '--runs-dir', runsDir], { env });
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('nope.json: no such file');
  });
});

describe.runIf(haveData)('atstudio on Fashion-MNIST', () => {
  let jsonRunId = '';
  let cancelledRunId = '';

  it('inspect shows format, classes, counts and shape', async () => {
    const r = await cli(['inspect', FMNIST]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/format:\s+idx/);
    expect(r.out).toMatch(/classes:\s+10 \(T-shirt\/top, Trouser/);
    expect(r.out).toMatch(/train:\s+60000 images/);
    expect(r.out).toMatch(/test:\s+10000 images/);
    expect(r.out).toContain('28×28×1');
    const j = jsonLines((await cli(['inspect', FMNIST, '--json'])).out);
    expect(j).toHaveLength(1);
    expect(j[0]).toMatchObject({ format: 'idx', trainCount: 60000, testCount: 10000, imageShape: [28, 28, 1] });
  });

  it('train --limit --json: only JSON events on stdout, started → epochs → done, exit 0', async () => {
    // A relative data.path is relative to the config file, not to the working folder.
    symlinkSync(FMNIST, path.join(tmp, 'fmnist'));
    // The file says 3 epochs; --epochs 1 and --limit 48 override it and land in the run's config.json.
    const file = writeConfig('tiny.json', tinyConfig('tiny-json', { data: { path: 'fmnist', format: 'idx' }, training: { epochs: 3, batchSize: 16, lr: 0.05 } }));
    const r = await cli(['train', file, '--limit', '48', '--epochs', '1', '--json', '--runs-dir', runsDir], { env });
    expect(r.err).not.toContain('failed');
    expect(r.code).toBe(0);
    const events = jsonLines(r.out);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('started');
    expect(types.at(-1)).toBe('done');
    expect(types).toContain('step');
    // One epoch each for the teacher (trained first) and the student.
    const epochs = events.filter((e) => e.type === 'epoch');
    expect(epochs.map((e) => e.phase)).toEqual(['teacher', 'student']);
    const dirs = readdirSync(runsDir);
    expect(dirs).toHaveLength(1);
    jsonRunId = dirs[0];
    expect(statusOf(jsonRunId)).toBe('done');
    const saved = JSON.parse(readFileSync(path.join(runsDir, jsonRunId, 'config.json'), 'utf8'));
    expect(saved.data.path).toBe(path.join(tmp, 'fmnist'));
    // The file alone says what ran: the overrides, not the config file's 3 epochs and whole dataset.
    expect(saved).toMatchObject({ version: 2, data: { limit: 48, testLimit: 48 }, training: { epochs: 1 } });
    const started = events.find((e) => e.type === 'started') as { config: { training: { epochs: number } } };
    expect(started.config.training.epochs).toBe(1);
  });

  it('Ctrl-C during train cancels between steps (exit 130, status cancelled); resume finishes it', async () => {
    const file = writeConfig('tiny-cancel.json', tinyConfig('tiny-cancel'));
    let pressed = false;
    const r = await cli(['train', file, '--limit', '48', '--runs-dir', runsDir], {
      env, isTTY: true,
      onStdout: (chunk, interrupt) => {
        // Press Ctrl-C as soon as the bar shows a student step.
        if (!pressed && chunk.includes('student |')) { pressed = true; interrupt(); }
      },
    });
    expect(pressed).toBe(true);
    expect(r.code).toBe(130);
    // The TTY view: a bar with phase, epoch, step, loss, images/s and ETA; the teacher's epoch line above it.
    expect(r.out).toMatch(/teacher \| epoch 1\/1 \| step \d+\/\d+ .*loss .* img\/s \| ETA/);
    expect(r.out).toMatch(/teacher epoch 1\/1 \| train loss/);
    expect(r.err).toContain('cancelling');
    cancelledRunId = readdirSync(runsDir).find((d) => d !== jsonRunId)!;
    expect(statusOf(cancelledRunId)).toBe('cancelled');
    expect(JSON.parse(readFileSync(path.join(runsDir, cancelledRunId, 'status.json'), 'utf8')).phase).toBe('student');

    const again = await cli(['resume', cancelledRunId, '--runs-dir', runsDir], { env });
    expect(again.err).not.toContain('failed');
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/student epoch 1\/1 \| train loss/);
    // The teacher finished before the cancel: resuming continues the student and does not retrain it.
    expect(again.out).toMatch(/continuing student after epoch 0, step [1-3]/);
    expect(again.out).not.toContain('teacher epoch');
    expect(again.out).toMatch(/done: final top-1 \d+\.\d\d%/);
    expect(again.out).toContain(`run folder: ${path.join(runsDir, cancelledRunId)}`);
    expect(again.out).not.toContain('\x1b'); // not a TTY: no control characters
    expect(statusOf(cancelledRunId)).toBe('done');
  });

  it("eval of a run's student on the same test images gives the run's own last-epoch top-1 and loss", async () => {
    const metrics = readFileSync(path.join(runsDir, jsonRunId, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const last = metrics.filter((m) => m.kind === 'epoch' && m.phase === 'student').at(-1);
    const r = await cli(['eval', jsonRunId, '--data', FMNIST, '--limit', '48', '--json', '--runs-dir', runsDir], { env });
    expect(r.code).toBe(0);
    const [res] = jsonLines(r.out);
    expect(res.count).toBe(48);
    expect(res.top1).toBe(last.test.top1);
    expect(res.loss as number).toBeCloseTo(last.test.loss, 4);
    // The same model by its model.json path, as text.
    const byFile = await cli(['eval', path.join(runsDir, jsonRunId, 'models/student/model.json'), '--data', FMNIST, '--limit', '48'], { env });
    expect(byFile.code).toBe(0);
    expect(byFile.out).toContain(`top-1:  ${(last.test.top1 * 100).toFixed(2)}%`);
    expect(byFile.out).toMatch(/loss:\s+\d/);
  });

  it('runs lists both; compare shows a metric table for them', async () => {
    const runs = await cli(['runs', '--runs-dir', runsDir]);
    expect(runs.code).toBe(0);
    const lines = runs.out.trim().split('\n');
    expect(lines[0]).toMatch(/^id\s+name\s+status\s+method\s+teacher → student\s+top-1\s+duration$/);
    expect(lines).toHaveLength(4);
    expect(runs.out).toMatch(new RegExp(`${jsonRunId}\\s+tiny-json\\s+done\\s+at\\s+WRN-10-1 → WRN-10-1\\s+\\d+\\.\\d\\d%`));

    const cmp = await cli(['compare', jsonRunId, cancelledRunId, '--runs-dir', runsDir]);
    expect(cmp.code).toBe(0);
    for (const row of ['params', 'multiply-adds', 'size', 'latency', 'best top-1', 'last top-1', 'agreement', 'train time', 'backend']) {
      expect(cmp.out).toMatch(new RegExp(`^${row}\\s`, 'm'));
    }
    expect(cmp.out).toMatch(/^backend\s+wasm\s+wasm$/m);
    expect(cmp.out).toMatch(/^seed\s+7\s+7$/m);
    expect(cmp.out).not.toContain('across seeds'); // same seed, other data: not replicates of one experiment
    // WRN-10-1 on 28×28×1, 10 classes, by hand: conv 144 + group1 4736 + group2 14528 + group3 57728 +
    // final BN 256 + FC 650 = 78,042 params; multiply-adds 112,896 + 3,612,672 + 2,809,856 + 2,809,856 + 640
    // = 9,345,920 per image. Size = params × 4 bytes = 312,168 B.
    expect(cmp.out).toMatch(/^params\s+78\.0k\s+78\.0k$/m);
    expect(cmp.out).toMatch(/^multiply-adds\s+9\.35M\s+9\.35M$/m);
    expect(cmp.out).toMatch(/^size\s+304\.9 kB\s+304\.9 kB$/m);
    expect(cmp.out).toMatch(/^latency \(recorded\)\s+\d+\.\d+ ms\s+\d+\.\d+ ms$/m);
    expect(cmp.out).toContain('at different times and conditions; not comparable between runs.');
    expect(cmp.out).toMatch(/^best top-1\s+\d+\.\d\d% \(ep 1\)\s+\d+\.\d\d% \(ep 1\)$/m);
    const cj = jsonLines((await cli(['compare', jsonRunId, cancelledRunId, '--json', '--runs-dir', runsDir])).out);
    expect(cj.map((m) => m.id)).toEqual([jsonRunId, cancelledRunId]);
  });

  it('report --lang zh writes the run report in Chinese; --lang fr is a usage error (2)', async () => {
    const out = path.join(tmp, 'report-zh.html');
    const r = await cli(['report', jsonRunId, '--lang', 'zh', '--out', out, '--runs-dir', runsDir]);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(out);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<html lang="zh-CN">');
    for (const s of ['<h3>结果</h3>', '学生最佳 top-1', 'tiny-json']) expect(html).toContain(s);
    expect(html).not.toContain('<h3>Results</h3>');
    const bad = await cli(['report', jsonRunId, '--lang', 'fr', '--runs-dir', runsDir]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--lang/);
  });
});

describe('atstudio bench', () => {
  it('--json: one object with, per batch size, images/s, teacher forward images/s, peak RSS and numTensors growth', async () => {
    const r = await cli(['bench', '--json', '--backend', 'wasm', '--batch', '2,3', '--steps', '2', '--warmup', '1',
      '--student', 'wrn-10-1', '--teacher', 'wrn-10-1', '--input-shape', '8x8x1']);
    expect(r.code).toBe(0);
    const lines = jsonLines(r.out);
    expect(lines).toHaveLength(1);
    const all = lines[0] as { results: Record<string, unknown>[]; imagesPerSecByBatch: Record<string, number> };
    expect(all).toMatchObject({ student: 'WRN-10-1', teacher: 'WRN-10-1', inputShape: [8, 8, 1], backend: 'wasm', backendChoice: 'wasm' });
    expect(all.results.map((x) => x.batch)).toEqual([2, 3]);
    expect(all.imagesPerSecByBatch['3']).toBe(all.results[1]!.imagesPerSec);
    expect(all).not.toHaveProperty('adapter');
    expect(all.results[0]).not.toHaveProperty('gpuMemory'); // wasm reports no GPU memory
    const b = all.results[0]!;
    expect(b).toMatchObject({ batch: 2, backend: 'wasm', numTensorsGrowth: 0 });
    expect(b.stepMs as number[]).toHaveLength(2);
    // images/s is the batch over the median step time (two steps: their mean).
    const [a, c] = b.stepMs as number[];
    expect(b.imagesPerSec as number).toBeCloseTo(2 / ((a + c) / 2 / 1000), 6);
    expect(b.teacherForwardImagesPerSec as number).toBeGreaterThan(0);
    expect(b.peakRssMB as number).toBeGreaterThan(0);
  });
});

describe('the built bin (spawned)', () => {
  let bin = '';
  beforeAll(() => {
    bin = builtBin();
  });

  it('starts with a shebang; --help exits 0, a usage error exits 2, a bad config exits 1', () => {
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const help = spawnSync(process.execPath, [bin, 'runs', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: atstudio runs');
    expect(spawnSync(process.execPath, [bin, 'train'], { encoding: 'utf8' }).status).toBe(2);
    const file = writeConfig('spawn-bad.json', tinyConfig('bad', { method: 'telepathy' }));
    const bad = spawnSync(process.execPath, [bin, 'train', file, '--runs-dir', runsDir], { encoding: 'utf8', env: { ...process.env, ...env } });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('method');
  });

  it.runIf(haveData)('a real SIGINT during train exits 130 and leaves a cancelled, resumable run', async () => {
    const spawnRuns = path.join(tmp, 'spawn-runs');
    const file = writeConfig('spawn-tiny.json', tinyConfig('spawn-tiny'));
    const child = spawn(process.execPath, [bin, 'train', file, '--limit', '48', '--json', '--runs-dir', spawnRuns],
      { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!sent && out.includes('"type":"step"')) { sent = true; child.kill('SIGINT'); }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(sent).toBe(true);
    expect(code).toBe(130);
    const types = jsonLines(out).map((e) => e.type);
    expect(types).toContain('cancelled');
    const [id] = readdirSync(spawnRuns);
    expect(JSON.parse(readFileSync(path.join(spawnRuns, id, 'status.json'), 'utf8')).status).toBe('cancelled');
  });
});

describe.runIf(haveData)('atstudio train --seeds', () => {
  it('trains one run per seed, named after it, then prints their mean ± spread', async () => {
    const dir = path.join(tmp, 'seed-runs');
    const file = writeConfig('seeds.json', tinyConfig('seeded', { method: 'baseline', teacher: undefined, seed: 11 }));
    const r = await cli(['train', file, '--limit', '32', '--seeds', '2', '--runs-dir', dir], { env });
    expect(r.err).not.toContain('failed');
    expect(r.code).toBe(0);
    const configs = readdirSync(dir).map((id) => JSON.parse(readFileSync(path.join(dir, id, 'config.json'), 'utf8')));
    expect(configs.map((c) => [c.seed, c.name]).sort()).toEqual([[11, 'seeded · seed 11'], [12, 'seeded · seed 12']]);
    expect(r.out).toMatch(/^across seeds 11, 12 \(.+\): best top-1 \d+\.\d% ± \d+\.\d \(n = 2\), last top-1 /m);
    const tooMany = await cli(['train', file, '--seeds', '11', '--runs-dir', dir], { env });
    expect(tooMany.code).toBe(2);
    expect(tooMany.err).toContain('--seeds 11: at most 10 runs');
  });
});

describe('atstudio compare across seeds', () => {
  it('adds one line of mean ± spread per experiment repeated with different seeds', async () => {
    const { seedSpreadLines } = await import('../../cli/commands/compare.js');
    const m = (id: string, key: string, seed: number, bestTop1?: number, lastTop1?: number) => ({
      id, name: id, status: 'done', method: 'at', teacher: 'WRN-16-2', student: 'WRN-16-1', seed, replicateKey: key,
      ...(bestTop1 !== undefined ? { bestTop1 } : {}), ...(lastTop1 !== undefined ? { lastTop1 } : {}),
    });
    // Best 80, 84, 82 → 82.0 ± 2.0; last 79, 81 → 80.0 ± 1.4 (the third is still training).
    expect(seedSpreadLines([m('a', 'x', 1, 0.8, 0.79), m('b', 'x', 2, 0.84, 0.81), m('c', 'x', 3, 0.82), m('d', 'y', 1, 0.5, 0.5)]))
      .toEqual(['across seeds 1, 2, 3 (a, b, c): best top-1 82.0% ± 2.0 (n = 3), last top-1 80.0% ± 1.4 (n = 2)']);
    expect(seedSpreadLines([m('a', 'x', 1, 0.8), m('d', 'y', 2, 0.5)])).toEqual([]);
  });
});
