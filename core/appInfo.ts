// The app's own version (package.json) and, for a checkout, its git commit: recorded in every run and
// printed by `atstudio --version`.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'attention-transfer-studio';

let root: string | null | undefined;

/** The folder of the app's package.json (source checkout, dist/ build, or an Electron app folder). */
export function appRoot(): string | null {
  if (root !== undefined) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        if ((JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return (root = dir);
      } catch { /* not ours */ }
    }
    dir = path.dirname(dir);
  }
  return (root = null);
}

export function appVersion(): string {
  const r = appRoot();
  if (!r) return 'unknown';
  return (JSON.parse(readFileSync(path.join(r, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
}

let commit: string | null | undefined;

/** HEAD's commit when the app runs from a git checkout (with "-dirty" when files changed), else null. */
export function gitCommit(): string | null {
  if (commit !== undefined) return commit;
  const r = appRoot();
  if (!r || !existsSync(path.join(r, '.git'))) return (commit = null);
  try {
    const head = execFileSync('git', ['-C', r, 'rev-parse', 'HEAD'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['-C', r, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return (commit = dirty ? `${head}-dirty` : head);
  } catch {
    return (commit = null);
  }
}
