// `npm start`: launch the desktop app. Until the Electron shell and serve mode exist (issues 4 and 5),
// say so plainly and show what already works: the `atstudio` command line.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronMain = path.join(root, 'dist/electron/main.js');

if (existsSync(electronMain)) {
  console.error('The desktop shell is built but its launcher is not wired yet.');
}
console.log('Attention Transfer Studio: the desktop app and its browser (serve) mode are not part of this version yet.');
console.log('The engine is ready from the command line. For example:');
console.log('  npx atstudio inspect /usr/share/datasets/fashion-mnist');
console.log('  npx atstudio train examples/fashion-mnist-quick.json');
console.log('');
const cli = path.join(root, 'dist/cli/main.js');
if (existsSync(cli)) spawnSync(process.execPath, [cli, '--help'], { stdio: 'inherit' });
