// listDirectory: what the browser's file picker shows (serve mode has no native dialog). Honours the
// service's PathPolicy (list: confined in serve mode); entries are folders first, then files, each sorted by name.
import { promises as fs, existsSync, readdirSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DirectoryListing } from './api.js';
import { ServiceError } from './errors.js';
import type { PathPolicy } from './paths.js';

export const DATASETS_DIR = '/usr/share/datasets';

export async function listDirectory(p: unknown, ctx: { paths: PathPolicy; roots?: string[]; runsDir: string; cwd?: string }): Promise<DirectoryListing> {
  const cwd = ctx.cwd ?? process.cwd();
  const requested = p === undefined || p === null || p === '' ? (ctx.roots?.[0] ?? ctx.paths.confinedTo?.[0] ?? cwd) : p;
  const dir = ctx.paths.check(requested, 'folder', 'list');
  const st = await fs.stat(dir).catch(() => null);
  if (!st) throw new ServiceError('not-found', `${dir} does not exist`);
  if (!st.isDirectory()) throw new ServiceError('invalid', `${dir} is not a folder`);
  const dirents = await fs.readdir(dir, { withFileTypes: true });
  const entries: DirectoryListing['entries'] = [];
  for (const d of dirents) {
    const full = path.join(dir, d.name);
    let kind: 'dir' | 'file' | null = d.isDirectory() ? 'dir' : d.isFile() ? 'file' : null;
    let size: number | undefined;
    if (d.isSymbolicLink() || kind === 'file') {
      const s = await fs.stat(full).catch(() => null); // a broken link is left out
      if (!s) continue;
      kind = s.isDirectory() ? 'dir' : s.isFile() ? 'file' : null;
      if (kind === 'file') size = s.size;
    }
    if (!kind) continue; // sockets, devices, fifos
    entries.push({ name: d.name, path: full, kind, ...(size !== undefined ? { size } : {}) });
  }
  entries.sort((a, b) => (a.kind === b.kind ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.kind === 'dir' ? -1 : 1));
  const up = path.dirname(dir);
  const parent = up !== dir && allowed(ctx.paths, up) ? up : null;
  return { path: dir, parent, entries, places: places(ctx, cwd) };
}

function allowed(paths: PathPolicy, p: string): boolean {
  try {
    paths.check(p, 'folder', 'list');
    return true;
  } catch {
    return false;
  }
}

/** Shortcuts that exist and may be read: the roots (or home and cwd), the runs folder, known dataset folders. */
export function places(ctx: { paths: PathPolicy; roots?: string[]; runsDir: string }, cwd = process.cwd()): DirectoryListing['places'] {
  const out: DirectoryListing['places'] = [];
  const add = (label: string, p: string, kind: NonNullable<DirectoryListing['places'][number]['kind']>) => {
    const abs = path.resolve(p);
    if (out.some((o) => o.path === abs) || !isDir(abs) || !allowed(ctx.paths, abs)) return;
    out.push({ label, path: abs, kind });
  };
  if (ctx.roots?.length) for (const r of ctx.roots) add(path.basename(r) || r, r, 'root');
  add('Runs folder', ctx.runsDir, 'runs');
  add('Home', os.homedir(), 'home');
  add('Current folder', cwd, 'cwd');
  if (isDir(DATASETS_DIR)) {
    let names: string[] = [];
    try { names = readdirSync(DATASETS_DIR).sort(); } catch { /* unreadable */ }
    for (const n of names) add(`Dataset: ${n}`, path.join(DATASETS_DIR, n), 'dataset');
  }
  return out;
}

function isDir(p: string): boolean {
  try {
    return existsSync(p) && statSync(p).isDirectory();
  } catch {
    return false;
  }
}
