// How runs name each other: a reused teacher reads "WRN-10-1 ← teacher of “my AT run”" instead of the run
// folder's id, and the runs that would lose their teacher if one were deleted.
import type { RunSummary } from '../../../core/runs/types.js';
import { t } from '../i18n/index.js';

/** `student ← teacher` with a finished run's teacher named by that run's name (its id while it is unknown). */
export function modelsText(r: RunSummary, all: readonly RunSummary[]): string {
  if (!r.teacherRun) return r.models;
  const src = all.find((x) => x.id === r.teacherRun!.id);
  const net = src ? (r.teacherRun.role === 'teacher' ? src.teacher : src.student) : undefined;
  const of = src ? `“${src.name}”` : t('runNames.deleted', { id: r.teacherRun.id });
  const key = r.teacherRun.role === 'teacher' ? 'runNames.teacherOf' : 'runNames.studentOf';
  return `${t(key, { student: r.student, of })}${net ? ` (${net})` : ''}`;
}

/** The runs whose teacher is a network of `id`. */
export function runsTaughtBy(id: string, all: readonly RunSummary[]): RunSummary[] {
  return all.filter((x) => x.teacherRun?.id === id);
}
