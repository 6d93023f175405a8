// `node scripts/appSize.mjs [--config FILE] [--check] [--keep]` (after `npm run build`): how big the packaged app
// is, measured by electron-builder itself. Electron's runtime cannot be downloaded on offline machines,
// so electron-builder packs this machine's platform (`--dir`) around a placeholder runtime folder
// (its `electronDist` option); app.asar and app.asar.unpacked are exactly what an installer would ship
// besides Electron. Prints the sizes and the largest packages inside app.asar. With --check it unpacks
// app.asar and runs the packed CLI from it under Node (--version, then one tiny training step on wasm and
// on cpu): proof that the exclusions left out nothing the engine loads.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const args = process.argv.slice(2);
const config = args.includes('--config') ? args[args.indexOf('--config') + 1] : 'build/electron-builder.yml';
const keep = args.includes('--keep');
const check = args.includes('--check');
const MB = (n) => `${(n / 1e6).toFixed(1)} MB`;

for (const built of ['dist/electron/main.js', 'renderer/dist/index.html']) {
  if (!existsSync(path.join(root, built))) {
    console.error(`appSize: ${built} is missing: run  npm run build  first.`);
    process.exit(1);
  }
}
let builder;
try {
  builder = require.resolve('electron-builder/cli.js');
} catch {
  console.error('appSize: electron-builder (a devDependency) is not installed: run  npm install  (not --omit=dev).');
  process.exit(1);
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'atstudio-appsize-'));
const fakeElectron = path.join(tmp, 'electron-dist');
mkdirSync(path.join(fakeElectron, 'resources'), { recursive: true });
for (const exe of ['electron', 'electron.exe']) {
  writeFileSync(path.join(fakeElectron, exe), '');
  chmodSync(path.join(fakeElectron, exe), 0o755);
}
if (process.platform === 'darwin') mkdirSync(path.join(fakeElectron, 'Electron.app/Contents/Resources'), { recursive: true });
const electronVersion = require('./package.json').optionalDependencies?.electron ?? '45.5.0';
const out = path.join(tmp, 'release');
const r = spawnSync(process.execPath, [builder, '--config', config, '--dir', `-c.electronDist=${fakeElectron}`,
  `-c.electronVersion=${electronVersion}`, `-c.directories.output=${out}`], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
if (r.status !== 0) {
  console.error(r.stdout);
  console.error(`appSize: electron-builder failed (exit ${r.status}).`);
  process.exit(1);
}

function find(dir, name) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.name === name) return p;
    if (e.isDirectory() && !e.isSymbolicLink()) {
      const f = find(p, name);
      if (f) return f;
    }
  }
  return null;
}
function dirBytes(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    n += e.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return n;
}
const asarPath = find(out, 'app.asar');
const unpacked = `${asarPath}.unpacked`;
const asarBytes = statSync(asarPath).size;
const unpackedBytes = existsSync(unpacked) ? dirBytes(unpacked) : 0;
console.log(`app.asar           ${MB(asarBytes)}`);
console.log(`app.asar.unpacked  ${MB(unpackedBytes)}  (native code: dawn.node, onnxruntime-node, tfjs-node when installed)`);
console.log(`together           ${MB(asarBytes + unpackedBytes)}  (plus Electron's own runtime)`);

// Inside app.asar: bytes per top-level entry (each package under node_modules, dist/<part>, renderer).
const asar = require('@electron/asar');
const byPart = new Map();
let maps = 0;
for (const file of asar.listPackage(asarPath)) {
  const st = asar.statFile(asarPath, file.slice(1), false);
  if (!('size' in st) || st.unpacked) continue;
  const parts = file.split(path.sep).filter(Boolean);
  const i = parts.indexOf('node_modules');
  const key = i < 0 ? parts.slice(0, 2).join('/') : parts.slice(i, i + (parts[i + 1]?.startsWith('@') ? 3 : 2)).join('/');
  byPart.set(key, (byPart.get(key) ?? 0) + st.size);
  if (file.endsWith('.map')) maps += st.size;
}
console.log(`source maps inside app.asar: ${MB(maps)}`);
console.log('largest inside app.asar:');
for (const [key, n] of [...byPart].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${MB(n).padStart(9)}  ${key}`);

if (check) {
  const app = path.join(tmp, 'app');
  asar.extractAll(asarPath, app); // unpacked files included
  const cli = path.join(app, 'dist/cli/main.js');
  const tiny = ['bench', '--batch', '2', '--steps', '1', '--warmup', '1', '--student', 'wrn-10-1', '--teacher', 'wrn-10-1', '--input-shape', '8x8x1', '--json'];
  for (const argv of [['--version'], [...tiny, '--backend', 'wasm'], [...tiny, '--backend', 'cpu']]) {
    const c = spawnSync(process.execPath, [cli, ...argv], { cwd: tmp, encoding: 'utf8' });
    const line = c.stdout.trim().split('\n').pop() ?? '';
    console.log(`packed app: atstudio ${argv.slice(0, 1).concat(argv.includes('--backend') ? argv.slice(-1) : []).join(' ')}: ${c.status === 0 ? 'ok' : `FAILED (exit ${c.status})`} ${line.slice(0, 120)}`);
    if (c.status !== 0) {
      console.error(c.stderr);
      process.exitCode = 1;
    }
  }
}
if (keep) console.log(`kept: ${out}`);
else rmSync(tmp, { recursive: true, force: true });
