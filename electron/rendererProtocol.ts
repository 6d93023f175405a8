// app://atstudio/<path> → a file under renderer/dist, never outside it.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { APP_HOST, CSP } from './security.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.woff': 'font/woff', '.wasm': 'application/wasm',
  '.map': 'application/json',
};

const NOT_BUILT = '<!doctype html><meta charset="utf-8"><title>Attention Transfer Studio</title>'
  + '<p>The user interface is not built yet (renderer/dist is missing). Build it, then restart the app.</p>';

/** The file an app:// URL names, or null when it would leave rendererDir (or is not an app URL at all). */
export function resolveRendererPath(rendererDir: string, url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.host !== APP_HOST) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (rel.includes('\0')) return null;
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, '.' + path.posix.normalize('/' + rel.replace(/\\/g, '/')));
  const inside = path.relative(root, file);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return null;
  return file;
}

export async function serveRenderer(rendererDir: string, request: { url: string; method: string }): Promise<Response> {
  const headers = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' };
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('method not allowed', { status: 405, headers });
  const file = resolveRendererPath(rendererDir, request.url);
  if (!file) return new Response('forbidden', { status: 403, headers });
  try {
    const body = await fs.readFile(file);
    const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: { ...headers, 'Content-Type': type } });
  } catch {
    if (path.basename(file) === 'index.html' && path.dirname(file) === path.resolve(rendererDir)) {
      // The UI has not been built yet (renderer/dist): say so instead of a blank window.
      return new Response(NOT_BUILT, { status: 200, headers: { ...headers, 'Content-Type': 'text/html; charset=utf-8' } });
    }
    return new Response('not found', { status: 404, headers });
  }
}
