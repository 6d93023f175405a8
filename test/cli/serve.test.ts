// `atstudio serve` end to end: the built CLI serves the API on loopback without a token, requires one on
// another host, and stops cleanly on Ctrl-C. Needs `npm run build` (npm test runs it first).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function serve(args: string[]): { child: ChildProcess; output: () => string; waitFor: (re: RegExp) => Promise<RegExpMatchArray> } {
  const runsDir = mkdtempSync(path.join(tmpdir(), 'atstudio-serve-'));
  dirs.push(runsDir);
  const child = spawn(process.execPath, ['dist/cli/main.js', 'serve', '--runs-dir', runsDir, ...args], { cwd: root });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const waitFor = (re: RegExp) => new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re}; output:\n${out}`)), 20_000);
    const check = () => {
      const m = out.match(re);
      if (m) { clearTimeout(timer); resolve(m); } else setTimeout(check, 50);
    };
    check();
  });
  return { child, output: () => out, waitFor };
}

const port = () => 20000 + Math.floor(Math.random() * 20000);

describe('atstudio serve', () => {
  it('serves the API on loopback with a token (printed in the address) and exits 0 on Ctrl-C', async () => {
    const s = serve(['--port', String(port())]);
    const [, url, token] = await s.waitFor(/serving on (http:\/\/\S+\/)\?token=([0-9a-f]{64})/);
    const ask = (headers: Record<string, string>) => fetch(new URL('api/listRuns', url), {
      method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ args: [] }),
    });
    expect((await ask({})).status).toBe(401);
    expect(await (await ask({ authorization: `Bearer ${token}` })).json()).toEqual({ ok: true, result: [] });
    const exited = new Promise<number | null>((resolve) => s.child.on('exit', (code) => resolve(code)));
    s.child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('prints a token and requires it when bound to another host', async () => {
    const p = port();
    const s = serve(['--host', '0.0.0.0', '--port', String(p)]);
    const [, token] = await s.waitFor(/token: ([0-9a-f]{64})/);
    const call = (headers: Record<string, string>) => fetch(`http://localhost:${p}/api/listRuns`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ args: [] }),
    });
    expect((await call({})).status).toBe(401);
    expect((await call({ authorization: 'Bearer wrong' })).status).toBe(403);
    expect((await call({ authorization: `Bearer ${token}` })).status).toBe(200);
  });
});
