// Serve mode, started one way by everyone who starts it — `atstudio serve`, `npm start` where Electron's
// runtime is missing, and the e2e harness: the application service (training in a child engine process,
// PDFs printed by Chromium where one is found) behind startServer, with one rule for the folders it may use.
import type { RemoteRunQueue } from '../core/queue/remoteRuns.js';
import { defaultPdfRenderer } from '../core/report/chromiumPdf.js';
import { DATASETS_DIR } from '../core/service/directory.js';
import { childProcessEngine } from '../core/service/engine/childProcess.js';
import { createService, type AtStudioService } from '../core/service/service.js';
import { isLoopbackHost } from './auth.js';
import { defaultStaticDir } from './files.js';
import { startServer, type RunningServer } from './server.js';

export interface ServeModeOptions {
  runsDir: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 7860; 0 picks a free port. */
  port?: number;
  /** As startServer's: undefined a random one, null none (loopback only), a string that one. */
  token?: string | null | undefined;
  /** Absolute folders exports may go to and the browser may list (--root); none: the working folder. */
  roots?: string[];
  cwd: string;
  /** Where CHROME_PATH is read for the PDF renderer. */
  env: NodeJS.ProcessEnv;
  /** Runs go to this queue's workers instead of a child engine here. */
  queue?: RemoteRunQueue;
  /** Default: renderer/dist. */
  staticDir?: string;
  log?: (line: string) => void;
}

export interface ServeMode {
  api: AtStudioService;
  server: RunningServer;
  /** Where exports are written and folders listed. */
  fileRoots: string[];
  /** A folder listed besides them (the datasets folder on loopback without --root), or null. */
  listedAlso: string | null;
  /** Stops the server, then the service (a run in training stops at a checkpoint, queued to continue). */
  close(): Promise<void>;
}

export async function startServeMode(opts: ServeModeOptions): Promise<ServeMode> {
  const host = opts.host ?? '127.0.0.1';
  // Folders the browser may use: writes (exports) and listings go only to the runs folder and the --root
  // folders (the working folder when none is named), on every host. Reads of a dataset or teacher path
  // typed in the wizard are open on loopback (the token guards it) and confined like the rest elsewhere.
  const named = opts.roots ?? [];
  const fileRoots = [opts.runsDir, ...(named.length > 0 ? named : [opts.cwd])];
  const roots = named.length > 0 || !isLoopbackHost(host) ? fileRoots : undefined;
  const listedAlso = roots ? null : DATASETS_DIR;
  const renderPdf = defaultPdfRenderer(opts.env);
  const api = createService({
    runsDir: opts.runsDir, roots, fileRoots, ...(listedAlso ? { listAlso: [listedAlso] } : {}),
    engine: childProcessEngine(), ...(renderPdf ? { renderPdf } : {}), ...(opts.queue ? { queue: opts.queue } : {}),
  });
  const staticDir = opts.staticDir ?? defaultStaticDir();
  const server = await startServer({
    api, host, port: opts.port ?? 7860, token: opts.token, runsDir: opts.runsDir,
    ...(staticDir ? { staticDir } : {}), ...(opts.log ? { log: opts.log } : {}),
  }).catch(async (err: unknown) => {
    await api.close();
    throw err;
  });
  return {
    api, server, fileRoots, listedAlso,
    async close() {
      await server.close();
      await api.close();
    },
  };
}
