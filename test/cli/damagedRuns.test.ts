// Damaged run folders stay visible: a corrupt status.json or config.json lists the run as damaged with
// the reason (not silently skipped), and `resume` says what is wrong instead of "no such run". A
// --runs-dir naming a file gets a clear message, not a raw EEXIST.
import { mkdtempSync, rmSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseRunConfig } from '../../core/config/index.js';
import { RunStore } from '../../core/runs/index.js';
import { cli, jsonLines } from './harness.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'atstudio-damaged-'));
const runsDir = path.join(tmp, 'runs');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let good: string, badStatus: string, badConfig: string;

beforeAll(async () => {
  const store = new RunStore(runsDir);
  const make = async (name: string) => (await store.create(parseRunConfig({ name, data: { path: '/data/x' } }))).id;
  good = await make('good');
  badStatus = await make('bad status');
  badConfig = await make('bad config');
  writeFileSync(path.join(runsDir, badStatus, 'status.json'), '{"status": "runn');
  writeFileSync(path.join(runsDir, badConfig, 'config.json'), 'not json at all');
});

it('`runs` lists damaged runs with the reason, naming the file', async () => {
  const r = await cli(['runs', '--runs-dir', runsDir]);
  expect(r.code).toBe(0);
  for (const id of [good, badStatus, badConfig]) expect(r.out).toContain(id);
  expect(r.out.split('\n').filter((l) => l.includes('damaged'))).toHaveLength(2);
  expect(r.err).toContain(`damaged: ${badStatus}: ${path.join(runsDir, badStatus, 'status.json')}: not valid JSON`);
  expect(r.err).toContain(`damaged: ${badConfig}: ${path.join(runsDir, badConfig, 'config.json')}`);
  const json = jsonLines((await cli(['runs', '--json', '--runs-dir', runsDir])).out);
  expect(json.filter((j) => j.status === 'damaged').map((j) => j.id).sort()).toEqual([badStatus, badConfig].sort());
});

it('`resume` of a damaged run says what is wrong (exit 1), and changes nothing', async () => {
  for (const [id, file] of [[badStatus, 'status.json'], [badConfig, 'config.json']] as const) {
    const before = readdirSync(path.join(runsDir, id)).sort();
    const r = await cli(['resume', id, '--runs-dir', runsDir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`atstudio: run ${id} is damaged: ${path.join(runsDir, id, file)}`);
    expect(readdirSync(path.join(runsDir, id)).sort()).toEqual(before);
  }
});

it('--runs-dir naming a file: a clear message, exit 1, the file untouched', async () => {
  const file = path.join(tmp, 'a-file');
  writeFileSync(file, 'keep me');
  const cfg = path.join(tmp, 'cfg.json');
  writeFileSync(cfg, JSON.stringify({ version: 1, name: 'x', data: { path: '/usr/share/datasets/fashion-mnist' }, student: { model: { family: 'wrn', depth: 10, widen: 1 } }, method: 'baseline' }));
  const runs = await cli(['runs', '--runs-dir', file]);
  expect(runs.code).toBe(1);
  expect(runs.err).toContain(`${file}: not a folder; the runs folder must be a folder`);
  if (existsSync('/usr/share/datasets/fashion-mnist')) {
    const train = await cli(['train', cfg, '--runs-dir', file], { env: { ATSTUDIO_BACKEND: 'wasm' } });
    expect(train.code).toBe(1);
    expect(train.err).toContain(`${file}: not a folder`);
    expect(train.err).not.toContain('EEXIST');
  }
});
