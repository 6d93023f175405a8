// The dashboard's reactive model: history (getRun, getMetrics, getSnapshots, getProbes, getLog) folded with live
// events. Events are queued and applied once per animation frame so a fast run never floods the UI.
import type { RunEvent } from '../../../../core/events/types.js';
import type { RunDetail } from '../../../../core/service/api.js';
import type { RunStatus } from '../../../../core/runs/types.js';
import { api, toUiError } from '../../lib/api.js';
import { t } from '../../i18n/index.js';
import { emptyModel, foldEvent, foldMetrics, addSnapshot, type DashModel } from './fold.js';

export type Probes = Awaited<ReturnType<typeof api.getProbes>>;

const raf: (cb: () => void) => unknown =
  typeof requestAnimationFrame === 'function' ? (cb) => requestAnimationFrame(cb) : (cb) => setTimeout(cb, 16);

export class RunState {
  readonly runId: string;
  // Raw: the folded arrays go to chart.js, which decorates them (a deep $state proxy would refuse that).
  // Every change assigns a new top-level object.
  model = $state.raw<DashModel>(emptyModel());
  detail = $state<RunDetail | null>(null);
  probes = $state<Probes>(null);
  log = $state('');
  loadError = $state<string | null>(null);
  loading = $state(true);
  /** Serve mode: the event socket dropped (the server went away); the view is not live until it is back. */
  connectionLost = $state(false);

  private queue: RunEvent[] = [];
  private scheduled = false;
  private unsub: (() => void) | null = null;
  private destroyed = false;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private lastRefresh = 0;
  private reloading = false;
  private offConnection: (() => void) | null = null;

  constructor(runId: string) { this.runId = runId; }

  get status(): RunStatus | null {
    return (this.model.statusOverride as RunStatus | null) ?? this.detail?.summary.status ?? null;
  }

  get error(): string | null {
    if (this.model.error) return this.model.error;
    const st = this.detail?.status;
    if (this.status !== 'failed') return null;
    if (st?.error) return st.error;
    return this.detail?.summary.interrupted ? t('dash.interrupted') : null;
  }

  get resumable(): boolean { return this.model.resumable ?? this.detail?.summary.resumable ?? false; }

  /** Subscribe first (events queue up while history loads), then load the history and apply the queue on top. */
  async start(): Promise<void> {
    this.unsub = api.subscribe((_id, ev) => this.push(ev), this.runId);
    this.offConnection = api.onConnection?.((state) => {
      if (state === 'reconnecting') this.connectionLost = true;
      else if (state === 'open' && this.connectionLost) {
        this.connectionLost = false;
        void this.reload(); // what happened while the socket was down is only in the stored history
      }
    }) ?? null;
    try {
      await this.loadHistory();
    } catch (err) {
      this.loadError = toUiError(err).message;
    } finally {
      this.loading = false;
    }
  }

  /** After the connection came back: the history again, with the events since on top. */
  async reload(): Promise<void> {
    this.reloading = true;
    try {
      await this.loadHistory();
    } catch { /* keep what we have; the next event refreshes */ } finally {
      this.reloading = false;
      if (this.queue.length) this.flush();
    }
  }

  private async loadHistory(): Promise<void> {
    {
      const [detail, metrics, snaps, probes, log] = await Promise.all([
        api.getRun(this.runId), api.getMetrics(this.runId), api.getSnapshots(this.runId),
        api.getProbes(this.runId).catch(() => null), api.getLog(this.runId).catch(() => ''),
      ]);
      if (this.destroyed) return;
      const m = emptyModel();
      foldMetrics(m, metrics);
      for (const s of snaps) addSnapshot(m, s);
      const be = detail.environment?.['backend'];
      if (be && typeof be === 'object' && 'name' in be) m.backend = String((be as { name: unknown }).name);
      else if (typeof be === 'string') m.backend = be;
      m.phase = detail.status.phase ?? m.phase;
      this.detail = detail;
      this.probes = probes;
      this.log = log;
      // Events that arrived meanwhile go on top of the history.
      for (const ev of this.queue.splice(0)) foldEvent(m, ev);
      this.model = m;
    }
  }

  push(ev: RunEvent): void {
    this.queue.push(ev);
    if (this.loading || this.reloading || this.scheduled) return;
    this.scheduled = true;
    raf(() => this.flush());
  }

  flush(): void {
    this.scheduled = false;
    if (this.destroyed || this.loading || this.reloading) return;
    const evs = this.queue.splice(0);
    if (!evs.length) return;
    const before = this.model.revision;
    // Fold in place and assign a new top-level object once: one reactive update per frame.
    const m = this.model;
    for (const ev of evs) foldEvent(m, ev);
    this.model = { ...m };
    if (m.revision !== before || evs.some((e) => e.type === 'log' || e.type === 'status')) this.scheduleRefresh();
  }

  /** Re-read summary/status/log at most every 2 s. */
  private scheduleRefresh(): void {
    if (this.refreshTimer) return;
    const wait = Math.max(0, 2000 - (Date.now() - this.lastRefresh));
    this.refreshTimer = setTimeout(() => { this.refreshTimer = null; void this.refresh(); }, wait);
  }

  async refresh(): Promise<void> {
    this.lastRefresh = Date.now();
    try {
      const [detail, log] = await Promise.all([api.getRun(this.runId), api.getLog(this.runId)]);
      if (this.destroyed) return;
      this.detail = detail;
      this.log = log;
      if (!this.probes) this.probes = await api.getProbes(this.runId).catch(() => null);
      // The stored status is now authoritative again unless newer events override it.
      if (detail.summary.status !== 'running' && this.model.statusOverride === 'running') this.model = { ...this.model, statusOverride: null };
    } catch { /* keep what we have */ }
  }

  destroy(): void {
    this.destroyed = true;
    this.unsub?.();
    this.unsub = null;
    this.offConnection?.();
    this.offConnection = null;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
  }
}
