// Who may talk to the server. Three checks, applied to every HTTP request and every WebSocket upgrade:
// - the token, whenever one is set (always, on a non-loopback host): Bearer header, cookie, or ?token=;
// - the Host header when bound to loopback, so a DNS-rebinding page (evil.example → 127.0.0.1) is refused;
// - the Origin, when a browser sends one, must be this server, so another site cannot drive the API
//   (cross-site POSTs and WebSockets are not stopped by the same-origin policy).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'atstudio_token';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost', '[::1]']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.trim().toLowerCase());
}

export function generateToken(): string {
  return randomBytes(32).toString('hex');
}

/** Constant-time string comparison: both sides are hashed first, so lengths leak nothing either. */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    try {
      out.set(name, decodeURIComponent(raw));
    } catch {
      out.set(name, raw);
    }
  }
  return out;
}

export type TokenSource = 'header' | 'cookie' | 'query';

/** The token a request presents, if any, and where it came from. */
export function presentedToken(req: IncomingMessage, query: URLSearchParams, allowQuery: boolean): { token: string; source: TokenSource } | null {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return { token: m[1]!, source: 'header' };
  }
  const cookie = parseCookies(req.headers.cookie).get(TOKEN_COOKIE);
  if (cookie) return { token: cookie, source: 'cookie' };
  if (allowQuery) {
    const q = query.get('token');
    if (q) return { token: q, source: 'query' };
  }
  return null;
}

export type AuthResult = { ok: true; source: TokenSource | null } | { ok: false; status: 401 | 403; message: string };

export function checkToken(req: IncomingMessage, query: URLSearchParams, expected: string | null, allowQuery: boolean): AuthResult {
  if (expected === null) return { ok: true, source: null };
  const given = presentedToken(req, query, allowQuery);
  if (!given) return { ok: false, status: 401, message: 'A token is required: open the address printed when the server started.' };
  if (!tokensEqual(given.token, expected)) return { ok: false, status: 403, message: 'Wrong token.' };
  return { ok: true, source: given.source };
}

/** Host header names this server answers to when bound to loopback. */
export function allowedLoopbackHosts(port: number): Set<string> {
  return new Set([`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]);
}

export function checkHostHeader(req: IncomingMessage, allowed: Set<string> | null): boolean {
  if (allowed === null) return true; // bound to a public interface: the token is the guard
  const host = req.headers.host;
  return typeof host === 'string' && allowed.has(host.toLowerCase());
}

/** An Origin header, when present, must name this very server (scheme http/https, same Host). */
export function checkOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true; // not a browser (CLI, tests): the token and Host checks still apply
  const host = req.headers.host;
  if (typeof host !== 'string') return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.host.toLowerCase() === host.toLowerCase();
}
