// The browser side of serve mode: an AtStudioApi over HTTP (POST /api/<method>) and one shared
// WebSocket (/events) for every subscription, reconnecting with backoff and re-subscribing after a drop.
// The Svelte UI uses this exactly as it uses the Electron preload's API.
import { API_METHODS, type ApiMethod, type AtStudioApi, type EventListener } from '../../core/service/api.js';
import type { RunEvent } from '../../core/events/types.js';

export type ApiErrorCode = 'not-found' | 'invalid' | 'conflict' | 'forbidden' | 'unavailable' | 'internal' | 'unauthorized' | 'network';

/** What every method rejects with: `message` for people, `code` for the UI (the service's codes). */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(readonly code: ApiErrorCode, message: string, readonly status?: number) {
    super(message);
  }
}

/** The socket surface used here: the browser's WebSocket, or a compatible one (the `ws` package in tests). */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: any) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: any) => void) | null;
  onerror: ((ev: any) => void) | null;
  send(data: string): void;
  close(): void;
}
export type WebSocketCtor = new (url: string) => WebSocketLike;

export interface HttpClientOptions {
  /** Sent as a Bearer header and on the socket URL; in a browser the cookie set at first load is enough. */
  token?: string;
  WebSocket?: WebSocketCtor;
  fetch?: typeof fetch;
  /** Reconnect backoff, doubling from min to max (ms). */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** The socket is considered dead after this long without any message (an application ping is sent at a third of it). */
  idleTimeoutMs?: number;
}

export type HttpApi = AtStudioApi & {
  /** Closes the event socket and stops reconnecting (listeners stay registered but receive nothing). */
  close(): void;
  /** 'open' while the event socket is connected. */
  readonly connection: ConnectionState;
  /** Calls `fn` on every change of `connection` (the UI's "connection lost" banner); returns the unsubscribe. */
  onConnection(fn: (state: ConnectionState) => void): () => void;
};

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

const OPEN = 1;

export function createHttpClient(baseUrl?: string, opts: HttpClientOptions = {}): HttpApi {
  const base = new URL(baseUrl ?? globalThis.location.origin);
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const Ws = opts.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketCtor);
  const minDelay = opts.reconnectMinMs ?? 500;
  const maxDelay = opts.reconnectMaxMs ?? 10_000;
  const idleTimeout = opts.idleTimeoutMs ?? 60_000;

  async function call(method: ApiMethod, args: unknown[]): Promise<unknown> {
    // Trailing undefined arguments are dropped: JSON would turn them into null.
    let n = args.length;
    while (n > 0 && args[n - 1] === undefined) n--;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let res: Response;
    try {
      res = await doFetch(new URL(`api/${method}`, base).toString(), {
        method: 'POST',
        headers,
        body: JSON.stringify({ args: args.slice(0, n) }),
        credentials: 'same-origin',
      });
    } catch (err) {
      throw new ApiError('network', `The engine did not answer: ${err instanceof Error ? err.message : String(err)}`);
    }
    let body: { ok?: boolean; result?: unknown; error?: { code?: ApiErrorCode; message?: string } } | null = null;
    try {
      body = await res.json();
    } catch {
      body = null;
    }
    if (res.ok && body?.ok === true) return body.result === null ? undefined : body.result;
    if (res.status === 401) throw new ApiError('unauthorized', body?.error?.message ?? 'A token is required.', 401);
    throw new ApiError(body?.error?.code ?? 'internal', body?.error?.message ?? `HTTP ${res.status}`, res.status);
  }

  // --- events: one socket, reference-counted subscriptions per run ('' = all runs) ---
  const listeners = new Set<{ fn: EventListener; runId?: string | undefined }>();
  const keys = new Map<string, number>();
  let socket: WebSocketLike | null = null;
  let state: ConnectionState = 'idle';
  const stateListeners = new Set<(s: ConnectionState) => void>();
  function setState(next: ConnectionState): void {
    if (next === state) return;
    state = next;
    for (const fn of [...stateListeners]) fn(next);
  }
  let delay = minDelay;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let pingTimer: ReturnType<typeof setInterval> | null = null;
  let lastMessage = 0;
  let closedByUser = false;

  const subMessage = (type: 'subscribe' | 'unsubscribe', key: string) => JSON.stringify(key === '' ? { type } : { type, runId: key });

  function send(data: string): void {
    if (socket && socket.readyState === OPEN) socket.send(data);
  }

  function stopTimers(): void {
    if (pingTimer !== null) clearInterval(pingTimer);
    pingTimer = null;
  }

  function connect(): void {
    if (socket || closedByUser) return;
    const url = new URL('events', base);
    url.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
    if (opts.token) url.searchParams.set('token', opts.token);
    setState(state === 'idle' ? 'connecting' : 'reconnecting');
    const ws = new Ws(url.toString());
    socket = ws;
    ws.onopen = () => {
      setState('open');
      delay = minDelay;
      lastMessage = Date.now();
      for (const key of keys.keys()) ws.send(subMessage('subscribe', key));
      pingTimer = setInterval(() => {
        if (Date.now() - lastMessage > idleTimeout) ws.close(); // dead link: onclose reconnects
        else send(JSON.stringify({ type: 'ping' }));
      }, Math.max(10, Math.floor(idleTimeout / 3)));
    };
    ws.onmessage = (ev) => {
      if (socket !== ws) return; // closed by us: messages still in flight are not delivered
      lastMessage = Date.now();
      let msg: { type?: string; runId?: string; event?: RunEvent };
      try {
        msg = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      if (msg.type !== 'event' || typeof msg.runId !== 'string' || !msg.event) return;
      for (const l of [...listeners]) {
        if (l.runId !== undefined && l.runId !== msg.runId) continue;
        try {
          l.fn(msg.runId, msg.event);
        } catch (err) {
          console.error('event listener failed', err);
        }
      }
    };
    ws.onerror = () => {
      /* onclose follows and handles it */
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      stopTimers();
      if (closedByUser || listeners.size === 0) {
        setState(closedByUser ? 'closed' : 'idle');
        return;
      }
      setState('reconnecting');
      reconnectTimer = setTimeout(() => {
        reconnectTimer = null;
        connect();
      }, delay);
      delay = Math.min(maxDelay, delay * 2);
    };
  }

  function disconnect(): void {
    if (reconnectTimer !== null) clearTimeout(reconnectTimer);
    reconnectTimer = null;
    stopTimers();
    const ws = socket;
    socket = null;
    ws?.close();
  }

  function subscribe(fn: EventListener, runId?: string): () => void {
    const entry = { fn, runId };
    listeners.add(entry);
    const key = runId ?? '';
    const count = keys.get(key) ?? 0;
    keys.set(key, count + 1);
    if (count === 0) send(subMessage('subscribe', key)); // when not open yet, onopen sends it
    connect();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      listeners.delete(entry);
      const left = (keys.get(key) ?? 1) - 1;
      if (left > 0) keys.set(key, left);
      else {
        keys.delete(key);
        send(subMessage('unsubscribe', key));
      }
      if (listeners.size === 0) {
        disconnect();
        if (!closedByUser) setState('idle');
      }
    };
  }

  const api: Record<string, unknown> = {};
  for (const m of API_METHODS) api[m] = (...args: unknown[]) => call(m, args);
  api.subscribe = subscribe;
  api.close = () => {
    closedByUser = true;
    setState('closed');
    disconnect();
  };
  api.onConnection = (fn: (s: ConnectionState) => void) => {
    stateListeners.add(fn);
    return () => { stateListeners.delete(fn); };
  };
  Object.defineProperty(api, 'connection', { get: () => state, enumerable: true });
  return api as unknown as HttpApi;
}
