// Who may talk to the server, over real HTTP and WebSocket: the token (whenever one is set), the Host
// header on loopback (DNS rebinding), the Origin of browser requests, and startServer's refusal to serve
// a non-loopback host without a token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer, TOKEN_COOKIE, isLoopbackHost } from '../../serve/index.js';
import { tokensEqual } from '../../serve/auth.js';
import { callApi, connect, fakeApi, rawRequest, tempDir } from './harness.js';

const TOKEN = 'a'.repeat(16) + '0123456789abcdef';
const tmp = tempDir();
let open: RunningServer; // loopback, no token (asked for: --no-token)
let locked: RunningServer; // loopback, with a token

beforeAll(async () => {
  open = await startServer({ api: fakeApi(), port: 0, runsDir: tmp.dir, token: null });
  locked = await startServer({ api: fakeApi(), port: 0, runsDir: tmp.dir, token: TOKEN });
});
afterAll(async () => {
  await open?.close();
  await locked?.close();
  tmp.cleanup();
});

const wsUrl = (s: RunningServer, q = '') => `ws://127.0.0.1:${s.port}/events${q}`;
const status = (p: Promise<unknown>) => p.then(() => 101, (err: { status?: number }) => err.status ?? -1);
async function wsOk(url: string, opts: Parameters<typeof connect>[1] = {}): Promise<number> {
  return status(connect(url, opts).then((s) => s.close()));
}

describe('token over HTTP', () => {
  it('missing token: 401 for the API, pages and run files', async () => {
    const r = await callApi(locked.port, 'listRuns', []);
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body).ok).toBe(false);
    expect((await rawRequest(locked.port, '/')).status).toBe(401);
    expect((await rawRequest(locked.port, '/runs/x/files/y')).status).toBe(401);
  });

  it('wrong token: 403, in the header, the cookie or the query', async () => {
    expect((await callApi(locked.port, 'listRuns', [], { authorization: 'Bearer wrong' })).status).toBe(403);
    expect((await callApi(locked.port, 'listRuns', [], { authorization: `Bearer ${TOKEN}x` })).status).toBe(403);
    expect((await callApi(locked.port, 'listRuns', [], { cookie: `${TOKEN_COOKIE}=${TOKEN.slice(1)}` })).status).toBe(403);
    expect((await rawRequest(locked.port, '/?token=nope')).status).toBe(403);
  });

  it('right token: the Bearer header or the cookie open the API', async () => {
    const h = await callApi(locked.port, 'listRuns', [], { authorization: `Bearer ${TOKEN}` });
    expect(h.status).toBe(200);
    expect(JSON.parse(h.body)).toEqual({ ok: true, result: { method: 'listRuns', args: [] } });
    const c = await callApi(locked.port, 'listRuns', [], { cookie: `other=1; ${TOKEN_COOKIE}=${TOKEN}` });
    expect(c.status).toBe(200);
  });

  it('?token= on the API is not enough (it is only for opening the page)', async () => {
    const r = await rawRequest(locked.port, `/api/listRuns?token=${TOKEN}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"args":[]}' });
    expect(r.status).toBe(401);
  });

  it('?token= on the first page load sets an HttpOnly SameSite=Strict cookie and drops the token from the address', async () => {
    const r = await rawRequest(locked.port, `/?token=${TOKEN}&tab=runs`);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/?tab=runs');
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toContain(`${TOKEN_COOKIE}=${TOKEN}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const page = await rawRequest(locked.port, '/?tab=runs', { headers: { cookie: `${TOKEN_COOKIE}=${TOKEN}` } });
    expect(page.status).toBe(200);
  });

  it('no token asked for on loopback (--no-token): requests need none', async () => {
    expect(open.token).toBeNull();
    expect((await callApi(open.port, 'listRuns', [])).status).toBe(200);
  });

  it('loopback without a token option gets a random one too (loopback is no trust boundary): 401 without it', async () => {
    const lines: string[] = [];
    const s = await startServer({ api: fakeApi(), port: 0, runsDir: tmp.dir, log: (l) => lines.push(l) });
    try {
      expect(s.token).toMatch(/^[0-9a-f]{64}$/);
      expect(lines.join('\n')).toContain(`${s.url}?token=${s.token}`);
      expect((await callApi(s.port, 'listRuns', [])).status).toBe(401);
      expect((await callApi(s.port, 'listRuns', [], { authorization: `Bearer ${s.token}` })).status).toBe(200);
      expect(await wsOk(wsUrl(s))).toBe(401);
      expect(await wsOk(wsUrl(s, `?token=${s.token}`))).toBe(101);
    } finally {
      await s.close();
    }
  });

  it('compares tokens in constant time over equal-length digests', () => {
    expect(tokensEqual(TOKEN, TOKEN)).toBe(true);
    expect(tokensEqual(TOKEN.slice(0, -1), TOKEN)).toBe(false);
    expect(tokensEqual('', TOKEN)).toBe(false);
  });
});

describe('token over WebSocket', () => {
  it('missing token: 401; wrong token: 403', async () => {
    expect(await wsOk(wsUrl(locked))).toBe(401);
    expect(await wsOk(wsUrl(locked, '?token=nope'))).toBe(403);
    expect(await wsOk(wsUrl(locked), { headers: { authorization: 'Bearer nope' } })).toBe(403);
    expect(await wsOk(wsUrl(locked), { headers: { cookie: `${TOKEN_COOKIE}=nope` } })).toBe(403);
  });

  it('right token in the query, the header or the cookie: accepted', async () => {
    expect(await wsOk(wsUrl(locked, `?token=${TOKEN}`))).toBe(101);
    expect(await wsOk(wsUrl(locked), { headers: { authorization: `Bearer ${TOKEN}` } })).toBe(101);
    expect(await wsOk(wsUrl(locked), { headers: { cookie: `${TOKEN_COOKIE}=${TOKEN}` } })).toBe(101);
  });

  it('only /events upgrades', async () => {
    expect(await wsOk(`ws://127.0.0.1:${open.port}/other`)).toBe(404);
  });
});

describe('Host header (DNS rebinding) on loopback', () => {
  it('refuses a foreign Host over HTTP, with or without a token', async () => {
    const r = await callApi(open.port, 'listRuns', [], { host: `evil.example:${open.port}` });
    expect(r.status).toBe(403);
    expect((await rawRequest(open.port, '/', { headers: { host: 'evil.example' } })).status).toBe(403);
    expect((await rawRequest(open.port, '/', { headers: { host: `127.0.0.1:${open.port + 1}` } })).status).toBe(403);
    expect((await callApi(locked.port, 'listRuns', [], { host: 'evil.example', authorization: `Bearer ${TOKEN}` })).status).toBe(403);
  });

  it('accepts localhost, 127.0.0.1 and [::1] with the port', async () => {
    for (const host of [`localhost:${open.port}`, `127.0.0.1:${open.port}`, `[::1]:${open.port}`, `LOCALHOST:${open.port}`]) {
      expect((await callApi(open.port, 'listRuns', [], { host })).status, host).toBe(200);
    }
  });

  it('refuses a foreign Host on the WebSocket', async () => {
    expect(await wsOk(wsUrl(open), { headers: { host: `evil.example:${open.port}` } })).toBe(403);
    expect(await wsOk(wsUrl(open))).toBe(101);
  });
});

describe('Origin (cross-site requests)', () => {
  it('refuses an API call whose Origin is another site', async () => {
    const r = await callApi(open.port, 'startRun', [{}], { origin: 'https://evil.example' });
    expect(r.status).toBe(403);
    const same = await callApi(open.port, 'startRun', [{}], { origin: `http://127.0.0.1:${open.port}` });
    expect(same.status).toBe(200);
  });

  it('refuses a WebSocket whose Origin is another site, even with the right token', async () => {
    expect(await wsOk(wsUrl(open), { origin: 'https://evil.example' })).toBe(403);
    expect(await wsOk(wsUrl(locked, `?token=${TOKEN}`), { origin: 'http://evil.example' })).toBe(403);
    expect(await wsOk(wsUrl(open), { origin: `http://127.0.0.1:${open.port}` })).toBe(101);
  });
});

describe('startServer host policy', () => {
  it('knows the loopback names', () => {
    for (const h of ['127.0.0.1', '::1', 'localhost']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.2', 'example.com']) expect(isLoopbackHost(h)).toBe(false);
  });

  it('rejects when the port is taken', async () => {
    await expect(startServer({ api: fakeApi(), port: open.port, runsDir: tmp.dir })).rejects.toThrow(/EADDRINUSE/);
  });

  it('refuses a non-loopback host with an empty or null token', async () => {
    await expect(startServer({ api: fakeApi(), host: '0.0.0.0', port: 0, runsDir: tmp.dir, token: '' })).rejects.toThrow(/token/);
    await expect(startServer({ api: fakeApi(), host: '0.0.0.0', port: 0, runsDir: tmp.dir, token: null })).rejects.toThrow(/token/);
    await expect(startServer({ api: fakeApi(), host: '0.0.0.0', port: 0, runsDir: tmp.dir, token: '   ' })).rejects.toThrow(/token/);
  });

  it('a non-loopback host without a token option gets a random 32-byte token, checked on every request', async () => {
    const lines: string[] = [];
    const s = await startServer({ api: fakeApi(), host: '0.0.0.0', port: 0, runsDir: tmp.dir, log: (l) => lines.push(l) });
    try {
      expect(s.token).toMatch(/^[0-9a-f]{64}$/);
      expect(lines.join('\n')).toContain(`?token=${s.token}`);
      expect((await callApi(s.port, 'listRuns', [])).status).toBe(401);
      // Bound to every interface, any Host name is fine: the token is the guard.
      expect((await callApi(s.port, 'listRuns', [], { host: 'studio.lan:1', authorization: `Bearer ${s.token}` })).status).toBe(200);
      expect(await wsOk(`ws://127.0.0.1:${s.port}/events`)).toBe(401);
      expect(await wsOk(`ws://127.0.0.1:${s.port}/events?token=${s.token}`)).toBe(101);
    } finally {
      await s.close();
    }
  });
});
