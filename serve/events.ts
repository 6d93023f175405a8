// The /events WebSocket: each client subscribes to runs (or to all of them) and receives
// {type:'event', runId, event} for each run event the service emits. Every subscription is a
// service listener; a client that goes away (close, error, missed pong) has all of its listeners removed.
import { WebSocket, WebSocketServer } from 'ws';
import type { AtStudioApi } from '../core/service/api.js';
import type { RunEvent } from '../core/events/types.js';
import { isValidRunId } from '../core/runs/runId.js';

/** Messages a client sends. */
export type ClientMessage =
  | { type: 'subscribe'; runId?: string }
  | { type: 'unsubscribe'; runId?: string }
  | { type: 'ping' };

/** Messages the server sends. */
export type ServerMessage =
  | { type: 'event'; runId: string; event: RunEvent }
  | { type: 'subscribed'; runId: string | null }
  | { type: 'unsubscribed'; runId: string | null }
  | { type: 'pong' }
  | { type: 'error'; message: string };

const ALL = '*'; // the key of a subscription to every run
/** Step events are skipped for a client whose socket has this much unsent (a slow tab); others never. */
const SLOW_CLIENT_BYTES = 4 * 1024 * 1024;
const MAX_SUBSCRIPTIONS = 64;

export interface EventHubOptions {
  api: AtStudioApi;
  pingIntervalMs?: number | undefined;
  log?: (line: string) => void;
}

export class EventHub {
  readonly wss: WebSocketServer;
  private readonly clients = new Map<WebSocket, { subs: Map<string, () => void>; alive: boolean }>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly opts: EventHubOptions) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
    this.wss.on('connection', (ws) => this.attach(ws));
    this.timer = setInterval(() => this.heartbeat(), opts.pingIntervalMs ?? 30_000);
    this.timer.unref();
  }

  /** Number of connected clients and of service listeners they hold (for tests and logs). */
  stats(): { clients: number; subscriptions: number } {
    let subscriptions = 0;
    for (const c of this.clients.values()) subscriptions += c.subs.size;
    return { clients: this.clients.size, subscriptions };
  }

  private attach(ws: WebSocket): void {
    const client = { subs: new Map<string, () => void>(), alive: true };
    this.clients.set(ws, client);
    ws.on('pong', () => (client.alive = true));
    ws.on('message', (data, isBinary) => {
      client.alive = true;
      if (isBinary) return this.send(ws, { type: 'error', message: 'Send JSON text messages.' });
      let msg: unknown;
      try {
        msg = JSON.parse(data.toString());
      } catch {
        return this.send(ws, { type: 'error', message: 'Messages must be JSON.' });
      }
      this.onMessage(ws, client.subs, msg);
    });
    const detach = () => this.detach(ws);
    ws.on('close', detach);
    ws.on('error', detach);
  }

  private onMessage(ws: WebSocket, subs: Map<string, () => void>, msg: unknown): void {
    const m = msg as { type?: unknown; runId?: unknown } | null;
    const type = m?.type;
    if (type === 'ping') return this.send(ws, { type: 'pong' });
    if (type !== 'subscribe' && type !== 'unsubscribe') return this.send(ws, { type: 'error', message: `Unknown message type ${JSON.stringify(type)}.` });
    const runId = m!.runId ?? null;
    if (runId !== null && (typeof runId !== 'string' || !isValidRunId(runId))) {
      return this.send(ws, { type: 'error', message: 'Invalid run id.' });
    }
    const key = runId ?? ALL;
    if (type === 'subscribe') {
      if (!subs.has(key)) {
        if (subs.size >= MAX_SUBSCRIPTIONS) return this.send(ws, { type: 'error', message: 'Too many subscriptions.' });
        const listener = (rid: string, event: RunEvent) => this.forward(ws, key, rid, event);
        subs.set(key, runId === null ? this.opts.api.subscribe(listener) : this.opts.api.subscribe(listener, runId));
      }
      return this.send(ws, { type: 'subscribed', runId });
    }
    subs.get(key)?.();
    subs.delete(key);
    this.send(ws, { type: 'unsubscribed', runId });
  }

  private forward(ws: WebSocket, key: string, runId: string, event: RunEvent): void {
    const client = this.clients.get(ws);
    if (!client) return;
    // A client with an all-runs subscription and a per-run one gets each event once (from the '*' one).
    if (key !== ALL && client.subs.has(ALL)) return;
    if (event.type === 'step' && ws.bufferedAmount > SLOW_CLIENT_BYTES) return;
    this.send(ws, { type: 'event', runId, event });
  }

  private send(ws: WebSocket, msg: ServerMessage): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    ws.send(JSON.stringify(msg), (err) => {
      if (err) this.detach(ws);
    });
  }

  private detach(ws: WebSocket): void {
    const client = this.clients.get(ws);
    if (!client) return;
    this.clients.delete(ws);
    for (const unsubscribe of client.subs.values()) {
      try {
        unsubscribe();
      } catch (err) {
        this.opts.log?.(`unsubscribe failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    client.subs.clear();
    if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.terminate();
  }

  /** A client that did not answer the last ping is gone (a laptop that slept, a dropped network). */
  private heartbeat(): void {
    for (const [ws, client] of this.clients) {
      if (!client.alive) {
        this.detach(ws);
        continue;
      }
      client.alive = false;
      try {
        ws.ping();
      } catch {
        this.detach(ws);
      }
    }
  }

  close(): void {
    clearInterval(this.timer);
    for (const ws of [...this.clients.keys()]) {
      this.detach(ws);
    }
    this.wss.close();
  }
}
