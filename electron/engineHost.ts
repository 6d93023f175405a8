// The engine in an Electron utilityProcess: training (and its native addon) never runs in main, a crash
// cannot take the app down, and the next run starts a fresh engine process. The service sees the same
// EngineHost as with node:child_process; only the transport differs (postMessage / 'message' / 'exit').
import { existsSync } from 'node:fs';
import { NoticeListeners, type EngineHost, type StartRequest } from '../core/service/engine/host.js';
import { ENGINE_PROTOCOL_VERSION, type ControlAction, type EngineToHost, type HostToEngine } from '../core/service/engine/protocol.js';
import type { UtilityProcess, UtilityProcessModule } from './electronTypes.js';

export interface UtilityProcessEngineOptions {
  /** dist/electron/engineProcess.cjs */
  scriptPath: string;
  readyTimeoutMs?: number;
  closeTimeoutMs?: number;
  /** Called with every engine process that ends without being asked to (main tells the window). */
  onCrash?: (code: number) => void;
}

export interface UtilityProcessEngine extends EngineHost {
  readonly pid: number | undefined;
  /** How many engine processes were started (1 + restarts). */
  readonly starts: number;
}

export function utilityProcessEngine(utilityProcess: UtilityProcessModule, opts: UtilityProcessEngineOptions): UtilityProcessEngine {
  const listeners = new NoticeListeners();
  let child: { proc: UtilityProcess; exited: boolean; expected: boolean } | null = null;
  let ready: Promise<UtilityProcess> | null = null;
  let closing = false;
  let starts = 0;

  const spawn = (): Promise<UtilityProcess> => {
    if (!existsSync(opts.scriptPath)) {
      return Promise.reject(new Error(`the engine script ${opts.scriptPath} does not exist; build the project first (npm run build)`));
    }
    const proc = utilityProcess.fork(opts.scriptPath, [], { serviceName: 'Attention Transfer Studio engine', stdio: 'inherit' });
    starts++;
    const entry = { proc, exited: false, expected: false };
    child = entry;
    const p = new Promise<UtilityProcess>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`the engine process did not start within ${(opts.readyTimeoutMs ?? 60_000) / 1000} s`));
        entry.expected = true;
        proc.kill();
      }, opts.readyTimeoutMs ?? 60_000);
      proc.on('message', (raw) => {
        const m = raw as EngineToHost;
        if (m?.type === 'ready') {
          clearTimeout(timer);
          if (m.protocol !== ENGINE_PROTOCOL_VERSION) {
            reject(new Error(`the engine speaks protocol ${m.protocol}, this app ${ENGINE_PROTOCOL_VERSION}: rebuild (npm run build)`));
            entry.expected = true;
            proc.kill();
          } else resolve(proc);
          return;
        }
        listeners.emit(m);
      });
      proc.on('exit', (code) => {
        clearTimeout(timer);
        entry.exited = true;
        reject(new Error(`the engine process exited while starting (exit code ${code})`));
        if (child === entry) {
          child = null;
          ready = null;
        }
        const expected = entry.expected || closing;
        if (!expected) opts.onCrash?.(code);
        // The service marks the active run failed on an unexpected exit; the next start() forks anew.
        listeners.emit({ type: 'exit', code, signal: null, expected });
      });
    });
    p.catch(() => undefined);
    return p;
  };

  const ensure = (): Promise<UtilityProcess> => {
    if (closing) return Promise.reject(new Error('the engine is closed'));
    if (!ready || !child || child.exited) ready = spawn();
    return ready;
  };

  const post = (proc: UtilityProcess, m: HostToEngine) => proc.postMessage(m);

  return {
    kind: 'utility-process',
    get pid() {
      return child?.proc.pid;
    },
    get starts() {
      return starts;
    },
    async start(req: StartRequest) {
      post(await ensure(), { type: 'start', ...req });
    },
    control(runId: string, action: ControlAction) {
      if (child && !child.exited) post(child.proc, { type: 'control', runId, action });
    },
    onNotice: (fn) => listeners.add(fn),
    async close() {
      closing = true;
      const c = child;
      if (!c || c.exited) return;
      c.expected = true;
      const gone = new Promise<void>((resolve) => c.proc.once('exit', () => resolve()));
      post(c.proc, { type: 'shutdown' });
      const timer = setTimeout(() => c.proc.kill(), opts.closeTimeoutMs ?? 30_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
