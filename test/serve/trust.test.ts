// `atstudio serve` trusts no one by default, on loopback too: a token (printed in the address), writes and
// listings confined to the runs folder and --root folders, symlinks resolved before every check, and
// argument lists too long or too deep refused with 400. The serve command runs in this process.
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveCommand, type ServeFlags } from '../../cli/commands/serve.js';
import type { CliIO } from '../../cli/io.js';
import { parseRunConfig } from '../../core/config/index.js';
import { RunStore } from '../../core/runs/index.js';
import { callApi, rawRequest } from './harness.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'atstudio-trust-'));
const runsDir = path.join(tmp, 'runs');
const elsewhere = path.join(tmp, 'elsewhere');
const work = path.join(tmp, 'work');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Served { out: string; port: number; token: string | null; stop: () => Promise<number> }

async function serve(flags: ServeFlags): Promise<Served> {
  let out = '';
  let interrupt: (() => void) | null = null;
  const sink = { write: (c: string) => { out += c; return true; } };
  const io: CliIO = { stdout: sink, stderr: sink, env: {}, cwd: work,
    onInterrupt: (h) => { interrupt = () => h('SIGTERM'); return () => { interrupt = null; }; },
    exit: (c) => { throw new Error(`exit ${c}`); } };
  const done = serveCommand(io, { port: 0, runsDir, ...flags });
  for (let i = 0; i < 500 && !out.includes('Press Ctrl-C'); i++) await new Promise((r) => setTimeout(r, 20));
  const port = Number(/serving on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
  const token = /token: ([0-9a-f]{64})/.exec(out)?.[1] ?? null;
  return { out, port, token, stop: async () => { interrupt?.(); return done; } };
}

let s: Served;
let runId: string;
beforeAll(async () => {
  mkdirSync(work, { recursive: true });
  const store = new RunStore(runsDir);
  const run = await store.create(parseRunConfig({ name: 'here', data: { path: '/data/x' } }));
  runId = run.id;
  // A run folder elsewhere, linked into the runs folder under a run id.
  const other = await new RunStore(elsewhere).create(parseRunConfig({ name: 'secret', data: { path: '/data/x' } }));
  await other.log('SECRET-LOG-LINE');
  await other.flush();
  symlinkSync(other.dir, path.join(runsDir, '20260101-000000-linked-ab12'));
  s = await serve({});
}, 60_000);
afterAll(async () => { await s?.stop(); });

const call = (method: string, args: unknown[]) => callApi(s.port, method, args, { authorization: `Bearer ${s.token}` });
const code = (r: { body: string }) => (JSON.parse(r.body) as { error?: { code: string } }).error?.code;

describe('atstudio serve on loopback, by default', () => {
  it('has a token, printed in the address to open; a request without it is refused', async () => {
    expect(s.token).toMatch(/^[0-9a-f]{64}$/);
    expect(s.out).toContain(`open: http://127.0.0.1:${s.port}/?token=${s.token}`);
    expect((await callApi(s.port, 'listRuns', [])).status).toBe(401);
    expect((await call('listRuns', [])).status).toBe(200);
  });

  it('lists only the runs folder, the working folder (no --root) and the datasets folder — not /etc', async () => {
    const etc = await call('listDirectory', ['/etc']);
    expect(etc.status).toBe(403);
    expect(etc.body).not.toContain('passwd');
    expect((await call('listDirectory', [runsDir])).status).toBe(200);
    expect((await call('listDirectory', [work])).status).toBe(200);
    // A symlink inside an allowed folder that points out of it is outside.
    symlinkSync('/etc', path.join(work, 'etc-link'));
    expect((await call('listDirectory', [path.join(work, 'etc-link')])).status).toBe(403);
  });

  it('writes exports only into the runs folder and the --root folders', async () => {
    const outside = path.join(tmp, 'outside', 'metrics.csv');
    const r = await call('exportMetrics', [runId, outside, 'csv']);
    expect(r.status).toBe(403);
    expect(code(r)).toBe('forbidden');
    expect(existsSync(outside)).toBe(false);
    const inside = path.join(work, 'metrics.csv');
    expect((await call('exportMetrics', [runId, inside, 'csv'])).status).toBe(200);
    expect(existsSync(inside)).toBe(true);
  });

  it('getLog does not follow a run folder that links out of the runs folder', async () => {
    const r = await call('getLog', ['20260101-000000-linked-ab12']);
    expect(r.status).toBe(404);
    expect(r.body).not.toContain('SECRET-LOG-LINE');
    expect((await call('getLog', [runId])).status).toBe(200);
  });

  it('refuses 400k arguments and 100k-deep arguments with 400, not 500', async () => {
    const many = await rawRequest(s.port, '/api/listRuns', { method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` }, body: `{"args":[${new Array(400_000).fill('0').join(',')}]}` });
    expect(many.status).toBe(400);
    expect(many.body).toContain('arguments');
    const deep = await rawRequest(s.port, '/api/startRun', { method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` }, body: `{"args":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}` });
    expect(deep.status).toBe(400);
    const deepObj = await rawRequest(s.port, '/api/startRun', { method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` }, body: `{"args":[${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}]}` });
    expect(deepObj.status).toBe(400);
  });
});

describe('--no-token', () => {
  it('is for loopback only, and says what it means', async () => {
    const open = await serve({ token: false });
    try {
      expect(open.token).toBeNull();
      expect(open.out).toContain('no token (--no-token)');
      expect((await callApi(open.port, 'listRuns', [])).status).toBe(200);
    } finally {
      expect(await open.stop()).toBe(0);
    }
    const io: CliIO = { stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd: work, onInterrupt: () => () => {}, exit: () => {} };
    await expect(serveCommand(io, { port: 0, host: '0.0.0.0', token: false, runsDir })).rejects.toThrow(/--no-token is for 127\.0\.0\.1 only/);
  });
});

