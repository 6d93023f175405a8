// Run-to-run variance: runs whose configs differ only in the seed (and the name) repeat one experiment.
// Grouping them and giving mean ± spread of their accuracy says how much of a difference between two
// methods is the method and how much is the seed. Pure: the UI, the service and the report share it.
import type { RunConfig } from '../config/types.js';

/** JSON with object keys sorted, so equal configs give equal strings whatever order their keys came in. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Equal for runs that repeat one experiment: the whole config but its seed and name. */
export function replicateKey(config: RunConfig): string {
  const { seed: _seed, name: _name, ...rest } = config;
  return canonicalJson(rest);
}

export interface Spread {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1 in the denominator); 0 for one value. */
  sd: number;
  min: number;
  max: number;
}

export function spread(values: number[]): Spread {
  const n = values.length;
  if (n === 0) throw new Error('spread of no values');
  const mean = values.reduce((a, v) => a + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { n, mean, sd, min: Math.min(...values), max: Math.max(...values) };
}

export interface ReplicateInput {
  runId: string;
  name: string;
  replicateKey: string;
  seed: number;
  bestTop1?: number | undefined;
  lastTop1?: number | undefined;
}

export interface ReplicateGroup {
  key: string;
  runIds: string[];
  names: string[];
  seeds: number[];
  /** Over the runs that have a value (a run still training may not). */
  bestTop1?: Spread;
  lastTop1?: Spread;
}

/** Groups of two or more runs that repeat one experiment with different seeds, in the order first seen. */
export function replicateGroups(rows: ReplicateInput[]): ReplicateGroup[] {
  const by = new Map<string, ReplicateInput[]>();
  const seen = new Set<string>();
  for (const r of rows) {
    if (seen.has(r.runId)) continue; // a run listed twice is still one sample
    seen.add(r.runId);
    const list = by.get(r.replicateKey);
    // One run per seed: a second run with a seed already in the group re-runs it ("Seeds 1, 2, 3, 1"), it is
    // not another sample of the seed's spread.
    if (list) { if (!list.some((x) => x.seed === r.seed)) list.push(r); }
    else by.set(r.replicateKey, [r]);
  }
  const out: ReplicateGroup[] = [];
  for (const [key, list] of by) {
    if (list.length < 2) continue;
    const of = (k: 'bestTop1' | 'lastTop1') => {
      const vals = list.map((r) => r[k]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      return vals.length ? { [k]: spread(vals) } : {};
    };
    out.push({ key, runIds: list.map((r) => r.runId), names: list.map((r) => r.name), seeds: list.map((r) => r.seed), ...of('bestTop1'), ...of('lastTop1') });
  }
  return out;
}
