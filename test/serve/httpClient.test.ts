// renderer/api/httpClient.ts against a real server: every method over fetch, errors with their codes,
// the token, and events over one shared WebSocket that re-subscribes after the server comes back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createHttpClient, ApiError, type WebSocketCtor, type HttpApi } from '../../renderer/api/httpClient.js';
import { startServer, type RunningServer } from '../../serve/index.js';
import { fakeApi, stepEvent, tempDir, waitFor, type FakeApi } from './harness.js';

const tmp = tempDir();
const RUN = '20261128-120000-quick-ab12';
let api: FakeApi;
let srv: RunningServer;
const clients: HttpApi[] = [];
const Ws = WebSocket as unknown as WebSocketCtor;
const make = (url: string, token?: string) => {
  const c = createHttpClient(url, { WebSocket: Ws, ...(token ? { token } : {}), reconnectMinMs: 20, reconnectMaxMs: 100 });
  clients.push(c);
  return c;
};

beforeAll(async () => {
  api = fakeApi();
  srv = await startServer({ api, port: 0, runsDir: tmp.dir, token: null });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await srv?.close();
  tmp.cleanup();
});

describe('httpClient', () => {
  it('calls methods and returns their results; void is undefined; trailing undefined args are dropped', async () => {
    const c = make(srv.url);
    expect(await c.listRuns()).toEqual({ method: 'listRuns', args: [] });
    expect(await c.proposeHintPairs([], [], undefined)).toEqual({ method: 'proposeHintPairs', args: [[], []] });
    expect(await c.deleteRun('fine')).toBeUndefined();
  });

  it('rejects with an ApiError carrying the service code and status', async () => {
    const c = make(srv.url);
    const err = await c.getRun('nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'not-found', status: 404, message: 'No run nope' });
    await expect(c.deleteRun('busy')).rejects.toMatchObject({ code: 'conflict' });
    await expect(c.getLog('x')).rejects.toMatchObject({ code: 'internal', status: 500 });
    const dead = make('http://127.0.0.1:1/');
    await expect(dead.listRuns()).rejects.toMatchObject({ code: 'network' });
  });

  it('sends the token (HTTP and socket); without it the error says unauthorized', async () => {
    const lockedApi = fakeApi();
    const locked = await startServer({ api: lockedApi, port: 0, runsDir: tmp.dir, token: 'tok-123' });
    try {
      await expect(make(locked.url).listRuns()).rejects.toMatchObject({ code: 'unauthorized', status: 401 });
      await expect(make(locked.url, 'bad').listRuns()).rejects.toMatchObject({ code: 'forbidden', status: 403 });
      expect(await make(locked.url, 'tok-123').listRuns()).toEqual({ method: 'listRuns', args: [] });
      const c = make(locked.url, 'tok-123');
      const got: number[] = [];
      c.subscribe((_id, e) => got.push((e as { step: number }).step), RUN);
      await waitFor(() => lockedApi.listenerCount() === 1);
      lockedApi.emit(RUN, stepEvent(7));
      await waitFor(() => got.length === 1);
      expect(got).toEqual([7]);
    } finally {
      await locked.close();
    }
  });

  it('shares one socket: listeners per run and for all runs, reference-counted on the server', async () => {
    const c = make(srv.url);
    const a: string[] = [];
    const b: string[] = [];
    const all: string[] = [];
    const offA = c.subscribe((id, e) => a.push(`${id}:${(e as { step: number }).step}`), RUN);
    const offB = c.subscribe((id, e) => b.push(`${id}:${(e as { step: number }).step}`), RUN);
    const offAll = c.subscribe((id, e) => all.push(`${id}:${(e as { step: number }).step}`));
    await waitFor(() => api.listenerCount() === 2); // one for RUN, one for all runs
    api.emit(RUN, stepEvent(1));
    api.emit('other-run', stepEvent(2));
    await waitFor(() => all.length === 2);
    expect(a).toEqual([`${RUN}:1`]);
    expect(b).toEqual([`${RUN}:1`]);
    expect(all).toEqual([`${RUN}:1`, 'other-run:2']);
    offA();
    await new Promise((r) => setTimeout(r, 30));
    expect(api.listenerCount()).toBe(2); // b still needs RUN
    offB();
    await waitFor(() => api.listenerCount() === 1);
    offAll();
    await waitFor(() => api.listenerCount() === 0 && c.connection === 'idle');
  });

  it('reconnects and re-subscribes when the server restarts on the same port', async () => {
    const port = srv.port;
    const c = make(srv.url);
    const got: number[] = [];
    const states: string[] = [];
    c.onConnection((s) => states.push(s));
    c.subscribe((_id, e) => got.push((e as { step: number }).step), RUN);
    await waitFor(() => api.listenerCount() === 1);
    api.emit(RUN, stepEvent(1));
    await waitFor(() => got.length === 1);
    await srv.close();
    const api2 = fakeApi();
    srv = await startServer({ api: api2, port, runsDir: tmp.dir, token: null });
    await waitFor(() => api2.listenerCount() === 1, 3000);
    expect(c.connection).toBe('open');
    // What the dashboard's "connection lost — reconnecting" banner follows.
    expect(states.slice(0, 3)).toEqual(['connecting', 'open', 'reconnecting']);
    expect(states.at(-1)).toBe('open');
    api2.emit(RUN, stepEvent(2));
    await waitFor(() => got.length === 2);
    expect(got).toEqual([1, 2]);
    api = api2;
  });
});
