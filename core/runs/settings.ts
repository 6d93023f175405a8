// The settings of a run that a comparison must mention when they differ: two runs compared "AT against
// baseline" mean little when one trained 3 epochs and the other 2. Method and seed are what a comparison
// varies on purpose, so they are left out; a method's own options (β, KD's T) only where the method has them.
import type { RunConfig } from '../config/types.js';
import { describeModel, describeTeacher } from '../config/describe.js';

const AT = new Set(['at', 'at+kd']);
const KD = new Set(['kd', 'at+kd']);

/** Human-readable values by setting name ("epochs" → "3"), for comparing runs. */
export function comparableSettings(c: RunConfig): Record<string, string> {
  const t = c.training;
  const out: Record<string, string> = {
    dataset: c.data.path,
    'training images': c.data.limit !== undefined ? String(c.data.limit) : 'all',
    'test images': c.data.testLimit !== undefined ? String(c.data.testLimit) : 'all',
    augmentation: c.data.augment ? 'on' : 'off',
    student: describeModel(c.student.model),
    epochs: String(t.epochs),
    batch: String(t.batchSize),
    'learning rate': `${t.lr}, ${t.schedule.kind === 'cosine' ? 'cosine' : `× ${t.schedule.gamma} at ${t.schedule.milestones.join('/')}`}`,
    momentum: String(t.momentum),
    'weight decay': String(t.weightDecay),
  };
  if (c.method !== 'baseline' && c.teacher) {
    const te = c.teacher.source === 'train' ? c.teacher.training?.epochs : undefined;
    out.teacher = `${describeTeacher(c.teacher)}${te ? `, ${te} epochs` : ''}`;
  }
  if (AT.has(c.method)) out['β'] = `${c.attention.beta} (${c.attention.fn.kind}${c.attention.fn.kind !== 'sum' ? `, p ${c.attention.fn.p}` : ''})`;
  if (KD.has(c.method)) out['KD T, α'] = `${c.kd.temperature}, ${c.kd.alpha}`;
  return out;
}

/** The settings whose values differ among the runs that have them, with each run's value ('' where absent). */
export function settingsThatDiffer(rows: readonly Record<string, string>[]): { setting: string; values: string[] }[] {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const out: { setting: string; values: string[] }[] = [];
  for (const k of keys) {
    const present = rows.map((r) => r[k]).filter((v): v is string => v !== undefined);
    if (new Set(present).size > 1) out.push({ setting: k, values: rows.map((r) => r[k] ?? '') });
  }
  return out;
}
