// Serve mode over real HTTP on 127.0.0.1: API calls and their errors, method-name checks, body limits,
// security headers, the placeholder page, static files and run files, and path traversal attempts.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_METHODS } from '../../core/service/api.js';
import { startServer, type RunningServer, CONTENT_SECURITY_POLICY } from '../../serve/index.js';
import { callApi, fakeApi, rawRequest, tempDir, type FakeApi } from './harness.js';

const tmp = tempDir();
let api: FakeApi;
let srv: RunningServer; // with a static dir
let bare: RunningServer; // without one: the placeholder page
const staticDir = path.join(tmp.dir, 'site', 'dist');
const runsDir = path.join(tmp.dir, 'runs');
const RUN = '20261128-120000-quick-ab12';

beforeAll(async () => {
  mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>studio</title>');
  writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(tmp.dir, 'site', 'secret.txt'), 'SECRET-NEXT-TO-STATIC');
  symlinkSync(path.join(tmp.dir, 'site', 'secret.txt'), path.join(staticDir, 'leak.txt'));
  mkdirSync(path.join(runsDir, RUN, 'probes'), { recursive: true });
  writeFileSync(path.join(runsDir, RUN, 'probes', 'probe-0.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  writeFileSync(path.join(runsDir, RUN, 'config.json'), '{"name":"quick"}');
  mkdirSync(path.join(runsDir, 'other-run'), { recursive: true });
  writeFileSync(path.join(runsDir, 'other-run', 'log.txt'), 'OTHER-RUN');
  mkdirSync(path.join(runsDir, '.hidden'), { recursive: true });
  writeFileSync(path.join(runsDir, '.hidden', 'x.txt'), 'HIDDEN');
  symlinkSync(path.join(runsDir, 'other-run', 'log.txt'), path.join(runsDir, RUN, 'sneaky.txt'));
  symlinkSync(path.join(tmp.dir, 'site'), path.join(runsDir, 'linked-run'));
  api = fakeApi();
  srv = await startServer({ api, port: 0, runsDir, staticDir, token: null });
  bare = await startServer({ api, port: 0, runsDir, token: null });
});
afterAll(async () => {
  await srv?.close();
  await bare?.close();
  tmp.cleanup();
});

describe('API over HTTP', () => {
  it('forwards a call with its arguments and returns the result', async () => {
    const r = await callApi(srv.port, 'estimateModel', [{ model: { family: 'wrn', depth: 16, widen: 1 } }]);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ ok: true, result: { method: 'estimateModel', args: [{ model: { family: 'wrn', depth: 16, widen: 1 } }] } });
    expect(srv.token).toBeNull();
    expect(srv.url).toBe(`http://127.0.0.1:${srv.port}/`);
  });

  it('works through fetch too (a void method gives result null)', async () => {
    const res = await fetch(`${srv.url}api/deleteRun`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ args: ['ok-run'] }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, result: null });
  });

  it('maps service error codes to HTTP statuses', async () => {
    const cases: [string, unknown[], number, string][] = [
      ['getRun', ['nope'], 404, 'not-found'],
      ['startRun', [42], 400, 'invalid'],
      ['deleteRun', ['busy'], 409, 'conflict'],
      ['deleteRun', ['secret'], 403, 'forbidden'],
      ['getLog', ['x'], 500, 'internal'],
      ['exportReportPdf', [['a'], '/tmp/r.pdf'], 503, 'unavailable'],
    ];
    for (const [m, args, status, code] of cases) {
      const r = await callApi(srv.port, m, args);
      expect(r.status, m).toBe(status);
      const body = JSON.parse(r.body);
      expect(body.ok).toBe(false);
      expect(body.error.code).toBe(code);
      expect(typeof body.error.message).toBe('string');
    }
  });

  it('refuses unknown methods and prototype properties with 404 without calling anything', async () => {
    const before = api.calls.length;
    for (const m of ['noSuchMethod', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'subscribe', 'calls', 'emit']) {
      const r = await callApi(srv.port, m, []);
      expect(r.status, m).toBe(404);
      expect(JSON.parse(r.body).error.code).toBe('not-found');
    }
    expect(api.calls.length).toBe(before);
  });

  it('every API method is callable', async () => {
    for (const m of API_METHODS) {
      const r = await callApi(srv.port, m, ['a']);
      expect([200, 400, 404, 409, 403, 500, 503], m).toContain(r.status);
      expect(JSON.parse(r.body).ok !== undefined, m).toBe(true);
    }
  });

  it('needs POST, JSON, an args array and at most 1 MB', async () => {
    expect((await rawRequest(srv.port, '/api/listRuns')).status).toBe(405);
    const text = await rawRequest(srv.port, '/api/listRuns', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"args":[]}' });
    expect(text.status).toBe(415);
    const bad = await rawRequest(srv.port, '/api/listRuns', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"args":' });
    expect(bad.status).toBe(400);
    const notArray = await rawRequest(srv.port, '/api/listRuns', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"args":{"0":1}}' });
    expect(notArray.status).toBe(400);
    const big = JSON.stringify({ args: ['x'.repeat(1024 * 1024 + 10)] });
    const tooBig = await rawRequest(srv.port, '/api/validateConfig', { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(tooBig.status).toBe(413);
    // Just under the limit passes.
    const fits = JSON.stringify({ args: ['x'.repeat(1024 * 1024 - 100)] });
    expect((await rawRequest(srv.port, '/api/validateConfig', { method: 'POST', headers: { 'content-type': 'application/json' }, body: fits })).status).toBe(200);
  });

  it('refuses a declared Content-Length over 1 MB before reading the body', async () => {
    // Only the headers are sent: the answer must not wait for 2 MB that never come.
    const status = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request({ host: '127.0.0.1', port: srv.port, path: '/api/validateConfig', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) }, agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        });
        req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err)));
        req.flushHeaders();
        setTimeout(() => resolve(-1), 1500);
      }).catch(reject);
    });
    expect(status).toBe(413);
  });

  it('refuses a body over 1 MB sent without a Content-Length (chunked)', async () => {
    const r = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request({ host: '127.0.0.1', port: srv.port, path: '/api/validateConfig', method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' || (err as NodeJS.ErrnoException).code === 'EPIPE' ? resolve(-1) : reject(err)));
        const chunk = 'x'.repeat(64 * 1024);
        req.write('{"args":["');
        for (let i = 0; i < 20; i++) req.write(chunk);
        req.end('"]}');
      }).catch(reject);
    });
    expect(r).toBe(413);
  });
});

describe('pages and headers', () => {
  it('sends the strict CSP, nosniff and no-referrer on every response', async () => {
    for (const p of ['/', '/api/listRuns', '/missing', '/../x']) {
      const r = await rawRequest(srv.port, p);
      expect(r.headers['content-security-policy'], p).toBe(CONTENT_SECURITY_POLICY);
      expect(r.headers['x-content-type-options'], p).toBe('nosniff');
      expect(r.headers['referrer-policy'], p).toBe('no-referrer');
    }
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self';");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
  });

  it('serves the built renderer: / is index.html, assets with their type', async () => {
    const index = await rawRequest(srv.port, '/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>studio</title>');
    expect(index.headers['content-type']).toMatch(/^text\/html/);
    const js = await rawRequest(srv.port, '/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect((await rawRequest(srv.port, '/assets/none.js')).status).toBe(404);
  });

  it('without a built renderer, / says so and lists the API', async () => {
    const r = await rawRequest(bare.port, '/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('not built');
    for (const m of API_METHODS) expect(r.body).toContain(`/api/${m}`);
    expect(r.body).not.toContain('<script');
  });
});

describe('path traversal', () => {
  const attempts = [
    '/../package.json',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/%2e%2e/package.json',
    '/..%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/index.html%00.png',
    '/%00',
    '/..%5csecret.txt',
    '/assets\\..\\..\\secret.txt',
    '//etc/passwd',
    '/%2fetc%2fpasswd',
    '/C:/Windows/win.ini',
    '/%E0%A4%A', // malformed encoding
    '/./index.html',
  ];
  for (const p of attempts) {
    it(`static: ${p} is refused with 400`, async () => {
      const r = await rawRequest(srv.port, p);
      expect(r.status).toBe(400);
      expect(r.body).not.toContain('SECRET');
      expect(r.body).not.toContain('attention-transfer-studio');
    });
  }

  it('a request target that is not an absolute path (asterisk form) is refused with 400', async () => {
    const r = await rawRequest(srv.port, '*');
    expect(r.status).toBe(400);
    expect(r.body).not.toContain('<title>studio</title>');
  });

  it('static: a symlink inside the static folder that leads out is refused with 403', async () => {
    const r = await rawRequest(srv.port, '/leak.txt');
    expect(r.status).toBe(403);
    expect(r.body).not.toContain('SECRET');
  });

  it('run files: a file of a run is served with its type', async () => {
    const png = await rawRequest(srv.port, `/runs/${RUN}/files/probes/probe-0.png`);
    expect(png.status).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    const cfg = await rawRequest(srv.port, `/runs/${RUN}/files/config.json`);
    expect(JSON.parse(cfg.body)).toEqual({ name: 'quick' });
    expect((await rawRequest(srv.port, `/runs/${RUN}/files/nope.txt`)).status).toBe(404);
    expect((await rawRequest(srv.port, `/runs/${RUN}/files/probes`)).status).toBe(404); // a folder
    expect((await rawRequest(srv.port, `/runs/no-such-run/files/x`)).status).toBe(404);
  });

  const runAttempts = [
    `/runs/${RUN}/files/../../other-run/log.txt`,
    `/runs/${RUN}/files/..%2f..%2fother-run%2flog.txt`,
    `/runs/${RUN}/files/%2e%2e/%2e%2e/other-run/log.txt`,
    `/runs/%2e%2e/files/package.json`,
    `/runs/${RUN}/files/config.json%00.png`,
    `/runs/${RUN}/files/..%5c..%5cother-run%5clog.txt`,
    `/runs/.hidden/files/x.txt`, // not a valid run id (hidden folder)
    `/runs/other-run%2f..%2f${RUN}/files/config.json`,
  ];
  for (const p of runAttempts) {
    it(`run files: ${p} is refused with 400`, async () => {
      const r = await rawRequest(srv.port, p);
      expect(r.status).toBe(400);
      expect(r.body).not.toContain('OTHER-RUN');
      expect(r.body).not.toContain('HIDDEN');
    });
  }

  it('run files: a symlink to another run, or a run folder linked from outside, is refused with 403', async () => {
    const r = await rawRequest(srv.port, `/runs/${RUN}/files/sneaky.txt`);
    expect(r.status).toBe(403);
    expect(r.body).not.toContain('OTHER-RUN');
    const linked = await rawRequest(srv.port, '/runs/linked-run/files/secret.txt');
    expect(linked.status).toBe(403);
    expect(linked.body).not.toContain('SECRET');
  });
});
