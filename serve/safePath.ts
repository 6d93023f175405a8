// Turning a URL path into a file path without escaping the folder it is meant for. The raw request
// path is decoded once and refused (400) when it holds anything a traversal needs: `.`/`..` segments,
// backslashes, NUL, empty segments (`//etc/passwd`), drive letters. Whatever passes is still resolved
// through symlinks and must stay inside the folder (403), so a link inside it cannot lead out.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export type PathCheck = { ok: true; segments: string[] } | { ok: false; status: 400; message: string };

/** Decode and vet a URL path (without its query); returns its segments. */
export function vetUrlPath(rawPath: string): PathCheck {
  const bad = (message: string): PathCheck => ({ ok: false, status: 400, message });
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return bad('Malformed percent-encoding in the path.');
  }
  if (decoded.includes('\0')) return bad('NUL in the path.');
  if (decoded.includes('\\')) return bad('Backslash in the path.');
  if (!decoded.startsWith('/')) return bad('The path must start with /.');
  const segments = decoded.slice(1).split('/');
  if (segments.length > 0 && segments[segments.length - 1] === '') segments.pop(); // trailing slash
  for (const s of segments) {
    if (s === '') return bad('Empty segment in the path.');
    if (s === '.' || s === '..') return bad('Dot segments are not allowed in the path.');
    if (/^[A-Za-z]:/.test(s)) return bad('Drive letters are not allowed in the path.');
  }
  return { ok: true, segments };
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export type ResolvedFile = { ok: true; file: string; size: number } | { ok: false; status: 403 | 404; message: string };

/**
 * The real path of `segments` under `root`, if it is a regular file that really lies inside `root`
 * (and `root` itself really lies inside `outer`, when given: a run folder inside the runs folder).
 */
export async function resolveInside(root: string, segments: string[], outer?: string): Promise<ResolvedFile> {
  let realRoot: string;
  try {
    realRoot = await fs.realpath(root);
  } catch {
    return { ok: false, status: 404, message: 'Not found.' };
  }
  if (outer !== undefined) {
    const realOuter = await fs.realpath(outer).catch(() => null);
    if (realOuter === null || !isInside(realRoot, realOuter)) return { ok: false, status: 403, message: 'Outside the folder this server may read.' };
  }
  const candidate = path.join(realRoot, ...segments);
  let real: string;
  try {
    real = await fs.realpath(candidate);
  } catch {
    return { ok: false, status: 404, message: 'Not found.' };
  }
  if (!isInside(real, realRoot)) return { ok: false, status: 403, message: 'Outside the folder this server may read.' };
  const st = await fs.stat(real).catch(() => null);
  if (!st || !st.isFile()) return { ok: false, status: 404, message: 'Not found.' };
  return { ok: true, file: real, size: st.size };
}
