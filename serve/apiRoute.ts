// POST /api/<method> {"args": [...]} → {"ok": true, "result"} | {"ok": false, "error": {code, message}}.
// Only the names in API_METHODS are callable (never a prototype property such as __proto__ or
// constructor); bodies are JSON, at most 1 MB.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_METHODS, type ApiMethod, type AtStudioApi } from '../core/service/api.js';
import type { ServiceErrorCode } from '../core/service/errors.js';
import { sendJson } from './headers.js';

export const MAX_BODY_BYTES = 1024 * 1024;
/** No API method takes more than a few arguments; a config is a few levels deep. More is refused (400). */
export const MAX_ARGS = 16;
export const MAX_DEPTH = 32;

/** Whether a parsed JSON value nests deeper than `max` (checked without recursion, so it cannot overflow). */
export function nestsDeeper(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
  }
  return false;
}

const METHOD_SET: ReadonlySet<string> = new Set(API_METHODS);

export const STATUS_BY_CODE: Record<ServiceErrorCode, number> = {
  invalid: 400,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

export function isApiMethod(name: string): name is ApiMethod {
  return METHOD_SET.has(name);
}

/** {code, message} of anything thrown: a ServiceError's code (duck-typed, so any copy of the class works). */
export function errorBody(err: unknown): { code: ServiceErrorCode; message: string } {
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (typeof code === 'string' && Object.hasOwn(STATUS_BY_CODE, code)) return { code: code as ServiceErrorCode, message };
  return { code: 'internal', message };
}

function sendError(res: ServerResponse, code: ServiceErrorCode, message: string, status = STATUS_BY_CODE[code]): void {
  sendJson(res, status, { ok: false, error: { code, message } });
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.removeAllListeners('data');
        req.resume(); // drain without keeping it
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function handleApi(req: IncomingMessage, res: ServerResponse, name: string, api: AtStudioApi, log: (line: string) => void): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return sendError(res, 'invalid', 'Use POST for API calls.', 405);
  }
  if (!isApiMethod(name)) return sendError(res, 'not-found', `No API method ${JSON.stringify(name)}.`);
  // application/json makes a cross-site request a non-simple one (preflighted, and we answer no CORS).
  const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return sendError(res, 'invalid', 'Send the body as application/json.', 415);
  let body: Buffer;
  try {
    body = await readBody(req, MAX_BODY_BYTES);
  } catch (err) {
    if (err instanceof BodyTooLarge) {
      res.setHeader('Connection', 'close');
      return sendError(res, 'invalid', `The request body is larger than ${MAX_BODY_BYTES} bytes.`, 413);
    }
    throw err;
  }
  let args: unknown[];
  try {
    const parsed: unknown = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    const a = (parsed as { args?: unknown } | null)?.args ?? [];
    if (!Array.isArray(a)) throw new Error('args must be an array');
    if (a.length > MAX_ARGS) throw new Error(`${a.length} arguments; no API method takes more than ${MAX_ARGS}`);
    if (nestsDeeper(a, MAX_DEPTH)) throw new Error(`the arguments nest deeper than ${MAX_DEPTH} levels`);
    args = a;
  } catch (err) {
    return sendError(res, 'invalid', `Bad request body: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    const fn = api[name] as (...a: unknown[]) => Promise<unknown>;
    const result = await fn.apply(api, args);
    sendJson(res, 200, { ok: true, result: result === undefined ? null : result });
  } catch (err) {
    const e = errorBody(err);
    if (e.code === 'internal') log(`api ${name} failed: ${e.message}`);
    sendError(res, e.code, e.message);
  }
}
