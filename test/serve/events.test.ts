// The /events WebSocket over a real socket: several clients watching one run each get its events, a
// client that disconnects mid-run (cleanly, abruptly, or silently) has its service listeners removed
// while events keep flowing to the others, and subscriptions are per run or to all runs.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../serve/index.js';
import { connect, fakeApi, stepEvent, tempDir, waitFor, type FakeApi, type TestSocket } from './harness.js';

const tmp = tempDir();
let api: FakeApi;
let srv: RunningServer;
const open: TestSocket[] = [];
const RUN = '20261128-120000-quick-ab12';
const OTHER = '20261128-120500-other-cd34';

async function client(): Promise<TestSocket> {
  const s = await connect(`ws://127.0.0.1:${srv.port}/events`);
  open.push(s);
  return s;
}
async function subscribe(s: TestSocket, runId?: string): Promise<void> {
  s.send(runId === undefined ? { type: 'subscribe' } : { type: 'subscribe', runId });
  expect(await s.next((m) => m.type === 'subscribed')).toEqual({ type: 'subscribed', runId: runId ?? null });
}
const isEvent = (m: any) => m.type === 'event';

beforeAll(async () => {
  api = fakeApi();
  srv = await startServer({ api, port: 0, runsDir: tmp.dir, pingIntervalMs: 100, token: null });
});
beforeEach(async () => {
  for (const s of open.splice(0)) await s.close();
  await waitFor(() => api.listenerCount() === 0);
});
afterAll(async () => {
  for (const s of open) await s.close();
  await srv?.close();
  tmp.cleanup();
});

describe('events over the WebSocket', () => {
  it('two clients on one run both receive every event, in order, and nothing of other runs', async () => {
    const a = await client();
    const b = await client();
    await subscribe(a, RUN);
    await subscribe(b, RUN);
    expect(api.listenerCount()).toBe(2);
    for (let i = 1; i <= 5; i++) api.emit(RUN, stepEvent(i));
    api.emit(OTHER, stepEvent(99));
    api.emit(RUN, { type: 'cancelled' } as never);
    for (const s of [a, b]) {
      const got = [];
      for (let i = 0; i < 6; i++) got.push(await s.next(isEvent));
      expect(got.map((m) => m.runId)).toEqual(Array(6).fill(RUN));
      expect(got.slice(0, 5).map((m) => m.event.step)).toEqual([1, 2, 3, 4, 5]);
      expect(got[0].event).toEqual(stepEvent(1));
      expect(got[5].event.type).toBe('cancelled');
    }
    await new Promise((r) => setTimeout(r, 50));
    expect([...a.messages, ...b.messages].filter(isEvent)).toEqual([]);
  });

  it('a subscription to all runs gets every run, once even when also subscribed to one run', async () => {
    const a = await client();
    await subscribe(a);
    await subscribe(a, RUN);
    await subscribe(a, RUN); // twice: still one listener
    expect(api.listenerCount()).toBe(2);
    api.emit(RUN, stepEvent(1));
    api.emit(OTHER, stepEvent(2));
    expect((await a.next(isEvent)).runId).toBe(RUN);
    expect((await a.next(isEvent)).runId).toBe(OTHER);
    await new Promise((r) => setTimeout(r, 50));
    expect(a.messages.filter(isEvent)).toEqual([]);
  });

  it('unsubscribe removes the listener', async () => {
    const a = await client();
    await subscribe(a, RUN);
    expect(api.listenerCount()).toBe(1);
    a.send({ type: 'unsubscribe', runId: RUN });
    expect(await a.next((m) => m.type === 'unsubscribed')).toEqual({ type: 'unsubscribed', runId: RUN });
    expect(api.listenerCount()).toBe(0);
  });

  it('a client that closes mid-run is cleaned up; the other keeps receiving', async () => {
    const a = await client();
    const b = await client();
    await subscribe(a, RUN);
    await subscribe(b, RUN);
    api.emit(RUN, stepEvent(1));
    await a.next(isEvent);
    await b.next(isEvent);
    await a.close();
    await waitFor(() => api.listenerCount() === 1);
    for (let i = 2; i <= 20; i++) api.emit(RUN, stepEvent(i));
    for (let i = 2; i <= 20; i++) expect((await b.next(isEvent)).event.step).toBe(i);
  });

  it('a client whose connection drops without a close frame is cleaned up, events keep flowing', async () => {
    const a = await client();
    const b = await client();
    await subscribe(a, RUN);
    await subscribe(b, RUN);
    // Events in flight while the connection dies.
    for (let i = 1; i <= 50; i++) api.emit(RUN, stepEvent(i));
    a.ws.terminate();
    for (let i = 51; i <= 100; i++) api.emit(RUN, stepEvent(i));
    await waitFor(() => api.listenerCount() === 1);
    for (let i = 101; i <= 110; i++) api.emit(RUN, stepEvent(i));
    const steps: number[] = [];
    for (let i = 1; i <= 110; i++) steps.push((await b.next(isEvent)).event.step);
    expect(steps).toEqual(Array.from({ length: 110 }, (_, i) => i + 1));
  });

  it('a client that stops answering pings is dropped by the keepalive', async () => {
    const a = await client();
    await subscribe(a, RUN);
    expect(api.listenerCount()).toBe(1);
    // Stop reading: the client no longer sees pings, so it never answers with a pong.
    (a.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    await waitFor(() => api.listenerCount() === 0, 3000);
    api.emit(RUN, stepEvent(1)); // nobody listening: no error
    a.ws.terminate(); // the paused client would otherwise wait out its own close timeout
  });

  it('answers application-level ping and refuses bad messages without closing', async () => {
    const a = await client();
    a.send({ type: 'ping' });
    expect(await a.next()).toEqual({ type: 'pong' });
    a.ws.send('not json');
    expect((await a.next()).type).toBe('error');
    a.send({ type: 'subscribe', runId: '../etc' });
    expect((await a.next()).type).toBe('error');
    a.send({ type: 'subscribe', runId: 42 });
    expect((await a.next()).type).toBe('error');
    a.send({ type: 'launch' });
    expect((await a.next()).type).toBe('error');
    expect(api.listenerCount()).toBe(0);
    await subscribe(a, RUN);
  });

  it('limits message size (64 KB) and subscriptions per client (64)', async () => {
    const a = await client();
    for (let i = 0; i < 64; i++) await subscribe(a, `run-${i}`);
    a.send({ type: 'subscribe', runId: 'run-64' });
    expect(await a.next()).toEqual({ type: 'error', message: 'Too many subscriptions.' });
    expect(api.listenerCount()).toBe(64);
    const closed = new Promise<number>((r) => a.ws.once('close', (code) => r(code)));
    a.send({ type: 'ping', pad: 'x'.repeat(70 * 1024) });
    expect(await closed).toBe(1009); // message too big
    await waitFor(() => api.listenerCount() === 0);
  });

  it('closing the server closes the sockets and removes every listener', async () => {
    const local = fakeApi();
    const s = await startServer({ api: local, port: 0, runsDir: tmp.dir, token: null });
    const a = await connect(`ws://127.0.0.1:${s.port}/events`);
    a.send({ type: 'subscribe', runId: RUN });
    await a.next((m) => m.type === 'subscribed');
    expect(local.listenerCount()).toBe(1);
    const closed = new Promise((r) => a.ws.once('close', r));
    await s.close();
    await closed;
    expect(local.listenerCount()).toBe(0);
  });
});
