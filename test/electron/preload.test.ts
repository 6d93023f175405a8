// The preload, compiled as the build compiles it (CommonJS) and run as Electron runs a sandboxed preload:
// a function whose `require` knows only 'electron'. Its exposed object must be exactly the API's
// operations + subscribe + the three dialogs, each going through the one call/dialog channel.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vm from 'node:vm';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_METHODS } from '../../core/service/api.js';
import { parseBridgeError } from '../../electron/bridge.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const source = readFileSync(path.join(root, 'electron', 'preload.cts'), 'utf8');

interface Loaded {
  exposed: Map<string, Record<string, (...a: unknown[]) => unknown>>;
  invokes: { channel: string; args: unknown[] }[];
  ipcListeners: Map<string, (event: unknown, ...a: unknown[]) => void>;
  required: string[];
  reply: (channel: string, args: unknown[]) => unknown;
}

function loadPreload(reply: Loaded['reply']): Loaded {
  const out = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    fileName: 'preload.cts',
  }).outputText;
  const loaded: Loaded = { exposed: new Map(), invokes: [], ipcListeners: new Map(), required: [], reply };
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, (...a: unknown[]) => unknown>) => void loaded.exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (channel: string, ...args: unknown[]) => {
        loaded.invokes.push({ channel, args });
        return loaded.reply(channel, args);
      },
      on: (channel: string, fn: (event: unknown, ...a: unknown[]) => void) => void loaded.ipcListeners.set(channel, fn),
    },
  };
  // The sandboxed preload's require: 'electron' and nothing of the app's files or Node's.
  const sandboxRequire = (id: string) => {
    loaded.required.push(id);
    if (id === 'electron') return electron;
    throw new Error(`module not found: ${id}`);
  };
  const module = { exports: {} };
  vm.runInNewContext(`(function (require, module, exports) {${out}\n})`, { console })(sandboxRequire, module, module.exports);
  return loaded;
}

let p: Loaded;
let bridge: Record<string, (...a: unknown[]) => unknown>;
beforeAll(() => {
  p = loadPreload((channel, args) => {
    if (channel === 'atstudio:call' && args[0] === 'getRun' && (args[1] as unknown[])[0] === 'x') return { ok: false, error: { code: 'not-found', message: 'no run x' } };
    if (channel === 'atstudio:dialog') return { ok: true, value: `/picked/${String(args[0])}` };
    return { ok: true, value: { method: args[0], args: args[1] } };
  });
  bridge = p.exposed.get('atstudio')!;
});

describe('the preload', () => {
  it('exposes one object, window.atstudio, with exactly the API operations, subscribe and the dialogs', () => {
    expect([...p.exposed.keys()]).toEqual(['atstudio']);
    expect(Object.keys(bridge).sort()).toEqual([...API_METHODS, 'subscribe', 'openFile', 'openFolder', 'saveFile'].sort());
    for (const v of Object.values(bridge)) expect(typeof v).toBe('function');
    expect(p.required).toEqual(['electron']);
  });

  it('sends each operation by name over the one call channel and unwraps the reply', async () => {
    for (const method of API_METHODS) {
      await expect(bridge[method]!('a', 2)).resolves.toEqual({ method, args: ['a', 2] });
    }
    expect(p.invokes.every((i) => i.channel === 'atstudio:call')).toBe(true);
    expect(p.invokes.map((i) => i.args[0])).toEqual([...API_METHODS]);
  });

  it('turns an error reply into a rejection whose message carries the code (contextBridge keeps only the message)', async () => {
    const err = await (bridge.getRun!('x') as Promise<unknown>).catch((e: unknown) => e);
    expect(Object.prototype.toString.call(err)).toBe('[object Error]');
    expect((err as Error).message).toBe('[not-found] no run x');
    expect(parseBridgeError(new Error((err as Error).message))).toEqual({ code: 'not-found', message: 'no run x' });
    expect(parseBridgeError(new Error('plain'))).toEqual({ code: 'internal', message: 'plain' });
  });

  it('opens dialogs through the dialog channel', async () => {
    p.invokes.length = 0;
    expect(await bridge.openFile!()).toBe('/picked/openFile');
    expect(await bridge.openFolder!({ title: 'Dataset folder' })).toBe('/picked/openFolder');
    expect(await bridge.saveFile!({ defaultPath: 'report.html' })).toBe('/picked/saveFile');
    expect(p.invokes).toEqual([
      { channel: 'atstudio:dialog', args: ['openFile', {}] },
      { channel: 'atstudio:dialog', args: ['openFolder', { title: 'Dataset folder' }] },
      { channel: 'atstudio:dialog', args: ['saveFile', { defaultPath: 'report.html' }] },
    ]);
  });

  it('relays the events port to subscribers, filtered by run, until they unsubscribe', () => {
    const all: unknown[] = [];
    const one: unknown[] = [];
    const offAll = bridge.subscribe!((runId: string, e: unknown) => all.push([runId, e])) as () => void;
    bridge.subscribe!((runId: string, e: unknown) => one.push([runId, e]), 'run-b');
    const port = { onmessage: null as null | ((m: { data: unknown }) => void), started: false, start() { this.started = true; }, close() {} };
    p.ipcListeners.get('atstudio:events')!({ ports: [port] });
    expect(port.started).toBe(true);
    port.onmessage!({ data: { runId: 'run-a', event: { type: 'cancelled' } } });
    port.onmessage!({ data: { runId: 'run-b', event: { type: 'done' } } });
    offAll();
    port.onmessage!({ data: { runId: 'run-b', event: { type: 'failed', error: 'x' } } });
    expect(all).toEqual([['run-a', { type: 'cancelled' }], ['run-b', { type: 'done' }]]);
    expect(one).toEqual([['run-b', { type: 'done' }], ['run-b', { type: 'failed', error: 'x' }]]);
  });

  it('the built preload is CommonJS and requires nothing but electron (a sandboxed preload cannot)', () => {
    const built = path.join(root, 'dist', 'electron', 'preload.cjs');
    const text = readFileSync(built, 'utf8');
    const requires = [...text.matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g)].map((x) => x[1]);
    expect(requires).toEqual(['electron']);
    expect(text).not.toMatch(/^\s*import\s|import\(/m);
  });
});
