// Older config versions → the current one, so that a run folder made by an earlier version of the app
// resumes exactly as it started and the UI shows what it really did. The file on disk is not rewritten
// (it records what was run); it is migrated every time it is read.
//
// 1 → 2:
// - β: version 1 computed the `code` form's AT term as β/2 · Σ_j at_loss_j; version 2 computes β · Σ_j at_loss_j,
//   as the authors' code does (szagoruyko/attention-transfer cifar.py:223 and imagenet.py:270,
//   `opt.beta * sum(loss_groups)`). So a version 1 `code` β (and every per-pair β) is halved, which is
//   bit-exact: halving a double is exact, so (β/2)·s equals (β·s)/2 for any β-decay scale s. An absent β
//   was the default 1000, now 500. The `paper` form keeps eq. 2's β/2 and is unchanged.
// - data.limit cut both splits in version 1; in version 2 it is the training images and data.testLimit the
//   test images, so a version 1 limit becomes both.
import { describeValue } from './configError.js';
import { CONFIG_VERSION } from './types.js';

export interface Migrated {
  input: Record<string, unknown>;
  /** The version the config was written in, when it was not the current one. */
  from?: number;
  /** One line per change, for the run's log. */
  notes: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Bring a config object (already known to be an object) to CONFIG_VERSION; anything unrecognised is left for the schema to report. */
export function migrateRunConfig(json: Record<string, unknown>): Migrated {
  if (json.version !== 1) return { input: json, notes: [] };
  const input: Record<string, unknown> = { ...json, version: CONFIG_VERSION };
  const notes: string[] = [];

  const attention = json.attention === undefined ? {} : json.attention;
  if (isObject(attention) && (attention.form === undefined || attention.form === 'code')) {
    const a: Record<string, unknown> = { ...attention };
    const beta = a.beta === undefined ? 1000 : a.beta;
    if (isNumber(beta)) {
      a.beta = beta / 2;
      notes.push(`attention.beta ${beta} (version 1: β/2 · Σ at_loss) is ${beta / 2} in version 2 (β · Σ at_loss, the authors' code): the same loss`);
    }
    if (Array.isArray(a.pairs)) {
      a.pairs = a.pairs.map((p: unknown) => (isObject(p) && isNumber(p.beta) ? { ...p, beta: p.beta / 2 } : p));
      const halved = (a.pairs as unknown[]).filter((p) => isObject(p) && isNumber(p.beta)).length;
      if (halved > 0) notes.push(`the β of ${halved} hint pair${halved === 1 ? '' : 's'} halved the same way`);
    }
    input.attention = a;
  }

  if (isObject(json.data) && json.data.limit !== undefined && json.data.testLimit === undefined) {
    input.data = { ...json.data, testLimit: json.data.limit };
    notes.push(`data.limit ${describeValue(json.data.limit)} cut both splits in version 1: data.testLimit ${describeValue(json.data.limit)} keeps the test split as it was`);
  }
  return { input, from: 1, notes: [`config version 1 read as version ${CONFIG_VERSION}`, ...notes] };
}
