// The queue's address: redis://[user:password@]host[:port][/db] or rediss:// (TLS). It may carry a
// password, so it is never printed or written as given: everything shown goes through redactQueueUrl,
// and run folders get only the worker's host and id, never the address.
import { isIP } from 'node:net';
import type { RedisOptions } from 'ioredis';
import { StudioError } from '../errors.js';

export class QueueUrlError extends StudioError {
  override name = 'QueueUrlError';
  constructor(message: string) { super('queue.url', message); }
}

/** `redis://user:***@host:port/db`: the password (or a bare token) replaced, the rest kept to recognise it. */
export function redactQueueUrl(raw: string): string {
  // Not even a scheme: whatever precedes an '@' may be a password.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) return raw.replace(/^[^@]*@/, '***@');
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@/?#]*)@/i, (_, scheme: string, auth: string) => {
    const colon = auth.indexOf(':');
    return `${scheme}${colon >= 0 ? `${auth.slice(0, colon)}:***` : '***'}@`;
  });
}

/** Any text (an error from ioredis, a log line) with every queue URL's credentials, and the password itself, masked. */
export function redactSecrets(text: string, url?: string): string {
  let out = text.replace(/\b(rediss?:\/\/)([^@\s/?#]*)@/gi, (_, scheme: string, auth: string) => `${redactQueueUrl(`${scheme}${auth}@`)}`);
  const password = url ? passwordOf(url) : '';
  if (password && password.length >= 3) out = out.split(password).join('***');
  return out;
}

function passwordOf(raw: string): string {
  try {
    const u = new URL(raw);
    return decodeURIComponent(u.password);
  } catch {
    return '';
  }
}

export interface QueueAddress {
  /** For ioredis (BullMQ's connection option). */
  options: RedisOptions;
  /** What may be shown: the URL without its password. */
  shown: string;
}

export interface QueueTlsOptions {
  /** PEM text of the CA(s) a rediss:// server's certificate is checked against (besides Node's own). */
  ca?: string;
}

/** Parse and check a queue URL; the error names the value (redacted) and what is expected. */
export function parseQueueUrl(raw: string, tls: QueueTlsOptions = {}): QueueAddress {
  const shown = redactQueueUrl(raw);
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new QueueUrlError(`--queue ${shown}: not a URL (expected redis://host:port or rediss://user:password@host:port for TLS)`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new QueueUrlError(`--queue ${shown}: the scheme is ${u.protocol.replace(/:$/, '')}, expected redis:// or rediss:// (TLS)`);
  }
  if (!u.hostname) throw new QueueUrlError(`--queue ${shown}: no host (expected redis://host:port)`);
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new QueueUrlError(`--queue ${shown}: the path /${db} is not a database number (expected /0, /1, …)`);
  if (tls.ca && u.protocol !== 'rediss:') throw new QueueUrlError(`--queue ${shown}: a CA (--queue-ca) is for TLS: use rediss://`);
  const port = u.port ? Number(u.port) : 6379;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const options: RedisOptions = {
    host,
    port,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    // SNI carries host names only (RFC 6066; Node warns for an IP): an IP is checked against the certificate's IP SANs.
    ...(u.protocol === 'rediss:' ? { tls: { ...(isIP(host) ? {} : { servername: host }), ...(tls.ca ? { ca: tls.ca } : {}) } } : {}),
    // BullMQ's workers block on Redis; they need commands to wait (not fail) while it reconnects.
    maxRetriesPerRequest: null,
    // Reconnect for ever, at most every 2 s: a restarting Redis is waited for, not given up on.
    retryStrategy: (times: number) => Math.min(100 * times, 2000),
  };
  return { options, shown };
}

/** The queue URL from --queue, else $ATSTUDIO_QUEUE (which keeps a password out of `ps`). */
export function queueUrlFrom(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const v = flag ?? env.ATSTUDIO_QUEUE;
  return v && v.trim() !== '' ? v.trim() : undefined;
}
