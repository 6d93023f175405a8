// Which paths the service may touch. Serve mode passes an allow-list of roots (a browser must not read or
// write anywhere on the engine's machine); the desktop app passes none, since its user picked the path.
import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import { ServiceError } from './errors.js';

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The real path of `p`, following symlinks in the part that exists (the rest may not exist yet). */
function realish(p: string): string {
  let head = p;
  const tail: string[] = [];
  for (;;) {
    try {
      return path.join(realpathSync(head), ...tail.reverse());
    } catch {
      const parent = path.dirname(head);
      if (parent === head) return p;
      tail.push(path.basename(head));
      head = parent;
    }
  }
}

export class PathPolicy {
  private readonly roots?: string[] | undefined;
  private readonly fileRoots?: string[] | undefined;
  private readonly listExtra: string[];

  /**
   * `roots`: folders every path must lie in (undefined: anywhere). `fileRoots`: where writes and folder
   * listings may go even when reads are not limited (serve mode on loopback: a local process must not
   * write a file anywhere, or list /etc, as the server's user); `listAlso`: more folders to list.
   */
  constructor(roots: string[] | undefined, private readonly runsDir: string, fileRoots?: string[], listAlso: string[] = []) {
    this.roots = roots?.map((r) => realish(path.resolve(r)));
    this.fileRoots = fileRoots?.map((r) => realish(path.resolve(r)));
    this.listExtra = listAlso.map((r) => realish(path.resolve(r)));
  }

  /** The folders listings and writes are confined to (undefined: none). */
  get confinedTo(): string[] | undefined {
    return this.fileRoots ?? this.roots;
  }

  get restricted(): boolean {
    return this.roots !== undefined;
  }

  /**
   * The absolute path for `p` if the service may use it. `read` paths may also lie in the runs folder
   * (another run's model as a teacher); `write` paths only under the roots.
   */
  check(p: unknown, what: string, mode: 'read' | 'write' | 'list'): string {
    if (typeof p !== 'string' || p.trim() === '') throw new ServiceError('invalid', `${what}: expected a path, got ${JSON.stringify(p)}`);
    if (p.includes('\0')) throw new ServiceError('invalid', `${what}: the path contains a NUL character`);
    const base = mode === 'read' ? this.roots : this.confinedTo;
    if (!base) return path.resolve(p);
    if (!path.isAbsolute(p)) throw new ServiceError('invalid', `${what}: expected an absolute path, got ${JSON.stringify(p)}`);
    // Symlinks resolved first: a link inside a root that points outside it is outside.
    const real = realish(path.resolve(p));
    const allowed = mode === 'write' ? base : [...base, realish(this.runsDir), ...(mode === 'list' ? this.listExtra : [])];
    if (!allowed.some((r) => isInside(real, r))) {
      throw new ServiceError('forbidden', `${what}: ${p} is outside the folders this service may ${mode} (${[...new Set(allowed)].join(', ') || 'none'})`);
    }
    return real;
  }
}
