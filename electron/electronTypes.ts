// The few Electron APIs this adapter uses, declared by hand: electron (45) is an optionalDependency that
// needs Node ≥ 22.12 to install, so its own typings are not always present. main.ts loads the real module
// and casts it to these shapes; tests pass mocks of the same shapes.

export interface IpcMainInvokeEvent {
  sender: WebContents;
  senderFrame: { url: string; parent: unknown | null } | null;
}

export interface WebContents {
  id: number;
  on(event: 'will-navigate' | 'will-redirect', fn: (event: { preventDefault(): void; url: string }, url: string) => void): void;
  on(event: 'did-finish-load' | 'destroyed' | 'render-process-gone', fn: (...args: unknown[]) => void): void;
  on(event: 'will-attach-webview', fn: (event: { preventDefault(): void }) => void): void;
  setWindowOpenHandler(fn: (details: { url: string }) => { action: 'deny' | 'allow' }): void;
  postMessage(channel: string, message: unknown, transfer?: MessagePortMain[]): void;
  isDestroyed(): boolean;
}

export interface BrowserWindowOptions {
  width?: number;
  height?: number;
  minWidth?: number;
  minHeight?: number;
  title?: string;
  show?: boolean;
  backgroundColor?: string;
  webPreferences: {
    preload: string;
    contextIsolation: boolean;
    sandbox: boolean;
    nodeIntegration: boolean;
    nodeIntegrationInWorker?: boolean;
    nodeIntegrationInSubFrames?: boolean;
    webSecurity: boolean;
    allowRunningInsecureContent?: boolean;
    webviewTag?: boolean;
    spellcheck?: boolean;
  };
}

export interface BrowserWindow {
  webContents: WebContents;
  loadURL(url: string): Promise<void>;
  once(event: 'ready-to-show', fn: () => void): void;
  on(event: 'closed', fn: () => void): void;
  show(): void;
  isDestroyed(): boolean;
}

export interface BrowserWindowCtor {
  new (opts: BrowserWindowOptions): BrowserWindow;
  getAllWindows(): BrowserWindow[];
}

export interface MessagePortMain {
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
}

export interface MessageChannelMainCtor {
  new (): { port1: MessagePortMain; port2: MessagePortMain };
}

export interface UtilityProcess {
  readonly pid: number | undefined;
  postMessage(message: unknown): void;
  kill(): boolean;
  on(event: 'spawn', fn: () => void): this;
  on(event: 'message', fn: (message: unknown) => void): this;
  on(event: 'exit', fn: (code: number) => void): this;
  once(event: 'exit', fn: (code: number) => void): this;
}

export interface UtilityProcessModule {
  fork(modulePath: string, args?: string[], options?: {
    serviceName?: string; stdio?: 'inherit' | 'pipe' | 'ignore'; env?: NodeJS.ProcessEnv; cwd?: string;
  }): UtilityProcess;
}

export interface FileFilter { name: string; extensions: string[] }

export interface OpenDialogOptions {
  title?: string;
  defaultPath?: string;
  filters?: FileFilter[];
  properties: ('openFile' | 'openDirectory')[];
}

export interface SaveDialogOptions { title?: string; defaultPath?: string; filters?: FileFilter[] }

export interface Dialog {
  showOpenDialog(win: BrowserWindow, opts: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(win: BrowserWindow, opts: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string }>;
}

export interface Session {
  webRequest: {
    onHeadersReceived(fn: (details: { url: string; responseHeaders?: Record<string, string[]> },
      callback: (r: { responseHeaders: Record<string, string[]> }) => void) => void): void;
  };
  setPermissionRequestHandler(fn: (wc: WebContents, permission: string, callback: (granted: boolean) => void,
    details?: { requestingUrl?: string; mediaTypes?: string[] }) => void): void;
  setPermissionCheckHandler(fn: (wc: WebContents | null, permission: string, requestingOrigin?: string,
    details?: { requestingUrl?: string; mediaType?: string }) => boolean): void;
}

export interface Protocol {
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges: Record<string, boolean> }[]): void;
  handle(scheme: string, handler: (request: { url: string; method: string }) => Response | Promise<Response>): void;
}

export interface App {
  whenReady(): Promise<void>;
  on(event: 'window-all-closed' | 'activate' | 'before-quit', fn: (event: { preventDefault(): void }) => void): void;
  on(event: 'web-contents-created', fn: (event: unknown, contents: WebContents) => void): void;
  quit(): void;
  requestSingleInstanceLock(): boolean;
  getPath(name: 'userData'): string;
  isPackaged: boolean;
}

export interface IpcMain {
  handle(channel: string, fn: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
}

/** What the main process uses from require('electron'). */
export interface ElectronMain {
  app: App;
  BrowserWindow: BrowserWindowCtor;
  ipcMain: IpcMain;
  utilityProcess: UtilityProcessModule;
  MessageChannelMain: MessageChannelMainCtor;
  dialog: Dialog;
  session: { defaultSession: Session };
  protocol: Protocol;
  shell: { openExternal(url: string): Promise<void> };
}

/** The hidden window that prints a report to PDF (electron/printPdf.ts): only what it uses. */
export interface PdfWindowOptions {
  show: false;
  width?: number;
  height?: number;
  webPreferences: { sandbox: true; contextIsolation: true; nodeIntegration: false; javascript: false; webSecurity: true; spellcheck?: boolean };
}
export interface PdfWindow {
  webContents: { printToPDF(opts: { printBackground?: boolean; displayHeaderFooter?: boolean; pageSize?: string }): Promise<Uint8Array> };
  loadURL(url: string): Promise<void>;
  isDestroyed(): boolean;
  destroy(): void;
}
export type PdfWindowCtor = new (opts: PdfWindowOptions) => PdfWindow;
