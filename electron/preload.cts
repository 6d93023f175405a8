// The preload: puts one narrow object, `window.atstudio`, into the page's world — one function per API
// operation, subscribe, and three native dialogs. Nothing of ipcRenderer leaks (no generic invoke(channel)).
// It is CommonJS on purpose: Electron cannot load an ES-module preload into a sandboxed renderer, and a
// sandboxed preload can require only 'electron' (and a few built-ins), so it imports no local values.
import type { AtStudioBridge, CallReply, DialogKind, DialogOptions, EventMessage } from './bridge.js' with { 'resolution-mode': 'import' };
import type { ApiMethod, EventListener } from '../core/service/api.js' with { 'resolution-mode': 'import' };

interface IpcRendererEvent { ports: { onmessage: ((e: { data: unknown }) => void) | null; start(): void; close(): void }[] }
interface PreloadElectron {
  contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  ipcRenderer: {
    invoke(channel: string, ...args: unknown[]): Promise<unknown>;
    on(channel: string, fn: (event: IpcRendererEvent, ...args: unknown[]) => void): void;
  };
}

const { contextBridge, ipcRenderer } = require('electron') as PreloadElectron;

// Repeated from core/service/api.ts's API_METHODS (a test checks they are equal); the type below fails
// to compile when an operation is missing.
const METHODS = [
  'inspectDataset', 'estimateModel', 'inspectTeacherFile', 'proposeHintPairs', 'validateConfig', 'defaultConfig',
  'backends', 'startRun', 'pauseRun', 'resumeRun', 'cancelRun', 'deleteRun', 'listRuns', 'getRun', 'getMetrics',
  'getSnapshots', 'getProbes', 'getLog', 'compareRuns', 'exportReport', 'exportModel', 'exportMetrics',
  'previewAttention', 'estimateDuration', 'exportReportPdf', 'listDirectory',
  'validateStudy', 'startStudy', 'listStudies', 'getStudy', 'cancelStudy', 'resumeStudy', 'exportStudyReport',
  'tryImage', 'queueSettings', 'testQueue', 'saveQueueSettings', 'measureLatency',
] as const satisfies readonly ApiMethod[];
const everyMethodListed: [Exclude<ApiMethod, (typeof METHODS)[number]>] extends [never] ? true : false = true;
void everyMethodListed;

const CALL = 'atstudio:call';
const DIALOG = 'atstudio:dialog';
const EVENTS = 'atstudio:events';

class BridgeError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

const unwrap = (reply: unknown): unknown => {
  const r = reply as CallReply;
  if (r && r.ok === true) return r.value;
  const e = (r && r.ok === false && r.error) || { code: 'internal', message: 'no reply from the app' };
  // contextBridge rebuilds a rejected Error in the page from its message alone, so the code rides in the
  // message as a "[code] " prefix (core/service/wireError.ts's parseBridgeError takes it apart) and as a property.
  throw new BridgeError(e.code, `[${e.code}] ${e.message}`);
};

const call = (method: ApiMethod) => async (...args: unknown[]) => unwrap(await ipcRenderer.invoke(CALL, method, args));
const dialog = (kind: DialogKind) => async (opts?: DialogOptions) =>
  unwrap(await ipcRenderer.invoke(DIALOG, kind, opts ?? {})) as string | null;

// Events: main hands over a MessagePort after every page load; its messages go to the subscribers.
const subscribers = new Set<{ listener: EventListener; runId?: string }>();
ipcRenderer.on(EVENTS, (event) => {
  const port = event.ports[0];
  if (!port) return;
  port.onmessage = (m) => {
    const { runId, event: runEvent } = m.data as EventMessage;
    for (const s of [...subscribers]) {
      if (s.runId !== undefined && s.runId !== runId) continue;
      try {
        s.listener(runId, runEvent as Parameters<EventListener>[1]);
      } catch (err) {
        console.error('atstudio: an event listener failed', err);
      }
    }
  };
  port.start();
});

const bridge: Record<string, unknown> = {};
for (const m of METHODS) bridge[m] = call(m);
bridge.subscribe = (listener: EventListener, runId?: string) => {
  if (typeof listener !== 'function') throw new TypeError('subscribe needs a listener function');
  const s = { listener, ...(typeof runId === 'string' ? { runId } : {}) };
  subscribers.add(s);
  return () => void subscribers.delete(s);
};
bridge.openFile = dialog('openFile');
bridge.openFolder = dialog('openFolder');
bridge.saveFile = dialog('saveFile');

contextBridge.exposeInMainWorld('atstudio', bridge as unknown as AtStudioBridge);
