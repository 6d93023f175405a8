// Entry of the desktop app (electron dist/electron/main.js): the real electron module, the service with
// its engine in a utilityProcess, the runs folder shared with the `atstudio` command line.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultRunsDir } from '../core/runs/defaultRunsDir.js';
import { createService } from '../core/service/service.js';
import { appQueueSettings, openAppQueue } from './queueSettings.js';
import type { ElectronMain } from './electronTypes.js';
import { utilityProcessEngine } from './engineHost.js';
import { createMainApp } from './mainApp.js';
import { electronPdfRenderer } from './printPdf.js';
import type { PdfWindowCtor } from './electronTypes.js';

const here = path.dirname(fileURLToPath(import.meta.url)); // dist/electron
const root = path.resolve(here, '..', '..');

// Synchronous require, not `await import()`: protocol.registerSchemesAsPrivileged must run before the app's
// 'ready', and Electron may emit 'ready' while an entry awaits a dynamic import. (No typings: electronTypes.ts.)
const electron = createRequire(import.meta.url)('electron') as ElectronMain;

if (!electron.app.requestSingleInstanceLock()) {
  electron.app.quit();
} else {
  const engine = utilityProcessEngine(electron.utilityProcess, {
    scriptPath: path.join(here, 'engineProcess.cjs'),
    onCrash: (code) => console.error(`the engine process stopped unexpectedly (exit code ${code}); a new one starts with the next run`),
  });
  // printToPDF runs in main, on a hidden window; the window class is cast to the narrow print interface.
  const renderPdf = electronPdfRenderer(electron.BrowserWindow as unknown as PdfWindowCtor);
  // A queue ($ATSTUDIO_QUEUE, else Settings): runs train on `atstudio worker`s over the shared runs folder, not here.
  const runsDir = defaultRunsDir(process.env);
  const queueSettings = appQueueSettings(electron.app.getPath('userData'), process.env, (l) => console.error(l));
  const queue = openAppQueue(queueSettings, runsDir, (l) => console.error(l));
  const api = createService({ runsDir, engine, renderPdf, queueSettings, ...(queue ? { queue } : {}) });
  createMainApp(electron, {
    api,
    preloadPath: path.join(here, 'preload.cjs'),
    rendererDir: path.join(root, 'renderer', 'dist'),
    onQuit: () => api.close(),
  });
}
