// `npm start` (after `npm run build`): the desktop app in Electron; where Electron's runtime is not
// installed and cannot be fetched, serve mode in this process, with its URL and a one-line reason.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findElectronRuntime } from './electronRuntime.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => path.join(root, 'dist', p);

function fail(message) {
  console.error(`npm start: ${message}`);
  process.exit(1);
}

for (const f of ['electron/main.js', 'electron/preload.cjs', 'electron/engineProcess.cjs', 'serve/index.js', 'core/runs/defaultRunsDir.js']) {
  if (!existsSync(dist(f))) fail(`dist/${f} is missing: the build did not finish (run npm run build and read its errors).`);
}

let runtime = findElectronRuntime({ root });
// electron installed without its binary: one attempt to fetch it (its own installer), bounded in time.
if (!runtime.ok && !process.env.ATSTUDIO_NO_ELECTRON) {
  let installer = null;
  try {
    installer = path.join(path.dirname(createRequire(path.join(root, 'package.json')).resolve('electron/package.json')), 'install.js');
  } catch { /* not installed at all */ }
  if (installer && existsSync(installer)) {
    spawnSync(process.execPath, [installer], { stdio: 'ignore', timeout: 120_000 });
    runtime = findElectronRuntime({ root });
  }
}

if (runtime.ok) {
  const child = spawn(runtime.binary, [dist('electron/main.js')], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(signal ? 1 : code ?? 0));
} else {
  console.log(runtime.reason);
  const imp = (f) => import(pathToFileURL(dist(f)).href);
  const [{ startServeMode }, { defaultRunsDir }] = await Promise.all([imp('serve/index.js'), imp('core/runs/defaultRunsDir.js')]);
  const runsDir = defaultRunsDir(process.env);
  // As `atstudio serve` on loopback (serve/serveMode.ts): training in a child process, as in the desktop
  // app; exports and listings in the runs folder and the working folder; PDFs with Chromium where found.
  const port = process.env.ATSTUDIO_PORT !== undefined ? Number(process.env.ATSTUDIO_PORT) : 7860;
  let serve;
  try {
    serve = await startServeMode({ runsDir, host: '127.0.0.1', port, cwd: process.cwd(), env: process.env });
  } catch (err) {
    fail(`serve mode could not start: ${err instanceof Error ? err.message : String(err)}`);
  }
  const { server } = serve;
  // The address carries the token (a random one: loopback is no trust boundary); opening it sets a cookie.
  const open = server.token ? `${server.url}?token=${server.token}` : server.url;
  console.log(`Attention Transfer Studio is running at ${open} (runs in ${runsDir}). Press Ctrl-C to stop.`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await serve.close();
    process.exit(0);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => void stop());
}
