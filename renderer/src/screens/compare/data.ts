// Pure helpers of the compare screen: what to chart, which table cell is best, which maps to show.
import type { ComparisonRow } from '../../../../core/service/api.js';
import { t } from '../../i18n/index.js';
import type { AttentionSnapshot, EpochMetric, Metric, RunSummary } from '../../../../core/runs/types.js';
import type { Phase } from '../../../../core/events/types.js';
import { replicateGroups } from '../../../../core/runs/replicates.js';

export interface ProbeView { split: string; indices: number[]; labels: number[]; classes?: string[]; pngBase64: string[] }

/** What the screen loads per selected run (besides its comparison row). */
export interface RunData {
  metrics: Metric[];
  snapshots: AttentionSnapshot[];
  probes: ProbeView | null;
  /** Every class name (getRun's classes), once the run has saved a model. */
  classes?: string[];
  error?: string;
}

/** One epoch line per epoch of a phase, in order (a re-run epoch counts once: the later line). */
export function epochsOf(metrics: Metric[], phase: Phase): EpochMetric[] {
  const by = new Map<number, EpochMetric>();
  for (const m of metrics) if (m.kind === 'epoch' && m.phase === phase) by.set(m.epoch, m);
  return [...by.values()].sort((a, b) => a.epoch - b.epoch);
}

export interface ChartSeries { label: string; points: { x: number; y: number }[]; color?: string; dashed?: boolean }

export interface ChartRun { id: string; name: string; metrics: Metric[]; color?: string }

/** Test top-1 per epoch: the student phase of each run, and the teacher phase (dashed) of runs that trained one. */
export function top1Series(runs: ChartRun[]): ChartSeries[] {
  const out: ChartSeries[] = [];
  for (const r of runs) {
    const student = epochsOf(r.metrics, 'student');
    out.push({ label: r.name, points: student.map((m) => ({ x: m.epoch, y: m.test.top1 })), ...(r.color ? { color: r.color } : {}) });
    const teacher = epochsOf(r.metrics, 'teacher');
    if (teacher.length > 0) {
      out.push({ label: t('cmp.teacherSeries', { name: r.name }), points: teacher.map((m) => ({ x: m.epoch, y: m.test.top1 })), dashed: true, ...(r.color ? { color: r.color } : {}) });
    }
  }
  return out;
}

/** Train loss per epoch of the student phase. */
export function lossSeries(runs: ChartRun[]): ChartSeries[] {
  return runs.map((r) => ({
    label: r.name,
    points: epochsOf(r.metrics, 'student').map((m) => ({ x: m.epoch, y: m.train.loss })),
    ...(r.color ? { color: r.color } : {}),
  }));
}

export type NumericKey = 'params' | 'multiplyAdds' | 'sizeBytes' | 'latencyMs' | 'bestTop1' | 'lastTop1' | 'agreement' | 'trainSeconds';

export const BETTER: Record<NumericKey, 'low' | 'high'> = {
  params: 'low', multiplyAdds: 'low', sizeBytes: 'low', latencyMs: 'low', bestTop1: 'high', lastTop1: 'high', agreement: 'high', trainSeconds: 'low',
};

/**
 * Indices of the rows holding the best value of a column (ties: all of them). Nothing is highlighted when
 * fewer than two rows have a value, or when every value is the same.
 */
export function bestRows(rows: ComparisonRow[], key: NumericKey): Set<number> {
  const vals = rows.map((r) => r[key]).map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined));
  const present = vals.filter((v): v is number => v !== undefined);
  if (present.length < 2) return new Set();
  const best = BETTER[key] === 'low' ? Math.min(...present) : Math.max(...present);
  if (present.every((v) => v === best)) return new Set();
  return new Set(vals.flatMap((v, i) => (v === best ? [i] : [])));
}

/** The student's architecture of a row ("WRN-16-1" of "WRN-16-1 ← WRN-16-2"). */
export function studentArch(r: ComparisonRow): string {
  return r.settings?.student ?? r.models.split(' ←')[0]!.trim();
}

export interface ColumnVerdict {
  best: Set<number>;
  /** Why nothing is marked although the values differ. */
  note?: string;
}

const ACCURACY: ReadonlySet<NumericKey> = new Set(['bestTop1', 'lastTop1', 'agreement']);

/**
 * Which cells of a column are marked best, honestly. Accuracy: only when the lead over the runner-up (another
 * experiment) is larger than the seed spread (the largest standard deviation over seeds among the runs
 * compared); with one seed per experiment the spread is unknown: "1 seed: not conclusive". Latency: runs of
 * the same student architecture are not ranked against each other (their difference is the machine's noise).
 */
export function columnVerdict(rows: ComparisonRow[], key: NumericKey): ColumnVerdict {
  const best = bestRows(rows, key);
  if (best.size === 0) return { best };
  if (key === 'latencyMs') {
    const archs = rows.filter((r) => typeof r.latencyMs === 'number').map(studentArch);
    if (new Set(archs).size < archs.length) return { best: new Set(), note: t('cmp.note.sameArch') };
    return { best };
  }
  if (!ACCURACY.has(key)) return { best };
  const groups = replicateGroups(rows.map((r) => ({
    runId: r.runId, name: r.name, replicateKey: r.replicateKey, seed: r.seed,
    ...(typeof r.bestTop1 === 'number' ? { bestTop1: r.bestTop1 } : {}), ...(typeof r.lastTop1 === 'number' ? { lastTop1: r.lastTop1 } : {}),
  })));
  const spreadKey = key === 'lastTop1' ? 'lastTop1' : 'bestTop1';
  const sds = groups.map((g) => g[spreadKey]).filter((s) => s && s.n > 1).map((s) => s!.sd);
  if (sds.length === 0) return { best: new Set(), note: t('cmp.note.oneSeed') };
  const sd = Math.max(...sds);
  const vals = rows.map((r) => r[key]);
  const top = [...best][0]!;
  const topKey = rows[top]!.replicateKey;
  const others = rows.filter((r) => r.replicateKey !== topKey).map((r) => r[key]).filter((v): v is number => typeof v === 'number');
  if (others.length === 0) return { best: new Set(), note: t('cmp.note.oneExperiment') };
  const lead = (vals[top] as number) - Math.max(...others);
  return lead > sd ? { best } : { best: new Set(), note: t('cmp.note.withinSpread', { sd: (sd * 100).toFixed(1) }) };
}

/** The last student epoch's confusion matrix, or null before the first test. */
export function lastConfusion(metrics: Metric[]): number[][] | null {
  const last = epochsOf(metrics, 'student').at(-1);
  return last?.test.confusion && last.test.confusion.length > 0 ? last.test.confusion : null;
}

/**
 * Class names for a confusion matrix of n classes. Probe sets name only their probes' classes, so a class
 * without a probe keeps its number.
 */
export function classNames(n: number, probes: ProbeView | null | undefined, all?: string[]): string[] {
  if (all && all.length === n) return all;
  const names = Array.from({ length: n }, (_, i) => t('cmp.class', { n: i }));
  if (probes?.classes) {
    probes.labels.forEach((label, i) => {
      const name = probes.classes?.[i];
      if (name && label >= 0 && label < n) names[label] = name;
    });
  }
  return names;
}

/** The last student-phase snapshot (what the student's attention looks like at the end). */
export function lastStudentSnapshot(snaps: AttentionSnapshot[]): AttentionSnapshot | null {
  let best: AttentionSnapshot | null = null;
  for (const s of snaps) if (s.phase === 'student' && (!best || s.epoch >= best.epoch)) best = s;
  return best;
}

/** `student_group0` → `group0` (the names a config's hint pairs use). */
export function tapName(layer: string): string {
  return layer.replace(/^(student|teacher)_/, '');
}

export interface PairMaps { student: string; teacher: string; h: number; w: number; studentMap: number[]; teacherMap: number[] }

/** The maps of one probe, one entry per hint pair in the run's order. */
export function pairsForProbe(snap: AttentionSnapshot | null, probe: number): PairMaps[] {
  if (!snap) return [];
  return snap.pairs.filter((p) => p.probe === probe)
    .map((p) => ({ student: p.student, teacher: p.teacher, h: p.h, w: p.w, studentMap: p.studentMap, teacherMap: p.teacherMap }));
}

/** Min–max scaled to [0,1] for display (stored maps are L2-normalized, so their scale depends on size). */
export function scaleMap(map: number[]): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of map) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  return map.map((v) => (span > 0 ? (v - lo) / span : 0));
}

/** Whether a run trained against a teacher (a baseline's snapshot pairs a student tap with itself). */
export function hasTeacher(run: RunSummary | undefined): boolean {
  return !!run && run.method !== 'baseline' && !!run.teacher;
}
