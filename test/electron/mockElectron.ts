// A recording stand-in for the parts of Electron that electron/mainApp.ts uses (electronTypes.ts).
import { EventEmitter } from 'node:events';
import type {
  BrowserWindowOptions, ElectronMain, IpcMainInvokeEvent, MessagePortMain, UtilityProcess,
} from '../../electron/electronTypes.js';

export class FakeWebContents extends EventEmitter {
  static next = 1;
  id = FakeWebContents.next++;
  openHandler: ((d: { url: string }) => { action: 'deny' | 'allow' }) | null = null;
  posted: { channel: string; message: unknown; transfer?: MessagePortMain[] }[] = [];
  /** printToPDF calls (electron/printPdf.ts); what it resolves with, or the error it rejects with. */
  printed: unknown[] = [];
  static printResult: Uint8Array | Error = new TextEncoder().encode('%PDF-1.7 fake');
  async printToPDF(opts: unknown): Promise<Uint8Array> {
    this.printed.push(opts);
    const r = FakeWebContents.printResult;
    if (r instanceof Error) throw r;
    return r;
  }
  setWindowOpenHandler(fn: (d: { url: string }) => { action: 'deny' | 'allow' }) {
    this.openHandler = fn;
  }
  postMessage(channel: string, message: unknown, transfer?: MessagePortMain[]) {
    this.posted.push({ channel, message, ...(transfer ? { transfer } : {}) });
  }
  isDestroyed() {
    return false;
  }
  /** Emits a navigation-like event and says whether a handler prevented it. */
  navigate(event: 'will-navigate' | 'will-redirect', url: string): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => { prevented = true; }, url }, url);
    return prevented;
  }
}

export class FakePort implements MessagePortMain {
  sent: unknown[] = [];
  started = false;
  closed = false;
  postMessage(m: unknown) {
    this.sent.push(m);
  }
  start() {
    this.started = true;
  }
  close() {
    this.closed = true;
  }
}

export class FakeUtilityProcess extends EventEmitter implements UtilityProcess {
  static nextPid = 4000;
  pid: number | undefined = FakeUtilityProcess.nextPid++;
  received: unknown[] = [];
  killed = false;
  constructor(readonly modulePath: string) {
    super();
  }
  postMessage(m: unknown) {
    this.received.push(m);
  }
  kill() {
    this.killed = true;
    return true;
  }
}

export function mockElectron() {
  const handlers = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown>();
  const windows: FakeWindow[] = [];
  const app = new EventEmitter() as EventEmitter & Record<string, unknown>;
  const external: string[] = [];
  const channels: { port1: FakePort; port2: FakePort }[] = [];
  const session = {
    headersHook: null as null | ((d: { url: string; responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void),
    permissionRequest: null as null | ((wc: unknown, permission: string, cb: (granted: boolean) => void, details?: { requestingUrl?: string; mediaTypes?: string[] }) => void),
    permissionCheck: null as null | ((wc: unknown, permission: string, origin?: string, details?: { requestingUrl?: string; mediaType?: string }) => boolean),
  };
  const protocol = {
    privileged: [] as { scheme: string; privileges: Record<string, boolean> }[],
    handlers: new Map<string, (req: { url: string; method: string }) => Response | Promise<Response>>(),
  };
  const dialogCalls: { kind: string; win: unknown; opts: unknown }[] = [];
  const forks: FakeUtilityProcess[] = [];

  class FakeWindow {
    static getAllWindows = () => windows;
    webContents = new FakeWebContents();
    loaded: string[] = [];
    events = new EventEmitter();
    constructor(readonly options: BrowserWindowOptions) {
      windows.push(this);
      // Electron emits web-contents-created for every new WebContents.
      app.emit('web-contents-created', {}, this.webContents);
    }
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
    once(e: string, fn: () => void) {
      this.events.once(e, fn);
    }
    on(e: string, fn: () => void) {
      this.events.on(e, fn);
    }
    show() {}
    destroyed = false;
    isDestroyed() {
      return this.destroyed;
    }
    destroy() {
      this.destroyed = true;
    }
  }

  const electron = {
    app: Object.assign(app, {
      whenReady: () => Promise.resolve(),
      quit: () => undefined,
      requestSingleInstanceLock: () => true,
      getPath: () => '/tmp',
      isPackaged: false,
    }),
    BrowserWindow: FakeWindow,
    ipcMain: { handle: (channel: string, fn: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown) => void handlers.set(channel, fn) },
    utilityProcess: {
      fork: (modulePath: string) => {
        const p = new FakeUtilityProcess(modulePath);
        forks.push(p);
        return p;
      },
    },
    MessageChannelMain: class {
      port1 = new FakePort();
      port2 = new FakePort();
      constructor() {
        channels.push(this);
      }
    },
    dialog: {
      showOpenDialog: async (win: unknown, opts: { properties: string[] }) => {
        dialogCalls.push({ kind: 'open', win, opts });
        return { canceled: false, filePaths: [opts.properties.includes('openDirectory') ? '/data/folder' : '/data/file.json'] };
      },
      showSaveDialog: async (win: unknown, opts: unknown) => {
        dialogCalls.push({ kind: 'save', win, opts });
        return { canceled: true };
      },
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (fn: typeof session.headersHook) => { session.headersHook = fn; } },
        setPermissionRequestHandler: (fn: typeof session.permissionRequest) => { session.permissionRequest = fn; },
        setPermissionCheckHandler: (fn: typeof session.permissionCheck) => { session.permissionCheck = fn; },
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (s: typeof protocol.privileged) => void protocol.privileged.push(...s),
      handle: (scheme: string, fn: (req: { url: string; method: string }) => Response | Promise<Response>) => void protocol.handlers.set(scheme, fn),
    },
    shell: { openExternal: async (url: string) => void external.push(url) },
  };

  return {
    electron: electron as unknown as ElectronMain,
    handlers, windows, external, channels, session, protocol, dialogCalls, forks,
    /** An IPC event as Electron builds it for a frame of `contents`. */
    ipcEvent(contents: FakeWebContents, url: string, parent: unknown = null): IpcMainInvokeEvent {
      return { sender: contents as never, senderFrame: { url, parent } };
    },
  };
}
