// Serve mode: the application service over HTTP (POST /api/<method>) and a WebSocket (/events), plus
// the built renderer and run files. A token on every host by default; none only when asked, on loopback.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { AtStudioApi } from '../core/service/api.js';
import { handleApi } from './apiRoute.js';
import { allowedLoopbackHosts, checkHostHeader, checkOrigin, checkToken, generateToken, isLoopbackHost, TOKEN_COOKIE } from './auth.js';
import { EventHub } from './events.js';
import { serveRunFile, serveStatic } from './files.js';
import { sendJson, sendText, setSecurityHeaders } from './headers.js';

export interface ServeOptions {
  api: AtStudioApi;
  /** Default 127.0.0.1. Anything but 127.0.0.1, ::1 or localhost requires a token. */
  host?: string;
  /** Default 7860; 0 picks a free port. */
  port?: number;
  /**
   * undefined: a fresh random one, on every host (loopback is no trust boundary: any local process or
   * user could otherwise drive the API); null: none (loopback only, asked for with --no-token);
   * a string: required on every request and socket.
   */
  token?: string | null | undefined;
  /** The built renderer (renderer/dist); without it, / shows a page saying the UI is not built. */
  staticDir?: string;
  /** Run folders, served read-only under /runs/<id>/files/. */
  runsDir: string;
  log?: (line: string) => void;
  /** WebSocket keepalive period (tests shorten it). */
  pingIntervalMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string | null;
  close(): Promise<void>;
}

export class ServeError extends Error {
  override name = 'ServeError';
}

function splitUrl(raw: string): { path: string; query: URLSearchParams } {
  const q = raw.indexOf('?');
  return q < 0 ? { path: raw, query: new URLSearchParams() } : { path: raw.slice(0, q), query: new URLSearchParams(raw.slice(q + 1)) };
}

function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const loopback = isLoopbackHost(host);
  const log = opts.log ?? (() => {});
  let token: string | null;
  if (opts.token === undefined) token = generateToken();
  else token = opts.token;
  if (token !== null && token.trim() === '') token = null;
  if (!loopback && token === null) {
    throw new ServeError(`Refusing to serve on ${host} without a token: anyone who can reach it could start runs and read files. Omit --token to get a random one; --no-token is for 127.0.0.1 only.`);
  }

  const hub = new EventHub({ api: opts.api, pingIntervalMs: opts.pingIntervalMs, log });
  let allowedHosts: Set<string> | null = null; // set once the port is known

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`request failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', message: 'Internal error.' } });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res);
    const { path: rawPath, query } = splitUrl(req.url ?? '/');
    const isApi = rawPath.startsWith('/api/');
    const deny = (status: number, code: string, message: string) =>
      isApi ? sendJson(res, status, { ok: false, error: { code, message } }) : sendText(res, status, message);

    if (!checkHostHeader(req, allowedHosts)) return deny(403, 'forbidden', 'Unexpected Host header.');
    if (!checkOrigin(req)) return deny(403, 'forbidden', 'Cross-origin requests are not allowed.');
    // ?token= is for opening the printed address in a browser; the API takes the header or the cookie.
    const auth = checkToken(req, query, token, !isApi);
    if (!auth.ok) return deny(auth.status, 'forbidden', auth.message);

    if (isApi) return handleApi(req, res, rawPath.slice('/api/'.length), opts.api, log);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendText(res, 405, 'Method not allowed.');
    }
    if (auth.source === 'query') {
      // Trade the token in the address for a cookie and drop it from the address bar and history.
      res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${encodeURIComponent(token!)}; HttpOnly; SameSite=Strict; Path=/`);
      query.delete('token');
      const rest = query.toString();
      res.statusCode = 303;
      res.setHeader('Location', rawPath + (rest ? `?${rest}` : ''));
      res.setHeader('Cache-Control', 'no-store');
      res.end();
      return;
    }
    if (rawPath.startsWith('/runs/')) return serveRunFile(req, res, rawPath, opts.runsDir);
    if (rawPath === '/events') return sendText(res, 426, 'Upgrade to a WebSocket.');
    return serveStatic(req, res, rawPath, opts.staticDir);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
    };
    socket.on('error', () => socket.destroy());
    const { path: rawPath, query } = splitUrl(req.url ?? '/');
    if (rawPath !== '/events') return refuse(404, 'Not Found');
    if (!checkHostHeader(req, allowedHosts)) return refuse(403, 'Forbidden');
    if (!checkOrigin(req)) return refuse(403, 'Forbidden');
    // Browsers cannot set headers on a WebSocket: the cookie or ?token= carry it there.
    const auth = checkToken(req, query, token, true);
    if (!auth.ok) return refuse(auth.status, auth.status === 401 ? 'Unauthorized' : 'Forbidden');
    hub.wss.handleUpgrade(req, socket, head, (ws) => hub.wss.emit('connection', ws, req));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => {
      hub.close(); // e.g. the port is taken: leave nothing running
      reject(err);
    });
    server.listen(opts.port ?? 7860, host, () => {
      server.removeAllListeners('error');
      server.on('error', (err) => log(`server error: ${err.message}`));
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  if (loopback) allowedHosts = allowedLoopbackHosts(port);
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const url = `http://${urlHost(shownHost)}:${port}/`;
  log(`Attention Transfer Studio is serving on ${url}${token ? `?token=${token}` : ''}`);

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    token,
    close() {
      closing ??= new Promise<void>((resolve) => {
        hub.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

export { EventHub };
