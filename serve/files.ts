// Static files: the built renderer (or a placeholder page when it is not built) and files of a run
// (probe PNGs, model.json, weights) under /runs/<id>/files/<relative>.
import { createReadStream, existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isValidRunId } from '../core/runs/runId.js';
import { API_METHODS } from '../core/service/api.js';
import { sendText } from './headers.js';
import { resolveInside, vetUrlPath } from './safePath.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'application/x-ndjson; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.bin': 'application/octet-stream',
};

export function contentType(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** renderer/dist of this checkout, when it has been built (from serve/ or dist/serve/). */
export function defaultStaticDir(): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (existsSync(path.join(dir, 'package.json'))) {
      const dist = path.join(dir, 'renderer', 'dist');
      return existsSync(path.join(dist, 'index.html')) ? dist : undefined;
    }
    dir = path.dirname(dir);
  }
  return undefined;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Shown at / when the renderer is not built: says so and lists the API (no scripts, CSP-clean). */
export function placeholderPage(): string {
  const items = API_METHODS.map((m) => `<li><code>POST /api/${escapeHtml(m)}</code></li>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Attention Transfer Studio</title>
<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5}code{background:#f2f2f2;padding:0 .2em}</style>
</head><body>
<h1>Attention Transfer Studio</h1>
<p>The engine is running, but the user interface is not built yet (<code>renderer/dist</code> is missing).
Build it, then reload this page. Meanwhile the API below answers JSON requests:
<code>POST /api/&lt;method&gt;</code> with body <code>{"args": [...]}</code>; run events stream over the WebSocket <code>/events</code>.</p>
<ul>
${items}
</ul>
</body></html>
`;
}

function sendFile(req: IncomingMessage, res: ServerResponse, file: string, size: number, cache: string): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', contentType(file));
  res.setHeader('Content-Length', size);
  res.setHeader('Cache-Control', cache);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** GET of a page or asset from staticDir (index.html for /), or the placeholder page. */
export async function serveStatic(req: IncomingMessage, res: ServerResponse, rawPath: string, staticDir: string | undefined): Promise<void> {
  const vetted = vetUrlPath(rawPath);
  if (!vetted.ok) return sendText(res, vetted.status, vetted.message);
  const segments = vetted.segments.length === 0 ? ['index.html'] : vetted.segments;
  if (!staticDir) {
    if (vetted.segments.length === 0 || (segments.length === 1 && segments[0] === 'index.html')) {
      const html = placeholderPage();
      res.statusCode = 200;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Content-Length', Buffer.byteLength(html));
      res.end(req.method === 'HEAD' ? undefined : html);
      return;
    }
    return sendText(res, 404, 'Not found.');
  }
  const found = await resolveInside(staticDir, segments);
  if (!found.ok) return sendText(res, found.status, found.message);
  sendFile(req, res, found.file, found.size, found.file.endsWith('.html') ? 'no-store' : 'no-cache');
}

/** GET /runs/<id>/files/<relative>: a file of one run, confined to that run's folder. */
export async function serveRunFile(req: IncomingMessage, res: ServerResponse, rawPath: string, runsDir: string): Promise<void> {
  const vetted = vetUrlPath(rawPath);
  if (!vetted.ok) return sendText(res, vetted.status, vetted.message);
  const [runs, id, files, ...rest] = vetted.segments;
  if (runs !== 'runs' || files !== 'files' || id === undefined || rest.length === 0) return sendText(res, 404, 'Not found.');
  if (!isValidRunId(id)) return sendText(res, 400, 'Invalid run id.');
  const found = await resolveInside(path.join(runsDir, id), rest, runsDir);
  if (!found.ok) return sendText(res, found.status, found.message);
  sendFile(req, res, found.file, found.size, 'no-cache');
}
