// Everything checked before a study makes its first run folder: the config (parseStudyConfig), the run
// config as its runs will use it (dataset folder, hint pairs, a teacher run that is done…), and a teacher
// from a file or another run actually loaded once, so "the teacher cannot be read" is said now, naming
// the field, rather than in every run.
import * as path from 'node:path';
import { teacherModelPath } from '../runs/teacherModel.js';
import type { RunStore } from '../runs/runStore.js';
import { loadTeacher } from '../models/teacher.js';
import type { PathPolicy } from '../service/paths.js';
import { validateRunConfig } from '../service/wizard.js';
import { ensureServiceBackend } from '../service/tfReady.js';
import { TEACHER_METHODS } from '../config/types.js';
import type { ConfigIssue } from '../config/configError.js';
import type { StudyConfig } from './config.js';

export interface StudyCheck { issues: ConfigIssue[]; warnings: string[] }

export async function checkStudy(study: StudyConfig, ctx: { paths: PathPolicy; store: RunStore }): Promise<StudyCheck> {
  const probe = study.methods.find((m) => TEACHER_METHODS.includes(m)) ?? 'baseline';
  const v = await validateRunConfig({ ...study.base, method: probe }, ctx);
  const issues: ConfigIssue[] = [...v.issues];
  const warnings = [...v.warnings];
  const t = study.base.teacher;
  if (issues.length === 0 && probe !== 'baseline' && t && t.source !== 'train') {
    const field = t.source === 'file' ? 'teacher.path' : 'teacher.run';
    try {
      // The runs folder stands in for a run inside it: teacherModelPath looks for `run` beside it.
      const file = await teacherModelPath({ dir: path.join(ctx.store.runsDir, '(study)') }, t);
      if (!file) throw new Error('no model file');
      // `atstudio study` checks before any run has chosen a backend: loading a model needs one ready.
      await ensureServiceBackend();
      const zoo = await loadTeacher(file, t.taps ? { taps: t.taps } : {});
      zoo.model.dispose();
    } catch (err) {
      issues.push({ path: field, message: `the teacher cannot be loaded: ${(err as Error).message}` });
    }
  }
  return { issues, warnings };
}
