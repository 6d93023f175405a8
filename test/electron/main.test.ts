// The Electron main process with electron mocked: the window's security options, navigation and new
// windows, the CSP and permissions, IPC sender checks, dialogs, and events over a MessagePort.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { API_METHODS, type AtStudioApi, type EventListener } from '../../core/service/api.js';
import { ServiceError } from '../../core/service/errors.js';
import { createMainApp, type MainApp } from '../../electron/mainApp.js';
import { resolveRendererPath, serveRenderer } from '../../electron/rendererProtocol.js';
import { FakeWebContents, mockElectron } from './mockElectron.js';

const APP_PAGE = 'app://atstudio/index.html';

function mockApi() {
  const calls: { method: string; args: unknown[] }[] = [];
  const listeners = new Set<EventListener>();
  const api: Record<string, unknown> = {};
  for (const m of API_METHODS) {
    api[m] = async (...args: unknown[]) => {
      calls.push({ method: m, args });
      if (m === 'getRun') throw new ServiceError('not-found', `no run ${String(args[0])}`);
      return { echo: m, args };
    };
  }
  api.subscribe = (fn: EventListener) => {
    listeners.add(fn);
    return () => void listeners.delete(fn);
  };
  return { api: api as unknown as AtStudioApi, calls, listeners };
}

let m: ReturnType<typeof mockElectron>;
let svc: ReturnType<typeof mockApi>;
let main: MainApp;
let contents: FakeWebContents;
const logs: string[] = [];

beforeEach(async () => {
  m = mockElectron();
  svc = mockApi();
  main = createMainApp(m.electron, { api: svc.api, preloadPath: '/app/dist/electron/preload.cjs', rendererDir: '/app/renderer/dist', log: (l) => logs.push(l) });
  await main.ready;
  contents = m.windows[0]!.webContents;
});

describe('the window', () => {
  it('is created with exactly the secure webPreferences and loads the app:// page', () => {
    expect(m.windows).toHaveLength(1);
    expect(m.windows[0]!.options.webPreferences).toEqual({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false,
      spellcheck: false,
    });
    expect(m.windows[0]!.loaded).toEqual([APP_PAGE]);
    expect(m.protocol.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('prevents navigation away from the app; https links go to the system browser, others nowhere', () => {
    expect(contents.navigate('will-navigate', 'app://atstudio/runs.html')).toBe(false);
    expect(contents.navigate('will-navigate', 'https://example.org/paper')).toBe(true);
    expect(contents.navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.navigate('will-navigate', 'app://elsewhere/index.html')).toBe(true);
    expect(contents.navigate('will-redirect', 'http://127.0.0.1:8080/')).toBe(true);
    expect(m.external).toEqual(['https://example.org/paper']);
  });

  it('denies every new window (window.open, target=_blank)', () => {
    expect(contents.openHandler!({ url: 'https://arxiv.org/abs/1612.03928' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: APP_PAGE })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(m.external).toEqual(['https://arxiv.org/abs/1612.03928']);
  });

  it('refuses webviews', () => {
    let prevented = false;
    contents.emit('will-attach-webview', { preventDefault: () => { prevented = true; } });
    expect(prevented).toBe(true);
  });

  it('adds the CSP to every response and denies every permission but the camera for the app\'s own page', async () => {
    let headers: Record<string, string[]> = {};
    m.session.headersHook!({ url: APP_PAGE, responseHeaders: { 'X-Other': ['1'] } }, (r) => { headers = r.responseHeaders; });
    expect(headers['X-Other']).toEqual(['1']);
    const csp = headers['Content-Security-Policy']![0]!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    const ask = (permission: string, details?: { requestingUrl?: string; mediaTypes?: string[] }) => {
      let granted: boolean | undefined;
      m.session.permissionRequest!(contents, permission, (g) => { granted = g; }, details);
      return granted;
    };
    expect(ask('media', { requestingUrl: APP_PAGE, mediaTypes: ['video'] })).toBe(true);
    expect(ask('media', { requestingUrl: APP_PAGE, mediaTypes: ['video', 'audio'] })).toBe(false);
    expect(ask('media', { requestingUrl: APP_PAGE, mediaTypes: ['audio'] })).toBe(false);
    expect(ask('media', { requestingUrl: APP_PAGE, mediaTypes: [] })).toBe(false);
    expect(ask('media', { requestingUrl: 'https://example.com/', mediaTypes: ['video'] })).toBe(false);
    expect(ask('media')).toBe(false);
    expect(ask('notifications', { requestingUrl: APP_PAGE })).toBe(false);
    expect(ask('geolocation', { requestingUrl: APP_PAGE })).toBe(false);
    expect(m.session.permissionCheck!(contents, 'media', 'app://atstudio', { requestingUrl: APP_PAGE, mediaType: 'video' })).toBe(true);
    expect(m.session.permissionCheck!(contents, 'media', 'app://atstudio', { requestingUrl: APP_PAGE, mediaType: 'audio' })).toBe(false);
    expect(m.session.permissionCheck!(contents, 'media', 'file://', { requestingUrl: 'file:///x.html', mediaType: 'video' })).toBe(false);
    expect(m.session.permissionCheck!(contents, 'notifications')).toBe(false);
    const res = await m.protocol.handlers.get('app')!({ url: 'app://atstudio/index.html', method: 'GET' });
    expect(res.headers.get('content-security-policy')).toBe(csp);
  });
});

describe('IPC calls', () => {
  const call = (event: ReturnType<typeof m.ipcEvent>, method: unknown, args: unknown) =>
    m.handlers.get('atstudio:call')!(event, method, args) as Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;

  it('a call from the app page reaches the service with its arguments', async () => {
    const r = await call(m.ipcEvent(contents, APP_PAGE), 'inspectDataset', ['/data/fashion', 'idx']);
    expect(r).toEqual({ ok: true, value: { echo: 'inspectDataset', args: ['/data/fashion', 'idx'] } });
    expect(svc.calls).toEqual([{ method: 'inspectDataset', args: ['/data/fashion', 'idx'] }]);
  });

  it("a service error keeps its code", async () => {
    const r = await call(m.ipcEvent(contents, APP_PAGE), 'getRun', ['nope']);
    expect(r).toEqual({ ok: false, error: { code: 'not-found', message: 'no run nope' } });
  });

  it('refuses other webContents, other origins and subframes', async () => {
    const stranger = new FakeWebContents();
    for (const event of [
      m.ipcEvent(stranger, APP_PAGE), // not our window
      m.ipcEvent(contents, 'https://evil.example/'), // our window, foreign page
      m.ipcEvent(contents, 'file:///tmp/x.html'),
      m.ipcEvent(contents, APP_PAGE, { url: APP_PAGE }), // a subframe
      { sender: contents as never, senderFrame: null }, // frame gone
    ]) {
      const r = await call(event, 'listRuns', []);
      expect(r.ok).toBe(false);
      expect(r.error!.code).toBe('forbidden');
    }
    expect(svc.calls).toEqual([]);
  });

  it('refuses unknown methods, including subscribe and prototype names', async () => {
    for (const method of ['close', 'subscribe', 'constructor', '__proto__', 'toString', 42, null]) {
      const r = await call(m.ipcEvent(contents, APP_PAGE), method, []);
      expect(r.error!.code).toBe('invalid');
    }
    const r = await call(m.ipcEvent(contents, APP_PAGE), 'listRuns', 'not an array');
    expect(r.error!.code).toBe('invalid');
    expect(svc.calls).toEqual([]);
  });
});

describe('dialogs', () => {
  const dlg = (event: ReturnType<typeof m.ipcEvent>, kind: unknown, opts: unknown) =>
    m.handlers.get('atstudio:dialog')!(event, kind, opts) as Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>;

  it('open a native dialog on the sender window with cleaned options', async () => {
    const r = await dlg(m.ipcEvent(contents, APP_PAGE), 'openFolder', { title: 'Dataset', filters: [{ name: 'x', extensions: ['json', '../../x'] }], properties: ['multiSelections'] });
    expect(r).toEqual({ ok: true, value: '/data/folder' });
    expect(m.dialogCalls[0]!.win).toBe(m.windows[0]);
    expect(m.dialogCalls[0]!.opts).toEqual({ title: 'Dataset', filters: [{ name: 'x', extensions: ['json'] }], properties: ['openDirectory'] });
    expect(await dlg(m.ipcEvent(contents, APP_PAGE), 'saveFile', {})).toEqual({ ok: true, value: null });
  });

  it('are refused to foreign senders and unknown kinds', async () => {
    expect((await dlg(m.ipcEvent(new FakeWebContents(), APP_PAGE), 'openFile', {})).error!.code).toBe('forbidden');
    expect((await dlg(m.ipcEvent(contents, APP_PAGE), 'openAnything', {})).error!.code).toBe('invalid');
    expect(m.dialogCalls).toEqual([]);
  });
});

describe('events', () => {
  it('reach the page over a MessagePort posted after each load; a reload replaces the port', () => {
    contents.emit('did-finish-load');
    expect(m.channels).toHaveLength(1);
    const { port1, port2 } = m.channels[0]!;
    expect(contents.posted).toEqual([{ channel: 'atstudio:events', message: null, transfer: [port2] }]);
    expect(port1.started).toBe(true);
    for (const l of svc.listeners) l('run-1', { type: 'cancelled' } as never);
    expect(port1.sent).toEqual([{ runId: 'run-1', event: { type: 'cancelled' } }]);

    contents.emit('did-finish-load');
    expect(port1.closed).toBe(true);
    expect(svc.listeners.size).toBe(1);
    m.windows[0]!.events.emit('closed');
    expect(svc.listeners.size).toBe(0);
    expect(m.channels[1]!.port1.closed).toBe(true);
  });
});

describe('the app:// protocol', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'atstudio-renderer-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(path.dirname(dir), 'atstudio-secret.txt'), 'secret');
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(path.join(path.dirname(dir), 'atstudio-secret.txt'), { force: true });
  });

  it('serves files under the renderer folder and nothing outside it', async () => {
    expect(resolveRendererPath(dir, 'app://atstudio/')).toBe(path.join(dir, 'index.html'));
    expect(resolveRendererPath(dir, 'app://atstudio/assets/app.js')).toBe(path.join(dir, 'assets', 'app.js'));
    for (const url of ['app://atstudio/../atstudio-secret.txt', 'app://atstudio/%2e%2e/atstudio-secret.txt',
      'app://atstudio/..%2fatstudio-secret.txt', 'app://atstudio/..%5catstudio-secret.txt', 'app://other/index.html', 'app://atstudio/%00']) {
      const file = resolveRendererPath(dir, url);
      if (file !== null) expect(path.relative(dir, file).startsWith('..')).toBe(false);
      const res = await serveRenderer(dir, { url, method: 'GET' });
      expect(await res.text()).not.toBe('secret');
    }
    const js = await serveRenderer(dir, { url: 'app://atstudio/assets/app.js', method: 'GET' });
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await serveRenderer(dir, { url: 'app://atstudio/index.html', method: 'POST' })).status).toBe(405);
    expect((await serveRenderer(dir, { url: 'app://atstudio/missing.js', method: 'GET' })).status).toBe(404);
  });
});
