// `npm start`'s choice between Electron and serve mode, and the serve-mode fallback end to end: it prints
// the reason and a URL that answers.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error a plain .mjs script without typings
import { findElectronRuntime } from '../../scripts/electronRuntime.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
type Runtime = { ok: true; binary: string } | { ok: false; reason: string };
const find = findElectronRuntime as (o: object) => Runtime;
const notFound = () => {
  throw Object.assign(new Error("Cannot find module 'electron'"), { code: 'MODULE_NOT_FOUND' });
};

describe('findElectronRuntime', () => {
  it('electron not installed on Node < 22.12: says why', () => {
    const r = find({ root, env: {}, nodeVersion: '20.20.2', load: notFound });
    expect(r).toEqual({ ok: false, reason: "Electron's runtime is not installed (electron needs Node ≥ 22.12 to install and this is Node 20.20.2): starting serve mode instead." });
    expect((find({ root, env: {}, nodeVersion: '22.11.0', load: notFound }) as { reason: string }).reason).toMatch(/needs Node ≥ 22\.12/);
    expect((find({ root, env: {}, nodeVersion: '22.12.0', load: notFound }) as { reason: string }).reason).toMatch(/optional electron package was not installed/);
  });

  it('electron installed but its binary missing or its download failed: serve mode', () => {
    const failed = find({ root, env: {}, load: () => { throw new Error('Electron failed to install correctly'); } });
    expect(failed).toMatchObject({ ok: false, reason: expect.stringMatching(/binary could not be downloaded/) });
    const missing = find({ root, env: {}, load: () => '/nowhere/electron', exists: () => false });
    expect(missing).toMatchObject({ ok: false, reason: expect.stringContaining('/nowhere/electron is missing') });
  });

  it('electron and its binary present: launch it (unless ATSTUDIO_NO_ELECTRON)', () => {
    expect(find({ root, env: {}, load: () => '/opt/electron', exists: (p: string) => p === '/opt/electron' })).toEqual({ ok: true, binary: '/opt/electron' });
    expect(find({ root, env: { ATSTUDIO_NO_ELECTRON: '1' }, load: () => '/opt/electron', exists: () => true }).ok).toBe(false);
  });
});

describe('scripts/start.mjs without Electron', () => {
  const runs = mkdtempSync(path.join(tmpdir(), 'atstudio-start-'));
  afterAll(() => rmSync(runs, { recursive: true, force: true }));

  it('starts serve mode, prints a one-line reason and the URL, serves it, and stops on SIGTERM', async () => {
    let electronPresent = true;
    try {
      createRequire(path.join(root, 'package.json')).resolve('electron');
    } catch {
      electronPresent = false;
    }
    const env = { ...process.env, ATSTUDIO_PORT: '0', ATSTUDIO_RUNS_DIR: runs, ...(electronPresent ? { ATSTUDIO_NO_ELECTRON: '1' } : {}) };
    const child = spawn(process.execPath, [path.join(root, 'scripts', 'start.mjs')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const t0 = Date.now();
      while (!/https?:\/\/\S+/.test(out)) {
        if (Date.now() - t0 > 30_000 || child.exitCode !== null) throw new Error(`no URL printed; stdout: ${out} stderr: ${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const lines = out.trim().split('\n');
      expect(lines[0]).toMatch(electronPresent ? /ATSTUDIO_NO_ELECTRON/ : /^Electron's runtime is not installed \(.+\): starting serve mode instead\.$/);
      const url = /(https?:\/\/\S+)/.exec(lines[1]!)![1]!;
      // The address carries the token (loopback too): opening it trades the token for a cookie.
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
      const token = new URL(url).searchParams.get('token')!;
      const open = await fetch(url, { redirect: 'manual' });
      expect(open.status).toBe(303);
      expect(open.headers.get('set-cookie')).toContain(`atstudio_token=${token}`);
      const page = await fetch(new URL('/', url), { headers: { cookie: `atstudio_token=${token}` } });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      const listRuns = (headers: Record<string, string>) =>
        fetch(new URL('/api/listRuns', url), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '[]' });
      expect((await listRuns({})).status).toBe(401);
      expect(await (await listRuns({ authorization: `Bearer ${token}` })).json()).toEqual({ ok: true, result: [] });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
