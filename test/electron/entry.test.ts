// The built entry (dist/electron/main.js) under node with require('electron') answered by a mock: it wires
// the real files — the preload, the renderer folder, the engine's utilityProcess entry — into the window.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const tmp = mkdtempSync(path.join(tmpdir(), 'atstudio-entry-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Answers require('electron') with a recorder; prints what the entry did once a window exists.
const hook = path.join(tmp, 'electronHook.cjs');
writeFileSync(hook, `
  const Module = require('node:module');
  const { EventEmitter } = require('node:events');
  const seen = { privileged: [], windows: [], loaded: [], channels: [], protocols: [] };
  const app = Object.assign(new EventEmitter(), {
    whenReady: () => Promise.resolve(), quit: () => {}, requestSingleInstanceLock: () => true, getPath: () => '/tmp', isPackaged: false,
  });
  class BrowserWindow {
    constructor(o) {
      seen.windows.push(o);
      this.webContents = Object.assign(new EventEmitter(), { setWindowOpenHandler() {}, postMessage() {}, isDestroyed: () => false });
      this.events = new EventEmitter();
    }
    loadURL(u) { seen.loaded.push(u); setImmediate(() => { console.log(JSON.stringify(seen)); process.exit(0); }); return Promise.resolve(); }
    once() {} on() {} show() {} isDestroyed() { return false; }
  }
  const electron = {
    app, BrowserWindow,
    ipcMain: { handle: (c) => seen.channels.push(c) },
    utilityProcess: { fork: () => { throw new Error('no run was started'); } },
    MessageChannelMain: class {},
    dialog: {},
    session: { defaultSession: { webRequest: { onHeadersReceived() {} }, setPermissionRequestHandler() {}, setPermissionCheckHandler() {} } },
    protocol: { registerSchemesAsPrivileged: (s) => seen.privileged.push(...s), handle: (s) => seen.protocols.push(s) },
    shell: {},
  };
  const load = Module._load;
  Module._load = function (request, ...rest) { return request === 'electron' ? electron : load.call(this, request, ...rest); };
`);

it('creates the secure window with the built preload and registers the app protocol and IPC channels', () => {
  const main = path.join(root, 'dist', 'electron', 'main.js');
  expect(existsSync(main), `${main} is built by npm run build`).toBe(true);
  const r = spawnSync(process.execPath, ['--require', hook, main], {
    env: { ...process.env, ATSTUDIO_RUNS_DIR: path.join(tmp, 'runs') }, encoding: 'utf8', timeout: 60_000,
  });
  expect(r.status, r.stderr).toBe(0);
  const seen = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
    privileged: { scheme: string }[]; windows: { webPreferences: { preload: string; sandbox: boolean; contextIsolation: boolean; nodeIntegration: boolean } }[];
    loaded: string[]; channels: string[]; protocols: string[];
  };
  expect(seen.privileged.map((s) => s.scheme)).toEqual(['app']);
  expect(seen.protocols).toEqual(['app']);
  expect(seen.channels.sort()).toEqual(['atstudio:call', 'atstudio:dialog']);
  expect(seen.loaded).toEqual(['app://atstudio/index.html']);
  const prefs = seen.windows[0]!.webPreferences;
  expect(prefs.preload).toBe(path.join(root, 'dist', 'electron', 'preload.cjs'));
  expect(existsSync(prefs.preload)).toBe(true);
  expect([prefs.sandbox, prefs.contextIsolation, prefs.nodeIntegration]).toEqual([true, true, false]);
  expect(existsSync(path.join(root, 'dist', 'electron', 'engineProcess.cjs'))).toBe(true);
});
