// The built bin for tests that spawn it: rebuilt (tsc) only when a source under cli/, core/ or serve/ is
// newer than dist/cli/main.js, so several spawning test files do not each pay for a build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'dist/cli/main.js');

export function ensureBuilt(): string {
  const built = existsSync(BIN) ? statSync(BIN).mtimeMs : 0;
  const stale = built === 0 || ['cli', 'core', 'serve'].some((dir) =>
    readdirSync(path.join(ROOT, dir), { recursive: true }).map(String)
      .some((f) => f.endsWith('.ts') && statSync(path.join(ROOT, dir, f)).mtimeMs > built));
  if (stale) spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, encoding: 'utf8' }); // emits despite unrelated type errors
  if (!existsSync(BIN)) throw new Error('tsc did not produce dist/cli/main.js');
  return BIN;
}
