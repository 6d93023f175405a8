// Pure folding of a run's history and live events into chart series and attention epochs (no Svelte, unit-testable).
import type { RunEvent, Phase, AttentionPairMap } from '../../../../core/events/types.js';
import type { Metric, AttentionSnapshot } from '../../../../core/runs/types.js';
import { isRecordedStep } from '../../../../core/runs/recordedSteps.js';

export interface Pt { x: number; y: number }
export interface StepSeries { loss: Pt[]; ce: Pt[]; at: Pt[]; kd: Pt[]; gradAt: Pt[]; lr: Pt[]; atPerPair: Pt[][] }
export interface EpochPoint { epoch: number; trainAcc: number; top1: number; trainLoss: number; testLoss: number; valTop1?: number }

/** Step points kept per series before old ones are thinned (every other point of the older half dropped). */
export const MAX_POINTS = 600;

export interface DashModel {
  phase: Phase | null;
  backend: string | null;
  backendReason: string | null;
  imagesPerSec: number | null;
  etaSeconds: number | null;
  epoch: number;
  step: number;
  totalSteps: number;
  /** x = fractional epoch within the phase. */
  steps: Record<Phase, StepSeries>;
  epochs: Record<Phase, EpochPoint[]>;
  /** Attention snapshots by phase, sorted by epoch. */
  snapshots: Record<Phase, AttentionSnapshot[]>;
  error: string | null;
  statusOverride: 'running' | 'paused' | 'done' | 'failed' | 'cancelled' | null;
  resumable: boolean | null;
  logLines: string[];
  /** Bumped on epoch/attention/done/failed: the log and summary may have changed. */
  revision: number;
}

function emptySteps(): StepSeries { return { loss: [], ce: [], at: [], kd: [], gradAt: [], lr: [], atPerPair: [] }; }

export function emptyModel(): DashModel {
  return {
    phase: null, backend: null, backendReason: null, imagesPerSec: null, etaSeconds: null, epoch: 0, step: 0, totalSteps: 0,
    steps: { teacher: emptySteps(), student: emptySteps() },
    epochs: { teacher: [], student: [] },
    snapshots: { teacher: [], student: [] },
    error: null, statusOverride: null, resumable: null, logLines: [], revision: 0,
  };
}

/** Append keeping at most `max` points: when over, the older half is thinned to every other point. */
export function pushCapped(arr: Pt[], p: Pt, max = MAX_POINTS): void {
  const last = arr[arr.length - 1];
  if (last && p.x < last.x) {
    // A resumed run repeats steps: drop the points it will redo.
    while (arr.length && arr[arr.length - 1]!.x >= p.x) arr.pop();
  }
  arr.push(p);
  if (arr.length > max) {
    const half = Math.floor(arr.length / 2);
    const old = arr.slice(0, half).filter((_, i) => i % 2 === 0);
    arr.splice(0, half, ...old);
  }
}

type StepLike = { phase: Phase; epoch: number; step: number; totalSteps: number; loss: number; lr: number;
  parts: { ce: number; at?: number; kd?: number; gradAt?: number; atPerPair?: number[] } };

/** Where training is (any step event moves it; only recorded steps become chart points). */
function progress(m: DashModel, s: StepLike): void {
  m.phase = s.phase; m.epoch = s.epoch; m.step = s.step; m.totalSteps = s.totalSteps;
}

function addStep(m: DashModel, s: StepLike): void {
  const x = s.epoch - 1 + s.step / Math.max(1, s.totalSteps);
  const ser = m.steps[s.phase];
  pushCapped(ser.loss, { x, y: s.loss });
  pushCapped(ser.ce, { x, y: s.parts.ce });
  if (s.parts.at !== undefined) pushCapped(ser.at, { x, y: s.parts.at });
  if (s.parts.kd !== undefined) pushCapped(ser.kd, { x, y: s.parts.kd });
  if (s.parts.gradAt !== undefined) pushCapped(ser.gradAt, { x, y: s.parts.gradAt });
  pushCapped(ser.lr, { x, y: s.lr });
  s.parts.atPerPair?.forEach((v, i) => {
    while (ser.atPerPair.length <= i) ser.atPerPair.push([]);
    pushCapped(ser.atPerPair[i]!, { x, y: v });
  });
  progress(m, s);
}

type EpochLike = { phase: Phase; epoch: number; train: { loss: number; acc: number }; test: { loss: number; top1: number }; validation?: { top1: number } };

function addEpoch(m: DashModel, e: EpochLike): void {
  const list = m.epochs[e.phase].filter((p) => p.epoch < e.epoch);
  list.push({ epoch: e.epoch, trainAcc: e.train.acc, top1: e.test.top1, trainLoss: e.train.loss, testLoss: e.test.loss,
    ...(e.validation ? { valTop1: e.validation.top1 } : {}) });
  m.epochs[e.phase] = list;
  m.phase = e.phase;
}

export function addSnapshot(m: DashModel, s: AttentionSnapshot): void {
  const list = m.snapshots[s.phase].filter((x) => x.epoch !== s.epoch);
  list.push({ phase: s.phase, epoch: s.epoch, pairs: s.pairs });
  list.sort((a, b) => a.epoch - b.epoch);
  m.snapshots[s.phase] = list;
}

/**
 * One line of metrics.jsonl into the charts: the one path for history and live events alike (a live step
 * or epoch event goes through here as the line the run writes for it), so charts rebuilt after a reload
 * equal the ones drawn live.
 */
export function foldMetric(m: DashModel, x: Metric | Omit<Metric, 'time'>): void {
  if (x.kind === 'step') addStep(m, x as StepLike);
  else addEpoch(m, x as EpochLike);
}

export function foldMetrics(m: DashModel, metrics: Metric[]): void {
  for (const x of metrics) foldMetric(m, x);
}

/** The model a dashboard rebuilds from a run folder (getMetrics, getSnapshots, getRun). */
export function historyModel(metrics: Metric[], snapshots: AttentionSnapshot[], detail?: { environment: Record<string, unknown> | null; status: { phase?: Phase | null } }): DashModel {
  const m = emptyModel();
  foldMetrics(m, metrics);
  for (const s of snapshots) addSnapshot(m, s);
  const be = detail?.environment?.['backend'];
  if (be && typeof be === 'object' && 'name' in be) m.backend = String((be as { name: unknown }).name);
  else if (typeof be === 'string') m.backend = be;
  m.phase = detail?.status.phase ?? m.phase;
  return m;
}

export function foldEvent(m: DashModel, ev: RunEvent): void {
  switch (ev.type) {
    case 'started':
      m.backend = ev.backend.name; m.backendReason = ev.backend.reason; m.error = null; m.statusOverride = 'running';
      break;
    case 'step': {
      const { type: _t, ...line } = ev;
      void _t;
      // Only the steps the run writes to metrics.jsonl are charted (the throttle never drops those).
      if (isRecordedStep(ev.step, ev.totalSteps)) foldMetric(m, { kind: 'step', ...line });
      else progress(m, ev);
      m.imagesPerSec = ev.imagesPerSec; m.etaSeconds = ev.etaSeconds;
      if (m.statusOverride !== 'paused') m.statusOverride = 'running';
      break;
    }
    case 'epoch': {
      const { type: _t, ...line } = ev;
      void _t;
      foldMetric(m, { kind: 'epoch', ...line });
      m.revision++;
      break;
    }
    case 'attention': addSnapshot(m, { phase: ev.phase, epoch: ev.epoch, pairs: ev.pairs }); m.revision++; break;
    case 'checkpoint': break;
    case 'done': m.statusOverride = 'done'; m.etaSeconds = 0; m.revision++; break;
    case 'failed': m.statusOverride = 'failed'; m.error = ev.error; m.resumable = ev.resumable; m.revision++; break;
    case 'cancelled': m.statusOverride = 'cancelled'; m.resumable = ev.resumable ?? null; m.revision++; break;
    case 'status': m.statusOverride = ev.status; break;
    case 'log': m.logLines.push(`[${ev.level}] ${ev.message}`); if (m.logLines.length > 500) m.logLines.splice(0, 100); break;
  }
}

/** The hint pairs of a snapshot grouped: pairIndex → probe → map (pairs arrive flat, one entry per pair×probe). */
export function groupPairs(s: AttentionSnapshot | undefined): { student: string; teacher: string; probes: AttentionPairMap[] }[] {
  if (!s) return [];
  const out: { student: string; teacher: string; probes: AttentionPairMap[] }[] = [];
  for (const p of s.pairs) {
    let g = out.find((o) => o.student === p.student && o.teacher === p.teacher);
    if (!g) { g = { student: p.student, teacher: p.teacher, probes: [] }; out.push(g); }
    g.probes.push(p);
  }
  for (const g of out) g.probes.sort((a, b) => a.probe - b.probe);
  return out;
}

/** Phase whose snapshots the attention panel shows: the student's when any, else the teacher's. */
export function attentionPhase(m: DashModel): Phase {
  return m.snapshots.student.length ? 'student' : 'teacher';
}
