// The engine in a child process (node:child_process.fork): a crash or a native abort in training cannot
// take the service down, and the service starts a fresh engine for the next run.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { compiledScript } from '../../util/compiledScript.js';
import { NoticeListeners, type EngineHost, type StartRequest } from './host.js';
import { ENGINE_PROTOCOL_VERSION, type ControlAction, type EngineToHost, type HostToEngine } from './protocol.js';

export interface ChildProcessEngineOptions {
  /** The compiled entry; default: engineMain.js beside this module, or dist/… when running from sources. */
  scriptPath?: string;
  env?: NodeJS.ProcessEnv;
  /** How long a starting engine may take to say it is ready. */
  readyTimeoutMs?: number;
  /** How long close() waits for the active run to checkpoint and the process to exit before killing it. */
  closeTimeoutMs?: number;
}

/** engineMain.js next to this module, or, when this module runs from its .ts source (tests), the built one. */
export function defaultEngineScript(): string {
  return compiledScript(import.meta.url, 'engineMain.js');
}

export interface ChildProcessEngine extends EngineHost {
  /** The engine process's pid, when one is running (tests kill it to simulate a crash). */
  readonly pid: number | undefined;
}

export function childProcessEngine(opts: ChildProcessEngineOptions = {}): ChildProcessEngine {
  const script = opts.scriptPath ?? defaultEngineScript();
  const listeners = new NoticeListeners();
  let child: ChildProcess | null = null;
  let ready: Promise<ChildProcess> | null = null;
  let closing = false;

  const spawn = (): Promise<ChildProcess> => {
    if (!existsSync(script)) {
      return Promise.reject(new Error(`the engine script ${script} does not exist; build the project first (npm run build)`));
    }
    // execArgv [] : a test runner's loader flags must not leak into the engine.
    const c = fork(script, [], { execArgv: [], env: { ...process.env, ...opts.env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
    child = c;
    let expectedExit = false;
    const p = new Promise<ChildProcess>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`the engine process did not start within ${(opts.readyTimeoutMs ?? 60_000) / 1000} s`));
        expectedExit = true;
        c.kill('SIGKILL');
      }, opts.readyTimeoutMs ?? 60_000);
      c.on('message', (m: EngineToHost) => {
        if (m?.type === 'ready') {
          clearTimeout(timer);
          if (m.protocol !== ENGINE_PROTOCOL_VERSION) {
            reject(new Error(`the engine script ${script} speaks protocol ${m.protocol}, this service ${ENGINE_PROTOCOL_VERSION}: rebuild (npm run build)`));
            c.kill();
          } else resolve(c);
          return;
        }
        listeners.emit(m);
      });
      c.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      c.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the engine process exited while starting (${signal ? `signal ${signal}` : `exit code ${code}`})`));
        if (child === c) {
          child = null;
          ready = null;
        }
        listeners.emit({ type: 'exit', code, signal, expected: expectedExit || closing });
      });
    });
    (c as ChildProcess & { markExpected?: () => void }).markExpected = () => { expectedExit = true; };
    p.catch(() => undefined);
    return p;
  };

  const ensure = (): Promise<ChildProcess> => {
    if (closing) return Promise.reject(new Error('the engine is closed'));
    if (!ready || !child || child.exitCode !== null || child.signalCode !== null) ready = spawn();
    return ready;
  };

  const post = (c: ChildProcess, m: HostToEngine) => {
    if (c.connected) c.send(m);
  };

  return {
    kind: 'child-process',
    get pid() {
      return child?.pid;
    },
    async start(req: StartRequest) {
      const c = await ensure();
      post(c, { type: 'start', ...req });
    },
    control(runId: string, action: ControlAction) {
      if (child) post(child, { type: 'control', runId, action });
    },
    onNotice: (fn) => listeners.add(fn),
    async close() {
      closing = true;
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      (c as ChildProcess & { markExpected?: () => void }).markExpected?.();
      const gone = new Promise<void>((resolve) => c.once('exit', () => resolve()));
      post(c, { type: 'shutdown' });
      const timer = setTimeout(() => c.kill('SIGKILL'), opts.closeTimeoutMs ?? 30_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
