// The Electron main process, written against the narrow interface of electronTypes.ts so tests can drive
// it with a mock: one secure window, the app:// protocol, IPC that only the app's own page may use, and
// the service's events forwarded to the page over a MessagePort.
import { API_METHODS, type AtStudioApi, type ApiMethod } from '../core/service/api.js';
import { serializeError } from '../core/service/errors.js';
import { CHANNELS, DIALOG_KINDS, type CallReply, type DialogKind, type DialogOptions, type EventMessage } from './bridge.js';
import type { BrowserWindow, ElectronMain, IpcMainInvokeEvent, MessagePortMain, WebContents } from './electronTypes.js';
import { serveRenderer } from './rendererProtocol.js';
import { APP_SCHEME, APP_URL, CSP, SECURE_WEB_PREFERENCES, allowPermission, isAppUrl, isExternalLink } from './security.js';

export interface MainAppOptions {
  api: AtStudioApi;
  /** dist/electron/preload.cjs */
  preloadPath: string;
  /** renderer/dist */
  rendererDir: string;
  /** Called once when the app quits (closes the service and its engine). */
  onQuit?: () => Promise<void>;
  log?: (line: string) => void;
}

export interface MainApp {
  /** Resolves with the window once the app is ready and the window exists. */
  ready: Promise<BrowserWindow>;
  createWindow(): BrowserWindow;
  /** Whether an IPC message comes from the app's own page in one of its windows. */
  isTrustedSender(event: IpcMainInvokeEvent): boolean;
}

const forbidden = (message: string): CallReply => ({ ok: false, error: { code: 'forbidden', message } });
const invalid = (message: string): CallReply => ({ ok: false, error: { code: 'invalid', message } });

export function createMainApp(electron: ElectronMain, opts: MainAppOptions): MainApp {
  const { app, BrowserWindow, ipcMain, MessageChannelMain, dialog, session, protocol, shell } = electron;
  const log = opts.log ?? ((line: string) => console.error(line));
  const windows = new Set<BrowserWindow>();
  const hardened = new WeakSet<WebContents>();

  // Before 'ready': app:// behaves like https (standard origin, secure context, fetch).
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);

  /** Pages stay on the app's origin; https links open in the system browser; no new windows, no webviews. */
  const harden = (contents: WebContents) => {
    if (hardened.has(contents)) return;
    hardened.add(contents);
    const guard = (event: { preventDefault(): void }, url: string) => {
      if (isAppUrl(url)) return;
      event.preventDefault();
      if (isExternalLink(url)) void shell.openExternal(url);
      else log(`blocked navigation to ${url}`);
    };
    contents.on('will-navigate', guard);
    contents.on('will-redirect', guard);
    contents.setWindowOpenHandler(({ url }) => {
      if (isExternalLink(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  };
  app.on('web-contents-created', (_event, contents) => harden(contents));

  const isTrustedSender = (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null || !isAppUrl(frame.url)) return false;
    for (const w of windows) if (!w.isDestroyed() && w.webContents === event.sender) return true;
    return false;
  };

  const windowOf = (sender: WebContents): BrowserWindow | undefined => [...windows].find((w) => w.webContents === sender);

  ipcMain.handle(CHANNELS.call, async (event, method, args): Promise<CallReply> => {
    if (!isTrustedSender(event)) {
      log(`refused a call from ${event.senderFrame?.url ?? 'an unknown frame'}`);
      return forbidden('calls are accepted only from the app\'s own page');
    }
    if (typeof method !== 'string' || !(API_METHODS as readonly string[]).includes(method)) {
      return invalid(`unknown operation ${JSON.stringify(method)}`);
    }
    if (!Array.isArray(args) || args.length > 4) return invalid('arguments must be a short array');
    try {
      const fn = opts.api[method as ApiMethod] as (...a: unknown[]) => Promise<unknown>;
      const value = await fn.apply(opts.api, args);
      return { ok: true, value: value ?? null };
    } catch (err) {
      return { ok: false, error: serializeError(err) };
    }
  });

  ipcMain.handle(CHANNELS.dialog, async (event, kind, options): Promise<CallReply> => {
    if (!isTrustedSender(event)) return forbidden('dialogs are opened only for the app\'s own page');
    if (typeof kind !== 'string' || !(DIALOG_KINDS as readonly string[]).includes(kind)) return invalid(`unknown dialog ${JSON.stringify(kind)}`);
    const win = windowOf(event.sender)!;
    const o = sanitizeDialogOptions(options);
    try {
      if ((kind as DialogKind) === 'saveFile') {
        const r = await dialog.showSaveDialog(win, o);
        return { ok: true, value: r.canceled || !r.filePath ? null : r.filePath };
      }
      const r = await dialog.showOpenDialog(win, { ...o, properties: [kind === 'openFolder' ? 'openDirectory' : 'openFile'] });
      return { ok: true, value: r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0] };
    } catch (err) {
      return { ok: false, error: serializeError(err) };
    }
  });

  /** A fresh port after every page load (a reload drops the old page's port); closed with the window. */
  const connectEvents = (win: BrowserWindow) => {
    let current: { port: MessagePortMain; off: () => void } | null = null;
    const disconnect = () => {
      current?.off();
      current?.port.close();
      current = null;
    };
    win.webContents.on('did-finish-load', () => {
      disconnect();
      const { port1, port2 } = new MessageChannelMain();
      const off = opts.api.subscribe((runId, event) => {
        const m: EventMessage = { runId, event };
        port1.postMessage(m);
      });
      port1.start();
      current = { port: port1, off };
      win.webContents.postMessage(CHANNELS.events, null, [port2]);
    });
    win.on('closed', disconnect);
  };

  const createWindow = (): BrowserWindow => {
    const win = new BrowserWindow({
      width: 1280, height: 820, minWidth: 900, minHeight: 600, show: false,
      title: 'Attention Transfer Studio', backgroundColor: '#ffffff',
      webPreferences: { ...SECURE_WEB_PREFERENCES, preload: opts.preloadPath, spellcheck: false },
    });
    windows.add(win);
    harden(win.webContents);
    connectEvents(win);
    win.on('closed', () => windows.delete(win));
    win.once('ready-to-show', () => win.show());
    void win.loadURL(APP_URL).catch((err: Error) => log(`the window could not load ${APP_URL}: ${err.message}`));
    return win;
  };

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !opts.onQuit) return;
    // Let the engine checkpoint and stop before the process goes.
    event.preventDefault();
    quitting = true;
    void opts.onQuit().catch((err: Error) => log(`shutting down: ${err.message}`)).finally(() => app.quit());
  });
  app.on('window-all-closed', () => app.quit());

  const ready = app.whenReady().then(() => {
    const ses = session.defaultSession;
    // The header is the CSP's primary source (a meta tag in the page can only tighten it).
    ses.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...(details.responseHeaders ?? {}), 'Content-Security-Policy': [CSP] } });
    });
    // Only the camera, for "Try it" in the app's own page (security.ts allowPermission).
    ses.setPermissionRequestHandler((_wc, permission, callback, details) =>
      callback(allowPermission(permission, { requestingUrl: details?.requestingUrl ?? null, mediaTypes: details?.mediaTypes ?? [] })));
    ses.setPermissionCheckHandler((_wc, permission, origin, details) =>
      allowPermission(permission, { requestingUrl: details?.requestingUrl ?? origin ?? null, mediaTypes: details?.mediaType ? [details.mediaType] : [] }));
    protocol.handle(APP_SCHEME, (request) => serveRenderer(opts.rendererDir, request));
    app.on('activate', () => {
      if (windows.size === 0) createWindow();
    });
    return createWindow();
  });

  return { ready, createWindow, isTrustedSender };
}

function sanitizeDialogOptions(raw: unknown): DialogOptions {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const out: DialogOptions = {};
  if (typeof o.title === 'string') out.title = o.title.slice(0, 200);
  if (typeof o.defaultPath === 'string') out.defaultPath = o.defaultPath.slice(0, 4096);
  if (Array.isArray(o.filters)) {
    out.filters = o.filters.slice(0, 20).flatMap((f) => {
      const name = (f as { name?: unknown })?.name;
      const ext = (f as { extensions?: unknown })?.extensions;
      if (typeof name !== 'string' || !Array.isArray(ext)) return [];
      const extensions = ext.filter((e): e is string => typeof e === 'string' && /^(\*|[A-Za-z0-9_.-]{1,16})$/.test(e));
      return [{ name: name.slice(0, 100), extensions }];
    });
  }
  return out;
}
