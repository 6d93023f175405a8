// The desktop app's queue setting (a Redis URL and the CA of a rediss:// server), kept in a small JSON file
// of its own (Electron: in the app's userData folder), and a connection test for the Settings screen.
// The URL may carry a password: the file is written atomically with mode 0600, and nothing here logs it;
// whatever is shown goes through redactQueueUrl.
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Redis } from 'ioredis';
import type { QueueTestResult } from '../service/api.js';
import { readQueueCa } from './tls.js';
import { parseQueueUrl, redactQueueUrl, redactSecrets } from './url.js';
import { StudioError } from '../errors.js';

export interface QueueSettings {
  /** redis://… or rediss://…; absent: runs train in this app. */
  url?: string;
  /** PEM file with the CA of a rediss:// server. */
  caFile?: string;
}

export const QUEUE_SETTINGS_FORMAT = 1;

export class QueueSettingsError extends StudioError {
  override name = 'QueueSettingsError';
  constructor(message: string) { super('queue.settings', message); }
}

/** The saved setting; {} when there is no file yet. A damaged file is an error that names it. */
export async function readQueueSettings(file: string): Promise<QueueSettings> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    return noFile(file, err);
  }
  return parseQueueSettings(text, file);
}

/** readQueueSettings for a synchronous start-up (Electron's main builds its service before 'ready'). */
export function readQueueSettingsSync(file: string): QueueSettings {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return noFile(file, err);
  }
  return parseQueueSettings(text, file);
}

function noFile(file: string, err: unknown): QueueSettings {
  if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
  throw new QueueSettingsError(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
}

function parseQueueSettings(text: string, file: string): QueueSettings {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new QueueSettingsError(`${file}: not valid JSON (expected {"format": 1, "url": "redis://…"}); fix or delete it`);
  }
  const o = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  const out: QueueSettings = {};
  if (typeof o.url === 'string' && o.url.trim()) out.url = o.url.trim();
  if (typeof o.caFile === 'string' && o.caFile.trim()) out.caFile = o.caFile.trim();
  return out;
}

/** Check the setting (a bad URL or CA file is refused with the reason), then write it atomically, mode 0600. */
export async function writeQueueSettings(file: string, s: QueueSettings): Promise<QueueSettings> {
  const clean: QueueSettings = {};
  if (s.url?.trim()) clean.url = s.url.trim();
  if (s.caFile?.trim()) clean.caFile = s.caFile.trim();
  if (clean.caFile && !clean.url) throw new QueueSettingsError('a CA file needs a rediss:// queue URL');
  if (clean.url) parseQueueUrl(clean.url, clean.caFile ? { ca: readQueueCa(clean.caFile) } : {});
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const h = await fs.open(tmp, 'wx', 0o600); // created private: the URL may hold a password
    try {
      await h.writeFile(JSON.stringify({ format: QUEUE_SETTINGS_FORMAT, ...clean }, null, 2) + '\n');
      await h.sync();
    } finally {
      await h.close();
    }
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw new QueueSettingsError(`${file}: cannot be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return clean;
}

export type { QueueTestResult };

/** Connect once, PING, and say what answered (or why nothing did) within `timeoutMs`; never retries. */
export async function testQueueConnection(url: string, caFile?: string, timeoutMs = 3000): Promise<QueueTestResult> {
  let options;
  let shown: string;
  try {
    const ca = caFile ? readQueueCa(caFile) : undefined;
    ({ options, shown } = parseQueueUrl(url, ca ? { ca } : {}));
  } catch (err) {
    return { ok: false, message: redactSecrets((err as Error).message, url) };
  }
  const redis = new Redis({ ...options, lazyConnect: true, connectTimeout: timeoutMs, retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  let firstError: Error | null = null;
  redis.on('error', (err: Error) => { firstError ??= err; });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs); });
  try {
    await Promise.race([redis.connect(), timeout]);
    const pong = await Promise.race([redis.ping(), timeout]);
    const info = await Promise.race([redis.info('server'), timeout]);
    const version = /redis_version:([^\r\n]+)/.exec(info)?.[1];
    if (pong !== 'PONG') return { ok: false, message: `${shown} answered ${JSON.stringify(pong)} instead of PONG` };
    const major = version ? Number(version.split('.')[0]) : NaN;
    if (major < 5) return { ok: false, message: `${shown} is Redis ${version}; the queue (BullMQ) needs Redis 5 or newer` };
    return { ok: true, message: `Connected to ${shown}${version ? ` (Redis ${version})` : ''}.` };
  } catch (err) {
    return { ok: false, message: redactSecrets(`Cannot connect to ${shown}: ${explain(firstError ?? (err as Error))}`, url) };
  } finally {
    clearTimeout(timer);
    redis.disconnect();
  }
}

/** The reason in a person's words, with the library's own text after it. */
function explain(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const m = err.message;
  if (code === 'ECONNREFUSED') return `nothing listens there (${m})`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the host name is not known (${m})`;
  if (/WRONGPASS|NOAUTH|invalid password|invalid username/i.test(m)) return `the user name or password was refused (${m})`;
  if (/self[- ]signed|unable to verify|certificate/i.test(m)) return `the server's certificate is not trusted: give the CA file of its certificate (${m})`;
  if (/wrong version number|packet length too long|ssl/i.test(m)) return `TLS does not match: the server may not speak TLS on this port (use redis://) or may need it (use rediss://) (${m})`;
  return m;
}

/** For a screen: the URL without its password. */
export function shownQueue(url: string | undefined): string | null {
  return url ? redactQueueUrl(url) : null;
}
