// Test helpers for serve mode: a fake AtStudioApi whose events the test drives, raw HTTP requests (the
// path is sent byte for byte — fetch would normalize `/../`), and a WebSocket client that queues messages.
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WebSocket } from 'ws';
import { API_METHODS, type AtStudioApi, type EventListener } from '../../core/service/api.js';
import { ServiceError } from '../../core/service/errors.js';
import type { RunEvent } from '../../core/events/types.js';

export interface FakeApi extends AtStudioApi {
  calls: { method: string; args: unknown[] }[];
  emit(runId: string, event: RunEvent): void;
  listenerCount(): number;
}

export function fakeApi(): FakeApi {
  const calls: { method: string; args: unknown[] }[] = [];
  const listeners = new Set<{ fn: EventListener; runId?: string | undefined }>();
  const api: Record<string, unknown> = {};
  for (const m of API_METHODS) {
    api[m] = async (...args: unknown[]) => {
      calls.push({ method: m, args });
      return { method: m, args };
    };
  }
  Object.assign(api, {
    calls,
    async getRun(runId: string) {
      calls.push({ method: 'getRun', args: [runId] });
      throw new ServiceError('not-found', `No run ${runId}`);
    },
    async startRun(config: unknown) {
      calls.push({ method: 'startRun', args: [config] });
      if (config === null || typeof config !== 'object') throw new ServiceError('invalid', 'config: expected an object');
      return { id: 'run-1' };
    },
    async deleteRun(runId: string) {
      calls.push({ method: 'deleteRun', args: [runId] });
      if (runId === 'busy') throw new ServiceError('conflict', 'The run is training');
      if (runId === 'secret') throw new ServiceError('forbidden', 'Not yours');
    },
    async getLog() {
      throw new Error('disk on fire');
    },
    async exportReportPdf() {
      calls.push({ method: 'exportReportPdf', args: [] });
      throw new ServiceError('unavailable', 'PDF export needs Chromium');
    },
    subscribe(fn: EventListener, runId?: string) {
      const entry = { fn, runId };
      listeners.add(entry);
      return () => listeners.delete(entry);
    },
    emit(runId: string, event: RunEvent) {
      for (const l of [...listeners]) if (l.runId === undefined || l.runId === runId) l.fn(runId, event);
    },
    listenerCount: () => listeners.size,
  });
  return api as unknown as FakeApi;
}

export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'atstudio-serve-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RawResponse { status: number; headers: Record<string, string | string[] | undefined>; body: string }

/** One HTTP request with the path exactly as given. */
export function rawRequest(port: number, rawPath: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: rawPath, method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

export function callApi(port: number, method: string, args: unknown[], headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(port, `/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ args }) });
}

export interface TestSocket {
  ws: WebSocket;
  messages: unknown[];
  next(pred?: (m: any) => boolean, timeoutMs?: number): Promise<any>;
  send(msg: unknown): void;
  close(): Promise<void>;
}

/** Opens a socket; resolves when open, rejects with the HTTP status when the upgrade is refused. */
export function connect(url: string, opts: { headers?: Record<string, string>; origin?: string } = {}): Promise<TestSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: opts.headers, origin: opts.origin });
    const messages: unknown[] = [];
    const waiters: { pred: (m: any) => boolean; resolve: (m: unknown) => void }[] = [];
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString());
      const i = waiters.findIndex((w) => w.pred(m));
      if (i >= 0) waiters.splice(i, 1)[0]!.resolve(m);
      else messages.push(m);
    });
    ws.on('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })));
    ws.on('error', (err) => reject(err));
    ws.on('open', () =>
      resolve({
        ws,
        messages,
        next(pred = () => true, timeoutMs = 2000) {
          const i = messages.findIndex(pred);
          if (i >= 0) return Promise.resolve(messages.splice(i, 1)[0]);
          return new Promise((res, rej) => {
            const w = { pred, resolve: (m: unknown) => { clearTimeout(t); res(m); } };
            const t = setTimeout(() => { waiters.splice(waiters.indexOf(w), 1); rej(new Error('timed out waiting for a message')); }, timeoutMs);
            waiters.push(w);
          });
        },
        send: (msg) => ws.send(JSON.stringify(msg)),
        close: () => new Promise<void>((res) => {
          if (ws.readyState === WebSocket.CLOSED) return res();
          ws.once('close', () => res());
          ws.close();
        }),
      }),
    );
  });
}

export async function waitFor(cond: () => boolean, timeoutMs = 2000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const stepEvent = (step: number): RunEvent => ({
  type: 'step', phase: 'student', epoch: 1, step, totalSteps: 10, loss: 1 / step, parts: { ce: 1 / step }, lr: 0.1, imagesPerSec: 100, etaSeconds: 5,
});
